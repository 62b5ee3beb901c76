package check

import (
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/export"
)

// inboundRows makes n replies from contacts in one campaign.
func inboundRows(n int, campaign string) []*export.Record {
	out := rows(n, campaign, export.StatusDelivered, "")
	for _, r := range out {
		r.Inbound = true
	}
	return out
}

func TestNothingToCheck(t *testing.T) {
	ths := thresholds(t, KeyMaxErrorRate, "5%")
	tests := []struct {
		name        string
		recs        [][]*export.Record
		per         bool
		minOutbound int64
		want        string // "" when there is something to check
	}{
		{"no rows", nil, false, 100, "no rows were read"},
		{"no rows, min 0", nil, false, 0, "no rows were read"},
		{"no rows, per campaign", nil, true, 0, "no rows were read"},
		{"only replies", [][]*export.Record{inboundRows(5, "1")}, false, 0, "no outbound texts among the 5 rows read"},
		{"one below the minimum", [][]*export.Record{rows(99, "1", export.StatusDelivered, "")}, false, 100, "99 outbound texts, fewer than --min-outbound 100"},
		{"at the minimum", [][]*export.Record{rows(100, "1", export.StatusDelivered, "")}, false, 100, ""},
		{"one text, min 1", [][]*export.Record{rows(1, "1", export.StatusError, "30007")}, false, 1, ""},
		{"one text, min 0", [][]*export.Record{rows(1, "1", export.StatusError, "30007")}, false, 0, ""},
		{"every campaign skipped", [][]*export.Record{rows(60, "1", export.StatusDelivered, ""), rows(60, "2", export.StatusDelivered, "")}, true, 100,
			"every campaign has fewer than 100 outbound texts (--min-outbound)"},
		{"one campaign checked", [][]*export.Record{rows(100, "1", export.StatusDelivered, ""), rows(60, "2", export.StatusDelivered, "")}, true, 100, ""},
		{"a campaign of replies only is skipped", [][]*export.Record{rows(3, "1", export.StatusDelivered, ""), inboundRows(2, "2")}, true, 3, ""},
		{"same, without --per", [][]*export.Record{rows(60, "1", export.StatusDelivered, ""), rows(60, "2", export.StatusDelivered, "")}, false, 100, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := evaluateOn(aggregate(t, tt.recs...), tt.per, tt.minOutbound, ths)
			if r.NothingToCheck != tt.want {
				t.Errorf("NothingToCheck = %q, want %q", r.NothingToCheck, tt.want)
			}
			// The whole input is evaluated either way: --allow-empty
			// must still fail on what was read.
			if len(r.Checks) == 0 || r.Checks[0].Scope != ScopeAll {
				t.Errorf("whole input not evaluated: %+v", r.Checks)
			}
		})
	}
}

// A small input that breaks a limit still fails: nothing to check never
// turns a failed check into a pass.
func TestNothingToCheckStillFails(t *testing.T) {
	a := aggregate(t, rows(3, "1", export.StatusError, "30007"), rows(2, "1", export.StatusDelivered, ""))
	r := evaluateOn(a, false, 100, thresholds(t, KeyMaxErrorRate, "5%"))
	if r.Passed || !strings.Contains(r.NothingToCheck, "5 outbound texts") {
		t.Errorf("passed %v, nothing to check %q", r.Passed, r.NothingToCheck)
	}
}

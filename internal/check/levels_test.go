package check

import (
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/export"
)

// TestConfidenceGating: a ceiling fails only when the interval's lower
// bound is above it, a floor only when the upper bound is below it; an
// empty scope ([0, 1]) never fails on a rate.
func TestConfidenceGating(t *testing.T) {
	tests := []struct {
		name              string
		errored, outbound int
		key, limit        string
		pointPass, pass   bool
	}{
		// 3 of 20: 15%, 95% interval 5.24%-36.04%.
		{"ceiling crossed, interval straddles", 3, 20, KeyMaxErrorRate, "10%", false, true},
		{"ceiling below the interval", 3, 20, KeyMaxErrorRate, "5%", false, false},
		{"ceiling met", 3, 20, KeyMaxErrorRate, "20%", true, true},
		// delivered 17 of 20: 85%, interval 63.96%-94.76%.
		{"floor crossed, interval straddles", 3, 20, KeyMinDeliveryRate, "90%", false, true},
		{"floor above the interval", 3, 20, KeyMinDeliveryRate, "95%", false, false},
		// 0 of n and n of n.
		{"0 of 50 against 0%", 0, 50, KeyMaxErrorRate, "0%", true, true},
		{"50 of 50 against 90%", 50, 50, KeyMaxErrorRate, "90%", false, false},
		{"1 of 1 against 10%: interval 20.65%-100%", 1, 1, KeyMaxErrorRate, "10%", false, false},
		{"1 of 1 against 25%", 1, 1, KeyMaxErrorRate, "25%", false, true},
	}
	for _, tt := range tests {
		recs := [][]*export.Record{rows(tt.errored, "1", export.StatusError, "30007"), rows(tt.outbound-tt.errored, "1", export.StatusDelivered, "")}
		a := aggregate(t, recs...)
		r := Evaluate(Input{Total: a.Total(), Classifier: a.Classifier(), Thresholds: thresholds(t, tt.key, tt.limit), Confidence: 0.95})
		c := r.Checks[0]
		if c.CI == nil || c.PointPassed == nil || *c.PointPassed != tt.pointPass || c.Passed != tt.pass || r.Passed != tt.pass {
			t.Errorf("%s: ci %v point %v passed %v; want point %v passed %v", tt.name, c.CI, c.PointPassed, c.Passed, tt.pointPass, tt.pass)
		}
	}
	// Counts are judged as without --confidence, and carry no interval.
	a := aggregate(t, rows(3, "1", export.StatusSent, ""))
	r := Evaluate(Input{Total: a.Total(), Classifier: a.Classifier(), Thresholds: thresholds(t, KeyMaxStuckSent, "0"), Confidence: 0.95})
	if c := r.Checks[0]; c.CI != nil || c.Passed {
		t.Errorf("stuck_sent: ci %v passed %v", c.CI, c.Passed)
	}
}

// TestWarnLevels: a crossed warn level is a warning, not a failure.
func TestWarnLevels(t *testing.T) {
	a := aggregate(t, campaignOne()...) // 20 of 200 errored: 10%
	r := Evaluate(Input{Total: a.Total(), Classifier: a.Classifier(), Thresholds: thresholds(t, KeyMaxErrorRate, "15%", "warn-error-rate", "8%", "warn-stuck-sent", "30")})
	if !r.Passed || r.Warnings != 1 || r.Warned() != 1 || r.Failed() != 0 {
		t.Fatalf("passed %v warnings %d", r.Passed, r.Warnings)
	}
	var got []string
	for _, c := range r.FailuresFirst() {
		got = append(got, c.Name+"/"+c.Level+"/"+c.Status)
	}
	if s := strings.Join(got, " "); s != "error_rate/warn/warn error_rate/fail/pass stuck_sent/warn/pass" {
		t.Errorf("order: %s", s)
	}
}

// TestDecodeBaseline reads both documents a baseline may be.
func TestDecodeBaseline(t *testing.T) {
	summaryDoc := `{"schema_version": 1, "generated_by": "spoke-status dev", "totals": {"outbound": 100},
		"outbound": {"delivered": 80, "errored": 10, "sent_stuck": 5},
		"groups": {"campaign": [{"key": "1", "outbound": 60, "delivered": 50, "errored": 5, "sent_stuck": 1},
		                        {"key": "other", "outbound": 40, "folded_groups": 3}],
		           "campaign,step": [{"key": ["1", "initial"], "outbound": 30}]}}`
	b, err := DecodeBaseline(strings.NewReader(summaryDoc), "b.json")
	if err != nil {
		t.Fatal(err)
	}
	if *b.Total != (BaselineFigures{Outbound: 100, Delivered: 80, Errored: 10, SentStuck: 5}) || b.Step != "" {
		t.Errorf("total %+v", b.Total)
	}
	if g := b.group("campaign", []string{"1"}); g == nil || g.Errored != 5 || b.group("campaign", []string{"other"}) != nil || b.Folded("campaign") != 3 {
		t.Errorf("campaign groups: %+v, folded %d", g, b.Folded("campaign"))
	}
	if !b.HasGroups("campaign,step") || b.group("campaign,step", []string{"1", "initial"}) == nil || b.HasGroups("day") {
		t.Error("nested groups")
	}
	checkDoc := `{"schema_version": 1, "passed": true, "checks": [], "step": "initial", "summary": ` + summaryDoc + `}`
	b, err = DecodeBaseline(strings.NewReader(checkDoc), "c.json")
	if err != nil || b.Step != "initial" || b.Total.Outbound != 100 {
		t.Errorf("check baseline: %+v, %v", b, err)
	}
}

package check

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/summary"
)

var base = time.Date(2024, 10, 1, 18, 0, 0, 0, time.UTC)

// rows makes n outbound rows of one campaign with a status and code.
func rows(n int, campaign, status, code string) []*export.Record {
	out := make([]*export.Record, n)
	for i := range out {
		out[i] = &export.Record{CampaignID: campaign, Status: status, Codes: code, PrimaryCode: export.PrimaryCodeOf(code), AttemptedAt: base, HasTime: true}
	}
	return out
}

// aggregate feeds records through a campaign-dimension aggregator with a
// fixed provider and as-of.
func aggregate(t *testing.T, recs ...[]*export.Record) *summary.Aggregator {
	t.Helper()
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	a := summary.New(summary.Options{Registry: reg, Provider: registry.Twilio, Stuck: classify.StuckClock{AsOf: base.Add(3 * time.Hour), HasAsOf: true},
		Dimensions: []summary.Dimension{summary.CampaignDimension()}})
	for _, part := range recs {
		for _, r := range part {
			a.Add(r)
		}
	}
	a.Finish()
	return a
}

func thresholds(t *testing.T, kv ...string) []Threshold {
	t.Helper()
	ts := NewThresholds()
	for i := 0; i < len(kv); i += 2 {
		var err error
		if kv[i] == KeyMaxCategoryRate || kv[i] == KeyMaxCodeRate {
			err = ts.SetPair(kv[i], kv[i+1])
		} else {
			err = ts.Set(kv[i], kv[i+1])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return ts.List()
}

func evaluateOn(a *summary.Aggregator, perCampaign bool, minOutbound int64, ths []Threshold) *Report {
	in := Input{Total: a.Total(), Classifier: a.Classifier(), MinOutbound: minOutbound, Thresholds: ths}
	if perCampaign {
		in.Groups = []GroupSet{GroupSetOf(a.Groups("campaign"), a.Classifier())}
	}
	return Evaluate(in)
}

// campaign 1: 200 outbound = 150 delivered, 10 errored 30007 (spam),
// 6 errored 21610 (opted out), 4 errored 30003, 20 stuck SENT, 10 queued.
func campaignOne() [][]*export.Record {
	return [][]*export.Record{
		rows(150, "1", export.StatusDelivered, ""),
		rows(10, "1", export.StatusError, "30007"),
		rows(6, "1", export.StatusError, "21610"),
		rows(4, "1", export.StatusError, "30003"),
		rows(20, "1", export.StatusSent, ""),
		rows(10, "1", "QUEUED", ""),
	}
}

// The limits on either side of each exact figure of campaign 1, counted by
// hand above: a ceiling passes at or above the figure, a floor at or below.
func TestEvaluateBoundaries(t *testing.T) {
	a := aggregate(t, campaignOne()...)
	tests := []struct {
		key, at, below, above string
	}{
		{KeyMaxErrorRate, "10%", "9.99%", "10.01%"},                                         // 20/200
		{KeyMinDeliveryRate, "75%", "0.7499", "0.7501"},                                     // 150/200
		{KeyMaxStuckSentRate, "0.1", "9.9999%", "10.0001%"},                                 // 20/200
		{KeyMaxStuckSent, "20", "19", "21"},                                                 // 20
		{KeyMaxOptOutRejectionRate, "3%", "2.99%", "3.01%"},                                 // 6/200
		{KeyMaxCategoryRate, "spam_blocked=5%", "spam_blocked=4.99%", "spam_blocked=5.01%"}, // 10/200
		{KeyMaxCodeRate, "30003=2%", "30003=1.99%", "30003=2.01%"},                          // 4/200
	}
	for _, tt := range tests {
		min := tt.key == KeyMinDeliveryRate
		for _, c := range []struct {
			limit string
			pass  bool
		}{{tt.at, true}, {tt.below, min}, {tt.above, !min}} {
			r := evaluateOn(a, false, 0, thresholds(t, tt.key, c.limit))
			if len(r.Checks) != 1 || r.Checks[0].Passed != c.pass || r.Passed != c.pass {
				t.Errorf("%s %s: checks %+v passed %v; want passed %v", tt.key, c.limit, r.Checks, r.Passed, c.pass)
			}
		}
	}
}

// 232 errors in 2,154 texts is 10.7706%: shown 0.1077 in JSON, yet above a
// 0.1077 ceiling, because comparisons are exact.
func TestEvaluateComparesExactly(t *testing.T) {
	a := aggregate(t, rows(232, "1", export.StatusError, "30007"), rows(2154-232, "1", export.StatusDelivered, ""))
	for _, c := range []struct {
		limit string
		pass  bool
	}{{"0.1077", false}, {"10.77%", false}, {"10.7707%", true}, {"0.10770659238625812", false}, {"0.1077065923862582", true}} {
		r := evaluateOn(a, false, 0, thresholds(t, KeyMaxErrorRate, c.limit))
		got := r.Checks[0]
		if got.Passed != c.pass || got.Actual != 0.1077 || got.Count != 232 || got.Outbound != 2154 {
			t.Errorf("limit %s: %+v; want passed %v, actual 0.1077, 232 of 2154", c.limit, got, c.pass)
		}
	}
}

func TestEvaluateNoOutbound(t *testing.T) {
	a := aggregate(t)
	r := evaluateOn(a, false, 0, thresholds(t, KeyMaxErrorRate, "0%", KeyMinDeliveryRate, "50%"))
	if r.Checks[0].Passed != true || r.Checks[1].Passed != false || r.Passed {
		t.Errorf("empty input: %+v", r.Checks)
	}
}

func TestEvaluatePerCampaign(t *testing.T) {
	recs := campaignOne()
	recs = append(recs,
		rows(95, "2", export.StatusDelivered, ""), rows(5, "2", export.StatusError, "30007"), // 5% errors
		rows(9, "10", export.StatusError, "30007"), rows(1, "10", export.StatusDelivered, ""), // 90%, but only 10 texts
		rows(3, "", export.StatusDelivered, ""), // no campaign id
	)
	a := aggregate(t, recs...)
	r := evaluateOn(a, true, 100, thresholds(t, KeyMaxErrorRate, "6%", KeyMaxStuckSent, "10"))
	var got []string
	for _, c := range r.Checks {
		got = append(got, fmt.Sprintf("%s/%s/%v", c.Scope, c.Name, c.Passed))
	}
	want := "all/error_rate/false all/stuck_sent/false campaign 1/error_rate/false campaign 1/stuck_sent/false campaign 2/error_rate/true campaign 2/stuck_sent/true"
	if strings.Join(got, " ") != want {
		t.Errorf("checks = %s\nwant     %s", strings.Join(got, " "), want)
	}
	// all: (20+5+9)/(200+100+10+3) errors
	if c := r.Checks[0]; c.Count != 34 || c.Outbound != 313 {
		t.Errorf("all error_rate = %d/%d, want 34/313", c.Count, c.Outbound)
	}
	skipped := fmt.Sprintf("%+v", r.SkippedGroups)
	if len(r.SkippedGroups) != 2 || r.SkippedGroups[0].Campaign != "10" || r.SkippedGroups[0].Outbound != 10 ||
		r.SkippedGroups[1].Campaign != summary.NoneKey || r.SkippedGroups[1].MinOutbound != 100 {
		t.Errorf("skipped = %s", skipped)
	}
	var order []string
	for _, c := range r.FailuresFirst() {
		order = append(order, c.Scope+"/"+c.Name)
	}
	if got := strings.Join(order, ","); got != "all/error_rate,all/stuck_sent,campaign 1/error_rate,campaign 1/stuck_sent,campaign 2/error_rate,campaign 2/stuck_sent" {
		t.Errorf("failures first = %s", got)
	}
	if r.Failed() != 4 {
		t.Errorf("failed = %d, want 4", r.Failed())
	}
}

func TestCampaignOrder(t *testing.T) {
	ids := []string{"10", "9", "abc", summary.NoneKey, "100", "Abc"}
	sort.Slice(ids, func(i, j int) bool { return campaignLess(ids[i], ids[j]) })
	if got := strings.Join(ids, " "); got != "9 10 100 Abc abc (none)" {
		t.Errorf("order = %s", got)
	}
}

package rowfilter

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

var t0 = time.Date(2024, 10, 1, 12, 0, 0, 0, time.UTC)

func classifier(t *testing.T, asOf *time.Time) *Classifier {
	t.Helper()
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Classifier: classify.New(reg, "")}
	if asOf != nil {
		opts.Stuck.AsOf, opts.Stuck.HasAsOf = *asOf, true
	}
	return New(opts)
}

func record(id, campaign string, inbound bool, status, codes string, minute int) *export.Record {
	rec := &export.Record{CampaignID: campaign, CampaignContactID: id, Inbound: inbound, Status: status,
		Codes: codes, PrimaryCode: export.PrimaryCodeOf(codes), NumSegments: -1, NumMedia: -1}
	if minute >= 0 {
		rec.AttemptedAt, rec.HasTime = t0.Add(time.Duration(minute)*time.Minute), true
	}
	return rec
}

// fixture has one row of each kind; ids say what each is.
func fixture() []*export.Record {
	return []*export.Record{
		record("delivered-1", "1", false, "DELIVERED", "", 0),
		record("spam-1", "1", false, "ERROR", "30007", 0),
		record("spam-2", "2", false, "ERROR", "40002|30007", 0),
		record("unreachable-2", "2", false, "ERROR", "30003", 0),
		record("nocode-1", "1", false, "ERROR", "", 0),
		record("stuck-1", "1", false, "SENT", "", 0),
		record("pending-2", "2", false, "SENT", "", 200),
		record("ageless-2", "2", false, "SENT", "", -1),
		record("reply-1", "1", true, "DELIVERED", "-133", 10),
		record("queued-2", "2", false, "QUEUED", "", 5),
	}
}

// TestFilter runs each filter alone and combined over the fixture; the
// wanted ids were picked by hand.
func TestFilter(t *testing.T) {
	asOf := t0.Add(4 * time.Hour)
	cases := []struct {
		name                               string
		statuses, categories, codes, camps []string
		direction                          string
		stuck                              bool
		want                               []string
	}{
		{name: "no filter", want: []string{"delivered-1", "spam-1", "spam-2", "unreachable-2", "nocode-1", "stuck-1", "pending-2", "ageless-2", "reply-1", "queued-2"}},
		{name: "status", statuses: []string{"error"}, want: []string{"spam-1", "spam-2", "unreachable-2", "nocode-1"}},
		{name: "two statuses", statuses: []string{"SENT", "queued"}, want: []string{"stuck-1", "pending-2", "ageless-2", "queued-2"}},
		{name: "category", categories: []string{"spam_blocked"}, want: []string{"spam-1", "spam-2"}},
		{name: "category no_code", categories: []string{"no_code"}, want: []string{"nocode-1"}},
		{name: "code is the primary code", codes: []string{"30007"}, want: []string{"spam-1"}},
		{name: "code on an inbound row", codes: []string{"-133"}, want: []string{"reply-1"}},
		{name: "direction inbound", direction: "inbound", want: []string{"reply-1"}},
		{name: "campaign", camps: []string{"2"}, want: []string{"spam-2", "unreachable-2", "pending-2", "ageless-2", "queued-2"}},
		{name: "stuck", stuck: true, want: []string{"stuck-1"}},
		{name: "category and campaign", categories: []string{"spam_blocked"}, camps: []string{"2"}, want: []string{"spam-2"}},
		{name: "status and direction", statuses: []string{"DELIVERED"}, direction: "outbound", want: []string{"delivered-1"}},
		{name: "two categories and a code", categories: []string{"spam_blocked", "unreachable"}, codes: []string{"30003", "40002"}, want: []string{"spam-2", "unreachable-2"}},
		{name: "stuck and campaign", stuck: true, camps: []string{"2"}, want: nil},
		{name: "contradiction", statuses: []string{"DELIVERED"}, categories: []string{"spam_blocked"}, want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFilter(FilterFlags{Statuses: tc.statuses, Categories: tc.categories, Codes: tc.codes, Direction: tc.direction, Campaigns: tc.camps, Stuck: tc.stuck})
			if err != nil {
				t.Fatal(err)
			}
			c := classifier(t, &asOf)
			var got []string
			for _, rec := range fixture() {
				if f.Match(rec, c) {
					got = append(got, rec.CampaignContactID)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("matched %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNewFilterRejects(t *testing.T) {
	cases := []struct {
		name                               string
		statuses, categories, codes, camps []string
		direction                          string
	}{
		{name: "status", statuses: []string{"DELIVERD"}},
		{name: "category", categories: []string{"spam"}},
		{name: "code", codes: []string{"abc"}},
		{name: "direction", direction: "both"},
	}
	for _, tc := range cases {
		if _, err := NewFilter(FilterFlags{Statuses: tc.statuses, Categories: tc.categories, Codes: tc.codes, Direction: tc.direction, Campaigns: tc.camps}); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	f, err := NewFilter(FilterFlags{Codes: []string{" 030007 ", "+21610"}})
	if err != nil || !slices.Equal(f.Codes, []string{"30007", "21610"}) {
		t.Errorf("codes = %v, %v; want normalized", f, err)
	}
}

// TestFill checks the classification columns and the stuck tri-state.
func TestFill(t *testing.T) {
	asOf := t0.Add(4 * time.Hour)
	byID := map[string]*export.Record{}
	for _, rec := range fixture() {
		byID[rec.CampaignContactID] = rec
	}
	var r Row
	c := classifier(t, &asOf)

	c.Fill(byID["spam-2"], &r)
	if r.PrimaryCode != "40002" || r.Category != "spam_blocked" || r.Provider != "telnyx" || r.Retry != "transient" ||
		r.ErrorCodes != "40002|30007" || r.Direction != Outbound || r.Stuck == nil || *r.Stuck {
		t.Errorf("spam-2 = %+v", r)
	}
	c.Fill(byID["nocode-1"], &r)
	if r.Category != "no_code" || r.PrimaryCode != "" {
		t.Errorf("nocode-1 category = %q", r.Category)
	}
	c.Fill(byID["reply-1"], &r)
	if r.Direction != Inbound || r.PrimaryCode != "-133" || r.Category != "" || r.Title != "" {
		t.Errorf("an inbound row is not classified: %+v", r)
	}
	if want := time.Date(2024, 10, 1, 12, 10, 0, 0, time.UTC); !r.HasAttemptedAt || !r.AttemptedAt.Equal(want) {
		t.Errorf("attempted_at = %v (%v), want %v", r.AttemptedAt, r.HasAttemptedAt, want)
	}
	stuckCases := []struct {
		id   string
		asOf *time.Time
		want string
	}{
		{"stuck-1", &asOf, "true"},
		{"pending-2", &asOf, "false"},
		{"ageless-2", &asOf, "unknown"},
		{"stuck-1", nil, "unknown"},
		{"delivered-1", nil, "false"},
	}
	for _, sc := range stuckCases {
		classifier(t, sc.asOf).Fill(byID[sc.id], &r)
		got := "unknown"
		if r.Stuck != nil {
			got = map[bool]string{true: "true", false: "false"}[*r.Stuck]
		}
		if got != sc.want {
			t.Errorf("%s (as-of %v): stuck %s, want %s", sc.id, sc.asOf != nil, got, sc.want)
		}
	}
}

// TestStuckBySendTime: a row read with send times is judged by sent_at,
// falling back to attempted-at when it has none; a file row by
// attempted-at.
func TestStuckBySendTime(t *testing.T) {
	asOf := time.Date(2024, 10, 2, 12, 0, 0, 0, time.UTC)
	c := New(Options{Stuck: classify.StuckClock{AsOf: asOf, HasAsOf: true}})
	db, file := &export.Source{SendTimes: true}, &export.Source{}
	old := asOf.Add(-10 * time.Hour)
	for _, tc := range []struct {
		name  string
		src   *export.Source
		sent  time.Time
		stuck bool
	}{
		{"db, sent a minute ago", db, asOf.Add(-time.Minute), false},
		{"db, sent long ago", db, old.Add(time.Minute), true},
		{"db, no sent_at", db, time.Time{}, true},
		{"file ignores SentAt", file, asOf.Add(-time.Minute), true},
	} {
		rec := &export.Record{Source: tc.src, Status: export.StatusSent, AttemptedAt: old, HasTime: true, SentAt: tc.sent}
		if stuck, ok := c.Stuck(rec); !ok || stuck != tc.stuck {
			t.Errorf("%s: stuck %v (ok %v), want %v", tc.name, stuck, ok, tc.stuck)
		}
	}
}

// A fork classifies as its parent does, with a cache of its own.
func TestFork(t *testing.T) {
	asOf := t0.Add(4 * time.Hour)
	c := classifier(t, &asOf)
	f := c.Fork()
	for _, rec := range fixture() {
		var want, got Row
		c.Fill(rec, &want)
		f.Fill(rec, &got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fork %+v, want %+v", rec.CampaignContactID, got, want)
		}
	}
	fresh := classifier(t, &asOf)
	fork := fresh.Fork()
	var r Row
	for _, rec := range fixture() {
		fork.Fill(rec, &r)
	}
	if len(fork.entries) == 0 || len(fresh.entries) != 0 {
		t.Errorf("the fork has no cache of its own: %d codes cached, %d in the parent", len(fork.entries), len(fresh.entries))
	}
}

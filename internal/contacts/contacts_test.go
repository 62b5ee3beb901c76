package contacts

import (
	"slices"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

var t0 = time.Date(2024, 10, 1, 12, 0, 0, 0, time.UTC)

// row is a test row: minutes after t0 (negative: no timestamp).
type row struct {
	campaign, cell string
	inbound        bool
	status, code   string
	minute         int
	text           string
}

func out(cell, status, code string, minute int) row {
	return row{campaign: "1", cell: cell, status: status, code: code, minute: minute}
}

func in(cell, text, code string, minute int) row {
	return row{campaign: "1", cell: cell, inbound: true, status: export.StatusDelivered, code: code, minute: minute, text: text}
}

func (r row) record() *export.Record {
	rec := &export.Record{
		CampaignID: r.campaign, ContactNumber: r.cell, Inbound: r.inbound,
		Status: r.status, Codes: r.code, PrimaryCode: export.PrimaryCodeOf(r.code), Text: r.text,
	}
	if r.minute >= 0 {
		rec.AttemptedAt, rec.HasTime = t0.Add(time.Duration(r.minute)*time.Minute), true
	}
	return rec
}

func newAggregator(t testing.TB, opts Options) *Aggregator {
	t.Helper()
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	opts.Classifier = classify.New(reg, "")
	return New(opts)
}

// outcomes reads rows and returns every contact's outcome by cell.
func outcomes(t *testing.T, opts Options, rows ...row) map[string]Contact {
	t.Helper()
	a := newAggregator(t, opts)
	for _, r := range rows {
		a.Add(r.record())
	}
	a.Finish()
	got := map[string]Contact{}
	if err := a.Each(All, func(c *Contact) error {
		got[c.Campaign+"/"+c.Cell] = *c
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

const cell = "+15555550123"

// TestReasons pins each list rule on hand-made contacts.
func TestReasons(t *testing.T) {
	cases := []struct {
		name     string
		rows     []row
		reason   Reason
		code     string
		category registry.Category
		lists    []List // besides All
	}{
		{"error then delivery is not retried",
			[]row{out(cell, "ERROR", "30003", 0), out(cell, "DELIVERED", "", 10)},
			Delivered, "", "", nil},
		{"transient error only is retried",
			[]row{out(cell, "ERROR", "30003", 0)},
			RetryableError, "30003", registry.Unreachable, []List{Retry}},
		{"delivered then transient error is not retried",
			[]row{out(cell, "DELIVERED", "", 0), out(cell, "ERROR", "30001", 10)},
			Delivered, "30001", registry.RateLimited, nil},
		{"opted out by reply is never retried",
			[]row{out(cell, "DELIVERED", "", 0), in(cell, " Stop! ", "", 5), out(cell, "ERROR", "30003", 10)},
			OptOutReply, "", registry.OptedOut, []List{Suppress, OptedOut}},
		{"opted out by -133 reply",
			[]row{out(cell, "ERROR", "30003", 0), in(cell, "please stop texting me", "-133", 5)},
			OptOutReply, "-133", registry.OptedOut, []List{Suppress, OptedOut}},
		{"opt-out rejection, stuck otherwise",
			[]row{out(cell, "SENT", "", 0), out(cell, "ERROR", "21610", 1)},
			OptOutRejection, "21610", registry.OptedOut, []List{Suppress, OptedOut}},
		{"permanent error is suppressed",
			[]row{out(cell, "ERROR", "30006", 0)},
			NumberError, "30006", registry.LandlineOrUnsupported, []List{Suppress}},
		{"delivered then permanent error is suppressed",
			[]row{out(cell, "DELIVERED", "", 0), out(cell, "ERROR", "21211", 10)},
			NumberError, "21211", registry.InvalidNumber, []List{Suppress}},
		{"permanent error then delivery is not suppressed",
			[]row{out(cell, "ERROR", "30005", 0), out(cell, "DELIVERED", "", 10)},
			Delivered, "", "", nil},
		{"stuck SENT is retried",
			[]row{out(cell, "SENT", "", 0), out("+15555550999", "DELIVERED", "", 300)},
			StuckSent, "", "", []List{Retry}},
		{"pending SENT is not retried",
			[]row{out(cell, "SENT", "", 0), out("+15555550999", "DELIVERED", "", 100)},
			Other, "", "", nil},
		{"SENT of unknown age is not retried",
			[]row{out(cell, "SENT", "", -1), out("+15555550999", "DELIVERED", "", 300)},
			Other, "", "", nil},
		{"spam block of the content: fix first",
			[]row{out(cell, "ERROR", "30007", 0)},
			FixContent, "30007", registry.SpamBlocked, []List{FixFirst}},
		{"content problem: fix first",
			[]row{out(cell, "ERROR", "21617", 0)},
			FixContent, "21617", registry.ContentProblem, []List{FixFirst}},
		{"Spoke's profanity block -166: fix the content first",
			[]row{out(cell, "ERROR", "-166", 0)},
			FixContent, "-166", registry.SpokeInternal, []List{FixFirst}},
		{"sender setup: fix the sender first",
			[]row{out(cell, "ERROR", "30034", 0)},
			FixSender, "30034", registry.SenderConfig, []List{FixFirst}},
		{"sending number blacklisted (spam, sender-fix): fix the sender first",
			[]row{out(cell, "ERROR", "4481", 0)},
			FixSender, "4481", registry.SpamBlocked, []List{FixFirst}},
		{"spam block after a delivery: delivered, no list",
			[]row{out(cell, "DELIVERED", "", 0), out(cell, "ERROR", "30007", 10)},
			Delivered, "30007", registry.SpamBlocked, nil},
		{"Spoke's -5 is retried, not suppressed",
			[]row{out(cell, "ERROR", "-5", 0)},
			RetryableError, "-5", registry.SpokeInternal, []List{Retry}},
		{"Spoke's final -6 is retried",
			[]row{out(cell, "ERROR", "-6", 0)},
			RetryableError, "-6", registry.SpokeInternal, []List{Retry}},
		{"Spoke's -1 is retried",
			[]row{out(cell, "ERROR", "-1", 0)},
			RetryableError, "-1", registry.SpokeInternal, []List{Retry}},
		{"recipient block 30004 (retry unknown) is suppressed",
			[]row{out(cell, "ERROR", "30004", 0)},
			NumberError, "30004", registry.RecipientBlocked, []List{Suppress}},
		{"recipient block 4772 is suppressed",
			[]row{out(cell, "ERROR", "4772", 0)},
			NumberError, "4772", registry.RecipientBlocked, []List{Suppress}},
		{"carrier failure with unknown retry (30008) is retried",
			[]row{out(cell, "ERROR", "30008", 0)},
			RetryableError, "30008", registry.CarrierFailure, []List{Retry}},
		{"rate limit is retried",
			[]row{out(cell, "ERROR", "30022", 0)},
			RetryableError, "30022", registry.RateLimited, []List{Retry}},
		{"unreachable 4701 (Bandwidth: permanent) is retried by category",
			[]row{out(cell, "ERROR", "4701", 0)},
			RetryableError, "4701", registry.Unreachable, []List{Retry}},
		{"a warning code is no failure: no list",
			[]row{out(cell, "ERROR", "30025", 0)},
			Other, "30025", registry.RateLimited, nil},
		{"Spoke's flag -167 on an errored row: no list",
			[]row{out(cell, "ERROR", "-167", 0)},
			Other, "-167", registry.SpokeInternal, nil},
		{"error without a code is in no list",
			[]row{out(cell, "ERROR", "", 0)},
			Other, "", registry.NoCode, nil},
		{"unknown code is in no list",
			[]row{out(cell, "ERROR", "99999", 0)},
			Other, "99999", registry.UnknownCategory, nil},
		{"inbound only",
			[]row{in(cell, "who is this?", "", 0)},
			Other, "", "", nil},
		{"rows out of order: the latest attempted-at is last",
			[]row{out(cell, "DELIVERED", "", 10), out(cell, "ERROR", "30003", 0)},
			Delivered, "", "", nil},
		{"rows out of order: a late transient error after a stuck SENT",
			[]row{out(cell, "ERROR", "30003", 10), out(cell, "SENT", "", 0), out("+15555550999", "DELIVERED", "", 300)},
			RetryableError, "30003", registry.Unreachable, []List{Retry}},
		{"rows without time: input order",
			[]row{out(cell, "DELIVERED", "", -1), out(cell, "ERROR", "30006", -1)},
			NumberError, "30006", registry.LandlineOrUnsupported, []List{Suppress}},
		{"queued after a transient error is not retried",
			[]row{out(cell, "ERROR", "30003", 0), out(cell, "QUEUED", "", 5)},
			Other, "", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := outcomes(t, Options{}, tc.rows...)
			c, ok := got["1/"+cell]
			if !ok {
				t.Fatalf("contact missing; got %v", got)
			}
			if c.Reason != tc.reason || c.Code() != tc.code || c.Category() != tc.category {
				t.Errorf("reason, code, category = %s, %q, %q; want %s, %q, %q", c.Reason, c.Code(), c.Category(), tc.reason, tc.code, tc.category)
			}
			for _, l := range []List{Suppress, Retry, FixFirst, OptedOut} {
				if want := slices.Contains(tc.lists, l); l.Has(&c) != want {
					t.Errorf("in %s = %v, want %v", l, !want, want)
				}
			}
			if !All.Has(&c) {
				t.Error("not in all")
			}
			if OptedOut.Has(&c) && Retry.Has(&c) {
				t.Error("an opted-out contact is in retry")
			}
		})
	}
}

// TestOutcomeFields checks the per-contact counts and times.
func TestOutcomeFields(t *testing.T) {
	got := outcomes(t, Options{},
		out(cell, "ERROR", "30003", 0),
		out(cell, "DELIVERED", "", 10),
		in(cell, "yes!", "", 20),
		// The rejection was read first but the STOP reply came earlier.
		out(cell, "ERROR", "21610", 90),
		in(cell, "STOP", "", 30),
		out(cell, "SENT", "", 60),
	)
	c := got["1/"+cell]
	checks := []struct {
		name      string
		got, want any
	}{
		{"outbound", c.Outbound, 4},
		{"delivered", c.Delivered, 1},
		{"replied", c.Replied, true},
		{"last status", c.LastStatus, "ERROR"},
		{"last code", c.LastCode, "21610"},
		{"last at", c.LastAt, t0.Add(90 * time.Minute)},
		{"opted out", c.OptedOut, true},
		{"by reply", c.OptOutByReply, true},
		{"opt-out text", c.OptOutText, "STOP"},
		{"opted out at", c.OptOutAt, t0.Add(30 * time.Minute)},
		{"reason", c.Reason, OptOutReply},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

// TestContactKey checks that a contact is its normalized number within a
// campaign.
func TestContactKey(t *testing.T) {
	a := newAggregator(t, Options{})
	for _, r := range []row{
		{campaign: "7", cell: "(555) 555-0123", status: "DELIVERED", minute: 0},
		{campaign: "7", cell: "+15555550123", status: "DELIVERED", minute: 1},
		{campaign: "7", cell: "555.555.0123", status: "DELIVERED", minute: 2},
		{campaign: "10", cell: "+15555550123", status: "DELIVERED", minute: 3},
		{campaign: "7", cell: "12345", status: "DELIVERED", minute: 4},
		{campaign: "7", cell: "", status: "DELIVERED", minute: 5},
	} {
		a.Add(r.record())
	}
	a.Finish()
	if a.Len() != 3 || a.WithoutNumber() != 1 {
		t.Fatalf("Len, WithoutNumber = %d, %d; want 3, 1", a.Len(), a.WithoutNumber())
	}
	var got []string
	var outbound []int
	a.Each(All, func(c *Contact) error {
		got = append(got, c.Campaign+"/"+c.Cell)
		outbound = append(outbound, c.Outbound)
		return nil
	})
	// Campaign 7 sorts before 10 (numerically); "12345" is kept as written.
	want := []string{"7/+15555550123", "7/12345", "10/+15555550123"}
	if !slices.Equal(got, want) || !slices.Equal(outbound, []int{3, 1, 1}) {
		t.Errorf("contacts = %v %v, want %v [3 1 1]", got, outbound, want)
	}
}

// TestAsOf checks the stuck threshold against --as-of and the newest row.
func TestAsOf(t *testing.T) {
	rows := []row{out(cell, "SENT", "", 0), out("+15555550999", "DELIVERED", "", 60)}
	cases := []struct {
		name  string
		opts  Options
		stuck bool
		asOf  time.Time
	}{
		{"newest row, within 2h", Options{}, false, t0.Add(time.Hour)},
		{"given as-of", Options{Stuck: classify.StuckClock{AsOf: t0.Add(3 * time.Hour), HasAsOf: true}}, true, t0.Add(3 * time.Hour)},
		{"shorter threshold", Options{Stuck: classify.StuckClock{After: 30 * time.Minute}}, true, t0.Add(time.Hour)},
		{"exactly the threshold is not stuck", Options{Stuck: classify.StuckClock{After: time.Hour}}, false, t0.Add(time.Hour)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAggregator(t, tc.opts)
			for _, r := range rows {
				a.Add(r.record())
			}
			a.Finish()
			asOf, ok := a.AsOf()
			if !ok || !asOf.Equal(tc.asOf) {
				t.Errorf("as-of = %v %v, want %v", asOf, ok, tc.asOf)
			}
			a.Each(All, func(c *Contact) error {
				if c.Cell == cell && c.Stuck != tc.stuck {
					t.Errorf("stuck = %v, want %v", c.Stuck, tc.stuck)
				}
				return nil
			})
		})
	}
}

func TestParseList(t *testing.T) {
	for _, s := range []string{"suppress", "Retry", " opted-out ", "all"} {
		if _, err := ParseList(s); err != nil {
			t.Errorf("ParseList(%q): %v", s, err)
		}
	}
	if _, err := ParseList("optedout"); err == nil {
		t.Error("ParseList(optedout) succeeded")
	}
}

// TestStuckBySendTime: read from the database, a SENT text's age runs
// from its sent_at, as summarize --db and rows --stuck judge it; a file's
// row from its attempted-at.
func TestStuckBySendTime(t *testing.T) {
	db := &export.Source{SendTimes: true}
	newest := out("+15555550199", export.StatusDelivered, "", 600).record() // sets the as-of: t0+10h
	for _, tc := range []struct {
		name  string
		src   *export.Source
		sent  time.Time // zero: none
		stuck bool
	}{
		{"db, created at t0, sent a minute before the as-of", db, t0.Add(599 * time.Minute), false},
		{"db, sent at t0", db, t0, true},
		{"db, no sent_at: attempted-at decides", db, time.Time{}, true},
		{"file: attempted-at decides", &export.Source{}, t0.Add(599 * time.Minute), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAggregator(t, Options{})
			rec := out(cell, export.StatusSent, "", 0).record()
			rec.Source, rec.SentAt = tc.src, tc.sent
			newest.Source = tc.src
			a.Add(rec)
			a.Add(newest)
			a.Finish()
			var got *Contact
			if err := a.Each(All, func(c *Contact) error {
				if c.Cell == cell {
					cc := *c
					got = &cc
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if got == nil || got.Stuck != tc.stuck {
				t.Fatalf("stuck = %v, want %v", got != nil && got.Stuck, tc.stuck)
			}
		})
	}
}

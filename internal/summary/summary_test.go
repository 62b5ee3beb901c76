package summary

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

func mustRegistry(t *testing.T) *registry.Registry {
	t.Helper()
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

var base = time.Date(2024, 10, 1, 18, 0, 0, 0, time.UTC)

func outbound(status, code string, at time.Time) *export.Record {
	return &export.Record{Status: status, Codes: code, PrimaryCode: export.PrimaryCodeOf(code), AttemptedAt: at, HasTime: !at.IsZero()}
}

func inbound(text, code string, at time.Time) *export.Record {
	r := outbound(export.StatusDelivered, code, at)
	r.Inbound, r.Text = true, text
	return r
}

func summarize(t *testing.T, opts Options, recs ...*export.Record) *Summary {
	t.Helper()
	opts.Registry = mustRegistry(t)
	a := New(opts)
	for _, r := range recs {
		a.Add(r)
	}
	a.Finish()
	return a.Result(nil, "test")
}

// TestStuckBoundary pins "more than --stuck-after before as_of": exactly 2h
// is pending, 2h and a millisecond is stuck, in both the streaming path
// (as-of = newest row, seen last or first) and with a fixed --as-of.
func TestStuckBoundary(t *testing.T) {
	asOf := base.Add(4 * time.Hour)
	exactly := asOf.Add(-2 * time.Hour)
	older := exactly.Add(-time.Millisecond)
	newer := exactly.Add(time.Millisecond)
	latest := outbound(export.StatusDelivered, "", asOf)
	tests := []struct {
		name         string
		opts         Options
		recs         []*export.Record
		stuck, pend  int64
		unknown      int64
		wantAsOfNull bool
	}{
		{"newest last", Options{}, []*export.Record{outbound("SENT", "", older), outbound("SENT", "", exactly), outbound("SENT", "", newer), latest}, 1, 2, 0, false},
		{"newest first", Options{}, []*export.Record{latest, outbound("SENT", "", older), outbound("SENT", "", exactly), outbound("SENT", "", newer)}, 1, 2, 0, false},
		{"fixed as-of", Options{Stuck: classify.StuckClock{AsOf: asOf, HasAsOf: true}}, []*export.Record{outbound("SENT", "", older), outbound("SENT", "", exactly), outbound("SENT", "", newer)}, 1, 2, 0, false},
		{"fixed as-of before rows", Options{Stuck: classify.StuckClock{AsOf: base, HasAsOf: true}}, []*export.Record{outbound("SENT", "", older)}, 0, 1, 0, false},
		{"no timestamps", Options{}, []*export.Record{outbound("SENT", "", time.Time{})}, 0, 0, 1, true},
		{"custom stuck-after", Options{Stuck: classify.StuckClock{After: 30 * time.Minute}}, []*export.Record{outbound("SENT", "", asOf.Add(-31*time.Minute)), outbound("SENT", "", asOf.Add(-30*time.Minute)), latest}, 1, 1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := summarize(t, tt.opts, tt.recs...)
			if s.Outbound.SentStuck != tt.stuck || s.Outbound.SentPending != tt.pend || s.Outbound.SentAgeUnknown != tt.unknown {
				t.Errorf("stuck/pending/unknown = %d/%d/%d, want %d/%d/%d", s.Outbound.SentStuck, s.Outbound.SentPending, s.Outbound.SentAgeUnknown, tt.stuck, tt.pend, tt.unknown)
			}
			if (s.AsOf == nil) != tt.wantAsOfNull {
				t.Errorf("as_of = %v, want null: %v", s.AsOf, tt.wantAsOfNull)
			}
		})
	}
}

// TestStuckManyPending drives the tracker past its compaction threshold with
// rows in time order, the case where rows wait longest.
func TestStuckManyPending(t *testing.T) {
	var recs []*export.Record
	const n = 5000
	for i := range n {
		recs = append(recs, outbound("SENT", "", base.Add(time.Duration(i)*time.Second)))
	}
	s := summarize(t, Options{}, recs...)
	// as_of = base+4999s; stuck = rows more than 7200s older: none (span 4999s).
	if s.Outbound.SentStuck != 0 || s.Outbound.SentPending != n {
		t.Fatalf("stuck/pending = %d/%d, want 0/%d", s.Outbound.SentStuck, s.Outbound.SentPending, n)
	}
	recs = append(recs, outbound("DELIVERED", "", base.Add(3*time.Hour)))
	s = summarize(t, Options{}, recs...)
	// as_of = base+3h: rows before base+1h (3600 of them, seconds 0..3599) are stuck.
	if s.Outbound.SentStuck != 3600 || s.Outbound.SentPending != n-3600 {
		t.Fatalf("stuck/pending = %d/%d, want 3600/%d", s.Outbound.SentStuck, s.Outbound.SentPending, n-3600)
	}
}

func TestDefinitions(t *testing.T) {
	s := summarize(t, Options{},
		outbound("DELIVERED", "", base),
		outbound("ERROR", "21610", base),            // Twilio opt-out rejection
		outbound("ERROR", "40300", base),            // Telnyx opt-out rejection
		outbound("ERROR", "4775", base),             // Bandwidth opt-out rejection
		outbound("ERROR", "30003|30005", base),      // primary code is the first
		outbound("ERROR", "", base),                 // no_code
		outbound("ERROR", "77777", base),            // unknown, still counted
		outbound("SENDING", "-1", base),             // not an error
		outbound("Bogus", "", base),                 // unknown status counted under its name
		inbound(" Stop! ", "", base),                // opt-out keyword
		inbound("stop all", "", base),               // opt-out keyword
		inbound("please stop texting me", "", base), // not a keyword reply
		inbound("ok", "-133", base),                 // Spoke's auto-optout code
	)
	if got := s.Outbound.OptOutRejections; got != 3 {
		t.Errorf("opt_out_rejections = %d, want 3", got)
	}
	if got := s.Inbound.OptOutReplies; got != 3 {
		t.Errorf("opt_out_replies = %d, want 3", got)
	}
	if got := s.Outbound.Errored; got != 6 {
		t.Errorf("errored = %d, want 6", got)
	}
	if got := s.Outbound.ByStatus["Bogus"]; got != 1 {
		t.Errorf("by_status[Bogus] = %d, want 1", got)
	}
	want := map[string]registry.Category{"21610": registry.OptedOut, "30003": registry.Unreachable, "": registry.NoCode, "77777": registry.UnknownCategory}
	for _, c := range s.ErrorCodes {
		if cat, ok := want[c.Code]; ok && c.Category != cat {
			t.Errorf("code %q category = %s, want %s", c.Code, c.Category, cat)
		}
		if c.Code == "30005" {
			t.Errorf("30005 is not a primary code but was listed")
		}
	}
	var catSum int64
	for _, c := range s.Categories {
		catSum += c.Count
	}
	if catSum != s.Outbound.Errored {
		t.Errorf("categories sum to %d, want %d", catSum, s.Outbound.Errored)
	}
	if s.Outbound.ErrorRate != Round4(6.0/9) {
		t.Errorf("error_rate = %v, want %v", s.Outbound.ErrorRate, Round4(6.0/9))
	}
}

func TestRateOfNothingIsZero(t *testing.T) {
	s := summarize(t, Options{})
	if s.Outbound.ErrorRate != 0 || s.Outbound.DeliveryRate != 0 || s.AsOf != nil {
		t.Errorf("empty input: rates %v/%v as_of %v", s.Outbound.ErrorRate, s.Outbound.DeliveryRate, s.AsOf)
	}
	if s.ErrorCodes == nil || s.Categories == nil || s.Inputs == nil {
		t.Errorf("empty lists must be [] in JSON, not null")
	}
}

func TestGroupsAgeSentRows(t *testing.T) {
	byCode := Dimension{Name: "code", Keys: func(dst []string, r *export.Record) []string { return append(dst, r.PrimaryCode) }}
	reg := mustRegistry(t)
	a := New(Options{Registry: reg, Dimensions: []Dimension{byCode}})
	a.Add(outbound("SENT", "-167", base))
	a.Add(outbound("SENT", "", base.Add(time.Hour)))
	a.Add(outbound("DELIVERED", "", base.Add(3*time.Hour)))
	a.Finish()
	g := a.Groups("code")
	if g == nil || g.Tallies["-167"].SentStuck != 1 || g.Tallies[""].SentPending != 1 || a.Total().SentStuck != 1 {
		t.Fatalf("group ages wrong: %+v total %+v", g.Tallies, a.Total())
	}
}

func TestSplitTop(t *testing.T) {
	items := []int{5, 4, 3}
	tests := []struct {
		n                int
		shown, restCount int
	}{{0, 3, 0}, {-1, 3, 0}, {2, 2, 1}, {3, 3, 0}, {5, 3, 0}}
	for _, tt := range tests {
		shown, rest := SplitTop(items, tt.n)
		if len(shown) != tt.shown || len(rest) != tt.restCount {
			t.Errorf("SplitTop(%v, %d) = %v, %v", items, tt.n, shown, rest)
		}
	}
}

// TestCodeCountsOrder checks the order of CodeCounts, sorted from compact
// keys, against sorting the classified counts themselves: by count, then
// by normalized code, on codes sharing heads, running past 16 bytes and
// not normalized.
func TestCodeCountsOrder(t *testing.T) {
	cls := classifier(t, registry.Twilio)
	r := rand.New(rand.NewPCG(7, 8))
	pool := []string{"", "30007", "21610", "0", "+12", "-12", "7", "30007.0", "(other)", "abcdefghijklmnopq", "abcdefghijklmnopr",
		"abcdefghijklmnop", "abcdefghijklmno", "1234567890123456789", "1234567890123456788", "x", "7\x00", "7\x00\x00"}
	for range 200 {
		tl := NewTally()
		seen := map[string]bool{}
		for range r.IntN(len(pool)) {
			code := pool[r.IntN(len(pool))]
			norm := registry.NormalizeCode(code)
			if seen[norm] {
				continue // two codes of one normalized form tie in both orders
			}
			seen[norm] = true
			tl.countCode(code, int64(1+r.IntN(3)))
		}
		want := make([]CodeCount, 0, tl.NumCodes())
		for code, n := range tl.Codes() {
			want = append(want, CodeCount{Entry: cls.Entry(code), Count: n, ShareOfErrors: Rate(n, tl.Errored())})
		}
		sort.Slice(want, func(i, j int) bool {
			if want[i].Count != want[j].Count {
				return want[i].Count > want[j].Count
			}
			return want[i].Code < want[j].Code
		})
		if got := CodeCounts(tl, cls); !reflect.DeepEqual(got, want) {
			t.Fatalf("CodeCounts:\n%v\nwant\n%v", got, want)
		}
	}
}

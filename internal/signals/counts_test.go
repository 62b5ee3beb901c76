package signals

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
)

// TestFeedCountsMatchesObservations: the counts summed by group give the
// detector what one observation per contact gives, in every location
// (days across DST changes, far from the epoch), with untimed rows, the
// reply window, several domains per text and rows ordered by message id.
func TestFeedCountsMatchesObservations(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	texts := []string{"", "no link", "a.org", "https://b.org/x and a.org", "a.org a.org", "c.net/x, b.org"}
	starts := []time.Time{t0, time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC), time.Date(1969, 12, 30, 0, 0, 0, 0, time.UTC)}
	for round := 0; round < 60; round++ {
		var rows []export.Record
		start := starts[round%len(starts)]
		for i := 0; i < 400; i++ {
			cc := fmt.Sprint(rng.IntN(150))
			at := time.Duration(rng.IntN(96*60)) * time.Minute
			status := []string{"DELIVERED", "DELIVERED", "ERROR", "SENT"}[rng.IntN(4)]
			r := out(cc, "", at, rng.IntN(6) > 0, status, texts[rng.IntN(len(texts))], fmt.Sprintf("+%d", rng.IntN(5)))
			if r.HasTime {
				r.AttemptedAt = start.Add(at)
			}
			if round%10 == 9 {
				r.MessageID = int64(1 + rng.IntN(1000))
			}
			if rng.IntN(4) == 0 {
				r.Inbound = true
			}
			rows = append(rows, r)
		}
		numberLines(rows)
		o := TrackerOptions{Location: []*time.Location{nil, ny, kolkata}[round%3]}
		if round%2 == 1 {
			o.ReplyWindow = 20 * time.Hour
		}
		tr := NewContactTracker(o)
		for i := range rows {
			tr.Add(&rows[i])
		}
		opts := Options{MinDelivered: 5, Alpha: 0.5, MinRelativeDrop: 0.01}
		slow, fast := NewDetector(opts), NewDetector(opts)
		tr.feed(slow.Observe)
		slowStats := tr.Stats()
		if !tr.feedCounts(fast) {
			t.Fatalf("round %d: groups over the default cap", round)
		}
		if fastStats := tr.Stats(); fastStats != slowStats {
			t.Fatalf("round %d: tracker stats %+v, want %+v", round, fastStats, slowStats)
		}
		if !reflect.DeepEqual(fast.groups, slow.groups) || fast.Stats() != slow.Stats() {
			t.Fatalf("round %d: groups %v stats %+v\nwant %v stats %+v", round, fast.groups, fast.Stats(), slow.groups, slow.Stats())
		}
		if !reflect.DeepEqual(fast.Signals(), slow.Signals()) {
			t.Fatalf("round %d: signals differ", round)
		}
	}
}

// TestFeedFallsBackAtTheCap: when the groups would not all fit, Feed
// observes contacts in key order, as before, and keeps the same groups.
func TestFeedFallsBackAtTheCap(t *testing.T) {
	var rows []export.Record
	for i := 0; i < 50; i++ {
		rows = append(rows, out(fmt.Sprint(i), "", time.Duration(i)*time.Hour, true, "DELIVERED", fmt.Sprintf("d%d.org", i), fmt.Sprintf("+%d", i)))
	}
	numberLines(rows)
	tr := NewContactTracker(TrackerOptions{})
	for i := range rows {
		tr.Add(&rows[i])
	}
	opts := Options{MaxGroups: 30}
	if tr.feedCounts(NewDetector(opts)) {
		t.Fatal("feedCounts took 150 groups under a cap of 30")
	}
	slow, viaFeed := NewDetector(opts), NewDetector(opts)
	tr.feed(slow.Observe)
	tr.Feed(viaFeed)
	if !reflect.DeepEqual(viaFeed.groups, slow.groups) || viaFeed.Stats() != slow.Stats() || viaFeed.Stats().GroupsDropped == 0 {
		t.Errorf("Feed at the cap: %+v, want %+v", viaFeed.Stats(), slow.Stats())
	}
}

func TestDayCache(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	for _, loc := range []*time.Location{time.UTC, ny, time.FixedZone("x", -90*60)} {
		c := dayCache{loc: loc}
		for _, ns := range []int64{math.MinInt64, -1, 0, 1, t0.UnixNano(), time.Date(2024, 11, 3, 5, 59, 59, 999, time.UTC).UnixNano(),
			time.Date(2024, 11, 3, 6, 0, 0, 0, time.UTC).UnixNano(), time.Date(2024, 3, 10, 7, 0, 0, 0, time.UTC).UnixNano(), math.MaxInt64 - 1} {
			want := time.Unix(0, ns).In(loc).Format(time.DateOnly)
			if got := dayKey(c.of(ns)); got != want {
				t.Errorf("%s %d: %s, want %s", loc, ns, got, want)
			}
		}
	}
}

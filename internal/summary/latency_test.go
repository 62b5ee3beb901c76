package summary

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
)

// fromDB returns an outbound row read from the database: created at at,
// handed to the provider at sent, reported on at response.
func fromDB(src *export.Source, status string, at, sent, response time.Time) *export.Record {
	r := outbound(status, "", at)
	r.Source, r.SentAt, r.ResponseAt = src, sent, response
	return r
}

func exactQuantile(sorted []int64, q float64) float64 {
	rank := int(math.Ceil(q * float64(len(sorted))))
	return float64(sorted[max(1, rank)-1])
}

// TestLatencyHistAccuracy: the bucketed median and 90th percentile stay
// within 3% of the exact ones (or exact, for one value), on latencies
// spread from 0 to days.
func TestLatencyHistAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := map[string][]int64{
		"one value":   {4200},
		"zeros":       {0, 0, 0},
		"two values":  {10, 1_000_000},
		"log-uniform": nil,
	}
	for i := 0; i < 50_000; i++ {
		cases["log-uniform"] = append(cases["log-uniform"], int64(math.Pow(10, rng.Float64()*9)))
	}
	for name, vals := range cases {
		t.Run(name, func(t *testing.T) {
			var h latencyHist
			for _, v := range vals {
				h.add(v)
			}
			sorted := append([]int64(nil), vals...)
			sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
			for _, q := range []float64{0.5, 0.9} {
				got, want := h.quantile(q), exactQuantile(sorted, q)
				if math.Abs(got-want) > 0.03*want+0.5 {
					t.Errorf("q%.1f = %.1f ms, exact %.1f ms", q, got, want)
				}
			}
			if h.max != sorted[len(sorted)-1] || h.n != int64(len(vals)) {
				t.Errorf("max %d n %d, want %d %d", h.max, h.n, sorted[len(sorted)-1], len(vals))
			}
		})
	}
}

// TestLatencyHistBeyondRange: latencies past the last bucket (115 days)
// share it; the estimate stays between the exact minimum and maximum.
func TestLatencyHistBeyondRange(t *testing.T) {
	var h latencyHist
	h.add(20_000_000_000)
	h.add(30_000_000_000)
	for _, q := range []float64{0.5, 0.9} {
		if got := h.quantile(q); got < 20_000_000_000 || got > 30_000_000_000 {
			t.Errorf("q%.1f = %.0f, outside the values", q, got)
		}
	}
}

// TestLatencyMergeEqualsSequential: parts merged give the sequential
// histogram.
func TestLatencyMergeEqualsSequential(t *testing.T) {
	var all, a, b latencyHist
	for i := int64(0); i < 1000; i++ {
		v := i * i
		all.add(v)
		if i%3 == 0 {
			a.add(v)
		} else {
			b.add(v)
		}
	}
	var empty latencyHist
	a.merge(&empty)
	a.merge(&b)
	if a != all {
		t.Errorf("merged histogram differs from the sequential one")
	}
}

// TestDeliveryLatencySummary: only rows with send times count, by status;
// a report before its send is unusable; file inputs have no section.
func TestDeliveryLatencySummary(t *testing.T) {
	db := &export.Source{Path: "postgres://h/db?campaign=1", SendTimes: true}
	file := &export.Source{Path: "a.csv"}
	recs := []*export.Record{
		fromDB(db, export.StatusDelivered, base, base.Add(time.Second), base.Add(3*time.Second)),     // 2s
		fromDB(db, export.StatusDelivered, base, base.Add(time.Second), base.Add(5*time.Second)),     // 4s
		fromDB(db, export.StatusDelivered, base, base.Add(time.Second), base.Add(11*time.Second)),    // 10s
		fromDB(db, export.StatusError, base, base.Add(time.Second), base.Add(1500*time.Millisecond)), // 0.5s
		fromDB(db, export.StatusError, base, base.Add(time.Second), base.Add(-time.Second)),          // skewed
		fromDB(db, export.StatusSent, base, base.Add(time.Second), base.Add(time.Hour)),              // not reported on
		fromDB(db, export.StatusDelivered, base, time.Time{}, base),                                  // no sent_at
	}
	in := fromDB(db, export.StatusDelivered, base, base, base.Add(time.Hour))
	in.Inbound = true
	recs = append(recs, in)
	opts := Options{Registry: mustRegistry(t)}
	a := New(opts)
	for _, r := range recs {
		a.Add(r)
	}
	a.Finish()
	s := a.Result([]*export.Source{db}, "test")
	l := s.DeliveryLatency
	if l == nil {
		t.Fatal("no delivery_latency with send times")
	}
	if s.StuckDefinition != StuckBySentAt {
		t.Errorf("stuck_definition = %q, want sent_at", s.StuckDefinition)
	}
	if l.Delivered.Texts != 3 || l.Errored.Texts != 1 || l.All.Texts != 4 || l.Unusable != 2 {
		t.Errorf("texts %d/%d/%d unusable %d, want 3/1/4 and 2", l.Delivered.Texts, l.Errored.Texts, l.All.Texts, l.Unusable)
	}
	near := func(name string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 0.03*want {
			t.Errorf("%s = %v, want about %v", name, got, want)
		}
	}
	near("delivered median", l.Delivered.MedianSeconds, 4)
	near("delivered p90", l.Delivered.P90Seconds, 10)
	near("all median", l.All.MedianSeconds, 2)
	near("errored max", l.Errored.MaxSeconds, 0.5)

	plain := summarize(t, Options{}, outbound(export.StatusDelivered, "", base))
	if plain.DeliveryLatency != nil || plain.StuckDefinition != StuckByAttemptedAt {
		t.Errorf("a file input: delivery_latency %v, stuck_definition %q", plain.DeliveryLatency, plain.StuckDefinition)
	}
	mixed := New(opts)
	mixed.Finish()
	if mixed.Result([]*export.Source{db, file}, "test").DeliveryLatency != nil {
		t.Error("delivery_latency with a file among the inputs")
	}
	if e := New(opts).Result([]*export.Source{db}, "test").DeliveryLatency; e == nil || e.All.MedianSeconds != nil {
		t.Errorf("no texts: want a section with null quantiles, got %+v", e)
	}
}

// TestStuckBySentAt: with send times, a SENT text's age runs from sent_at:
// created long ago but sent just now it is pending, not stuck.
func TestStuckBySentAt(t *testing.T) {
	db := &export.Source{SendTimes: true}
	asOf := base.Add(10 * time.Hour)
	recs := []*export.Record{
		outbound(export.StatusDelivered, "", asOf),
		fromDB(db, export.StatusSent, base, asOf.Add(-time.Hour), time.Time{}),  // queued 9h, sent 1h ago: pending
		fromDB(db, export.StatusSent, base, base.Add(time.Minute), time.Time{}), // stuck
		fromDB(db, export.StatusSent, base, time.Time{}, time.Time{}),           // no sent_at: attempted-at, stuck
	}
	s := summarize(t, Options{}, recs...)
	if s.Outbound.SentStuck != 2 || s.Outbound.SentPending != 1 {
		t.Errorf("stuck %d pending %d, want 2 and 1", s.Outbound.SentStuck, s.Outbound.SentPending)
	}
	// The same rows from a file: every SENT text is judged by attempted-at.
	for _, r := range recs[1:] {
		r.Source = &export.Source{}
	}
	s = summarize(t, Options{}, recs...)
	if s.Outbound.SentStuck != 3 {
		t.Errorf("from a file: stuck %d, want 3", s.Outbound.SentStuck)
	}
}

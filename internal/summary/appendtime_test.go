package summary

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestAppendTimeMatchesFormatTime holds the digit-by-digit AppendTime to
// FormatTime's layout: random instants over years 0 to 9999 in several
// zones, the edges of that range, and years outside it (the layout's way).
func TestAppendTimeMatchesFormatTime(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("EDT", -4*3600), time.FixedZone("odd", 5*3600+45*60)}
	times := []time.Time{
		{},
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2024, 10, 1, 14, 7, 45, 311999999, zones[1]),
		time.Date(2024, 2, 29, 0, 0, 0, 1e6-1, time.UTC),
		time.Unix(0, 0),
	}
	rng := rand.New(rand.NewPCG(3, 4))
	lo, hi := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	for range 20000 {
		sec := lo + rng.Int64N(hi-lo)
		times = append(times, time.Unix(sec, rng.Int64N(1e9)).In(zones[rng.IntN(len(zones))]))
	}
	for _, at := range times {
		want := FormatTime(at)
		if got := string(AppendTime([]byte("x"), at)); got != "x"+want {
			t.Fatalf("%v: %q, want %q", at, got, "x"+want)
		}
	}
}

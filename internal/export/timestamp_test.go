package export

import (
	"testing"
	"time"
)

// TestZoneCacheMatchesTimeParse holds the fast timestamp path (cached date,
// cached local zone period) to time.Parse: same instant, same zone name
// and offset (time.Parse being the slow path's reference), whatever the order of the rows (a cached date or zone must
// never leak into the next row).
func TestZoneCacheMatchesTimeParse(t *testing.T) {
	inputs := []string{
		"2024-10-01T18:02:11.482Z",
		"2024-10-01T23:59:59.999Z",
		"2024-10-01T00:00:00.000-04:00",
		"2024-10-01T00:00:00.000+05:30",
		"2024-10-02T00:00:00.000Z",
		"2024-02-29T12:00:00.001-07:00",
		"2023-02-29T12:00:00.001Z", // no such day
		"2024-03-10T02:30:00.000-05:00",
		"2024-11-03T01:30:00.000-04:00",
		"2024-11-03T01:30:00.000-05:00",
		"1970-01-01T00:00:00.000Z",
		"1969-12-31T23:59:59.999Z",
		"2199-12-31T23:59:59.999+00:00",
		"2024-10-01T24:00:00.000Z",
		"2024-10-01T18:60:00.000Z",
		"2024-10-01T18:00:00.000+24:00",
		"2024-13-01T18:00:00.000Z",
		"2024-10-01 18:00:00.000Z",
		"2024-10-01T18:00:00.000-00:00",
		"2024-10-01T18:00:00.000+00:00",
	}
	for _, local := range []string{"UTC", "America/New_York", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(local)
		if err != nil {
			t.Logf("skipping zone %s: %v", local, err)
			continue
		}
		saved := time.Local
		time.Local = loc
		var z zoneCache
		// Twice, so that every input also follows every other.
		for _, s := range append(append([]string{}, inputs...), inputs...) {
			got, _, ok := z.parseAttemptedAt(s)
			want, err := time.Parse(time.RFC3339Nano, s)
			if !ok {
				if err == nil {
					t.Errorf("%s: %s: refused a time time.Parse reads", local, s)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %s: fast path read %v, time.Parse refuses: %v", local, s, got, err)
				continue
			}
			gn, go_ := got.Zone()
			wn, wo := want.Zone()
			if !got.Equal(want) || gn != wn || go_ != wo || (got.Location() == time.Local) != (want.Location() == time.Local) || got.String() != want.String() {
				t.Errorf("%s: %s: got %v (%s %d), want %v (%s %d)", local, s, got, gn, go_, want, wn, wo)
			}
		}
		time.Local = saved
	}
}

// BenchmarkParseSpoke measures a row's timestamp on the fast path.
func BenchmarkParseSpoke(b *testing.B) {
	b.ReportAllocs()
	var z zoneCache
	for b.Loop() {
		z.parseSpoke("2022-10-04T09:00:17.286-04:00")
		z.parseSpoke("2022-10-04T09:12:44.978Z")
	}
}

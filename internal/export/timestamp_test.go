package export

import (
	"fmt"
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
		// Without the milliseconds.
		"2024-10-01T18:05:07Z",
		"2024-10-01T18:05:07-04:00",
		"2024-11-03T01:30:00-04:00",
		"2024-11-03T01:30:00-05:00",
		"2024-10-01T18:05:07+00:00",
		"2024-10-01T18:05:07-00:00",
		"1969-12-31T23:59:59Z",
		"2024-02-30T18:05:07Z",
		"2024-10-01T18:05:60Z",
		"2024-10-01T18:05:07z",
		"2024-10-01T18:05:07.5Z",
		"2024-10-01T18:05:07.123456Z",
		"2024-10-01T18:05:07.Z",
		"2024-10-01T18:05:07+05:3",
		"2024-10-01T18:05:07ZZ",
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
			if msg := matchesTimeParse(&z, s, false); msg != "" {
				t.Errorf("%s: %s", local, msg)
			}
		}
		time.Local = saved
	}
}

// matchesTimeParse reads s with z and with time.Parse, and says how they
// differ ("" when they agree). fastOnly holds only the fast path to it:
// the slow path refuses some forms time.Parse reads ("2024-10-01T0:00:00Z").
func matchesTimeParse(z *zoneCache, s string, fastOnly bool) string {
	got, _, ok := z.parseAttemptedAt(s)
	if fastOnly {
		got, ok = z.parseSpoke(s)
	}
	want, err := time.Parse(time.RFC3339Nano, s)
	if !ok {
		if err == nil && !fastOnly {
			return fmt.Sprintf("%q: refused a time time.Parse reads", s)
		}
		return ""
	}
	if err != nil {
		// parseAttemptedAt also reads a spreadsheet's forms, which
		// time.Parse refuses: only the fast path is held to it.
		if _, fast := z.parseSpoke(s); fast {
			return fmt.Sprintf("%q: fast path read %v, time.Parse refuses: %v", s, got, err)
		}
		return ""
	}
	gn, go_ := got.Zone()
	wn, wo := want.Zone()
	if !got.Equal(want) || gn != wn || go_ != wo || (got.Location() == time.Local) != (want.Location() == time.Local) || got.String() != want.String() {
		return fmt.Sprintf("%q: got %v (%s %d), want %v (%s %d)", s, got, gn, go_, want, wn, wo)
	}
	return ""
}

// FuzzZoneCacheMatchesTimeParse holds the fast path (parseSpoke) to
// time.Parse on any text, after the one before it (the cached date), in New York's zone
// (a local zone with periods).
func FuzzZoneCacheMatchesTimeParse(f *testing.F) {
	for _, s := range []string{
		"2024-10-01T18:05:07Z", "2024-10-01T18:02:11.482Z", "2024-11-03T01:30:00-04:00",
		"2024-11-03T01:30:00.000-05:00", "2024-10-01T18:05:07.5Z", "2024-02-29T23:59:59+14:00",
	} {
		f.Add(s)
	}
	if loc, err := time.LoadLocation("America/New_York"); err == nil {
		saved := time.Local
		time.Local = loc
		defer func() { time.Local = saved }()
	}
	var z zoneCache
	f.Fuzz(func(t *testing.T, s string) {
		if msg := matchesTimeParse(&z, s, true); msg != "" {
			t.Error(msg)
		}
	})
}

// BenchmarkParseSpoke measures a row's timestamp on the fast path.
func BenchmarkParseSpoke(b *testing.B) {
	b.ReportAllocs()
	var z zoneCache
	for b.Loop() {
		z.parseSpoke("2022-10-04T09:00:17.286-04:00")
		z.parseSpoke("2022-10-04T09:12:44.978Z")
		z.parseSpoke("2022-10-04T09:12:44Z")
	}
}

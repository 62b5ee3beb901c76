package export

import "time"

// The attempted-at times the program works with. Stuck SENT texts and
// contacts' last attempts are computed in int64 nanoseconds since 1970
// (UnixNano), which holds the years 1678 to 2262 only, and the difference
// of two times only within 292 years: a row dated 2300-01-01 would wrap
// around and make summarize, rows --stuck and contacts disagree. Times
// from 1970 up to (not including) 2200 are far inside both limits, and
// Spoke (2017 on) writes nothing outside them: a time outside them is a
// warning and counts as missing.
const (
	MinYear = 1970 // the first year accepted
	MaxYear = 2199 // the last year accepted
)

// TimeRangeText names the range in messages.
const TimeRangeText = "the years 1970 to 2199"

// InTimeRange reports whether t is an attempted-at time the program can
// compute with: in UTC, a year from MinYear to MaxYear.
func InTimeRange(t time.Time) bool {
	y := t.UTC().Year()
	return MinYear <= y && y <= MaxYear
}

// zoneCache parses the two attempted-at forms Spoke writes without
// time.Parse, and keeps the fixed zone of the last offset seen, so that a
// row's timestamp costs no allocation.
type zoneCache struct {
	off int
	loc *time.Location
}

// parseAttemptedAt is the package's parseAttemptedAt with a fast path for
// 2006-01-02T15:04:05.000Z and 2006-01-02T15:04:05.000-04:00; it returns
// the same instant in the same zone as time.Parse.
func (z *zoneCache) parseAttemptedAt(s string) (time.Time, timeForm, bool) {
	if t, ok := z.parseSpoke(s); ok {
		return t, timeRFC3339, true
	}
	return parseAttemptedAt(s)
}

func (z *zoneCache) parseSpoke(s string) (time.Time, bool) {
	off := 0
	switch {
	case len(s) == 24 && s[23] == 'Z':
	case len(s) == 29 && (s[23] == '+' || s[23] == '-') && s[26] == ':':
		h, ok1 := digits(s[24:26])
		m, ok2 := digits(s[27:29])
		if !ok1 || !ok2 || h > 23 || m > 59 {
			return time.Time{}, false
		}
		off = (h*60 + m) * 60
		if s[23] == '-' {
			off = -off
		}
	default:
		return time.Time{}, false
	}
	if s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	ms, ok7 := digits(s[20:23])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, ms*1e6, time.UTC)
	if s[23] == 'Z' {
		return t, true
	}
	t = t.Add(-time.Duration(off) * time.Second)
	return t.In(z.zone(off, t)), true
}

// zone is the zone time.Parse gives a time with a numeric offset: the
// local zone when it has that offset then, else a fixed zone.
func (z *zoneCache) zone(off int, t time.Time) *time.Location {
	if _, local := t.In(time.Local).Zone(); local == off {
		return time.Local
	}
	if z.loc == nil || z.off != off {
		z.off, z.loc = off, time.FixedZone("", off)
	}
	return z.loc
}

// digits reads an unsigned decimal of ASCII digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

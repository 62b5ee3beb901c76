package export

import (
	"math"
	"time"
)

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
	// The same test as on the UTC year, without computing the date: t is
	// in range when its Unix seconds (rounded down) are in
	// [MinYear-01-01, MaxYear+1-01-01).
	u := t.Unix()
	return minUnix <= u && u < endUnix
}

// minUnix and endUnix are the Unix times of MinYear-01-01 and
// (MaxYear+1)-01-01 UTC (TestTimeRangeBounds checks them).
const (
	minUnix = 0
	endUnix = 7258118400
)

// zoneCache parses the two attempted-at forms Spoke writes without
// time.Parse, and keeps what consecutive rows share, so that a row's
// timestamp costs no allocation and little arithmetic: the date of the
// last row (an export's rows come in time order, so most rows share it),
// the fixed zone of the last offset seen, and the local zone's offset
// over the period it holds (time.Parse names the local zone when it has
// the row's offset).
type zoneCache struct {
	off int
	loc *time.Location

	date [10]byte // the last date prefix ("2006-01-02"); zero for none
	days int64    // its days since 1970-01-01

	local localZone
}

// localZone is the local zone's offset from start to end (Unix seconds).
type localZone struct {
	start, end int64
	off        int
	valid      bool
}

// parseAttemptedAt is the package's parseAttemptedAt with a fast path for
// 2006-01-02T15:04:05.000Z and 2006-01-02T15:04:05.000-04:00, the forms
// Spoke writes, and the same without the milliseconds, the form of other
// tools' exports (a fraction of any other length takes the slow path);
// it returns the same instant in the same zone as time.Parse.
func (z *zoneCache) parseAttemptedAt(s string) (time.Time, timeForm, bool) {
	if t, ok := z.parseSpoke(s); ok {
		return t, timeRFC3339, true
	}
	return parseAttemptedAt(s)
}

func (z *zoneCache) parseSpoke(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	zone, ms, ok0 := s[19:], 0, true
	if s[19] == '.' {
		if len(s) < len("2006-01-02T15:04:05.000Z") {
			return time.Time{}, false
		}
		zone = s[23:]
		ms, ok0 = digits(s[20:23])
	}
	off, ok := zoneOffset(zone)
	if !ok || !ok0 {
		return time.Time{}, false
	}
	days, ok := z.dateOf(s[:10])
	hour, ok1 := digits(s[11:13])
	minute, ok2 := digits(s[14:16])
	sec, ok3 := digits(s[17:19])
	if !(ok && ok1 && ok2 && ok3) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	unix := days*86400 + int64(hour*3600+minute*60+sec-off)
	t := time.Unix(unix, int64(ms)*1e6)
	if zone[0] == 'Z' {
		return t.UTC(), true
	}
	return t.In(z.zone(off, unix)), true
}

// zoneOffset reads the zone of a timestamp ("Z", or "-04:00"): 0 for Z,
// else the numeric offset in seconds.
func zoneOffset(zone string) (int, bool) {
	switch {
	case zone == "Z":
		return 0, true
	case len(zone) == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':':
		h, ok1 := digits(zone[1:3])
		m, ok2 := digits(zone[4:6])
		if !ok1 || !ok2 || h > 23 || m > 59 {
			return 0, false
		}
		off := (h*60 + m) * 60
		if zone[0] == '-' {
			off = -off
		}
		return off, true
	}
	return 0, false
}

// dateOf returns the days since 1970-01-01 of a "2006-01-02" date, from
// the cache when it is the last row's date.
func (z *zoneCache) dateOf(date string) (int64, bool) {
	if string(z.date[:]) == date {
		return z.days, true
	}
	if date[4] != '-' || date[7] != '-' {
		return 0, false
	}
	year, ok1 := digits(date[0:4])
	month, ok2 := digits(date[5:7])
	day, ok3 := digits(date[8:10])
	if !(ok1 && ok2 && ok3) || month < 1 || month > 12 || day < 1 || day > monthDays(year, month) {
		return 0, false
	}
	copy(z.date[:], date) // a copy: date may be a view into a reused buffer
	z.days = daysFromCivil(year, month, day)
	return z.days, true
}

// daysFromCivil is the number of days from 1970-01-01 to a date of the
// proleptic Gregorian calendar, as time.Date(...).Unix()/86400 gives it
// for a year of four digits, by arithmetic alone (H. Hinnant's
// days_from_civil): rows of two alternating dates miss dateOf's cache,
// and time.Date was most of their cost.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400                     // [0, 399]
	mp := (m + 9) % 12                     // March is 0
	doy := (153*mp+2)/5 + d - 1            // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return int64(era)*146097 + int64(doe) - 719468
}

// monthDays is the number of days of a month (1 to 12) of a year.
func monthDays(year, month int) int {
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 29
	}
	return daysPerMonth[month-1]
}

var daysPerMonth = [12]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// zone is the zone time.Parse gives a time with a numeric offset: the
// local zone when it has that offset then, else a fixed zone.
func (z *zoneCache) zone(off int, unix int64) *time.Location {
	if z.localOffset(unix) == off {
		return time.Local
	}
	if z.loc == nil || z.off != off {
		z.off, z.loc = off, time.FixedZone("", off)
	}
	return z.loc
}

// localOffset is the local zone's offset at unix, looked up again only
// when unix leaves the period of the last one.
func (z *zoneCache) localOffset(unix int64) int {
	l := &z.local
	if l.valid && l.start <= unix && unix < l.end {
		return l.off
	}
	t := time.Unix(unix, 0).In(time.Local)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	*l = localZone{off: off, valid: true, start: math.MinInt64, end: math.MaxInt64}
	if !start.IsZero() {
		l.start = start.Unix()
	}
	if !end.IsZero() {
		l.end = end.Unix()
	}
	return off
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

package export

import (
	"fmt"
	"strings"
	"time"
)

// Spreadsheets (Excel, Numbers, Google Sheets) that open an export and save
// it again rewrite some values. The reader reads what can still be read and
// warns once per kind of damage, with a count, at the end of the input.

// timeForm is how an attempted-at value was written.
type timeForm uint8

const (
	timeRFC3339     timeForm = iota // what Spoke writes
	timeSpreadsheet                 // a spreadsheet's rewrite, read as UTC
)

// spreadsheetLayouts are the forms spreadsheets rewrite an RFC 3339 time
// into: US Excel's default "10/1/2024 18:02" first, then day-first
// locales, then ISO-like forms without a zone. Go's "1" and "2" accept one
// or two digits.
var spreadsheetLayouts = []string{
	"1/2/2006 15:04", "1/2/2006 15:04:05", "1/2/2006 15:04:05.999999999",
	"1/2/2006 3:04 PM", "1/2/2006 3:04:05 PM",
	"1/2/06 15:04", "1/2/06 15:04:05", "1/2/06 3:04 PM",
	"2/1/2006 15:04", "2/1/2006 15:04:05", "2/1/06 15:04",
	"2.1.2006 15:04", "2.1.2006 15:04:05",
	"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04",
}

// parseAttemptedAt reads an attempted-at value (already trimmed, not
// empty). Spoke writes RFC 3339; a spreadsheet's rewrite has no zone and
// is read as UTC.
func parseAttemptedAt(s string) (time.Time, timeForm, bool) {
	if looksRFC3339(s) {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, timeRFC3339, true
		}
	}
	if len(s) > 40 || !strings.ContainsAny(s, ":") {
		return time.Time{}, 0, false
	}
	for _, layout := range spreadsheetLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, timeSpreadsheet, true
		}
	}
	return time.Time{}, 0, false
}

// looksRFC3339 is a cheap test that keeps a spreadsheet's form from paying
// for a failed time.Parse (which allocates its error) on every row.
func looksRFC3339(s string) bool {
	return len(s) >= len("2006-01-02T15:04:05Z") && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't') &&
		(s[len(s)-1] == 'Z' || s[len(s)-1] == 'z' || s[len(s)-3] == ':' || s[len(s)-6] == '+' || s[len(s)-6] == '-')
}

// looksScientific reports whether a phone number was rewritten in
// scientific notation ("1.5555E+10"): the spreadsheet kept only a few
// digits, so the number cannot be restored.
func looksScientific(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	i := strings.IndexAny(s, "Ee")
	return i > 0 && i+1 < len(s) && (s[i+1] == '+' || s[i+1] >= '0' && s[i+1] <= '9')
}

// damage counts one kind of spreadsheet damage in an input.
type damage struct {
	n       int64
	line    int    // first line
	example string // first value
}

func (d *damage) note(line int, value string) {
	if d.n == 0 {
		// value may view the reader's buffer (Parallel.Views).
		d.line, d.example = line, strings.Clone(value)
	}
	d.n++
}

// spreadsheetDamage is every kind the reader recognises.
type spreadsheetDamage struct {
	times, phones, bools damage
}

// warn reports each kind found, once, with its count.
func (s *spreadsheetDamage) warn(w warnSink, path string) {
	if d := s.times; d.n > 0 {
		w.Add(path, d.line, WarnExcel, fmt.Sprintf(
			"%s in a spreadsheet's format, e.g. %q: read as UTC (the spreadsheet dropped the time zone, and maybe the seconds); for exact times use the export as downloaded from Spoke",
			counted(d.n, "attempted-at value is", "attempted-at values are"), d.example))
	}
	if d := s.phones; d.n > 0 {
		w.Add(path, d.line, WarnExcel, fmt.Sprintf(
			"%s in scientific notation, e.g. %q: a spreadsheet rounded them and their digits are lost; they are kept as written, so figures per number are wrong. Use the export as downloaded from Spoke, or format the number columns as text before saving",
			counted(d.n, "phone number is", "phone numbers are"), d.example))
	}
	if d := s.bools; d.n > 0 {
		w.Add(path, d.line, WarnExcel, fmt.Sprintf(
			"%s written %q as a spreadsheet writes them: read as true/false",
			counted(d.n, "is-from-contact value is", "is-from-contact values are"), d.example))
	}
}

// counted is "1 thing is" or "2,154 things are".
func counted(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

// count formats n with thousands separators, as the tables do.
func count(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

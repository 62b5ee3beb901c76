package rowout

import (
	"strings"

	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/sanitize"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// text returns a string cell as every encoder writes it: masked when it is
// a phone number under redact, and safe for a terminal. Every string is
// cleaned, not only the export's: the others (enums, registry titles) are
// left as they are by the cleaning, so one rule covers all.
func text[T any](c *Column[T], v Value, opts Options) string {
	s := v.Str
	switch {
	case !opts.Redact:
	case c.Phone:
		s = phone.Redact(s)
	case c.PhoneLike:
		s = phone.MaskLike(s)
	}
	return Text(s)
}

// formatTime is how timestamps read in CSV and JSON: RFC 3339 in UTC with
// milliseconds, as summarize writes them.
func formatTime(v Value) string { return summary.FormatTime(v.Time) }

// Text makes export text safe to print on a terminal while keeping its
// layout, for CSV and JSON Lines output that may well be read on one:
// escape sequences and other controls become U+FFFD as in tables, but
// tabs and line breaks are kept (a carriage return not followed by a line
// feed, which could overwrite what a line shows, becomes a line feed).
func Text(s string) string {
	if !needsCleaning(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		i := strings.IndexAny(s, "\t\n\r")
		if i < 0 {
			b.WriteString(sanitize.Terminal(s))
			break
		}
		b.WriteString(sanitize.Terminal(s[:i]))
		if s[i] == '\r' && !strings.HasPrefix(s[i:], "\r\n") {
			b.WriteByte('\n')
		} else {
			b.WriteByte(s[i])
		}
		s = s[i+1:]
	}
	return b.String()
}

// needsCleaning reports whether Text would change s, without allocating
// when it would not (sanitize.Terminal returns safe text as is).
func needsCleaning(s string) bool {
	// Printable ASCII, most cells (every phone number), is kept as is:
	// one pass, where the loop below takes two (IndexAny, then Terminal).
	i := 0
	for i < len(s) && 0x20 <= s[i] && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return false
	}
	for s != "" {
		i := strings.IndexAny(s, "\t\n\r")
		if i < 0 {
			return sanitize.Terminal(s) != s
		}
		if seg := s[:i]; sanitize.Terminal(seg) != seg {
			return true
		}
		if s[i] == '\r' && !strings.HasPrefix(s[i:], "\r\n") {
			return true
		}
		s = s[i+1:]
	}
	return false
}

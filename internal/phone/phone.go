// Package phone normalizes, recognises and masks the phone numbers found in
// Spoke exports.
//
// Like package sanitize, its functions may run once per cell over millions
// of rows: they use no regular expressions, keep no mutable state and do
// not allocate when the input is returned unchanged.
package phone

import "strings"

// maxDigits is the longest number E.164 allows.
const maxDigits = 15

// digitBuf holds the digits of one number without allocating.
type digitBuf [maxDigits]byte

// Normalize returns the E.164 form of s and true when s is a plausible
// US/Canada number ("(555) 555-0123", "555.555.0123", "1-555-555-0123",
// "+1 555 555 0123" → "+15555550123") or an international number written
// with a leading '+' ("+447911123456", "+44 20 7946 0958" → "+442079460958").
//
// Excel's renderings of a number column are accepted too: "15555550123.0"
// and "1.5555550123E+10". A scientific form is accepted only when it still
// holds every digit (as many digits after the point as the exponent): Excel
// rounds narrow columns ("1.55556E+10") and guessing the lost digits would
// produce somebody else's number.
//
// Anything else (short codes, letters, implausible NANP numbers such as
// "+10555550123", empty) is returned trimmed and otherwise unchanged, with
// false. When s already is the E.164 result, s itself is returned.
func Normalize(s string) (string, bool) {
	if isE164(s) {
		return s, true // what normalize returns for it, in a fifth of the time
	}
	return normalize(s)
}

// isE164 reports whether s is a number Normalize returns as it is: '+'
// and 7 to 15 digits, the first not 0, and for country code 1 a
// plausible NANP number (11 digits). Most exports write their numbers so
// (contacts reads one a row); anything else goes through normalize.
func isE164(s string) bool {
	if len(s) < 8 || len(s) > maxDigits+1 || s[0] != '+' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	if s[1] != '1' {
		return s[1] != '0'
	}
	return len(s) == 12 && s[2] >= '2' && s[5] >= '2'
}

// normalize is Normalize without the shortcut of isE164.
func normalize(s string) (string, bool) {
	t := strings.TrimSpace(s)
	var buf digitBuf
	d, plus, ok := parse(t, &buf)
	if !ok {
		return t, false
	}
	if plus && len(t) == len(d)+1 && t[1:] == string(d) { // no allocation
		return t, true
	}
	return e164(d, plus), true
}

// parse returns the digits of t when t is a number Normalize accepts, and
// whether it was written with a leading '+'. The digits are checked: NANP
// plausibility, or 7–15 digits for other country codes.
func parse(t string, buf *digitBuf) (digits []byte, plus, ok bool) {
	if d, isNumber := excelDigits(t, buf); isNumber {
		return d, false, d != nil && isNANP(d)
	}
	d, plus, ok := writtenDigits(t, buf)
	if !ok {
		return nil, false, false
	}
	if plus && d[0] != '1' {
		return d, true, d[0] != '0' && len(d) >= 7
	}
	// A '+' number that reaches here starts with 1, so isNANP accepts it
	// only with all 11 digits.
	return d, plus, isNANP(d)
}

// isNANP reports a plausible North American number: NXX NXX XXXX with an
// optional leading country code 1, N being 2–9.
func isNANP(d []byte) bool {
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return len(d) == 10 && d[0] >= '2' && d[3] >= '2'
}

// e164 builds "+" and the digits, adding the country code 1 to a 10-digit
// NANP number.
func e164(d []byte, plus bool) string {
	var out [maxDigits + 2]byte
	out[0] = '+'
	n := 1
	if !plus && len(d) == 10 {
		out[1] = '1'
		n = 2
	}
	n += copy(out[n:], d)
	return string(out[:n])
}

// writtenDigits collects the digits of a number written by a person: an
// optional leading '+', then digits, spaces, hyphens, dots and
// non-nested parentheses; a '+' must be followed by a digit. More than 15
// digits is not a phone number.
func writtenDigits(t string, buf *digitBuf) (digits []byte, plus, ok bool) {
	if strings.HasPrefix(t, "+") {
		plus, t = true, t[1:]
		if t == "" || !isDigit(t[0]) {
			return nil, false, false
		}
	}
	n, open := 0, false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c):
			if n == maxDigits {
				return nil, false, false
			}
			buf[n] = c
			n++
		case c == '(' && !open, c == ')' && open:
			open = !open
		case c == ' ' || c == '-' || c == '.':
		default:
			return nil, false, false
		}
	}
	return buf[:n], plus, n > 0 && !open
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

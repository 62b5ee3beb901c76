package phone

import "strings"

// IsPhoneLike reports whether s looks like a phone number, to decide whether
// a value in a column that is not a phone column should be redacted. After
// trimming surrounding white space, s must start with '+', a digit or '('
// (for "(555) 555-0123"), hold 10–15 digits and otherwise only the
// separators ' ', '-', '.', '(', ')'.
//
// Excel's scientific rendering of a 10–15 digit whole number
// ("1.5555550123E+10", or rounded "1.55556E+10") is phone-like too: a
// column of phone numbers shown that way still needs redacting.
//
// It errs towards true (a 10-digit timestamp also matches) because a false
// negative leaks a number while a false positive only masks a value.
func IsPhoneLike(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" || (t[0] != '+' && t[0] != '(' && !isDigit(t[0])) {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c):
			n++
		case c == '+' && i == 0, c == ' ', c == '-', c == '.', c == '(', c == ')':
		default:
			return isScientificPhone(t)
		}
	}
	return 10 <= n && n <= 15
}

// isScientificPhone reports d.dddE+x with x from 9 to 14 (a whole number
// of 10 to 15 digits), whether or not digits were rounded away.
func isScientificPhone(t string) bool {
	intPart, frac, exp, ok := splitNumber(t)
	if !ok || exp == "" || len(intPart) != 1 || intPart == "0" || len(exp) > 2 {
		return false
	}
	e := exponent(exp)
	return 9 <= e && e <= 14 && len(frac) <= e
}

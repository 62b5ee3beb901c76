package phone

import "strings"

// MaskLike is the one redaction rule for free text from an export or an
// argument (campaign ids, file names, codes, warning and error lines):
// every phone-like run in s is replaced by its Redact form, the rest is
// kept. A run starts with '+', '(' or a digit, ends with a digit or ')',
// and holds only digits and the separators IsPhoneLike allows, or is
// Excel's scientific form ("1.5555550123E+10"); it is masked when
// IsPhoneLike accepts it, or when it holds 10 digits or more (two numbers
// run together are still numbers). "GOTV 215-555-0123" → "GOTV +1215•••0123".
//
// Like IsPhoneLike it errs towards masking: a 10-digit number in a
// message is masked too.
func MaskLike(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !runStart(s, i) {
			i++
			continue
		}
		end, masked := maskedRun(s, i)
		if masked {
			if b.Len() == 0 {
				b.Grow(len(s) + 8)
			}
			b.WriteString(s[last:i])
			b.WriteString(Redact(s[i:end]))
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// runStart reports whether a run can begin at s[i]: '+', '(' or a digit,
// even inside a word ("export_2155550123.csv" names a number too).
func runStart(s string, i int) bool {
	c := s[i]
	return c == '+' || c == '(' || isDigit(c)
}

// maskedRun returns the end of the run that starts at i and whether it is
// to be masked. The run is the longest stretch of digits and separators,
// trimmed back to its last digit or ')'; an exponent that follows
// ("E+10") joins it when that makes a scientific phone number.
func maskedRun(s string, i int) (end int, masked bool) {
	j := i + 1
	for j < len(s) && isRunByte(s[j]) {
		j++
	}
	if k := exponentEnd(s, j); k > j && IsPhoneLike(s[i:k]) {
		// Digits that go on after the exponent ("1E10 00000000") would
		// run on from the masked form's last digits: mask them with it.
		end := k
		for k < len(s) && isRunByte(s[k]) {
			if k++; isDigit(s[k-1]) || s[k-1] == ')' {
				end = k
			}
		}
		return end, true
	}
	for j > i+1 && !isDigit(s[j-1]) && s[j-1] != ')' {
		j--
	}
	run := s[i:j]
	return j, IsPhoneLike(run) || digitCount(run) >= 10
}

// exponentEnd returns the end of "E+dd" at s[j:], or j when there is none.
func exponentEnd(s string, j int) int {
	if j >= len(s) || (s[j] != 'E' && s[j] != 'e') {
		return j
	}
	k := j + 1
	if k < len(s) && (s[k] == '+' || s[k] == '-') {
		k++
	}
	if k >= len(s) || !isDigit(s[k]) {
		return j
	}
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	return k
}

func isRunByte(c byte) bool {
	return isDigit(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

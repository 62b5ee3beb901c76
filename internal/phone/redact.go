package phone

import "strings"

const (
	// dot replaces one masked digit.
	dot = "•"
	// hidden stands for a non-empty value with no digits: it shows that
	// something was there without echoing text that was not a number.
	hidden = "•••"
)

// Redact masks a phone number for sharing. Input that Normalize accepts is
// normalized first. Then, counting digits only:
//
//   - 11 or more digits keep '+', the first 4 digits and the last 4:
//     "+15555550123" → "+1555•••0123" (country code 1 and area code kept,
//     exchange masked), "+447911123456" → "+4479••••3456".
//   - 8 to 10 digits keep fewer leading digits (8 → 1, 9 → 2, 10 → 3) so
//     that at least 3 digits are always masked: "+4420794609" → "+442•••4609".
//   - fewer than 8 digits keep only the last 2: "12345" → "•••45".
//
// Every masked digit becomes one '•'. A leading '+' is kept; every other
// non-digit character is dropped, so words in the cell are never echoed. A
// value with no digits at all becomes "•••"; "" stays "".
func Redact(s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return ""
	}
	var buf digitBuf
	d, plus, ok := parse(t, &buf)
	if !ok {
		return mask(t, t[0] == '+')
	}
	if !plus && len(d) == 10 { // NANP without country code: add it
		var full [maxDigits + 1]byte
		full[0] = '1'
		d = full[:1+copy(full[1:], d)]
	}
	return mask(d, true)
}

// mask writes the digits of src, '+' first when plus, with all but the
// kept leading and trailing digits replaced by dot.
func mask[T ~string | ~[]byte](src T, plus bool) string {
	n := 0
	for i := 0; i < len(src); i++ {
		if isDigit(src[i]) {
			n++
		}
	}
	if n == 0 {
		return hidden
	}
	head, tail := 0, min(2, n)
	if n >= 8 {
		head, tail = min(4, n-7), 4
	}
	var b strings.Builder
	b.Grow(1 + n*len(dot))
	if plus {
		b.WriteByte('+')
	}
	for i, k := 0, 0; i < len(src); i++ {
		if c := src[i]; isDigit(c) {
			if k < head || k >= n-tail {
				b.WriteByte(c)
			} else {
				b.WriteString(dot)
			}
			k++
		}
	}
	return b.String()
}

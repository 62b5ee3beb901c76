// Package segments computes how many SMS segments a carrier bills for a
// message text.
//
// A message that fits the GSM 03.38 default alphabet (basic set plus the
// extension table) is sent with 7-bit septets: 160 in a single SMS, 153 per
// part once it must be concatenated (the user data header takes the rest).
// Any other character switches the whole message to UCS-2: 70 UTF-16 code
// units in a single SMS, 67 per part.
//
// Decisions:
//   - The empty text is 0 segments (GSM7): nothing is billed for nothing,
//     and it keeps "segments ≥ 1" meaning "there was a message".
//   - Parts are filled greedily, as handsets and carriers do: a character
//     is never split across parts, so an extension character (2 septets) or
//     a surrogate pair (2 units) that does not fit in the space left moves
//     whole to the next part, wasting one septet or unit.
//   - Only the characters of the GSM 03.38 tables count as GSM-7. In
//     particular 'ç' (only 'Ç' is in the basic set), '`', tab and other
//     control characters force UCS-2; no "smart encoding" substitution is
//     assumed.
//   - Form feed is in the extension table and counts as 2 septets.
//   - Invalid UTF-8 bytes are counted as U+FFFD (one UCS-2 unit), which is
//     what any re-encoding on the way to the carrier produces.
package segments

import (
	"strconv"
	"unicode/utf8"
)

// Encoding is the SMS data coding a message text needs.
type Encoding int

// Encodings, in order of preference.
const (
	GSM7 Encoding = iota // GSM 03.38 default alphabet, 7-bit septets
	UCS2                 // UTF-16 code units
)

// String returns "gsm7" or "ucs2".
func (e Encoding) String() string {
	switch e {
	case GSM7:
		return "gsm7"
	case UCS2:
		return "ucs2"
	}
	return "Encoding(" + strconv.Itoa(int(e)) + ")"
}

// Capacity of one SMS: single message, and per part of a concatenated one.
const (
	gsmSingle = 160
	gsmPart   = 153
	ucsSingle = 70
	ucsPart   = 67
)

// Count returns the encoding and number of segments a carrier bills for
// text. See the package documentation for the rules.
func Count(text string) (Encoding, int) {
	if text == "" {
		return GSM7, 0
	}
	k := plainPrefix(text)
	if k == len(text) { // the common case: plain ASCII, one septet each
		return GSM7, parts(text, k, false, GSM7)
	}
	if n, ok := countGSM(text, k); ok {
		return GSM7, n
	}
	return UCS2, countUCS2(text, k)
}

// plainPrefix returns the length of the leading ASCII basic-set
// characters: one septet in GSM-7 and one unit in UCS-2, so the slower
// loops can start after them.
func plainPrefix(text string) int {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c >= utf8.RuneSelf || gsmASCII[c] != 1 {
			return i
		}
	}
	return len(text)
}

// countGSM counts septet segments of text, whose first k bytes are plain;
// ok is false as soon as a character outside the GSM-7 tables is seen.
func countGSM(text string, k int) (n int, ok bool) {
	total, wide := k, 0
	for _, r := range text[k:] {
		w := septets(r)
		if w == 0 {
			return 0, false
		}
		total += w
		wide |= w >> 1 // extension character
	}
	return parts(text, total, wide != 0, GSM7), true
}

// countUCS2 counts UTF-16 segments of text, whose first k bytes are plain;
// runes outside the BMP take a surrogate pair (2 units) that must stay in
// one part.
func countUCS2(text string, k int) int {
	total, wide := k, 0
	for _, r := range text[k:] {
		w := utf16Units(r)
		total += w
		wide |= w >> 1 // surrogate pair
	}
	return parts(text, total, wide != 0, UCS2)
}

// utf16Units is the UCS-2 width of r: 2 for a surrogate pair.
func utf16Units(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}

// parts returns the segments for text of total units in enc. Only when it
// must be concatenated and has 2-unit characters (wide), which may not
// straddle a part boundary, are parts filled one character at a time;
// otherwise division gives the same answer.
func parts(text string, total int, wide bool, enc Encoding) int {
	single, part := gsmSingle, gsmPart
	if enc == UCS2 {
		single, part = ucsSingle, ucsPart
	}
	switch {
	case total <= single:
		return 1
	case !wide:
		return (total + part - 1) / part
	}
	n, room := 1, part
	for _, r := range text {
		w := utf16Units(r)
		if enc == GSM7 {
			w = septets(r)
		}
		if w > room {
			n, room = n+1, part // the character moves whole to a new part
		}
		room -= w
	}
	return n
}

// septets returns the GSM-7 width of r: 1 for the basic set, 2 for the
// extension table (escape + code), 0 if r is not in GSM 03.38.
func septets(r rune) int {
	if r < utf8.RuneSelf {
		return int(gsmASCII[r])
	}
	switch r {
	case '£', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', 'Ø', 'ø', 'Å', 'å',
		'Δ', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ',
		'Æ', 'æ', 'ß', 'É', '¤', '¡', 'Ä', 'Ö', 'Ñ', 'Ü', '§', '¿',
		'ä', 'ö', 'ñ', 'ü', 'à':
		return 1
	case '€':
		return 2
	}
	return 0
}

// gsmASCII gives the GSM-7 width of each ASCII byte: 1 basic set, 2
// extension table, 0 not encodable (control characters other than LF/CR,
// and '`'). Read-only after initialisation.
var gsmASCII = func() (t [utf8.RuneSelf]uint8) {
	for c := ' '; c <= '~'; c++ {
		t[c] = 1
	}
	t['\n'], t['\r'] = 1, 1
	t['`'] = 0
	for _, c := range "^{}\\[~]|\f" {
		t[c] = 2
	}
	return t
}()

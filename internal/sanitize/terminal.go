package sanitize

import (
	"strings"
	"unicode/utf8"
)

// replacement marks, in the output, every place where something that could
// drive the terminal was removed, so a reader can see the text was altered.
const replacement = "\uFFFD"

// Terminal makes export text safe to print in a terminal table. Rules:
//
//   - Tab, LF, VT, FF and CR each become one space; CR LF together become one
//     space. U+2028 and U+2029 (line and paragraph separator) also become a
//     space. Runs are not collapsed.
//   - A whole escape sequence becomes one U+FFFD: CSI (ESC '[' or U+009B,
//     parameters, final byte), string sequences OSC, DCS, SOS, PM, APC (ESC
//     ']' 'P' 'X' '^' '_' or U+009D U+0090 U+0098 U+009E U+009F) up to and
//     including their BEL or ST (ESC '\' or U+009C), and any other ESC with
//     its intermediate and final bytes. A sequence ends before the first
//     byte that cannot belong to it, which is then handled on its own; a
//     string sequence also ends before ESC, CAN or SUB, and one with no
//     terminator runs to the end of s, as it would on a terminal.
//     A lone ESC becomes one U+FFFD.
//   - Every other C0 control, DEL, C1 control (U+0080–U+009F) and bidi
//     embedding, override or isolate (U+202A–U+202E, U+2066–U+2069, the
//     "Trojan Source" set) becomes one U+FFFD. LRM, RLM and ALM are kept:
//     they cannot reorder text beyond their own position.
//   - Each byte of invalid UTF-8 becomes one U+FFFD.
//
// Everything else, including accents, emoji, joiners and CJK, is kept.
func Terminal(s string) string {
	i := safePrefix(s)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*len(replacement))
	for i < len(s) {
		b.WriteString(s[:i])
		s = s[i:]
		s = s[writeUnsafe(&b, s):]
		i = safePrefix(s)
	}
	b.WriteString(s)
	return b.String()
}

// safePrefix returns the length of the longest prefix of s that can be
// printed as is. Printable ASCII is checked byte by byte without decoding.
func safePrefix(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if 0x20 <= c && c < 0x7f {
			i++
			continue
		}
		if c < 0x80 {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || isUnsafeRune(r) {
			return i
		}
		i += size
	}
	return len(s)
}

// isUnsafeRune reports the non-ASCII runes that Terminal replaces.
func isUnsafeRune(r rune) bool {
	return (0x80 <= r && r <= 0x9f) ||
		(0x202a <= r && r <= 0x202e) ||
		(0x2066 <= r && r <= 0x2069) ||
		r == 0x2028 || r == 0x2029
}

// writeUnsafe writes the replacement for the unsafe item that starts s
// (a control, a sequence or an invalid byte) and returns its length in s.
func writeUnsafe(b *strings.Builder, s string) int {
	switch c := s[0]; {
	case c == '\r' && len(s) > 1 && s[1] == '\n':
		b.WriteByte(' ')
		return 2
	case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
		b.WriteByte(' ')
		return 1
	case c == 0x1b:
		b.WriteString(replacement)
		return escapeLen(s)
	case c < 0x80:
		b.WriteString(replacement)
		return 1
	}
	r, size := utf8.DecodeRuneInString(s)
	switch r {
	case 0x2028, 0x2029:
		b.WriteByte(' ')
		return size
	case 0x9b: // 8-bit CSI
		b.WriteString(replacement)
		return size + csiLen(s[size:])
	case 0x90, 0x98, 0x9d, 0x9e, 0x9f: // 8-bit DCS, SOS, OSC, PM, APC
		b.WriteString(replacement)
		return size + stringLen(s[size:])
	}
	b.WriteString(replacement)
	return size
}

// escapeLen returns the length of the escape sequence at the start of s,
// which begins with ESC.
func escapeLen(s string) int {
	if len(s) < 2 {
		return 1
	}
	switch c := s[1]; {
	case c == '[':
		return 2 + csiLen(s[2:])
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return 2 + stringLen(s[2:])
	case 0x20 <= c && c <= 0x2f: // nF: intermediates, then a final byte
		i := 2
		for i < len(s) && 0x20 <= s[i] && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && 0x30 <= s[i] && s[i] <= 0x7e {
			i++
		}
		return i
	case 0x30 <= c && c <= 0x7e: // Fp, Fe, Fs: one final byte
		return 2
	}
	return 1 // lone ESC: the next byte is handled on its own
}

// csiLen returns the length of a CSI body: parameter and intermediate bytes
// (0x20–0x3F) and one final byte (0x40–0x7E) if present.
func csiLen(s string) int {
	i := 0
	for i < len(s) && 0x20 <= s[i] && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && 0x40 <= s[i] && s[i] <= 0x7e {
		i++
	}
	return i
}

// stringLen returns the length of a control string body including its
// terminator: BEL, ESC '\' or U+009C (encoded C2 9C). ESC, CAN and SUB abort
// the string and are not part of it. With no terminator the body is all of s.
func stringLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0x07:
			return i + 1
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case 0x18, 0x1a:
			return i
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x9c {
				return i + 2
			}
		}
	}
	return len(s)
}

package links

import (
	"unicode"
	"unicode/utf8"
)

// hostASCII marks the ASCII characters a host name is made of. '_' is not
// one: it is not valid in host names and marks identifiers. Read-only.
var hostASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['.'] = true, true
	return t
}()

// isHostRune reports whether r can be part of a host. Non-ASCII letters,
// digits and combining marks are allowed for IDN hosts; in scheme-less
// text (scheme false) scripts written without spaces end the host.
func isHostRune(r rune, scheme bool) bool {
	if r < utf8.RuneSelf {
		return hostASCII[r]
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
		return false
	}
	return scheme || !unspaced(r)
}

// unspaced reports whether r belongs to a script that does not separate
// words with spaces, so a link may directly follow a word.
func unspaced(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Thai, r)
}

// runStart returns where the run of host characters that ends at i
// begins, looking no further back than lo.
func runStart(text string, lo, i int) int {
	for i > lo {
		if c := text[i-1]; c < utf8.RuneSelf {
			if !hostASCII[c] {
				break
			}
			i--
			continue
		}
		r, w := utf8.DecodeLastRuneInString(text[lo:i])
		if !isHostRune(r, false) {
			break
		}
		i -= w
	}
	return i
}

// hostClass classes the ASCII host characters (hostASCII) for runEnd: the
// bits are classHost, classDot and classUpper; 0 is not a host character.
// Read-only.
var hostClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		if hostASCII[c] {
			t[c] = classHost
		}
	}
	t['.'] |= classDot
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= classUpper
	}
	return t
}()

const (
	classHost  = 1 << iota
	classDot   // '.'
	classUpper // ASCII upper case, or (in run.class) non-ASCII
)

// runEnd returns the end of the run of host characters starting at s and
// what bareRun needs to know of it; runs without a dot are plain words.
func runEnd(text string, s int) (e int, r run) {
	for e = s; e < len(text); {
		if c := text[e]; c < utf8.RuneSelf {
			k := hostClass[c]
			if k == 0 {
				break
			}
			r.class |= k
			r.dots += int(k>>1) & 1
			e++
			continue
		}
		ch, w := utf8.DecodeRuneInString(text[e:])
		if !isHostRune(ch, false) {
			break
		}
		r.class |= classUpper // ToLower decides for non-ASCII letters
		e += w
	}
	return e, r
}

// run describes a run of host characters: how many dots it has, and the
// union of its characters' classes.
type run struct {
	dots  int
	class uint8
}

// caseful reports whether the run may need lowercasing.
func (r run) caseful() bool { return r.class&classUpper != 0 }

// urlEnd returns the end of the URL whose host starts before i: the next
// white space, or a character that cannot be in a URL and is used to
// delimit one ('<', '>', '"').
func urlEnd(text string, i int) int {
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			return i
		}
		i += w
	}
	return i
}

// startsPath reports whether rest, the text right after a host, continues
// the URL: a path, query, fragment or port.
func startsPath(rest string) bool {
	if rest == "" {
		return false
	}
	switch rest[0] {
	case '/', '?', '#':
		return true
	case ':':
		return len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9'
	}
	return false
}

// glued reports whether the run text[s:e] touches '@' (it is part of an
// e-mail address) or '_' (it is part of an identifier).
func glued(text string, s, e int) bool {
	joins := func(c byte) bool { return c == '@' || c == '_' }
	return (s > 0 && joins(text[s-1])) || (e < len(text) && joins(text[e]))
}

// trimEdges drops the dots and hyphens around a candidate: sentence
// punctuation and ASCII dashes, never part of a host.
func trimEdges(h string) string {
	for h != "" && (h[0] == '.' || h[0] == '-') {
		h = h[1:]
	}
	for h != "" && (h[len(h)-1] == '.' || h[len(h)-1] == '-') {
		h = h[:len(h)-1]
	}
	return h
}

// hasLetter reports whether s has a letter; non-ASCII host characters are
// letters or marks of an IDN label.
func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; (c >= 'a' && c <= 'z') || s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// hasUpper reports whether s has an ASCII upper-case letter.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// isTitle reports whether s is an ASCII word in Title case ("Is", "Org").
func isTitle(s string) bool {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

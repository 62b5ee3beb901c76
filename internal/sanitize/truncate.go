package sanitize

import (
	"unicode"
	"unicode/utf8"
)

const ellipsis = "…"

// Truncate shortens s to at most n runes, the last of which is "…" when s
// was cut. n <= 0 gives "". Runes are counted, not terminal columns.
//
// The cut never separates a rune from the combining marks, variation
// selectors, emoji skin-tone modifiers or zero-width-joined runes that follow
// it: the whole cluster is dropped instead, so "é" written as e + U+0301 is
// never shown as "e" and a family emoji never as a lone person. Regional
// indicator pairs (flags) are not kept together.
//
// Call it on the output of Terminal, so that the count matches what is shown
// (Terminal turns a whole escape sequence into one rune).
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	keep, count := 0, 0 // keep: byte offset where rune number n-1 starts
	for i := range s {
		if count == n-1 {
			keep = i
		}
		if count == n {
			return s[:clusterStart(s, keep)] + ellipsis
		}
		count++
	}
	return s
}

// clusterStart moves the cut at byte offset k back until the rune at k
// starts a new cluster.
func clusterStart(s string, k int) int {
	for k > 0 {
		r, _ := utf8.DecodeRuneInString(s[k:])
		prev, size := utf8.DecodeLastRuneInString(s[:k])
		if !extendsPrevious(r) && prev != zeroWidthJoiner {
			return k
		}
		k -= size
	}
	return 0
}

const zeroWidthJoiner = '\u200d'

// extendsPrevious reports runes that belong to the cluster of the rune
// before them.
func extendsPrevious(r rune) bool {
	return r == zeroWidthJoiner ||
		(0xfe00 <= r && r <= 0xfe0f) || // variation selectors
		(0x1f3fb <= r && r <= 0x1f3ff) || // emoji skin-tone modifiers
		unicode.In(r, unicode.Mn, unicode.Me)
}

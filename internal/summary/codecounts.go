package summary

import (
	"cmp"
	"iter"
	"slices"
	"strings"

	"github.com/spoke-status/spoke-status/internal/keycap"
)

// codeCounts counts ERROR rows by primary code, for a Tally and a link
// domain. A broken export can make 100,000 groups or domains of one code
// each: one code is kept in code and codeN (0: no code yet), without a
// map; codes is made on the second distinct code, and then holds them
// all. When the cap tracks first-seen order (a fork's, merged in input
// order), stamp is when the single code was first seen
// (keycap.Limit.Stamp) and track the order of codes: the maps merged
// into the group past a cap are added in the order of the stamps
// (mergeInOrder). track is a pointer so that the order costs the
// 100,000 tallies of the merged result 8 bytes each.
type codeCounts struct {
	code  string
	codeN int64
	codes map[string]int64
	stamp uint32
	track *codeTrack
}

// codeTrack is the first-seen order of the keys of a codeCounts' map.
type codeTrack struct {
	order  []string
	stamps []uint32 // when each key of order was first seen
}

// order returns the keys of codes as first seen, nil when not tracked.
func (c *codeCounts) order() []string {
	if c.track == nil {
		return nil
	}
	return c.track.order
}

// add counts n rows of code under the cap l (nil: none).
func (c *codeCounts) add(l *keycap.Limit, code string, n int64) {
	if c.codes == nil {
		switch {
		case c.codeN > 0 && c.code == code:
			c.codeN += n
			return
		case c.codeN == 0: // the first code: under any cap
			c.code = strings.Clone(code) // do not keep the row the code is part of
			c.codeN = n
			if l.NewKey() {
				c.stamp = l.Stamp()
			}
			return
		}
		c.toMap(l)
	}
	var order *[]string
	if l.NewKey() {
		if c.track == nil {
			c.track = new(codeTrack)
		}
		order = &c.track.order
	}
	if keycap.Add(l, c.codes, order, code, n) && order != nil {
		c.track.stamps = append(c.track.stamps, l.Stamp())
	}
}

// toMap moves the single code, if any, into a new map of codes (and its
// order, under a tracking cap l).
func (c *codeCounts) toMap(l *keycap.Limit) {
	c.codes = make(map[string]int64, 2)
	if c.codeN > 0 {
		c.codes[c.code] = c.codeN
		if l.NewKey() {
			order := append(make([]string, 0, 2), c.code)
			c.track = &codeTrack{order: order, stamps: append(make([]uint32, 0, 2), c.stamp)}
		}
	}
	c.code, c.codeN = "", 0
}

// untrack drops the first-seen order, once counted under a cap that does
// not track it.
func (c *codeCounts) untrack() { c.track = nil }

// merge adds the codes of o under l, in o's order.
func (c *codeCounts) merge(l *keycap.Limit, o *codeCounts) {
	switch {
	case o.codes == nil:
		if o.codeN > 0 {
			c.add(l, o.code, o.codeN)
		}
		return
	case c.codes == nil:
		c.toMap(l)
	}
	if l.NewKey() {
		for _, k := range keycap.InOrder(o.codes, o.order()) {
			c.add(l, k, o.codes[k])
		}
	} else {
		keycap.MergeCounts(l, c.codes, o.codes, o.order())
	}
}

// stampedCode is a code of a fork's codeCounts, its count and when it
// was first seen.
type stampedCode struct {
	stamp uint32
	code  string
	n     int64
}

// appendStamped appends c's codes to dst, each with its stamp (0 when c
// did not track them: then in sorted order).
func (c *codeCounts) appendStamped(dst []stampedCode) []stampedCode {
	if c.codes == nil {
		if c.codeN > 0 {
			dst = append(dst, stampedCode{c.stamp, c.code, c.codeN})
		}
		return dst
	}
	order := c.order()
	tracked := c.track != nil && len(order) == len(c.codes) && len(c.track.stamps) == len(order)
	for i, k := range keycap.InOrder(c.codes, order) {
		var s uint32
		if tracked {
			s = c.track.stamps[i]
		}
		dst = append(dst, stampedCode{s, k, c.codes[k]})
	}
	return dst
}

// mergeInOrder calls add for each code of srcs, the codeCounts of one
// fork merged into dst (the group or link domain past a cap) under l,
// with its count, in the order the fork first saw the codes in any of
// them: the order a sequential pass adds them in, which decides which
// codes the capped map keeps. A code in several of srcs is added once
// for each.
func mergeInOrder(dst *codeCounts, l *keycap.Limit, srcs []*codeCounts, add func(code string, n int64)) {
	n := 0
	for _, c := range srcs {
		n += c.num()
	}
	if len(srcs) == 1 || !dst.mayFold(l, n) {
		for _, c := range srcs {
			for code, k := range c.all(true) {
				add(code, k)
			}
		}
		return
	}
	all := make([]stampedCode, 0, n)
	for _, c := range srcs {
		all = c.appendStamped(all)
	}
	// Stable: codes without stamps keep the order of srcs.
	slices.SortStableFunc(all, func(a, b stampedCode) int { return cmp.Compare(a.stamp, b.stamp) })
	for _, s := range all {
		add(s.code, s.n)
	}
}

// mayFold reports whether adding n codes to c under l may fold some and
// keep others, depending on their order: not when l does not cap, nor
// when c has room for all, nor when c is full (every new code folds).
func (c *codeCounts) mayFold(l *keycap.Limit, n int) bool {
	if l == nil || l.Max <= 0 {
		return false
	}
	kept := c.num()
	if c.get(keycap.Other) != 0 {
		kept--
	}
	return kept < l.Max && kept+n > l.Max
}

// all yields each code and its count: in the order first seen (see
// keycap.InOrder) when ordered, else in no particular order.
func (c *codeCounts) all(ordered bool) iter.Seq2[string, int64] {
	return func(yield func(string, int64) bool) {
		if c.codes == nil {
			if c.codeN > 0 {
				yield(c.code, c.codeN)
			}
			return
		}
		if !ordered {
			for k, n := range c.codes {
				if !yield(k, n) {
					return
				}
			}
			return
		}
		for _, k := range keycap.InOrder(c.codes, c.order()) {
			if !yield(k, c.codes[k]) {
				return
			}
		}
	}
}

// get returns the count of code.
func (c *codeCounts) get(code string) int64 {
	if c.codes == nil {
		if c.codeN > 0 && c.code == code {
			return c.codeN
		}
		return 0
	}
	return c.codes[code]
}

// num returns the number of distinct codes.
func (c *codeCounts) num() int {
	if c.codes == nil && c.codeN > 0 {
		return 1
	}
	return len(c.codes)
}

// asMap returns the codes as a map, to read only: the own map, or a new
// one when there is one code, nil when none.
func (c *codeCounts) asMap() map[string]int64 {
	if c.codes != nil || c.codeN == 0 {
		return c.codes
	}
	return map[string]int64{c.code: c.codeN}
}

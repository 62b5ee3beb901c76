package summary

import (
	"iter"
	"strings"

	"github.com/spoke-status/spoke-status/internal/keycap"
)

// codeCounts counts ERROR rows by primary code, for a Tally and a link
// domain. A broken export can make 100,000 groups or domains of one code
// each: one code is kept in code and codeN (0: no code yet), without a
// map; codes is made on the second distinct code, and then holds them
// all. codeOrder lists the codes in the order first seen when the cap
// tracks it (a fork's, merged in input order).
type codeCounts struct {
	code      string
	codeN     int64
	codes     map[string]int64
	codeOrder []string
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
				c.codeOrder = append(c.codeOrder, c.code)
			}
			return
		}
		c.toMap()
	}
	k, _ := keycap.Entry(l, c.codes, &c.codeOrder, code)
	c.codes[k] += n
}

// toMap moves the single code, if any, into a new map of codes.
func (c *codeCounts) toMap() {
	c.codes = make(map[string]int64, 2)
	if c.codeN > 0 {
		c.codes[c.code] = c.codeN
	}
	c.code, c.codeN = "", 0
}

// merge adds the codes of o under l, in o's order.
func (c *codeCounts) merge(l *keycap.Limit, o *codeCounts) {
	switch {
	case o.codes == nil:
		if o.codeN > 0 {
			c.add(l, o.code, o.codeN)
		}
		return
	case c.codes == nil:
		c.toMap()
	}
	if l.NewKey() {
		for _, k := range keycap.InOrder(o.codes, o.codeOrder) {
			c.add(l, k, o.codes[k])
		}
	} else {
		keycap.MergeCounts(l, c.codes, o.codes, o.codeOrder)
	}
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
		for _, k := range keycap.InOrder(c.codes, c.codeOrder) {
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

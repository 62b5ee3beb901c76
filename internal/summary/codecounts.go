package summary

import "iter"

// codeCounts counts ERROR rows by primary code, for a Tally, a link domain
// and the segments of ERROR rows. A broken export can make 100,000 groups
// or domains of one code each: one code is kept in code and codeN (0: no
// code yet), without a map; codes is made on the second distinct code,
// and then holds them all.
//
// It needs no cap of its own: the codes counted are those the aggregator
// admits (Aggregator.admit), at most its cap and the codes the registry
// knows, the others counted as keycap.Other. A fork's may hold codes the
// merge then folds (merge's admit).
type codeCounts struct {
	code  string
	codeN int64
	codes map[string]int64
}

// add counts n rows of code. Codes are strings of their own (a code the
// reader handed out as a view, export.Record.CodesViewed, is copied or
// folded by the aggregator first), so a map may keep them.
func (c *codeCounts) add(code string, n int64) {
	if c.codes == nil {
		switch {
		case c.codeN > 0 && c.code == code:
			c.codeN += n
			return
		case c.codeN == 0:
			c.code, c.codeN = code, n
			return
		}
		c.toMap()
	}
	c.codes[code] += n
}

// toMap moves the single code, if any, into a new map of codes.
func (c *codeCounts) toMap() {
	c.codes = make(map[string]int64, 2)
	if c.codeN > 0 {
		c.codes[c.code] = c.codeN
	}
	c.code, c.codeN = "", 0
}

// merge adds the codes of o, each under the key admit gives it (nil:
// as it is; see Aggregator.admission).
func (c *codeCounts) merge(o *codeCounts, admit func(string) string) {
	for code, n := range o.all() {
		c.add(admitted(admit, code), n)
	}
}

// admit counts each code under the key admit gives it (nil: changes
// nothing), for counts handed over whole to a merged result.
func (c *codeCounts) admit(admit func(string) string) {
	switch {
	case admit == nil:
	case c.codes == nil:
		if c.codeN > 0 {
			c.code = admit(c.code)
		}
	default:
		for code := range c.codes {
			if admit(code) != code {
				o := *c
				*c = codeCounts{}
				c.merge(&o, admit)
				return
			}
		}
	}
}

// admitted is admit(code), or code when admit is nil.
func admitted(admit func(string) string, code string) string {
	if admit == nil {
		return code
	}
	return admit(code)
}

// all yields each code and its count, in no particular order.
func (c *codeCounts) all() iter.Seq2[string, int64] {
	return func(yield func(string, int64) bool) {
		if c.codes == nil {
			if c.codeN > 0 {
				yield(c.code, c.codeN)
			}
			return
		}
		for k, n := range c.codes {
			if !yield(k, n) {
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

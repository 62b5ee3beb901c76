package keycap

import "slices"

// maxFolded is the number of distinct folded values a Limit counts
// exactly (8 MB of hashes); past it the warning says "at least", so that
// a broken export of tens of millions of distinct values keeps memory
// flat.
const maxFolded = 1 << 20

// foldBlock is the number of hashes of a block a foldSet appends to.
const foldBlock = 1024

// compactAt is the number of hashes, repeats and room included, past
// which a foldSet compacts them (16 MB; counting takes as much again).
const compactAt = 2 * maxFolded

// foldSet counts distinct values by their 64-bit hashes (two values
// sharing one are a negligible miscount). Hashes are appended to blocks
// as they come, and rid of repeats only when counted or when compactAt
// pile up (distinct), where sorting every few thousand hashes and merging
// the runs cost a mispredicted comparison and a merge step per hash.
// Absorbing a fork's set takes its blocks, copying nothing.
type foldSet struct {
	// blocks hold the hashes noted, with repeats; when compact, there is
	// one, of distinct hashes (the last compaction's).
	blocks  [][]uint64
	size    int  // the blocks' capacity
	compact bool // blocks[0] is the last compaction's, and nothing was added since
	// atLeast, when not 0, is how many distinct values were counted when
	// the count stopped at maxFolded.
	atLeast int
}

func (s *foldSet) add(h uint64) {
	if s.atLeast > 0 {
		return
	}
	n := len(s.blocks)
	if n > 0 {
		last := s.blocks[n-1]
		if k := len(last); k > 0 && last[k-1] == h {
			return // rows in a row folding the same value
		}
		if len(last) < cap(last) {
			s.blocks[n-1] = append(last, h)
			s.compact = false
			return
		}
	}
	s.blocks = append(s.blocks, append(make([]uint64, 0, foldBlock), h))
	s.size += foldBlock
	s.compact = false
	if s.size >= compactAt {
		s.compactOrStop()
	}
}

// compactOrStop drops the repeated hashes, and stops
// counting once there are maxFolded distinct ones.
func (s *foldSet) compactOrStop() {
	if !s.compact {
		all := distinct(s.blocks)
		s.blocks, s.size, s.compact = nil, 0, true
		if len(all) > 0 {
			s.blocks, s.size = [][]uint64{all}, cap(all)
		}
	}
	if n := s.len(); n >= maxFolded {
		s.stop(n)
	}
}

// len is the number of hashes in the blocks.
func (s *foldSet) len() int {
	n := 0
	for _, b := range s.blocks {
		n += len(b)
	}
	return n
}

func (s *foldSet) stop(n int) {
	*s = foldSet{atLeast: n}
}

// absorb adds the hashes of o, which must not be used afterwards.
func (s *foldSet) absorb(o *foldSet) {
	switch {
	case s.atLeast > 0:
		return
	case o.atLeast > 0:
		s.compactOrStop()
		s.stop(max(o.atLeast, s.atLeast, s.len()))
		return
	case len(o.blocks) == 0:
		return
	}
	s.blocks = append(s.blocks, o.blocks...)
	s.size += o.size
	s.compact = false
	*o = foldSet{}
	if s.size >= compactAt {
		s.compactOrStop()
	}
}

// count returns the number of distinct hashes, and false when counting
// stopped at maxFolded (there were at least that many).
func (s *foldSet) count() (int, bool) {
	if s.atLeast == 0 {
		s.compactOrStop()
		if s.atLeast == 0 {
			return s.len(), true
		}
	}
	return s.atLeast, false
}

// distinct returns the distinct hashes of blocks, in new memory of their
// number. The hashes are spread by their top byte into 256 buckets (two
// sequential passes), and the repeats of each bucket, a cache's worth,
// found in a small hash table: two passes and a lookup in cache a hash,
// where a radix sort took eight passes.
func distinct(blocks [][]uint64) []uint64 {
	var counts [256]int
	n := 0
	for _, b := range blocks {
		n += len(b)
		for _, x := range b {
			counts[x>>56]++
		}
	}
	all := make([]uint64, n)
	var offs [256]int
	sum, most := 0, 0
	for i, c := range counts {
		offs[i] = sum
		sum += c
		most = max(most, c)
	}
	for _, b := range blocks {
		for _, x := range b {
			all[offs[x>>56]] = x
			offs[x>>56]++
		}
	}
	bits := 4
	for 1<<bits < 2*most {
		bits++
	}
	table := make([]uint64, 1<<bits) // 0: empty
	w, lo := 0, 0
	for _, c := range counts {
		if c == 0 {
			continue
		}
		b := 4
		for 1<<b < 2*c {
			b++
		}
		t := table[:1<<b]
		clear(t)
		mask := uint64(len(t) - 1)
		zero := false
		for _, x := range all[lo : lo+c] {
			// all[w] is at most where x was read: never ahead.
			if x == 0 {
				if !zero {
					zero = true
					all[w] = 0
					w++
				}
				continue
			}
			i := (x * 0x9E3779B97F4A7C15) >> (64 - b)
			for t[i] != 0 && t[i] != x {
				i = (i + 1) & mask
			}
			if t[i] == 0 {
				t[i] = x
				all[w] = x
				w++
			}
		}
		lo += c
	}
	if w < n/2 {
		return slices.Clone(all[:w]) // free the room of the repeats
	}
	return all[:w:w]
}

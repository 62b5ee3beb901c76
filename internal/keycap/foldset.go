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
// as they come, and sorted and rid of repeats only when counted or when
// compactAt pile up: a radix sort, a few sequential passes, where sorting
// every few thousand hashes and merging the runs cost a mispredicted
// comparison and a merge step per hash. Absorbing a fork's set takes its
// blocks, copying nothing.
type foldSet struct {
	// blocks hold the hashes noted, with repeats; when compact, the
	// first is sorted and distinct (the last compaction's).
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
			return // the maps of one row fold the same value in turn
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

// compactOrStop sorts the hashes and drops the repeats, and stops
// counting once there are maxFolded distinct ones.
func (s *foldSet) compactOrStop() {
	if !s.compact {
		all := distinctSorted(s.blocks)
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

// distinctSorted returns the distinct hashes of blocks, sorted, in new
// memory of their number. The hashes are spread by their top byte into
// 256 buckets (one pass), and each bucket, a cache's worth, is radix
// sorted on its other bytes.
func distinctSorted(blocks [][]uint64) []uint64 {
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
	scratch := make([]uint64, most)
	w, lo, prev := 0, 0, uint64(0)
	for _, c := range counts {
		bucket := radixSort(all[lo:lo+c], scratch[:c], 7)
		lo += c
		for i, x := range bucket {
			// all[w] is at most where bucket[i] was read: never ahead.
			if i == 0 || x != prev {
				all[w] = x
				w++
			}
			prev = x
		}
	}
	if w < n/2 {
		return slices.Clone(all[:w]) // free the room of the repeats
	}
	return all[:w:w]
}

// radixSort sorts a on its low bytes (up to 8; the others are equal) and returns
// the sorted values: a or buf, which must be as long. A least
// significant digit radix sort, a byte a pass, skipping the bytes all
// values share.
func radixSort(a, buf []uint64, bytes int) []uint64 {
	if len(a) < 64 {
		slices.Sort(a)
		return a
	}
	var counts [8][256]int
	for _, x := range a {
		for d := range bytes {
			counts[d][byte(x>>(8*d))]++
		}
	}
	src, dst := a, buf
	for d := range bytes {
		c := &counts[d]
		if c[byte(src[0]>>(8*d))] == len(src) {
			continue // every value has this byte
		}
		var offs [256]int
		sum := 0
		for i, k := range c {
			offs[i] = sum
			sum += k
		}
		shift := uint(8 * d)
		for _, x := range src {
			b := byte(x >> shift)
			dst[offs[b]] = x
			offs[b]++
		}
		src, dst = dst, src
	}
	return src
}

package keycap

import (
	"math"
	"math/bits"
	"slices"
)

// maxFolded is the number of distinct folded values a Limit counts
// exactly (512 KB of hashes); past it a foldSet estimates the count with
// a HyperLogLog sketch of 16 KB, so that a broken export of millions of
// distinct values costs flat memory and no allocation a value, and the
// warning says "about".
const maxFolded = 1 << 16

// foldBlock is the number of hashes of a block a foldSet appends to.
const foldBlock = 1024

// compactAt is 2*maxFolded: the most hashes, repeats and room
// included, a foldSet holds before it compacts them (1 MB; counting takes
// as much again).
const compactAt = 2 * maxFolded

// foldSet counts distinct values by their 64-bit hashes (two values
// sharing one are a negligible miscount). Hashes are appended to blocks
// as they come, and rid of repeats only when counted or when maxFolded
// more than the last compaction kept pile up (distinct): on a broken
// export, as soon as there can be more than maxFolded distinct ones, so
// that the switch to a sketch comes early; each compaction reads at
// least maxFolded new hashes, so they cost a few reads a hash in all
// (distinct), where sorting every few thousand hashes and merging
// the runs cost a mispredicted comparison and a merge step per hash.
// Absorbing a fork's set takes its blocks, copying nothing.
//
// Past maxFolded distinct hashes the set switches to a sketch: the
// hashes go into it and the blocks are dropped, and from then on a hash
// only raises a register.
type foldSet struct {
	// blocks hold the hashes noted, with repeats; when compact, there is
	// one, of distinct hashes (the last compaction's). nil once sketch is
	// set.
	blocks  [][]uint64
	size    int  // the blocks' capacity
	compact bool // blocks[0] is the last compaction's, and nothing was added since
	kept    int  // the hashes the last compaction kept, in blocks[0]
	// sketch, when not nil, estimates the count in place of blocks.
	sketch *sketch
}

func (s *foldSet) add(h uint64) {
	if s.sketch != nil {
		s.sketch.add(h)
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
	if s.size > maxFolded+s.kept {
		s.compactOrSwitch()
	}
}

// compactOrSwitch drops the repeated hashes, and switches to a sketch
// once there are more than maxFolded distinct ones.
func (s *foldSet) compactOrSwitch() {
	if s.sketch != nil || s.compact {
		return
	}
	all := distinct(s.blocks)
	s.blocks, s.size, s.compact, s.kept = nil, 0, true, 0
	if len(all) > maxFolded {
		s.toSketch(new(sketch), [][]uint64{all})
		return
	}
	if len(all) > 0 {
		s.blocks, s.size, s.kept = [][]uint64{all}, cap(all), len(all)
	}
}

// toSketch makes s estimate with k, into which the hashes of blocks
// (repeats do no harm) and of s's own blocks go.
func (s *foldSet) toSketch(k *sketch, blocks [][]uint64) {
	for _, bs := range [][][]uint64{s.blocks, blocks} {
		for _, b := range bs {
			for _, h := range b {
				k.add(h)
			}
		}
	}
	*s = foldSet{sketch: k}
}

// len is the number of hashes in the blocks.
func (s *foldSet) len() int {
	n := 0
	for _, b := range s.blocks {
		n += len(b)
	}
	return n
}

// absorb adds the hashes of o, which must not be used afterwards. When
// either set estimates, the result does: sketches merge register by
// register, and the hashes of an exact set go into the sketch.
func (s *foldSet) absorb(o *foldSet) {
	switch {
	case o.sketch != nil && s.sketch != nil:
		s.sketch.merge(o.sketch)
	case o.sketch != nil:
		s.toSketch(o.sketch, nil) // o's sketch is s's now
	case s.sketch != nil:
		s.toSketch(s.sketch, o.blocks)
	case len(o.blocks) == 0:
		return
	default:
		s.blocks = append(s.blocks, o.blocks...)
		s.size += o.size
		s.compact = false
		if s.size > maxFolded+s.kept {
			s.compactOrSwitch()
		}
	}
	*o = foldSet{}
}

// count returns the number of distinct hashes, exactly and true up to
// maxFolded, else an estimate and false.
func (s *foldSet) count() (int, bool) {
	s.compactOrSwitch()
	if s.sketch != nil {
		return s.sketch.estimate(), false
	}
	return s.len(), true
}

// sketchBits is the precision of a sketch: 2^14 registers (16 KB), a
// standard error of 1.04/sqrt(16384), about 0.8%: 399,000 distinct values
// read "about 400000".
const sketchBits = 14

// sketch is a HyperLogLog sketch of 64-bit hashes (Flajolet et al.,
// 2007): the top sketchBits bits of a hash pick a register, which keeps
// the most leading zeros (plus one) seen in the rest of the hashes it
// got. With 64-bit hashes no large-range correction is needed. The bits
// must be random, as xxhash's are (hashKey): a product of a counter and a
// constant, whose low bits follow its high ones, makes it overestimate
// by most of twice.
type sketch [1 << sketchBits]uint8

func (k *sketch) add(h uint64) {
	// The guard bit below the rest of the hash bounds the rank at
	// 64-sketchBits+1 when the rest is all zeros.
	rest := h<<sketchBits | 1<<(sketchBits-1)
	r := uint8(bits.LeadingZeros64(rest) + 1)
	if i := h >> (64 - sketchBits); r > k[i] {
		k[i] = r
	}
}

// merge makes k the sketch of the union of its hashes and o's.
func (k *sketch) merge(o *sketch) {
	for i, r := range o {
		k[i] = max(k[i], r)
	}
}

// estimate is the number of distinct hashes added, about.
func (k *sketch) estimate() int {
	const m = float64(len(k))
	sum, zeros := 0.0, 0
	for _, r := range k {
		sum += math.Float64frombits(uint64(1023-int(r)) << 52) // 2^-r, r ≤ 53
		if r == 0 {
			zeros++
		}
	}
	e := 0.7213 / (1 + 1.079/m) * m * m / sum
	// A set only estimates past maxFolded, far above 2.5m, where the raw
	// estimate is unbiased; the small-range branch (linear counting) only
	// serves a sketch with few hashes, as in tests.
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros))
	}
	return int(math.Round(e))
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

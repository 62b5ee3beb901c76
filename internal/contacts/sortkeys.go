package contacts

import (
	"math/bits"
	"slices"
)

// sortKeys sorts keys as slices.SortFunc(keys, t.compareKeys) does. When
// no key has a long cell, the comparison needs only the keys, and this
// quicksort compares them inline: pdqsort through a comparison function
// was about a quarter of the output's CPU time.
func (t *table) sortKeys(keys []sortKey) {
	for i := range keys {
		if keys[i].n == longCell {
			slices.SortFunc(keys, t.compareKeys)
			return
		}
	}
	quickSortKeys(keys, 2*bits.Len(uint(len(keys))))
}

// keyLess orders keys without long cells as compareKeys does.
func keyLess(x, y *sortKey) bool {
	if x.rank != y.rank {
		return x.rank < y.rank
	}
	if x.hi != y.hi {
		return x.hi < y.hi
	}
	if x.lo != y.lo {
		return x.lo < y.lo
	}
	return x.n < y.n
}

// quickSortKeys sorts k: median-of-three quicksort, insertion sort for
// short runs, and heapsort once depth is spent (no input makes it
// quadratic).
func quickSortKeys(k []sortKey, depth int) {
	for len(k) > 12 {
		if depth == 0 {
			heapSortKeys(k)
			return
		}
		depth--
		// The median of the first, middle and last key goes to k[0].
		m, l := len(k)/2, len(k)-1
		if keyLess(&k[m], &k[0]) {
			k[m], k[0] = k[0], k[m]
		}
		if keyLess(&k[l], &k[m]) {
			k[l], k[m] = k[m], k[l]
			if keyLess(&k[m], &k[0]) {
				k[m], k[0] = k[0], k[m]
			}
		}
		k[0], k[m] = k[m], k[0]
		pivot := k[0]
		// Hoare partition: k[1:i] <= pivot, k[j+1:] >= pivot.
		i, j := 1, l
		for {
			for i <= j && keyLess(&k[i], &pivot) {
				i++
			}
			for i <= j && keyLess(&pivot, &k[j]) {
				j--
			}
			if i >= j {
				break
			}
			k[i], k[j] = k[j], k[i]
			i++
			j--
		}
		k[0], k[j] = k[j], k[0]
		// Recurse into the shorter side, loop on the longer.
		if j < len(k)-j {
			quickSortKeys(k[:j], depth)
			k = k[j+1:]
		} else {
			quickSortKeys(k[j+1:], depth)
			k = k[:j]
		}
	}
	for i := 1; i < len(k); i++ {
		for j := i; j > 0 && keyLess(&k[j], &k[j-1]); j-- {
			k[j], k[j-1] = k[j-1], k[j]
		}
	}
}

func heapSortKeys(k []sortKey) {
	down := func(root, n int) {
		for {
			c := 2*root + 1
			if c >= n {
				return
			}
			if c+1 < n && keyLess(&k[c], &k[c+1]) {
				c++
			}
			if !keyLess(&k[root], &k[c]) {
				return
			}
			k[root], k[c] = k[c], k[root]
			root = c
		}
	}
	for i := len(k)/2 - 1; i >= 0; i-- {
		down(i, len(k))
	}
	for i := len(k) - 1; i > 0; i-- {
		k[0], k[i] = k[i], k[0]
		down(0, i)
	}
}

// compactSorter sorts a part's keys by their bits that differ, as one
// word each: within a part the keys mostly share their campaign's rank
// and the first digits of their cells, and a digit ('0' to '9') differs
// from another in its low 4 bits only, so the bits that differ between
// some two keys (about 40 for a part of E.164 numbers) and the key's
// position in the part fit in 64 bits. Comparing (rank, hi, lo, n) as
// one string of 192 bits is comparing the bits that differ, in the same
// order: the others are the same in every key. A radix sort of these
// words took a third of the time of quickSortKeys (BenchmarkSortKeys).
// A Lister keeps one, so its buffers are reused from part to part.
type compactSorter struct {
	words, spare []uint64
}

// run is a stretch of bits that differ between keys: width bits of word
// (0: rank, 1: hi, 2: lo, 3: n) from bit shift up.
type run struct {
	word, shift, width uint8
}

// minCompact is the fewest keys the compact sort is tried on: below it,
// finding the bits that differ costs more than it saves.
const minCompact = 256

// sort returns keys' positions in sorted order, as the low posBits bits
// of words that are sorted; ok is false (and keys untouched) when keys
// have a long cell, are too few, or differ in too many bits for a word:
// sortKeys sorts them then.
func (c *compactSorter) sort(keys []sortKey) (sorted []uint64, posBits uint, ok bool) {
	if len(keys) < minCompact || len(keys) > 1<<32 {
		return nil, 0, false
	}
	first := &keys[0]
	var diff [4]uint64
	for i := range keys {
		k := &keys[i]
		if k.n == longCell {
			return nil, 0, false
		}
		diff[0] |= uint64(k.rank ^ first.rank)
		diff[1] |= k.hi ^ first.hi
		diff[2] |= k.lo ^ first.lo
		diff[3] |= uint64(k.n ^ first.n)
	}
	posBits = uint(bits.Len(uint(len(keys) - 1)))
	keyBits := uint(0)
	for _, d := range diff {
		keyBits += uint(bits.OnesCount64(d))
	}
	if keyBits+posBits > 64 {
		return nil, 0, false
	}
	// A word whose bytes differ in their low 4 bits only (digits) is
	// read as its 8 low nibbles: its differing bits then come in a few
	// long stretches, not one a byte.
	var nibbles [4]bool
	for w, d := range diff {
		if d&highNibbles == 0 {
			nibbles[w] = true
			diff[w] = lowNibbles(d)
		}
	}
	// The stretches of differing bits, most significant first.
	var runs [64]run
	nr := 0
	for w := range diff {
		d := diff[w]
		for d != 0 {
			top := 63 - bits.LeadingZeros64(d)                    // highest differing bit
			rest := min(top+1, bits.LeadingZeros64(^d<<(63-top))) // ones from it down
			shift := top + 1 - rest
			runs[nr] = run{word: uint8(w), shift: uint8(shift), width: uint8(rest)}
			nr++
			d &^= (1<<rest - 1) << shift
		}
	}
	words := slices.Grow(c.words[:0], len(keys))[:len(keys)]
	for i := range keys {
		k := &keys[i]
		ws := [4]uint64{uint64(k.rank), k.hi, k.lo, uint64(k.n)}
		for w, on := range nibbles {
			if on {
				ws[w] = lowNibbles(ws[w])
			}
		}
		var v uint64
		for _, r := range runs[:nr] {
			v = v<<r.width | ws[r.word]>>r.shift&(1<<r.width-1)
		}
		words[i] = v<<posBits | uint64(i)
	}
	spare := slices.Grow(c.spare[:0], len(keys))[:len(keys)]
	sorted = radixSort(words, spare, posBits, posBits+keyBits)
	c.words, c.spare = words, spare
	return sorted, posBits, true
}

const highNibbles = 0xF0F0F0F0F0F0F0F0

// lowNibbles packs the low 4 bits of x's bytes, in their order, into the
// low 32 bits: for x whose high nibbles are the same in every key, the
// packed words compare as the words do.
func lowNibbles(x uint64) uint64 {
	x &^= highNibbles
	x = (x | x>>4) & 0x00FF00FF00FF00FF
	x = (x | x>>8) & 0x0000FFFF0000FFFF
	return (x | x>>16) & 0xFFFFFFFF
}

// radixSort sorts words by their bits from bit from up to bit to, 8 at a
// time from the lowest (LSD: each pass is stable), using spare (as long
// as words) for the passes; it returns whichever of the two holds the
// result. The bits below from are only carried.
func radixSort(words, spare []uint64, from, to uint) []uint64 {
	src, dst := words, spare
	for shift := from; shift < to; shift += 8 {
		var count [256]uint32
		for _, w := range src {
			count[uint8(w>>shift)]++
		}
		sum := uint32(0)
		for d, n := range count {
			count[d] = sum
			sum += n
		}
		for _, w := range src {
			d := uint8(w >> shift)
			dst[count[d]] = w
			count[d]++
		}
		src, dst = dst, src
	}
	return src
}

// Package hashpart keeps per-contact entries merged from parts of an input
// read in parallel: entries keyed by a 64-bit hash, split into partitions
// by the top bits of the key, where several entries of one key are merged
// in place now and then. It serves the analyses that follow every contact
// of an export (the signals' tracker, summarize's reply counts).
//
// Why not one hash table of the whole input: the parts' entries would be
// inserted at random places of a table too large for the caches, a memory
// fetch each, one after another on the goroutine that merges the parts in
// input order, while the table grows by copying. Appending an entry to a
// partition is a write to the end of one of 256 blocks, and a partition of
// an export of 2 million contacts (about 8,000 entries) merges its
// duplicates in the caches; the last merge runs on every core.
package hashpart

import (
	"math/bits"
	"sync"
	"unsafe"
)

const (
	// Bits of the key that choose the partition.
	Bits       = 8
	partitions = 1 << Bits
	// blockBytes is the size of a partition's blocks: a partition grows
	// without copying and wastes less than a block.
	blockBytes = 16 << 10
	// minCompact: a partition first merges its duplicates at twice this
	// many entries.
	minCompact = 1024
	minIndex   = 4096
	fibonacci  = 0x9E3779B97F4A7C15
)

// Partitions holds entries of type E. The zero value is not usable: see
// New.
type Partitions[E any] struct {
	parts []partition[E] // nil until the first Add
	// blockLen entries of a block: a power of two, 1<<blockShift.
	blockLen, blockShift int
	key                  func(*E) uint64
	merge                func(into, from *E)
	scratch              []uint32
}

// New returns empty Partitions. key returns an entry's key, a 64-bit hash
// whose top bits are well mixed; merge(into, from) folds the entry from
// into the entry into of the same key, and must give the same result
// whichever of them came first: entries are merged in no particular order.
func New[E any](key func(*E) uint64, merge func(into, from *E)) *Partitions[E] {
	var e E
	shift := bits.Len(uint(blockBytes/max(1, int(unsafe.Sizeof(e))))) - 1
	shift = max(shift, 0)
	return &Partitions[E]{blockLen: 1 << shift, blockShift: shift, key: key, merge: merge}
}

// partition holds the entries whose keys share their top bits.
type partition[E any] struct {
	blocks [][]E
	n      int // entries
	// settled is n after the last compact: the entries up to it have
	// different keys.
	settled int
}

func (p *Partitions[E]) at(pt *partition[E], i int) *E {
	return &pt.blocks[i>>p.blockShift][i&(p.blockLen-1)]
}

// Add appends a copy of e, whose key is key. A partition that doubled since
// it last merged its duplicates merges them, so there are at most about
// twice as many entries as keys.
func (p *Partitions[E]) Add(key uint64, e *E) {
	if p.parts == nil {
		p.parts = make([]partition[E], partitions)
	}
	pt := &p.parts[key>>(64-Bits)]
	if pt.n == len(pt.blocks)*p.blockLen {
		pt.blocks = append(pt.blocks, make([]E, p.blockLen))
	}
	*p.at(pt, pt.n) = *e
	pt.n++
	if pt.n >= 2*max(pt.settled, minCompact) {
		p.scratch = p.compact(pt, p.scratch)
	}
}

// compact merges each key's entries into its first, in place; idx is
// scratch memory, returned for the next call.
func (p *Partitions[E]) compact(pt *partition[E], idx []uint32) []uint32 {
	if pt.n == pt.settled {
		return idx
	}
	size := minIndex
	for size < 2*pt.n {
		size *= 2
	}
	if cap(idx) < size {
		idx = make([]uint32, size)
	}
	idx = idx[:size]
	clear(idx)
	shift := uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	w := 0
	for r := 0; r < pt.n; r++ {
		e := p.at(pt, r)
		k := p.key(e)
		for i := (k * fibonacci) >> shift; ; i = (i + 1) & mask {
			j := idx[i]
			if j == 0 {
				if w != r {
					*p.at(pt, w) = *e
				}
				w++
				idx[i] = uint32(w)
				break
			}
			if d := p.at(pt, int(j-1)); p.key(d) == k {
				p.merge(d, e)
				break
			}
		}
	}
	used := (w + p.blockLen - 1) / p.blockLen
	clear(pt.blocks[used:])
	pt.blocks = pt.blocks[:used]
	pt.n, pt.settled = w, w
	return idx
}

// Settle leaves one entry per key, merging the partitions on workers
// goroutines (at least one).
func (p *Partitions[E]) Settle(workers int) {
	if p.parts == nil {
		return
	}
	workers = max(1, min(workers, partitions))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var idx []uint32
			for i := w; i < partitions; i += workers {
				idx = p.compact(&p.parts[i], idx)
			}
		}()
	}
	wg.Wait()
}

// Each calls f with every entry, in partition order (the order of the
// keys' top bits), several per key unless settled.
func (p *Partitions[E]) Each(f func(*E)) {
	for i := range p.parts {
		pt := &p.parts[i]
		for j := 0; j < pt.n; j++ {
			f(p.at(pt, j))
		}
	}
}

// Len returns the number of entries: of keys once settled.
func (p *Partitions[E]) Len() int {
	n := 0
	for i := range p.parts {
		n += p.parts[i].n
	}
	return n
}

// Used reports whether any entry was added.
func (p *Partitions[E]) Used() bool { return p.parts != nil }

// Starts are the bounds of the partitions' runs in entries sorted by
// SortByPartition: partition i's entries are [Starts[i], Starts[i+1]).
type Starts [partitions + 1]int32

// SortByPartition copies src into dst (grown as needed and returned) in
// the order of their partitions, keeping the order of src within each,
// and sets starts to the bounds of the runs. It needs no Partitions: a
// part read on a worker sorts its entries there, so that AddSorted on the
// goroutine that merges the parts copies runs instead of entries one by
// one. src holds fewer than 2^31 entries.
func SortByPartition[E any](dst, src []E, key func(*E) uint64, starts *Starts) []E {
	var counts [partitions]int32
	for i := range src {
		counts[key(&src[i])>>(64-Bits)]++
	}
	n := int32(0)
	for i, c := range counts {
		starts[i] = n
		counts[i] = n // the next place of partition i
		n += c
	}
	starts[partitions] = n
	if cap(dst) < len(src) {
		dst = make([]E, len(src))
	}
	dst = dst[:len(src)]
	for i := range src {
		pi := key(&src[i]) >> (64 - Bits)
		dst[counts[pi]] = src[i]
		counts[pi]++
	}
	return dst
}

// AddSorted adds the entries of sorted, sorted by SortByPartition with the
// bounds starts, as Add would add each.
func (p *Partitions[E]) AddSorted(sorted []E, starts *Starts) {
	if len(sorted) == 0 {
		return
	}
	if p.parts == nil {
		p.parts = make([]partition[E], partitions)
	}
	for i := range p.parts {
		run := sorted[starts[i]:starts[i+1]]
		if len(run) == 0 {
			continue
		}
		pt := &p.parts[i]
		for len(run) > 0 {
			if pt.n == len(pt.blocks)*p.blockLen {
				pt.blocks = append(pt.blocks, make([]E, p.blockLen))
			}
			b := pt.blocks[pt.n>>p.blockShift]
			k := copy(b[pt.n&(p.blockLen-1):], run)
			run = run[k:]
			pt.n += k
		}
		if pt.n >= 2*max(pt.settled, minCompact) {
			p.scratch = p.compact(pt, p.scratch)
		}
	}
}

// Spares keep up to Max values of merged parts (their tables, their lists
// of entries) for the parts made next, which would otherwise grow theirs
// from nothing and touch fresh memory. Parts are made on the workers,
// hence the lock. A nil Spares keeps nothing.
type Spares[T any] struct {
	Max  int
	mu   sync.Mutex
	free []T
}

// Get returns a kept value, or false when none is kept.
func (s *Spares[T]) Get() (T, bool) {
	var v T
	if s == nil {
		return v, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.free)
	if n == 0 {
		return v, false
	}
	v = s.free[n-1]
	s.free = s.free[:n-1]
	return v, true
}

// Put keeps v, emptied by the caller, unless Max values are kept.
func (s *Spares[T]) Put(v T) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.free) < s.Max {
		s.free = append(s.free, v)
	}
}

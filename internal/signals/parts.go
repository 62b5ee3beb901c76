package signals

import (
	"math/bits"
	"runtime"
	"sync"
)

// Parts read in parallel. A part (a tracker from Fork) keeps its contacts
// in a small table of its own, in the caches while the part is read. At
// the merge its contacts are not inserted into one table of the whole
// export, where each would land at a random place too large for the
// caches (a memory fetch per contact, on the one goroutine that merges,
// while the table grows a shard at a time); they are appended to one of
// 256 partitions by the top bits of their key, and each partition merges
// the entries of one contact in place when it has doubled since the last
// time, and once at the end on every core (settle). A partition of an
// export of 2 million contacts holds about 8,000: its merge runs in the
// caches.

// partTable is the table of a part: the contacts in the order first seen,
// and an index of their positions.
type partTable struct {
	recs []contact
	// idx holds the position+1 of a contact in recs, 0 for an empty slot;
	// its size is a power of two, kept at least twice len(recs).
	idx   []uint32
	shift uint // 64 - log2(len(idx))
	last  int  // position+1 of the last contact looked up, 0 for none
}

// minPartIndex is the smallest index of a part: 4096 slots (16 KiB), for
// 2,048 contacts, grown by doubling; a 1 MiB chunk of an export has about
// 3,000.
const minPartIndex = 4096

// upsert returns key's entry, a zero one (but for the key) when new. The
// entry is valid until the next upsert.
func (p *partTable) upsert(key uint64) *contact {
	if p.last > 0 && p.recs[p.last-1].key == key {
		return &p.recs[p.last-1]
	}
	if 2*(len(p.recs)+1) > len(p.idx) {
		p.grow()
	}
	mask := uint64(len(p.idx) - 1)
	for i := (key * fibonacci) >> p.shift; ; i = (i + 1) & mask {
		r := p.idx[i]
		if r == 0 {
			p.recs = append(p.recs, contact{key: key})
			p.idx[i] = uint32(len(p.recs))
			p.last = len(p.recs)
			return &p.recs[len(p.recs)-1]
		}
		if p.recs[r-1].key == key {
			p.last = int(r)
			return &p.recs[r-1]
		}
	}
}

func (p *partTable) grow() {
	size := max(minPartIndex, 2*len(p.idx))
	p.idx = make([]uint32, size)
	p.shift = uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	for r := range p.recs {
		i := (p.recs[r].key * fibonacci) >> p.shift
		for p.idx[i] != 0 {
			i = (i + 1) & mask
		}
		p.idx[i] = uint32(r + 1)
	}
}

// spareTables keep the tables of merged parts for the next forks, which
// would otherwise allocate about 128 KiB each (a 1 MiB chunk's contacts)
// and touch fresh memory. Forks are made on the workers, hence the lock.
type spareTables struct {
	mu   sync.Mutex
	free []*partTable
}

// maxSpareTables bounds the tables kept: about as many as parts in flight.
const maxSpareTables = 16

func (s *spareTables) get() *partTable {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.free); n > 0 {
		p := s.free[n-1]
		s.free = s.free[:n-1]
		return p
	}
	return &partTable{}
}

// put keeps p, emptied, unless enough are kept.
func (s *spareTables) put(p *partTable) {
	p.recs = p.recs[:0]
	clear(p.idx)
	p.last = 0
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.free) < maxSpareTables {
		s.free = append(s.free, p)
	}
}

const (
	partitionBits = 8
	partitions    = 1 << partitionBits
	// blockLen contacts make a block of a partition: 16 KiB, so that a
	// partition grows without copying and wastes less than a block.
	blockLen = 512
	// minCompact: a partition first merges its duplicates at twice this
	// many entries.
	minCompact = 1024
)

type block [blockLen]contact

// partition holds merged contacts whose keys share their top bits; one
// contact may have several entries until compact.
type partition struct {
	blocks []*block
	n      int // entries
	// settled is n after the last compact: every entry up to it is of a
	// different contact.
	settled int
}

func partitionOf(key uint64) int { return int(key >> (64 - partitionBits)) }

func (p *partition) at(i int) *contact { return &p.blocks[i/blockLen][i%blockLen] }

func (p *partition) add(c *contact) {
	if p.n == len(p.blocks)*blockLen {
		p.blocks = append(p.blocks, new(block))
	}
	*p.at(p.n) = *c
	p.n++
}

// full reports whether the partition has doubled since its last compact,
// so that its entries stay within twice its contacts.
func (p *partition) full() bool { return p.n >= 2*max(p.settled, minCompact) }

// compact merges each contact's entries into its first, in place; idx is
// scratch memory, returned for the next call.
func (p *partition) compact(idx []uint32) []uint32 {
	if p.n == p.settled {
		return idx
	}
	size := minPartIndex
	for size < 2*p.n {
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
	for r := 0; r < p.n; r++ {
		c := p.at(r)
		i := (c.key * fibonacci) >> shift
		for {
			j := idx[i]
			if j == 0 {
				if w != r {
					*p.at(w) = *c
				}
				w++
				idx[i] = uint32(w)
				break
			}
			if d := p.at(int(j - 1)); d.key == c.key {
				mergeInto(d, c)
				break
			}
			i = (i + 1) & mask
		}
	}
	used := (w + blockLen - 1) / blockLen
	clear(p.blocks[used:])
	p.blocks = p.blocks[:used]
	p.n, p.settled = w, w
	return idx
}

// mergeInto merges into c another entry oc of the same contact: the
// earlier initial text (moments are a total order, so the result does not
// depend on which came first), and a reply from either.
func mergeInto(c, oc *contact) {
	if oc.meta&hasInitial != 0 && (c.meta&hasInitial == 0 || oc.at.Before(c.at)) {
		replied := c.meta & contactReplied
		*c = *oc
		c.meta |= replied
		return
	}
	c.meta |= oc.meta & contactReplied
}

// settle leaves one entry per contact: the contacts of the table (rows
// added to t itself) join the partitions when any part was merged, and
// every partition is compacted, on every core.
func (t *ContactTracker) settle() {
	if t.parts == nil {
		return
	}
	if t.contacts.n > 0 {
		t.contacts.each(func(c *contact) { t.parts[partitionOf(c.key)].add(c) })
		t.contacts = contactTable{}
	}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var idx []uint32
			for p := w; p < partitions; p += workers {
				idx = t.parts[p].compact(idx)
			}
		}()
	}
	wg.Wait()
}

// place adds a merged contact to its partition.
func (t *ContactTracker) place(c *contact) {
	if t.parts == nil {
		t.parts = make([]partition, partitions)
	}
	p := &t.parts[partitionOf(c.key)]
	p.add(c)
	if p.full() {
		t.scratchIdx = p.compact(t.scratchIdx)
	}
}

// eachEntry calls f with every entry t holds (several per contact before
// settle), in no particular order.
func (t *ContactTracker) eachEntry(f func(*contact)) {
	t.contacts.each(f)
	if t.part != nil {
		for i := range t.part.recs {
			f(&t.part.recs[i])
		}
	}
	for p := range t.parts {
		pt := &t.parts[p]
		for i := 0; i < pt.n; i++ {
			f(pt.at(i))
		}
	}
}

// count is the number of entries, of contacts after settle.
func (t *ContactTracker) count() int {
	n := t.contacts.n
	if t.part != nil {
		n += len(t.part.recs)
	}
	for p := range t.parts {
		n += t.parts[p].n
	}
	return n
}

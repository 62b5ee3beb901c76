package signals

import (
	"math/bits"
	"runtime"

	"github.com/spoke-status/spoke-status/internal/hashpart"
)

// Parts read in parallel. A part (a tracker from Fork) keeps its contacts
// in a small table of its own, in the caches while the part is read. At
// the merge its contacts go to the tracker's hash partitions (package
// hashpart), merged there into one entry per contact as they fill and on
// every core at the end (settle), instead of into one table of the whole
// export (a cache miss per contact on the goroutine that merges).

// partTable is the table of a part: the contacts in the order first seen,
// and an index of their positions.
type partTable struct {
	recs []contact
	// idx holds the position+1 of a contact in recs, 0 for an empty slot;
	// its size is a power of two, kept at least twice len(recs).
	idx   []uint32
	shift uint // 64 - log2(len(idx))
	last  int  // position+1 of the last contact looked up, 0 for none
	// sorted holds recs by hash partition, with the bounds starts, once
	// FinishPart sorted them on the part's worker (sortedOK), so that the
	// merge copies runs into the partitions.
	sorted   []contact
	starts   hashpart.Starts
	sortedOK bool
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

// maxSpareTables bounds the tables of merged parts kept for the next
// forks (each about 128 KiB, a 1 MiB chunk's contacts): about as many as
// parts in flight.
const maxSpareTables = 16

// newPartTable returns a kept table of a merged part, else a new one.
func newPartTable(spares *hashpart.Spares[*partTable]) *partTable {
	if p, ok := spares.Get(); ok {
		return p
	}
	return &partTable{}
}

// keepPartTable empties p and keeps it for the next forks.
func keepPartTable(spares *hashpart.Spares[*partTable], p *partTable) {
	p.recs = p.recs[:0]
	clear(p.idx)
	p.last = 0
	p.sorted, p.sortedOK = p.sorted[:0], false
	spares.Put(p)
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
// added to t itself) join the merged parts' when there are any, and every
// partition merges its entries of one contact, on every core.
func (t *ContactTracker) settle() {
	if !t.merged.Used() {
		return
	}
	if t.contacts.n > 0 {
		t.contacts.each(func(c *contact) { t.merged.Add(c.key, c) })
		t.contacts = contactTable{}
	}
	t.merged.Settle(runtime.GOMAXPROCS(0))
}

func newMerged() *hashpart.Partitions[contact] {
	return hashpart.New(contactKey, mergeInto)
}

func contactKey(c *contact) uint64 { return c.key }

// FinishPart, in a tracker from Fork whose last row was added, sorts the
// part's contacts by hash partition, on the part's goroutine: Merge then
// copies them into the merged partitions a run at a time, instead of one
// by one on the goroutine that merges the parts in input order. Merge
// works without it.
func (t *ContactTracker) FinishPart() {
	if t.part == nil || t.part.sortedOK {
		return
	}
	p := t.part
	p.sorted = hashpart.SortByPartition(p.sorted, p.recs, contactKey, &p.starts)
	p.sortedOK = true
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
	t.merged.Each(f)
}

// count is the number of entries, of contacts after settle.
func (t *ContactTracker) count() int {
	n := t.contacts.n + t.merged.Len()
	if t.part != nil {
		n += len(t.part.recs)
	}
	return n
}

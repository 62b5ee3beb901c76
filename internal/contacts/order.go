package contacts

import (
	"slices"
	"sync"
)

// Order is every contact in output order (campaign, then cell), split
// into parts that follow one another: every contact of part p sorts
// before every contact of part p+1. A part is sorted and its outcomes
// built only when it is listed (EachIn), on any goroutine, so the output
// of a million contacts is built on every core and holds 4 bytes per
// contact (its record number) instead of a sort key each.
type Order struct {
	a      *Aggregator
	rank   []int
	index  []uint32 // record numbers, part by part
	starts []int    // part p is index[starts[p]:starts[p+1]]
}

const (
	// partContacts is about how many contacts a part has: its sort keys
	// (32 bytes each) fit in a core's cache, and its output (about 120
	// bytes a contact as CSV) is a buffer of about a megabyte.
	partContacts = 8192
	// minParts is how many parts a list of at least minParts*64 contacts
	// gets, so that small inputs (and the tests) are split too.
	minParts = 16
	maxParts = 1 << 12
	// samplesPerPart is how many records are sampled per part to choose
	// the bounds of the parts: parts come out within a few times of
	// partContacts whatever the order of the input.
	samplesPerPart = 32
)

// partsFor is the number of parts of n contacts.
func partsFor(n int) int {
	return max(1, min(maxParts, max((n+partContacts-1)/partContacts, min(minParts, n/64))))
}

// Order sorts the contacts into parts, on up to workers goroutines; call
// Finish first (Order calls it if not). The parts do not depend on
// workers.
func (a *Aggregator) Order(workers int) *Order {
	if !a.finished {
		a.Finish()
	}
	t := &a.contacts
	t.dropIndex() // reading is over: its 4 bytes a slot go to the output
	o := &Order{a: a, rank: a.campaignRanks()}
	n := t.len()
	parts := partsFor(n)
	bounds := t.bounds(o.rank, parts)
	parts = len(bounds) + 1

	// Each range of records counts its contacts per part, then places
	// their record numbers in its own stretch of each part: the layout is
	// the same on one goroutine or many.
	ranges := max(1, min(workers, n/partContacts))
	partOf := make([]uint16, n)
	counts := make([][]int, ranges)
	each := func(fn func(r, from, to int)) {
		var wg sync.WaitGroup
		for r := range ranges {
			wg.Go(func() { fn(r, n*r/ranges, n*(r+1)/ranges) })
		}
		wg.Wait()
	}
	each(func(r, from, to int) {
		c := make([]int, parts)
		for i := from; i < to; i++ {
			k := t.sortKey(uint32(i), o.rank)
			p := t.searchBounds(bounds, &k)
			partOf[i] = uint16(p)
			c[p]++
		}
		counts[r] = c
	})
	o.starts = make([]int, parts+1)
	next := make([][]int, ranges)
	for r := range ranges {
		next[r] = make([]int, parts)
	}
	at := 0
	for p := range parts {
		o.starts[p] = at
		for r := range ranges {
			next[r][p] = at
			at += counts[r][p]
		}
	}
	o.starts[parts] = at
	o.index = make([]uint32, n)
	each(func(r, from, to int) {
		pos := next[r]
		for i := from; i < to; i++ {
			p := partOf[i]
			o.index[pos[p]] = uint32(i)
			pos[p]++
		}
	})
	return o
}

// bounds chooses parts-1 keys that split the contacts into about equal
// parts, from a sample of records spread over the table; part p holds the
// contacts from bound p-1 (included) to bound p (excluded).
func (t *table) bounds(rank []int, parts int) []sortKey {
	if parts <= 1 {
		return nil
	}
	n := t.len()
	samples := min(n, parts*samplesPerPart)
	keys := make([]sortKey, samples)
	for i := range keys {
		keys[i] = t.sortKey(uint32(i*n/samples), rank)
	}
	slices.SortFunc(keys, t.compareKeys)
	bounds := make([]sortKey, 0, parts-1)
	for p := 1; p < parts; p++ {
		bounds = append(bounds, keys[p*samples/parts])
	}
	return bounds
}

// searchBounds returns the part of k: the number of bounds at or before
// it, as sort.Search with compareKeys would, comparing inline.
func (t *table) searchBounds(bounds []sortKey, k *sortKey) int {
	lo, hi := 0, len(bounds)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.keyBefore(k, &bounds[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// keyBefore reports whether x sorts before y.
func (t *table) keyBefore(x, y *sortKey) bool {
	if x.n == longCell || y.n == longCell {
		return t.compareKeys(*x, *y) < 0
	}
	return keyLess(x, y)
}

// Parts is the number of parts.
func (o *Order) Parts() int { return len(o.starts) - 1 }

// Len is the number of contacts.
func (o *Order) Len() int { return len(o.index) }

// EachIn calls fn with the outcome of every contact of part p in list, in
// output order. Parts may be listed concurrently: the aggregator is only
// read. fn must not keep the Contact.
func (o *Order) EachIn(p int, list List, fn func(*Contact) error) error {
	return o.Lister().EachIn(p, list, fn)
}

// Lister lists parts of an Order, as Order.EachIn does, reusing the memory
// of its sort keys from part to part: a new slice a part was 256 KiB of
// garbage each, 42 MB over the 2.5M-row export. A Lister is for one
// goroutine; each goroutine listing parts takes its own.
type Lister struct {
	o       *Order
	keys    []sortKey
	compact compactSorter
}

// Lister returns a Lister of o's parts.
func (o *Order) Lister() *Lister { return &Lister{o: o} }

// EachIn is Order.EachIn.
func (l *Lister) EachIn(p int, list List, fn func(*Contact) error) error {
	o := l.o
	a, t := o.a, &o.a.contacts
	index := o.index[o.starts[p]:o.starts[p+1]]
	keys := slices.Grow(l.keys[:0], len(index))[:len(index)]
	l.keys = keys
	for i, r := range index {
		keys[i] = t.sortKey(r, o.rank)
	}
	sorted, posBits, compact := l.compact.sort(keys)
	if !compact {
		t.sortKeys(keys)
	}
	var c Contact
	known := newEntries()
	for i := range keys {
		k := &keys[i]
		if compact {
			k = &keys[sorted[i]&(1<<posBits-1)]
		}
		r := t.at(k.index)
		a.outcome(entry{key: key{campaign: r.campaign, cell: t.cellView(r)}, s: &r.state}, &c, known)
		if !list.Has(&c) {
			continue
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

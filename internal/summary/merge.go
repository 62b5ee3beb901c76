package summary

import (
	"cmp"

	"github.com/spoke-status/spoke-status/internal/keycap"
)

// Parallel aggregation: the input is split into parts read on several
// goroutines, each into a Fork of the aggregator, and the parts are merged
// back in input order. The merged counts equal a sequential pass's because
// every counter is a sum, and a SENT row's age depends only on the final
// as-of time (see sentAges).

// Fork returns an empty Aggregator with a's options, for a part of the
// input read on another goroutine; Merge adds it back. Dimensions whose
// keys keep state get their own instance.
func (a *Aggregator) Fork() *Aggregator {
	opts := a.opts
	opts.fork = true
	opts.Dimensions = make([]Dimension, len(a.opts.Dimensions))
	for i, d := range a.opts.Dimensions {
		opts.Dimensions[i] = d.forWorker()
	}
	f := New(opts)
	f.freeze = nil // a fork is not forked
	f.forkOf = a
	// The fork's limits hash what they fold as a's do, so that a's
	// warnings count each distinct value once (Absorb in Merge).
	f.codeLimit = a.codeLimit.ForFork()
	// The maps are made the size of the last part's, unless the merged
	// map is full: the fork then counts what it lacks as (other) at once.
	z := a.freeze
	codesFull := z.codes.Load() != nil
	f.allCodes = make(map[string]int64, sizeUnless(codesFull, &z.codesN))
	if n := sizeUnless(codesFull, &z.totalCodesN); n > 0 {
		f.total.codes = make(map[string]int64, n)
	}
	for i, g := range f.groups {
		g.limit = a.groups[i].limit.ForFork()
		full := z.groups[i].Load() != nil || codeKeyed(g.Dimension) && codesFull
		g.Tallies = make(map[string]*Tally, sizeUnless(full, &z.groupsN[i]))
	}
	f.refresh = refresher{every: a.opts.refreshEvery}
	f.refresh.start(f.refreshFrozen)
	return f
}

// sizeUnless is the size h suggests for a fork's map, or 0 when the
// merged map is full.
func sizeUnless(full bool, h *keycap.Hint) int {
	if full {
		return 0
	}
	return h.Size()
}

// refreshEvery is the number of rows a fork reads between looks for the
// key sets published since it was made. The parts read while the merged
// maps fill up are made before those are full (the reader waits for the
// merges only while the codes fill, CodesFilling; not for the groups'
// 100,000 keys), each keeping values that the merge would fold one by
// one on the consumer goroutine. A look is a few atomic loads.
const refreshEvery = 1024

// refresher makes a fork take, every few rows, the key sets of the merged
// maps published since it was made: take does it, due counts the rows.
// Outside a fork take is nil and due does nothing.
type refresher struct {
	take  func()
	every int // rows between looks; 0 is refreshEvery (tests look more often)
	left  int
}

func (r *refresher) start(take func()) {
	r.take = take
	r.now()
}

func (r *refresher) now() {
	r.left = cmp.Or(r.every, refreshEvery)
	r.take()
}

// due is called for each row.
func (r *refresher) due() {
	if r.take != nil {
		if r.left--; r.left <= 0 {
			r.now()
		}
	}
}

// refreshFrozen takes, in a fork, the key sets of the merged maps
// published so far (see keycap.Frozen). A set taken while the part is
// read changes nothing counted: the merged map never gains a key it
// lacks, so a value is folded into keycap.Other whether the fork folds
// it at once or the merge does, and both note it under the same hash.
func (a *Aggregator) refreshFrozen() {
	z := a.forkOf.freeze
	if a.frozenCodes == nil {
		a.frozenCodes = z.codes.Load()
	}
	for i, g := range a.groups {
		// A key holding a code (--by campaign,code) is the merged
		// groups' only once the code is admitted or folded for good:
		// until the merged codes are full, a code new to the fork may
		// still fold at the merge (admitKey), and its group with it
		// into one the merged groups hold (campaign, (other)). Folding
		// the key as the fork read it would count the row under the
		// group past the cap instead, and note a distinct value a
		// sequential pass does not.
		if g.frozen == nil && (g.Dimension.admitKey == nil || a.frozenCodes != nil) {
			g.frozen = z.groups[i].Load()
		}
	}
}

// Merge adds the counts of o, a Fork of a, into a. The SENT rows o could
// not decide yet are decided against a's newest timestamp, or wait in a
// for the end. o must not be used afterwards.
//
// allCodes is merged first, in o's order under the cap: it then holds the
// codes a sequential pass admits, and each of o's maps of codes counts a
// code it lacks as keycap.Other (admission), as that pass did: which
// codes are kept depends on allCodes alone, not on the order of any
// other map.
func (a *Aggregator) Merge(o *Aggregator) {
	o.flushFolded()
	a.freeze.codesN.Note(len(o.allCodes))
	a.freeze.totalCodesN.Note(len(o.total.codes))
	for i, g := range o.groups {
		a.freeze.groupsN[i].Note(len(g.Tallies))
	}
	keycap.MergeCounts(a.codeLimit, a.allCodes, o.allCodes, o.codeOrder)
	admit := a.admission()
	a.total.mergeAdmitted(o.total, admit)
	var moved map[*Tally]*Tally // o's tallies onto a's, for o's undecided rows
	if len(o.ages.pending) > 0 {
		moved = map[*Tally]*Tally{o.total: a.total}
	}
	for i, g := range o.groups {
		a.groups[i].merge(g, moved, admit)
	}
	a.ages.merge(o.ages, moved)
	a.mergeLatency(o)
	a.codeLimit.Absorb(o.codeLimit)
	keycap.Update(&a.freeze.codes, a.codeLimit, a.allCodes, keycap.Other)
	for i, g := range a.groups {
		g.limit.Absorb(o.groups[i].limit)
		keycap.Update(&a.freeze.groups[i], g.limit, g.Tallies, g.other)
	}
}

// CodesFilling reports, between merges, whether the merged codes look
// like a broken export's that will soon fill the cap: not full yet, over
// minFillingCodes of them, and a new code on at least every other row
// merged. The parts read while it holds should wait for the merge before
// them (export.Parallel.Serial): once the codes are full, a part counts a
// code past them as (other) from its start, where parts read beside the
// first had kept 10,000 codes each only for the merge to fold them. A
// real export's few dozen codes never look so, and its parts never wait.
func (a *Aggregator) CodesFilling() bool {
	n := len(a.allCodes)
	return n >= minFillingCodes && int64(2*n) > a.total.Rows && a.freeze.codes.Load() == nil
}

// minFillingCodes is the number of distinct codes below which the codes
// never look like filling the cap (CodesFilling).
const minFillingCodes = 256

// merge adds the tallies of o, a fork's, into g in the order o first saw
// their keys, so that the groups past the cap are those a sequential pass
// folds; a key holding a code is first admitted (Dimension.admitKey),
// and so are the codes of each tally. moved, when not nil, learns where
// each merged tally of o went.
func (g *Groups) merge(o *Groups, moved map[*Tally]*Tally, admit func(string) string) {
	other := g.other
	admitKey := g.Dimension.admitKey
	if admit == nil {
		admitKey = nil
	}
	for _, key := range keycap.InOrder(o.Tallies, o.order) {
		t := o.Tallies[key]
		if admitKey != nil {
			key = admitKey(key, admit)
		}
		at, ok := g.Tallies[key]
		if !ok {
			k := keycap.KeyOr(g.limit, g.Tallies, key, other)
			if k == key && key != other {
				// o's tally and key become g's.
				t.codeCounts.admit(admit)
				g.Tallies[key] = t
				continue
			}
			at = g.tally(k)
		}
		if moved != nil {
			moved[t] = at
		}
		at.mergeAdmitted(t, admit)
	}
}

// merge takes o's newest timestamp and undecided rows; moved maps o's
// tallies to s's (a tally missing from it was handed over as it is).
func (s *sentAges) merge(o *sentAges, moved map[*Tally]*Tally) {
	if o.hasNewest {
		s.observe(o.newest)
	}
	for _, p := range o.pending {
		for i, t := range p.tallies {
			if to, ok := moved[t]; ok {
				p.tallies[i] = to
			}
		}
		s.sent(p.at, true, p.tallies...)
	}
	o.pending = nil
}

// Fork returns empty counters for the analyses switched on in an, for a
// part of the input read on another goroutine; Merge adds them back.
func (an *Analyses) Fork() *Analyses {
	f := &Analyses{PricePerSegment: an.PricePerSegment, refresh: refresher{every: an.refresh.every}}
	if an.Links != nil {
		f.Links = NewLinkCounter()
		f.Links.domainLimit = an.Links.domainLimit.ForFork()
	}
	if an.Replies != nil {
		f.Replies = an.Replies.Fork()
	}
	if an.Segments != nil {
		f.Segments = NewSegmentCounter()
		f.Segments.noCost = an.Segments.noCost
		f.Segments.errorCodes = make(map[string]codeSegments, an.Segments.hint.Size())
	}
	if an.Signals != nil {
		f.Signals = an.Signals.fork()
	}
	// As the aggregator's fork does (Aggregator.refreshFrozen).
	f.refresh.start(func() {
		if f.Links != nil && f.Links.frozen == nil {
			f.Links.frozen = an.Links.freezer.Load()
		}
	})
	return f
}

// FinishPart, in a Fork whose last row was added, prepares its
// per-contact entries for Merge on the part's own goroutine (sorted by
// hash partition): Merge runs on the one goroutine that merges every part
// in input order. Merge works without it.
func (an *Analyses) FinishPart() {
	if an.Replies != nil {
		an.Replies.finishPart()
	}
	if an.Signals != nil {
		an.Signals.tracker.FinishPart()
	}
}

// Merge adds the counts of o, a Fork of an, into an. Its codes are
// admitted by the aggregator given to Cap, which must have merged the
// part's aggregator first (engine's part.Merge does): that merge puts
// the part's codes into the map the admission reads.
func (an *Analyses) Merge(o *Analyses) {
	if an.Links != nil {
		an.Links.Merge(o.Links)
	}
	if an.Replies != nil {
		an.Replies.Merge(o.Replies)
	}
	if an.Segments != nil {
		an.Segments.Merge(o.Segments)
	}
	if an.Signals != nil {
		an.Signals.Merge(o.Signals)
	}
}

// Merge adds the counts of o into c; o must not be used afterwards.
func (c *LinkCounter) Merge(o *LinkCounter) {
	c.with.merge(o.with)
	c.shortener.merge(o.shortener)
	c.without.merge(o.without)
	// In the order o first saw them, so that the domains past the cap
	// are those a sequential pass folds; their codes admitted as the
	// aggregator's (Aggregator.admission).
	admit := c.codes.admission()
	for _, d := range keycap.InOrder(o.domains, o.order) {
		od := o.domains[d]
		dc, ok := c.domains[d]
		if !ok && d != keycap.Other && keycap.Key(c.domainLimit, c.domains, d) == d {
			od.codeCounts.admit(admit)
			c.domains[d] = od // o's counts become c's
			continue
		}
		if !ok {
			dc = c.domain(d)
		}
		dc.counts.merge(od.counts)
		dc.codeCounts.merge(&od.codeCounts, admit)
	}
	c.domainLimit.Absorb(o.domainLimit)
	keycap.Update(&c.freezer, c.domainLimit, c.domains, keycap.Other)
}

func (c *counts) merge(o counts) {
	c.outbound += o.outbound
	c.errored += o.errored
}

// Merge adds the counts of o into c.
func (c *SegmentCounter) Merge(o *SegmentCounter) {
	c.hint.Note(len(o.errorCodes))
	c.s.Messages += o.s.Messages
	c.s.Total += o.s.Total
	c.s.Errored += o.s.Errored
	c.s.MultiSegment += o.s.MultiSegment
	c.s.FromExport += o.s.FromExport
	c.s.Computed += o.s.Computed
	admit := c.codes.admission()
	for code, n := range o.errorCodes {
		c.add(admitted(admit, code), n)
	}
}

package summary

import (
	"cmp"
	"math"

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
	f.total.codeLimit = f.codeLimit
	z := a.freeze
	f.allCodes = make(map[string]int64, z.codesN.Size())
	if n := z.totalCodesN.Size(); n > 0 {
		f.total.codes = make(map[string]int64, n)
	}
	for i, g := range f.groups {
		g.limit = a.groups[i].limit.ForFork()
		g.codes = f.codeLimit
		g.Tallies = make(map[string]*Tally, z.groupsN[i].Size())
	}
	f.refresh = refresher{every: a.opts.refreshEvery}
	f.refresh.start(f.refreshFrozen)
	return f
}

// refreshEvery is the number of rows a fork reads between looks for the
// key sets published since it was made. The parts read while the merged
// maps fill up are made before those are full: on a broken export, four
// of the first fourteen parts on two cores, each keeping 10,000 values
// that the merge would fold one by one on the consumer goroutine. A
// look is a few atomic loads.
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
// it at once or the merge does, and both note it under the same seed.
func (a *Aggregator) refreshFrozen() {
	z := a.forkOf.freeze
	if a.frozenCodes == nil {
		a.frozenCodes = z.codes.Load()
	}
	if a.total.frozen == nil {
		a.total.frozen = z.totalCodes.Load()
	}
	for i, g := range a.groups {
		if g.frozen == nil {
			g.frozen = z.groups[i].Load()
		}
		if g.otherCodes == nil {
			g.otherCodes = z.otherCodes[i].Load()
			if t := g.Tallies[g.other]; t != nil {
				t.frozen = g.otherCodes
			}
		}
	}
}

// Merge adds the counts of o, a Fork of a, into a. The SENT rows o could
// not decide yet are decided against a's newest timestamp, or wait in a
// for the end. o must not be used afterwards.
func (a *Aggregator) Merge(o *Aggregator) {
	a.freeze.codesN.Note(len(o.allCodes))
	a.freeze.totalCodesN.Note(len(o.total.codes))
	for i, g := range o.groups {
		a.freeze.groupsN[i].Note(len(g.Tallies))
	}
	keycap.MergeCounts(a.codeLimit, a.allCodes, o.allCodes, o.codeOrder)
	a.total.Merge(o.total)
	var moved map[*Tally]*Tally // o's tallies onto a's, for o's undecided rows
	if len(o.ages.pending) > 0 {
		moved = map[*Tally]*Tally{o.total: a.total}
	}
	for i, g := range o.groups {
		a.groups[i].merge(g, moved)
	}
	a.ages.merge(o.ages, moved)
	a.mergeLatency(o)
	a.codeLimit.Absorb(o.codeLimit)
	keycap.Update(&a.freeze.codes, a.codeLimit, a.allCodes, keycap.Other)
	keycap.Update(&a.freeze.totalCodes, a.codeLimit, a.total.codes, keycap.Other)
	for i, g := range a.groups {
		g.limit.Absorb(o.groups[i].limit)
		keycap.Update(&a.freeze.groups[i], g.limit, g.Tallies, g.other)
		if t := g.Tallies[g.other]; t != nil {
			keycap.Update(&a.freeze.otherCodes[i], a.codeLimit, t.codes, keycap.Other)
		}
	}
}

// merge adds the tallies of o, a fork's, into g in the order o first saw
// their keys, so that the groups past the cap are those a sequential pass
// folds. The codes of o's tallies counted in g's group past the cap are
// added in the order o first saw them in any of those tallies (their
// rows' order), as a sequential pass adds them: which codes that group
// keeps must not depend on where the input was split. moved, when not
// nil, learns where each merged tally of o went.
func (g *Groups) merge(o *Groups, moved map[*Tally]*Tally) {
	other := g.other
	var folded []*codeCounts // of o's tallies counted in g's group past the cap
	for _, key := range keycap.InOrder(o.Tallies, o.order) {
		t := o.Tallies[key]
		at, ok := g.Tallies[key]
		if !ok {
			k := keycap.KeyOr(g.limit, g.Tallies, key, other)
			if k == key && key != other {
				// o's tally and key become g's, under g's cap on codes
				// (and no longer a fork's).
				t.capCodes(g.codes)
				t.frozen = nil
				g.Tallies[key] = t
				continue
			}
			at = g.tally(k)
		}
		if moved != nil {
			moved[t] = at
		}
		if key == other || !ok {
			at.mergeButCodes(t)
			folded = append(folded, &t.codeCounts)
			continue
		}
		at.Merge(t)
	}
	switch len(folded) {
	case 0:
	case 1:
		at := g.Tallies[other]
		at.codeCounts.merge(at.codeLimit, folded[0])
	default:
		at := g.Tallies[other]
		mergeInOrder(&at.codeCounts, at.codeLimit, folded, func(code string, n int64) { at.codeCounts.add(at.codeLimit, code, n) })
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
// part of the input read on another goroutine; Merge adds them back. agg,
// when not nil, is the fork of the aggregator the part also counts into:
// the analyses' maps of codes then note the codes they fold in its limit,
// so that a code folded by every map of a row is noted once.
func (an *Analyses) Fork(agg *Aggregator) *Analyses {
	f := &Analyses{PricePerSegment: an.PricePerSegment, refresh: refresher{every: an.refresh.every}}
	forkCodes := func(l *keycap.Limit) *keycap.Limit {
		if agg != nil && agg.forkOf != nil && l == agg.forkOf.codeLimit {
			return agg.codeLimit
		}
		return l.ForFork()
	}
	if an.Links != nil {
		f.Links = NewLinkCounter()
		f.Links.domainLimit = an.Links.domainLimit.ForFork()
		f.Links.codeLimit = forkCodes(an.Links.codeLimit)
	}
	if an.Replies != nil {
		f.Replies = an.Replies.Fork()
	}
	if an.Segments != nil {
		f.Segments = NewSegmentCounter()
		f.Segments.noCost = an.Segments.noCost
		f.Segments.codeLimit = forkCodes(an.Segments.codeLimit)
		f.Segments.errorCodes = make(map[string]codeSegments, an.Segments.hint.Size())
	}
	if an.Signals != nil {
		f.Signals = an.Signals.fork()
	}
	// As the aggregator's fork does (Aggregator.refreshFrozen).
	f.refresh.start(func() {
		if f.Links != nil {
			if f.Links.frozen == nil {
				f.Links.frozen = an.Links.freezer.Load()
			}
			if f.Links.frozenCodes == nil {
				f.Links.frozenCodes = an.Links.admitted.Load()
			}
		}
		if f.Segments != nil && f.Segments.frozen == nil {
			f.Segments.frozen = an.Segments.freezer.Load()
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

// Merge adds the counts of o, a Fork of an, into an.
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
	// In the order o first saw them, so that the domains and codes past
	// the caps are those a sequential pass folds; the codes of o's
	// domains counted in c's domain past the cap in the order o first
	// saw them in any of those (as Groups.merge does).
	admitted := c.admitted.Load()
	var folded []*codeCounts
	var otherDomain *domainCounts
	for _, d := range keycap.InOrder(o.domains, o.order) {
		od := o.domains[d]
		dc, ok := c.domains[d]
		// o's codes are taken whole only when none can fold.
		if !ok && d != keycap.Other && keycap.Key(c.domainLimit, c.domains, d) == d && od.num() <= c.maxCodes() && admitted == nil {
			od.untrack()
			c.domains[d] = od // o's counts become c's
			continue
		}
		if !ok {
			dc = c.domain(d)
		}
		dc.counts.merge(od.counts)
		if dc.folded {
			otherDomain = dc
			folded = append(folded, &od.codeCounts)
			continue
		}
		for code, n := range od.all(true) {
			c.countCode(dc, code, n)
		}
	}
	if otherDomain != nil {
		mergeInOrder(&otherDomain.codeCounts, c.codeLimit, folded, func(code string, n int64) { c.countCode(otherDomain, code, n) })
	}
	c.domainLimit.Absorb(o.domainLimit)
	c.codeLimit.Absorb(o.codeLimit)
	keycap.Update(&c.freezer, c.domainLimit, c.domains, keycap.Other)
}

// maxCodes is the number of codes a domain keeps.
func (c *LinkCounter) maxCodes() int {
	if c.codeLimit == nil || c.codeLimit.Max <= 0 {
		return math.MaxInt
	}
	return c.codeLimit.Max
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
	for _, code := range keycap.InOrder(o.errorCodes, o.order) {
		c.add(code, o.errorCodes[code])
	}
	c.codeLimit.Absorb(o.codeLimit)
	keycap.Update(&c.freezer, c.codeLimit, c.errorCodes, keycap.Other)
}

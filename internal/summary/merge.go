package summary

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
	opts.Dimensions = make([]Dimension, len(a.opts.Dimensions))
	for i, d := range a.opts.Dimensions {
		opts.Dimensions[i] = d.forWorker()
	}
	return New(opts)
}

// Merge adds the counts of o, a Fork of a, into a. The SENT rows o could
// not decide yet are decided against a's newest timestamp, or wait in a
// for the end. o must not be used afterwards.
func (a *Aggregator) Merge(o *Aggregator) {
	addCounts(a.allCodes, o.allCodes)
	a.total.Merge(o.total)
	var moved map[*Tally]*Tally // o's tallies onto a's, for o's undecided rows
	if len(o.ages.pending) > 0 {
		moved = map[*Tally]*Tally{o.total: a.total}
	}
	for i, g := range o.groups {
		into := a.groups[i].Tallies
		for key, t := range g.Tallies {
			at, ok := into[key]
			if !ok {
				into[key] = t // o's tally and key become a's
				continue
			}
			at.Merge(t)
			if moved != nil {
				moved[t] = at
			}
		}
	}
	a.ages.merge(o.ages, moved)
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
	f := &Analyses{PricePerSegment: an.PricePerSegment}
	if an.Links != nil {
		f.Links = NewLinkCounter()
	}
	if an.Replies != nil {
		f.Replies = NewReplyCounter()
	}
	if an.Segments != nil {
		f.Segments = NewSegmentCounter()
	}
	return f
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
}

// Merge adds the counts of o into c; o must not be used afterwards.
func (c *LinkCounter) Merge(o *LinkCounter) {
	if len(c.domains) == 0 {
		c.domains, o.domains = o.domains, c.domains
	}
	c.with.merge(o.with)
	c.shortener.merge(o.shortener)
	c.without.merge(o.without)
	for d, od := range o.domains {
		dc, ok := c.domains[d]
		if !ok {
			c.domains[d] = od
			continue
		}
		dc.counts.merge(od.counts)
		addCounts(dc.codes, od.codes)
	}
}

func (c *counts) merge(o counts) {
	c.outbound += o.outbound
	c.errored += o.errored
}

// Merge adds the counts of o into c.
func (c *SegmentCounter) Merge(o *SegmentCounter) {
	if len(c.errorCodes) == 0 {
		c.errorCodes, o.errorCodes = o.errorCodes, c.errorCodes
	}
	c.s.Messages += o.s.Messages
	c.s.Total += o.s.Total
	c.s.Errored += o.s.Errored
	c.s.MultiSegment += o.s.MultiSegment
	c.s.FromExport += o.s.FromExport
	c.s.Computed += o.s.Computed
	for code, ocs := range o.errorCodes {
		cs, ok := c.errorCodes[code]
		if !ok {
			c.errorCodes[code] = ocs
			continue
		}
		cs.messages += ocs.messages
		cs.segments += ocs.segments
	}
}

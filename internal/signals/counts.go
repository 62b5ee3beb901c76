package signals

import (
	"math"
	"slices"
	"strings"
	"time"
)

// groupCounts are a tracker's delivered contacts summed by interned domain
// list, sending number and day, before they become a Detector's groups.
type groupCounts struct {
	seen, delivered, replied int64
	domainLists              []counts // by domain list id
	numbers                  []counts // by number id
	days                     map[int64]*counts
}

// feedCounts gives d the counts that feeding it one observation per
// contact would give, without sorting the contacts or building an
// observation per contact: counts add up in any order. Only which groups
// a full detector keeps depends on the order, so when the groups would not
// all fit under d's cap it does nothing and returns false.
func (t *ContactTracker) feedCounts(d *Detector) bool {
	g := t.sumGroups()
	domains := g.domainCounts(t.domains)
	groups := len(domains) + len(g.days)
	for _, c := range g.numbers {
		if c.delivered > 0 {
			groups++
		}
	}
	if len(d.groups)+groups > d.opts.MaxGroups {
		return false
	}
	d.seen += g.seen
	d.total.delivered += g.delivered
	d.total.replied += g.replied
	for dom, c := range domains {
		d.addCounts(groupKey{dimDomain, dom}, c)
	}
	for id, c := range g.numbers {
		if id > 0 && c.delivered > 0 {
			d.addCounts(groupKey{dimNumber, t.numbers[id-1]}, c)
		}
	}
	for day, c := range g.days {
		d.addCounts(groupKey{dimDay, dayKey(day)}, *c)
	}
	return true
}

// sumGroups sums the contacts that feed would observe, and sets the
// stats feed sets.
func (t *ContactTracker) sumGroups() *groupCounts {
	t.settle()
	t.stats.NoInitial, t.stats.TooRecent = 0, 0
	g := &groupCounts{
		domainLists: make([]counts, len(t.domains)+1),
		numbers:     make([]counts, len(t.numbers)+1),
		days:        map[int64]*counts{},
	}
	window := t.opts.ReplyWindow.Nanoseconds()
	days := dayCache{loc: t.opts.Location}
	var lastDay int64
	var lastCounts *counts
	t.eachEntry(func(c *contact) {
		if !t.observable(c, window) {
			return
		}
		g.seen++
		if c.meta&initialDelivered == 0 {
			return
		}
		var r int64
		if c.meta&contactReplied != 0 {
			r = 1
		}
		g.delivered++
		g.replied += r
		g.domainLists[c.domain()].add(r)
		g.numbers[c.number].add(r)
		if !c.at.Timed() {
			return
		}
		day := days.of(c.at.Time)
		if lastCounts == nil || day != lastDay {
			lastDay, lastCounts = day, g.days[day]
			if lastCounts == nil {
				lastCounts = &counts{}
				g.days[day] = lastCounts
			}
		}
		lastCounts.add(r)
	})
	return g
}

func (c *counts) add(replied int64) {
	c.delivered++
	c.replied += replied
}

// domainCounts sums the domain lists' counts by domain, each domain once
// per list, as Detector.Observe counts them.
func (g *groupCounts) domainCounts(lists []string) map[string]counts {
	out := map[string]counts{}
	var doms []string
	for id, c := range g.domainLists {
		if id == 0 || c.delivered == 0 {
			continue
		}
		doms = append(doms[:0], strings.Split(lists[id-1], "\x00")...)
		for i, dom := range doms {
			if dom == "" || slices.Contains(doms[:i], dom) {
				continue
			}
			sum := out[dom]
			sum.delivered += c.delivered
			sum.replied += c.replied
			out[dom] = sum
		}
	}
	return out
}

// dayCache turns Unix nanoseconds into day numbers (days since 1970-01-01
// of the local calendar) of one location, keeping the zone offset in
// effect and the span it holds over, so that a day costs two divisions
// instead of a time zone lookup and a formatting.
type dayCache struct {
	loc    *time.Location
	lo, hi int64 // the span of the zone, Unix seconds [lo, hi)
	offset int64 // its offset, seconds east of UTC
	ok     bool
}

func (c *dayCache) of(ns int64) int64 {
	sec := floorDiv(ns, 1e9)
	if !c.ok || sec < c.lo || sec >= c.hi {
		t := time.Unix(sec, 0).In(c.loc)
		_, off := t.Zone()
		start, end := t.ZoneBounds()
		c.lo, c.hi, c.offset, c.ok = math.MinInt64, math.MaxInt64, int64(off), true
		if !start.IsZero() {
			c.lo = start.Unix()
		}
		if !end.IsZero() {
			c.hi = end.Unix()
		}
	}
	return floorDiv(sec+c.offset, 86400)
}

// dayKey formats a day number as the day key time.DateOnly gives.
func dayKey(day int64) string {
	return time.Unix(day*86400, 0).UTC().Format(time.DateOnly)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

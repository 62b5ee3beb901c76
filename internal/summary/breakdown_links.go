package summary

import (
	"cmp"
	"slices"
	"strings"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/links"
	"github.com/spoke-status/spoke-status/internal/registry"
)

// Links compares outbound texts with and without links, and lists the
// link domains. A text with several domains counts once in WithLinks and
// once for each domain.
type Links struct {
	WithLinks     LinkCount    `json:"with_links"`
	WithShortener LinkCount    `json:"with_shortener"`
	WithoutLinks  LinkCount    `json:"without_links"`
	Domains       []DomainStat `json:"domains"`
}

// LinkCount counts outbound texts of one kind.
type LinkCount struct {
	Outbound  int64   `json:"outbound"`
	Errored   int64   `json:"errored"`
	ErrorRate float64 `json:"error_rate"`
}

// DomainStat is the deliverability of the outbound texts that link to one
// domain.
type DomainStat struct {
	Domain      string            `json:"domain"`
	Shortener   bool              `json:"shortener"`
	Outbound    int64             `json:"outbound"`
	Errored     int64             `json:"errored"`
	ErrorRate   float64           `json:"error_rate"`
	TopCode     string            `json:"top_code"`
	TopCategory registry.Category `json:"top_category"`
}

// LinkCounter finds the link domains of outbound texts, one row at a time.
type LinkCounter struct {
	with, shortener, without counts
	domains                  map[string]*domainCounts
	buf                      []string
	finder                   links.Finder

	// domainLimit caps domains; in a fork order lists them as first seen.
	domainLimit *keycap.Limit
	order       []string
	// freezer publishes domains' key set once full, to the forks made
	// after; frozen is that set in a fork (keycap.Frozen).
	freezer keycap.Freezer
	frozen  *keycap.Frozen
	// codes, when set (Analyses.Cap), is the aggregator whose admission
	// of codes the domains' codes merged from a fork follow; the rows
	// it counted (Aggregator.AddRow) carry admitted codes already.
	codes *Aggregator
}

type counts struct{ outbound, errored int64 }

func (c *counts) add(errored bool) {
	c.outbound++
	if errored {
		c.errored++
	}
}

func (c counts) result() LinkCount {
	return LinkCount{Outbound: c.outbound, Errored: c.errored, ErrorRate: Rate(c.errored, c.outbound)}
}

type domainCounts struct {
	counts
	shortener bool
	folded    bool // the keycap.Other domain, past the cap
	// The ERROR rows by primary code; a domain of one code (most of a
	// broken export's 100,000 domains) keeps it without a map. The codes
	// are the aggregator's (LinkCounter.codes).
	codeCounts
}

// NewLinkCounter returns an empty LinkCounter with no cap on its maps.
func NewLinkCounter() *LinkCounter {
	return &LinkCounter{domains: map[string]*domainCounts{}}
}

// Capped returns c with its maps capped: link domains past maxKeys (0:
// keycap.DefaultMax) are counted as keycap.Other, and the codes as agg
// admits them (rows counted by agg.AddRow carry them so).
func (c *LinkCounter) Capped(maxKeys int, agg *Aggregator) *LinkCounter {
	c.domainLimit, c.codes = keycap.New("link domains", maxKeys), agg
	return c
}

// Warnings returns the line about the link domains folded, if any.
func (c *LinkCounter) Warnings() []string { return keycap.Warnings(c.domainLimit) }

// Add counts one row; inbound rows are ignored.
func (c *LinkCounter) Add(rec *export.Record) {
	if rec.Inbound {
		return
	}
	errored := rec.Status == export.StatusError
	c.buf = c.finder.Domains(c.buf[:0], rec.Text)
	if len(c.buf) == 0 {
		c.without.add(errored)
		return
	}
	c.with.add(errored)
	short := false
	for _, d := range c.buf {
		dc := c.domain(d)
		dc.counts.add(errored)
		if errored {
			dc.codeCounts.add(rec.PrimaryCode, 1)
		}
		// Judged on the domain itself: whether it was folded into
		// keycap.Other must not change the shortener count.
		short = short || dc.shortener || dc.folded && links.IsShortener(d)
	}
	if short {
		c.shortener.add(errored)
	}
}

func (c *LinkCounter) domain(d string) *domainCounts {
	if dc, ok := c.domains[d]; ok {
		return dc
	}
	d = c.frozen.Admit(c.domainLimit, d, keycap.Other)
	d = keycap.Key(c.domainLimit, c.domains, d)
	if dc, ok := c.domains[d]; ok { // the domains past the cap
		return dc
	}
	// d may share memory with the row's text.
	d = strings.Clone(d)
	other := d == keycap.Other
	dc := &domainCounts{shortener: !other && links.IsShortener(d), folded: other}
	c.domains[d] = dc
	if c.domainLimit.NewKey() {
		c.order = append(c.order, d)
	}
	return dc
}

// Result builds the figures, classifying codes with cls. Domains are
// sorted by outbound (descending), then name.
func (c *LinkCounter) Result(cls *classify.Classifier) *Links {
	l := &Links{
		WithLinks: c.with.result(), WithShortener: c.shortener.result(), WithoutLinks: c.without.result(),
		Domains: make([]DomainStat, 0, len(c.domains)),
	}
	for d, dc := range c.domains {
		s := DomainStat{Domain: d, Shortener: dc.shortener, Outbound: dc.outbound, Errored: dc.errored, ErrorRate: Rate(dc.errored, dc.outbound)}
		if code, _, ok := TopCode(dc.all()); ok {
			s.TopCode, s.TopCategory = code, cls.Entry(code).Category
		}
		l.Domains = append(l.Domains, s)
	}
	slices.SortFunc(l.Domains, func(a, b DomainStat) int {
		if c := cmp.Compare(b.Outbound, a.Outbound); c != 0 {
			return c
		}
		return strings.Compare(a.Domain, b.Domain)
	})
	return l
}

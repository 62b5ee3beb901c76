package summary

import (
	"cmp"
	"slices"
	"strings"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
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
	codes     map[string]int64 // ERROR rows by primary code
}

// NewLinkCounter returns an empty LinkCounter.
func NewLinkCounter() *LinkCounter {
	return &LinkCounter{domains: map[string]*domainCounts{}}
}

// Add counts one row; inbound rows are ignored.
func (c *LinkCounter) Add(rec *export.Record) {
	if rec.Inbound {
		return
	}
	errored := rec.Status == export.StatusError
	c.buf = links.Domains(c.buf[:0], rec.Text)
	if len(c.buf) == 0 {
		c.without.add(errored)
		return
	}
	c.with.add(errored)
	short := false
	for _, d := range c.buf {
		dc := c.domain(d)
		dc.add(errored)
		if errored {
			dc.codes[rec.PrimaryCode]++
		}
		short = short || dc.shortener
	}
	if short {
		c.shortener.add(errored)
	}
}

func (c *LinkCounter) domain(d string) *domainCounts {
	dc, ok := c.domains[d]
	if !ok {
		// d may share memory with the row's text.
		d = strings.Clone(d)
		dc = &domainCounts{shortener: links.IsShortener(d), codes: map[string]int64{}}
		c.domains[d] = dc
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
		if code, _, ok := TopCode(dc.codes); ok {
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

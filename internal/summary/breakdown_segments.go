package summary

import (
	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/segments"
)

// Segments counts the SMS segments of outbound texts: the export's
// numSegments when it has one, else computed from the text (GSM-7 160/153,
// UCS-2 70/67 UTF-16 units).
type Segments struct {
	Messages int64 `json:"messages"`
	Total    int64 `json:"total"`
	// Errored counts the segments of outbound ERROR rows.
	Errored    int64   `json:"errored"`
	PerMessage float64 `json:"per_message"`
	// MultiSegment counts messages of two segments or more.
	MultiSegment int64 `json:"multi_segment_messages"`
	// FromExport and Computed split Messages by where the count came from.
	FromExport int64 `json:"from_export"`
	Computed   int64 `json:"computed"`
	// Cost is set when a price per segment was given.
	Cost *Cost `json:"cost,omitempty"`
}

// Cost estimates what the outbound texts cost at a price per segment.
// Messages whose primary code the registry marks as not charged are left
// out; ERROR rows whose code has unknown billing are included and counted.
type Cost struct {
	PricePerSegment float64 `json:"price_per_segment"`
	Estimated       float64 `json:"estimated"`
	ChargedSegments int64   `json:"charged_segments"`
	LeftOutMessages int64   `json:"left_out_messages"`
	LeftOutSegments int64   `json:"left_out_segments"`
	UnknownMessages int64   `json:"unknown_messages"`
	UnknownSegments int64   `json:"unknown_segments"`
}

// SegmentCounter counts segments one row at a time.
type SegmentCounter struct {
	s Segments
	// errorCodes keeps the ERROR rows' segments by primary code: whether
	// the provider bills them depends on the provider, known at the end.
	// Values, not pointers: nothing to allocate or for the collector to
	// follow per code.
	errorCodes map[string]codeSegments
	// codes, when set (Analyses.Cap), is the aggregator whose admission
	// of codes the codes merged from a fork follow; the rows it counted
	// (Aggregator.AddRow) carry admitted codes already, so errorCodes
	// holds at most its cap of codes.
	codes *Aggregator
	// hint is the size of the last fork's errorCodes merged, for the
	// forks made next (keycap.Hint).
	hint keycap.Hint
	// noCost leaves errorCodes empty (WithoutCost).
	noCost bool
}

type codeSegments struct{ messages, segments int64 }

// NewSegmentCounter returns an empty SegmentCounter with no cap on codes.
func NewSegmentCounter() *SegmentCounter {
	return &SegmentCounter{errorCodes: map[string]codeSegments{}}
}

// WithoutCost returns c without the segments of ERROR rows by code, which
// only the cost estimate reads: Result must then be given no price. On a
// broken export with a code on every row, keeping them was a tenth of
// the time of summarize. Nothing else changes: the aggregator decides
// which codes fold, and its warning says so.
func (c *SegmentCounter) WithoutCost() *SegmentCounter {
	c.noCost = true
	return c
}

// Capped returns c with its codes admitted as agg admits them (rows
// counted by agg.AddRow carry them so).
func (c *SegmentCounter) Capped(agg *Aggregator) *SegmentCounter {
	c.codes = agg
	return c
}

// Add counts one row; inbound rows are ignored.
func (c *SegmentCounter) Add(rec *export.Record) {
	if rec.Inbound {
		return
	}
	n := rec.NumSegments
	if n >= 0 {
		c.s.FromExport++
	} else {
		_, n = segments.Count(rec.Text)
		c.s.Computed++
	}
	seg := int64(n)
	c.s.Messages++
	c.s.Total += seg
	if n > 1 {
		c.s.MultiSegment++
	}
	if rec.Status == export.StatusError {
		c.s.Errored += seg
		if !c.noCost {
			c.add(rec.PrimaryCode, codeSegments{messages: 1, segments: seg})
		}
	}
}

// add counts an ERROR row's segments by its code.
func (c *SegmentCounter) add(code string, n codeSegments) {
	cs := c.errorCodes[code]
	cs.messages += n.messages
	cs.segments += n.segments
	c.errorCodes[code] = cs
}

// Result builds the figures; price > 0 adds the cost estimate, whose
// billing rules come from cls.
func (c *SegmentCounter) Result(cls *classify.Classifier, price float64) *Segments {
	s := c.s
	if s.Messages > 0 {
		s.PerMessage = Round4(float64(s.Total) / float64(s.Messages))
	}
	if price > 0 {
		if c.noCost {
			panic("summary: a cost from a SegmentCounter made WithoutCost")
		}
		s.Cost = c.cost(cls, price)
	}
	return &s
}

func (c *SegmentCounter) cost(cls *classify.Classifier, price float64) *Cost {
	cost := &Cost{PricePerSegment: price, ChargedSegments: c.s.Total}
	for code, cs := range c.errorCodes {
		// Twilio's failed-message fee is per message, not the segment
		// price, so fee codes leave their segments out like free ones.
		switch cls.Entry(code).Charged {
		case registry.ChargedNo, registry.ChargedFee:
			cost.LeftOutMessages += cs.messages
			cost.LeftOutSegments += cs.segments
		case registry.ChargedYes:
		default:
			cost.UnknownMessages += cs.messages
			cost.UnknownSegments += cs.segments
		}
	}
	cost.ChargedSegments -= cost.LeftOutSegments
	cost.Estimated = Round4(float64(cost.ChargedSegments) * price)
	return cost
}

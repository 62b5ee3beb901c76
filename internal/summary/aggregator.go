package summary

import (
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

// DefaultStuckAfter is how long a SENT row may wait for its delivery report
// before it counts as stuck (classify.DefaultStuckAfter).
const DefaultStuckAfter = classify.DefaultStuckAfter

// Options configure an Aggregator.
type Options struct {
	Registry *registry.Registry
	// Provider resolves codes that several providers share; empty means
	// infer it from the codes in the input.
	Provider registry.Provider
	// AsOf is the reference time for stuck SENT rows when HasAsOf is set;
	// otherwise the newest attempted-at of the input is used.
	AsOf    time.Time
	HasAsOf bool
	// StuckAfter is the age past which a SENT row is stuck.
	StuckAfter time.Duration
	// Dimensions are the breakdowns to tally besides the totals.
	Dimensions []Dimension
}

// Aggregator consumes records and builds a Summary.
type Aggregator struct {
	opts     Options
	total    *Tally
	allCodes map[string]int64 // every code on every row, for provider inference
	ages     *sentAges
	groups   []*Groups
	keyBuf   []string
	tallyBuf []*Tally
}

// New returns an empty Aggregator.
func New(opts Options) *Aggregator {
	if opts.StuckAfter == 0 {
		opts.StuckAfter = DefaultStuckAfter
	}
	a := &Aggregator{
		opts:     opts,
		total:    NewTally(),
		allCodes: map[string]int64{},
		ages:     newSentAges(opts.StuckAfter, opts.AsOf, opts.HasAsOf),
	}
	for _, d := range opts.Dimensions {
		a.groups = append(a.groups, &Groups{Dimension: d, Tallies: map[string]*Tally{}})
	}
	return a
}

// Add counts one record.
func (a *Aggregator) Add(rec *export.Record) {
	a.Observe(rec)
	a.total.add(rec)
	if len(a.groups) == 0 {
		if rec.Outbound() && rec.Status == export.StatusSent {
			a.ages.sent(rec.AttemptedAt.UnixNano(), rec.HasTime, a.total)
		}
		return
	}
	// The buffer is reused row after row; a SENT row that must wait for
	// the final as-of keeps a copy (sentAges.sent clones it).
	a.tallyBuf = a.addToGroups(rec, append(a.tallyBuf[:0], a.total))
	if rec.Outbound() && rec.Status == export.StatusSent {
		a.ages.sent(rec.AttemptedAt.UnixNano(), rec.HasTime, a.tallyBuf...)
	}
}

// Observe takes from a row that is not counted (outside the scope of
// check --step) what the whole input decides: the newest timestamp, the
// as-of time of stuck SENT rows, and its codes, which point to the
// provider.
func (a *Aggregator) Observe(rec *export.Record) {
	a.countCodes(rec.Codes)
	if rec.HasTime {
		a.ages.observe(rec.AttemptedAt.UnixNano())
	}
}

// countCodes counts each code of a raw code cell; the common single-code
// cell is counted without splitting.
func (a *Aggregator) countCodes(raw string) {
	if raw == "" {
		return
	}
	for {
		code, rest, more := cutPipe(raw)
		if c := registry.NormalizeCode(code); c != "" {
			a.allCodes[c]++
		}
		if !more {
			return
		}
		raw = rest
	}
}

func cutPipe(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '|' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// Total returns the running totals (for tests and for callers that build
// their own views).
func (a *Aggregator) Total() *Tally { return a.total }

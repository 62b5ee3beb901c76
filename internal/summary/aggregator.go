package summary

import (
	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
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
	// Stuck says when a SENT row is stuck.
	Stuck classify.StuckClock
	// Dimensions are the breakdowns to tally besides the totals.
	Dimensions []Dimension
	// MaxKeys caps each map keyed by values from the data (error codes,
	// the groups of a dimension); the values past it are counted under
	// keycap.Other. 0 means keycap.DefaultMax.
	MaxKeys int
	// MaxCodes caps the maps of error codes and the groups of --by code
	// and --by category instead; 0 means MaxKeys or keycap.DefaultMaxCodes, the smaller.
	MaxCodes int

	// fork marks the aggregator of a part read in parallel: its maps keep
	// every key, in order, and are capped when merged.
	fork bool
	// refreshEvery, when positive, replaces the const refreshEvery (for
	// tests: a fork then looks for published key sets that often).
	refreshEvery int
}

// Aggregator consumes records and builds a Summary.
type Aggregator struct {
	opts     Options
	total    *Tally
	allCodes map[string]int64 // every code on every row, for provider inference
	// codeOrder lists allCodes' keys as first seen, in a fork.
	codeOrder []string
	// codeLimit caps allCodes and the Codes of every tally.
	codeLimit *keycap.Limit
	ages      *sentAges
	groups    []*Groups
	keyBuf    []string
	tallyBuf  []*Tally
	// latency is nil until a row with send times arrives (latency.go).
	latency *latencies

	// freeze publishes the key sets of the merged maps that are full, in
	// the aggregator the forks merge into; frozenCodes is allCodes' set
	// when this fork was made (nil: not full, or not a fork).
	freeze      *freezers
	frozenCodes *keycap.Frozen
	// forkOf is the aggregator a fork merges into (nil: not a fork).
	forkOf *Aggregator
	// refresh, in a fork, takes the key sets published since it was made
	// (refreshFrozen) every few rows.
	refresh refresher
	// cls is the classifier, set by Finish.
	cls *classify.Classifier
}

// freezers hold the key sets of the merged maps once full (see
// keycap.Frozen): each fork made after counts the values they lack under
// keycap.Other at once.
type freezers struct {
	codes, totalCodes keycap.Freezer
	groups            []keycap.Freezer // by dimension
	// otherCodes, by dimension, are the codes of the group past the
	// cap: on a broken export it gets every row past the first 100,000
	// and soon its codes are full too.
	otherCodes []keycap.Freezer

	// The sizes of the maps of the fork merged last, for the forks made
	// next to make theirs at once (keycap.Hint).
	codesN, totalCodesN keycap.Hint
	groupsN             []keycap.Hint // by dimension
}

// New returns an empty Aggregator.
func New(opts Options) *Aggregator {
	opts.Stuck.After = opts.Stuck.Threshold()
	a := &Aggregator{
		opts:      opts,
		allCodes:  map[string]int64{},
		codeLimit: opts.limit("error codes", opts.maxCodes()),
		ages:      newSentAges(opts.Stuck),
		freeze: &freezers{
			groups:     make([]keycap.Freezer, len(opts.Dimensions)),
			otherCodes: make([]keycap.Freezer, len(opts.Dimensions)),
			groupsN:    make([]keycap.Hint, len(opts.Dimensions)),
		},
	}
	known := opts.knownCodes()
	a.codeLimit.KeepAlways(known)
	a.total = a.newTally()
	for _, d := range opts.Dimensions {
		g := &Groups{Dimension: d, Tallies: map[string]*Tally{}, limit: opts.limit("--by "+d.Name+" groups", opts.maxGroups(d)), codes: a.codeLimit}
		if codeKeyed(d) {
			g.limit.KeepAlways(known)
		}
		g.other = g.otherKey()
		a.groups = append(a.groups, g)
	}
	return a
}

// knownCodes lists the keys the maps of codes count one by one past
// their cap (keycap.Limit.KeepAlways): classify.KnownCodes, the empty
// code of an ERROR row without one, and NoneKey (the group of --by code
// and --by category without a code). On a broken export whose junk codes
// come first, a real code seen after the cap keeps its category: opt-out
// rejections, categories and check's gates count it. The maps hold at
// most the cap and these (a few hundred).
func (o Options) knownCodes() []string {
	if o.fork || o.Registry == nil {
		return nil // a fork's limits come from the merged ones (Fork)
	}
	return append(classify.KnownCodes(o.Registry), "", NoneKey)
}

// limit returns the cap of one kind of map: max keys, or none in a fork.
func (o Options) limit(what string, max int) *keycap.Limit {
	if o.fork {
		return keycap.Unlimited(what)
	}
	return keycap.New(what, max)
}

// maxKeys is the cap of the maps of one kind (MaxKeys or its default).
func (o Options) maxKeys() int {
	if o.MaxKeys > 0 {
		return o.MaxKeys
	}
	return keycap.DefaultMax
}

// maxCodes is the cap of the maps of error codes: MaxCodes when given,
// else MaxKeys when that is lower than keycap.DefaultMaxCodes (a small
// --max-keys caps codes too).
func (o Options) maxCodes() int {
	if o.MaxCodes > 0 {
		return o.MaxCodes
	}
	return min(o.maxKeys(), keycap.DefaultMaxCodes)
}

// maxGroups is the cap of the groups of d: those keyed by error code
// are capped as the codes are.
func (o Options) maxGroups(d Dimension) int {
	if codeKeyed(d) {
		return o.maxCodes()
	}
	return o.maxKeys()
}

// codeKeyed reports whether d's keys are error codes: --by code, and
// --by category, counted by code until the provider is known.
func codeKeyed(d Dimension) bool { return d.Name == DimCode || d.Name == DimCategory }

// newTally returns an empty tally whose codes are capped.
func (a *Aggregator) newTally() *Tally {
	t := NewTally()
	t.codeLimit = a.codeLimit
	return t
}

// CodeLimit is the cap on error codes, for the analyses to share (one
// warning for the codes they fold, too).
func (a *Aggregator) CodeLimit() *keycap.Limit { return a.codeLimit }

// Warnings returns one line for each kind of map that folded values into
// keycap.Other.
func (a *Aggregator) Warnings() []string {
	limits := []*keycap.Limit{a.codeLimit}
	for _, g := range a.groups {
		limits = append(limits, g.limit)
	}
	return keycap.Warnings(limits...)
}

// Add counts one record.
func (a *Aggregator) Add(rec *export.Record) { a.AddRule(rec) }

// AddRule is Add, returning the row's opt-out rule (classify.OptOutRuleOf
// of an inbound row, NotOptOut for an outbound one), for Analyses.AddRule
// to reuse instead of reading the text again.
func (a *Aggregator) AddRule(rec *export.Record) classify.OptOutRule {
	a.Observe(rec)
	rule := optOutRule(rec)
	a.total.add(rec, rule)
	a.addLatency(rec)
	if len(a.groups) == 0 {
		if rec.Outbound() && rec.Status == export.StatusSent {
			at, ok := sentMoment(rec)
			a.ages.sent(at, ok, a.total)
		}
		return rule
	}
	// The buffer is reused row after row; a SENT row that must wait for
	// the final as-of keeps a copy (sentAges.sent clones it).
	a.tallyBuf = a.addToGroups(rec, rule, append(a.tallyBuf[:0], a.total))
	if rec.Outbound() && rec.Status == export.StatusSent {
		at, ok := sentMoment(rec)
		a.ages.sent(at, ok, a.tallyBuf...)
	}
	return rule
}

// Observe takes from a row that is not counted (outside the scope of
// check --step) what the whole input decides: the newest timestamp, the
// as-of time of stuck SENT rows, and its codes, which point to the
// provider.
func (a *Aggregator) Observe(rec *export.Record) {
	a.refresh.due()
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
			a.countCode(c, 1)
		}
		if !more {
			return
		}
		raw = rest
	}
}

// countCode adds n to a code of allCodes, under the cap.
func (a *Aggregator) countCode(code string, n int64) {
	code = a.frozenCodes.Admit(a.codeLimit, code, keycap.Other)
	if keycap.Add(a.codeLimit, a.allCodes, &a.codeOrder, code, n) && a.freeze != nil {
		// Rows read straight into a (not through forks) fill it too;
		// the link counter folds the codes it lacks once it is full.
		keycap.Update(&a.freeze.codes, a.codeLimit, a.allCodes, keycap.Other)
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

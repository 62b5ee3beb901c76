package summary

import (
	"strings"

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
	// MaxCodes caps the error codes instead: a row's code past the first
	// MaxCodes distinct codes of the input (and not one the registry
	// knows) counts as keycap.Other in every map of codes, the groups of
	// --by code and --by category among them; 0 means MaxKeys or
	// keycap.DefaultMaxCodes, the smaller.
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
	opts  Options
	total *Tally
	// allCodes counts every code on every row, for provider inference.
	// Its keys are the codes admitted (admit): those first seen before
	// it was full, under codeLimit, and those the registry knows.
	allCodes map[string]int64
	// codeOrder lists allCodes' keys as first seen, in a fork.
	codeOrder []string
	// codeLimit caps allCodes, and so every map of codes.
	codeLimit *keycap.Limit
	// foldedCodes counts, in a fork, the codes its frozen codes folded:
	// allCodes[keycap.Other] gets them at the merge (flushFolded), not
	// with a map access on each row of a broken export.
	foldedCodes int64
	ages        *sentAges
	groups      []*Groups
	keyBuf      []string
	tallyBuf    []*Tally
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
	codes  keycap.Freezer
	groups []keycap.Freezer // by dimension

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
			groups:  make([]keycap.Freezer, len(opts.Dimensions)),
			groupsN: make([]keycap.Hint, len(opts.Dimensions)),
		},
	}
	a.codeLimit.KeepAlways(opts.knownCodes())
	a.total = NewTally()
	for _, d := range opts.Dimensions {
		g := &Groups{Dimension: d, Tallies: map[string]*Tally{}}
		if !codeKeyed(d) { // codes are capped as they are admitted
			g.limit = opts.limit("--by "+d.Name+" groups", opts.maxKeys())
		}
		g.other = g.otherKey()
		a.groups = append(a.groups, g)
	}
	return a
}

// knownCodes lists the codes admitted past the cap
// (keycap.Limit.KeepAlways): classify.KnownCodes, and NoneKey, which
// admit keeps as the key of the rows without a code. On a broken export
// whose junk codes come first, a real code seen after the cap keeps its
// category: opt-out rejections, categories and check's gates count it.
// The maps of codes hold at most the cap and these (a few hundred).
func (o Options) knownCodes() []string {
	if o.fork || o.Registry == nil {
		return nil // a fork's limits come from the merged ones (Fork)
	}
	return append(classify.KnownCodes(o.Registry), NoneKey)
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

// codeKeyed reports whether d's keys are error codes: --by code, and
// --by category, counted by code until the provider is known.
func codeKeyed(d Dimension) bool { return d.Name == DimCode || d.Name == DimCategory }

// Warnings returns one line for each kind of map that folded values into
// keycap.Other.
func (a *Aggregator) Warnings() []string {
	limits := []*keycap.Limit{a.codeLimit}
	for _, g := range a.groups {
		limits = append(limits, g.limit)
	}
	return keycap.Warnings(limits...)
}

// Add counts one record, as AddRow does (a code past the cap of codes
// becomes keycap.Other in rec).
func (a *Aggregator) Add(rec *export.Record) { a.AddRow(rec) }

// AddRow is Add, returning the row's opt-out rule, for Analyses.AddRule
// to count the row alike. When the row's primary code is past the cap of
// codes, AddRow sets rec.PrimaryCode to keycap.Other first: every map of
// codes, the analyses' too, then counts the code as allCodes does, and a
// fork counts it so at once. (A copy of the row with that one field
// changed cost a 300-byte copy, under the write barrier while the
// collector runs, on every row of a broken export.) The rule is
// classify.OptOutRuleOf of an inbound row, NotOptOut for an outbound one,
// read once for the tallies and the analyses.
func (a *Aggregator) AddRow(rec *export.Record) classify.OptOutRule {
	a.observe(rec)
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
func (a *Aggregator) Observe(rec *export.Record) { a.observe(rec) }

// observe is Observe, setting rec.PrimaryCode to keycap.Other when the
// cap of codes folds it (see AddRow). Codes viewing the reader's buffer
// (export.Parallel.CodeViews) are replaced by what was counted: the
// copy countCodes made of a code kept, or keycap.Other.
func (a *Aggregator) observe(rec *export.Record) {
	a.refresh.due()
	if rec.HasTime {
		a.ages.observe(rec.AttemptedAt.UnixNano())
	}
	first := a.countCodes(rec.Codes, rec.CodesViewed)
	if first == keycap.Other && rec.PrimaryCode != "" {
		rec.PrimaryCode = keycap.Other
	}
	if rec.CodesViewed {
		// A viewed cell is one plain code (export's decoder.codes):
		// the cell, its primary code and first are that code.
		rec.Codes, rec.PrimaryCode, rec.CodesViewed = first, first, false
	}
}

// countCodes counts each code of a raw code cell and returns the key the
// first was counted under (keycap.Other when folded; "" when it has no
// code); the common single-code cell is counted without splitting. When
// viewed, raw views the reader's buffer, and a code kept is copied.
func (a *Aggregator) countCodes(raw string, viewed bool) (first string) {
	switch {
	case raw == "":
		return ""
	case viewed: // one plain code (the reader checked it): its own normal form
		return a.countCode(raw, 1, true)
	}
	for i := 0; ; i++ {
		code, rest, more := cutPipe(raw)
		if c := registry.NormalizeCode(code); c != "" {
			c = a.countCode(c, 1, viewed)
			if i == 0 {
				first = c
			}
		}
		if !more {
			return first
		}
		raw = rest
	}
}

// countCode adds n to a code of allCodes, under the cap, and returns the
// key it was counted under: the code, or keycap.Other. A viewed code
// (see countCodes) is copied unless the frozen codes fold it.
func (a *Aggregator) countCode(code string, n int64, viewed bool) string {
	code = a.frozenCodes.Admit(a.codeLimit, code, keycap.Other)
	if code == keycap.Other && a.frozenCodes != nil {
		a.foldedCodes += n
		return code
	}
	if viewed && code != keycap.Other {
		code = strings.Clone(code)
	}
	key, isNew := keycap.Add(a.codeLimit, a.allCodes, &a.codeOrder, code, n)
	if isNew && a.freeze != nil {
		// Rows read straight into a (not through forks) fill it too.
		keycap.Update(&a.freeze.codes, a.codeLimit, a.allCodes, keycap.Other)
	}
	return key
}

// flushFolded counts the codes folded by the frozen codes (foldedCodes)
// in allCodes, before a merge reads it.
func (a *Aggregator) flushFolded() {
	if a.foldedCodes > 0 {
		keycap.Add(a.codeLimit, a.allCodes, &a.codeOrder, keycap.Other, a.foldedCodes)
		a.foldedCodes = 0
	}
}

// admission returns how a fork's codes merged into a count, now that
// allCodes holds the fork's (Merge): nil when a folded no code, so each
// counts as it is, or when a is nil (analyses without an aggregator),
// else admit.
func (a *Aggregator) admission() func(string) string {
	if a == nil {
		return nil
	}
	if _, folded := a.allCodes[keycap.Other]; !folded {
		return nil
	}
	return a.admit
}

// admit returns the key under which the maps of codes count code: the
// code itself when allCodes counts it by itself, else keycap.Other.
// The empty code (an ERROR row without one) and NoneKey (the group of
// --by code and --by category without a code) are kept.
func (a *Aggregator) admit(code string) string {
	switch code {
	case "", NoneKey, keycap.Other:
		return code
	}
	if _, ok := a.allCodes[code]; ok {
		return code
	}
	return keycap.Other
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

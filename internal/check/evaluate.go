package check

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// SchemaVersion is the version of check's JSON contract (docs/json.md).
const SchemaVersion = 1

// ScopeAll is the scope of the checks on the whole input.
const ScopeAll = "all"

// DefaultMinOutbound is the default --min-outbound: below 100 texts one
// error moves a rate by a whole percent, too noisy to gate on.
const DefaultMinOutbound = 100

// Report is the result of a check run and its JSON contract.
type Report struct {
	SchemaVersion int            `json:"schema_version"`
	Passed        bool           `json:"passed"`
	Checks        []Result       `json:"checks"`
	SkippedGroups []SkippedGroup `json:"skipped_groups"`
	// NothingToCheck says why the run judged nothing (no rows, too few
	// outbound texts, every group skipped); empty when it judged something.
	// Only a run with --allow-empty reports it: otherwise it is an error.
	NothingToCheck string           `json:"nothing_to_check,omitempty"`
	Summary        *summary.Summary `json:"summary"`
	// Step is the step of the outbound texts every threshold was checked
	// on (check --step initial); empty when all were.
	Step string `json:"step,omitempty"`
}

// Result is one threshold evaluated in one scope.
type Result struct {
	Name       string            `json:"name"`
	Scope      string            `json:"scope"`
	Campaign   string            `json:"campaign,omitempty"`
	Category   registry.Category `json:"category,omitempty"`
	Code       string            `json:"code,omitempty"`
	Unit       string            `json:"unit"` // "rate" or "count"
	Actual     float64           `json:"actual"`
	Limit      float64           `json:"limit"`
	Comparison string            `json:"comparison"`
	Passed     bool              `json:"passed"`
	// Count is the numerator of a rate (or the count itself) and Outbound
	// its denominator: the exact figures the comparison used.
	Count    int64 `json:"count"`
	Outbound int64 `json:"outbound"`

	exactActual, exactLimit *big.Rat
}

// ExactActual is the actual value as an exact fraction (a whole number for
// counts).
func (r Result) ExactActual() *big.Rat { return r.exactActual }

// ExactLimit is the limit exactly as the user wrote it.
func (r Result) ExactLimit() *big.Rat { return r.exactLimit }

// IsCount reports whether the check is on a count rather than a rate.
func (r Result) IsCount() bool { return r.Unit == "count" }

// SkippedGroup is a group of --per left out for having too few outbound
// texts.
type SkippedGroup struct {
	Scope       string `json:"scope"`
	Campaign    string `json:"campaign"`
	Outbound    int64  `json:"outbound"`
	MinOutbound int64  `json:"min_outbound"`
	Reason      string `json:"reason"`
}

// Input is what Evaluate compares.
type Input struct {
	Summary    *summary.Summary
	Total      *summary.Tally
	Classifier *classify.Classifier
	// Campaigns are the per-campaign tallies of --per campaign (nil
	// otherwise).
	Campaigns   map[string]*summary.Tally
	MinOutbound int64
	Thresholds  []Threshold
	// Step is the step the input was scoped to, if any.
	Step string
}

// Evaluate checks every threshold on the whole input, then on each
// campaign with at least MinOutbound outbound rows, in campaign order. The
// whole input is evaluated even when it is too small to judge, so that a
// run let through with --allow-empty still fails on what it read; its
// NothingToCheck says why it is too small.
func Evaluate(in Input) *Report {
	r := &Report{SchemaVersion: SchemaVersion, Passed: true, Checks: []Result{}, SkippedGroups: []SkippedGroup{}, Summary: in.Summary, Step: in.Step}
	r.add(ScopeAll, "", figuresOf(in.Total, in.Classifier), in.Thresholds)
	for _, id := range sortedCampaigns(in.Campaigns) {
		t := in.Campaigns[id]
		scope := "campaign " + id
		if t.Outbound < in.MinOutbound {
			r.SkippedGroups = append(r.SkippedGroups, SkippedGroup{Scope: scope, Campaign: id, Outbound: t.Outbound, MinOutbound: in.MinOutbound,
				Reason: fmt.Sprintf("fewer than %d outbound texts (--min-outbound)", in.MinOutbound)})
			continue
		}
		r.add(scope, id, figuresOf(t, in.Classifier), in.Thresholds)
	}
	r.NothingToCheck = nothingToCheck(in, r)
	return r
}

func (r *Report) add(scope, campaign string, f figures, ths []Threshold) {
	for _, th := range ths {
		res := evaluate(th, f)
		res.Scope, res.Campaign = scope, campaign
		r.Passed = r.Passed && res.Passed
		r.Checks = append(r.Checks, res)
	}
}

// Failed counts the failed checks.
func (r *Report) Failed() int {
	n := 0
	for _, c := range r.Checks {
		if !c.Passed {
			n++
		}
	}
	return n
}

// FailuresFirst returns the checks with the failed ones first, each part
// in evaluation order.
func (r *Report) FailuresFirst() []Result {
	out := make([]Result, 0, len(r.Checks))
	for _, pass := range []bool{false, true} {
		for _, c := range r.Checks {
			if c.Passed == pass {
				out = append(out, c)
			}
		}
	}
	return out
}

// figures are the counts of one scope that thresholds measure.
type figures struct {
	outbound, delivered, errored, stuck, optOut int64
	categories                                  map[registry.Category]int64
	codes                                       map[string]int64
}

func figuresOf(t *summary.Tally, cls *classify.Classifier) figures {
	o := summary.OutboundOf(t, cls)
	f := figures{outbound: t.Outbound, delivered: o.Delivered, errored: o.Errored, stuck: o.SentStuck,
		optOut: o.OptOutRejections, categories: map[registry.Category]int64{}, codes: t.Codes}
	for _, c := range summary.CategoryCounts(summary.CodeCounts(t, cls)) {
		f.categories[c.Category] = c.Count
	}
	return f
}

// measure returns the numerator the threshold is about.
func (f figures) measure(th Threshold) int64 {
	switch th.Metric {
	case ErrorRate:
		return f.errored
	case DeliveryRate:
		return f.delivered
	case StuckSentRate, StuckSent:
		return f.stuck
	case OptOutRejectionRate:
		return f.optOut
	case CategoryRate:
		return f.categories[th.Category]
	case CodeRate:
		n, ok := f.codes[th.Code]
		if !ok {
			// Past --max-keys the code may be among those folded: judge
			// the folded ones as all of it, so the gate fails closed.
			n = f.codes[keycap.Other]
		}
		return n
	}
	panic("check: unknown metric " + string(th.Metric))
}

// evaluate compares exactly: count/outbound against the limit as written,
// both fractions of whole numbers, so 5 errors in 100 texts meet a 5%
// ceiling and 232 in 2,154 (10.7706%) do not meet 10.77%, though both show
// as 10.77% when rounded. A scope without outbound rows has every rate 0,
// as in summarize.
func evaluate(th Threshold, f figures) Result {
	count := f.measure(th)
	res := Result{Name: th.Name(), Category: th.Category, Code: th.Code, Unit: "rate", Comparison: th.Comparison(),
		Count: count, Outbound: f.outbound, exactLimit: th.Limit}
	res.Limit, _ = th.Limit.Float64()
	if th.IsCount() {
		res.Unit = "count"
		res.exactActual = new(big.Rat).SetInt64(count)
		res.Actual = float64(count)
	} else {
		res.exactActual = new(big.Rat)
		if f.outbound > 0 {
			res.exactActual.SetFrac64(count, f.outbound)
		}
		res.Actual = summary.Rate(count, f.outbound)
	}
	cmp := res.exactActual.Cmp(th.Limit)
	res.Passed = cmp <= 0
	if th.Min {
		res.Passed = cmp >= 0
	}
	return res
}

// sortedCampaigns orders campaign ids numerically when both are numbers
// (Spoke's ids are), else as text; the group of rows without an id last.
func sortedCampaigns(m map[string]*summary.Tally) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return campaignLess(ids[i], ids[j]) })
	return ids
}

func campaignLess(a, b string) bool {
	if (a == summary.NoneKey) != (b == summary.NoneKey) {
		return b == summary.NoneKey
	}
	na, errA := strconv.ParseInt(a, 10, 64)
	nb, errB := strconv.ParseInt(b, 10, 64)
	switch {
	case errA == nil && errB == nil:
		return na < nb
	case errA == nil:
		return true
	case errB == nil:
		return false
	}
	return a < b
}

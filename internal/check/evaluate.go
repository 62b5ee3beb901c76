package check

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/stats"
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
	SchemaVersion int  `json:"schema_version"`
	Passed        bool `json:"passed"`
	// Warnings counts the checks whose warn level (--warn-*) was crossed;
	// they do not fail the run.
	Warnings      int            `json:"warnings"`
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
	// Confidence is the level of check --confidence: rate checks were
	// judged on Wilson intervals at it. 0 (absent) when they were judged on
	// the rates themselves.
	Confidence float64 `json:"confidence,omitempty"`
	// Baseline describes the --baseline compared with; nil without one.
	Baseline *BaselineReport `json:"baseline,omitempty"`
}

// Result is one threshold evaluated in one scope.
type Result struct {
	Name  string `json:"name"`
	Scope string `json:"scope"`
	// Dimension and Key name the --per group of the scope; absent for
	// the whole input. Campaign repeats the key of a campaign group.
	Dimension  string            `json:"dimension,omitempty"`
	Key        summary.GroupKey  `json:"key,omitempty"`
	Campaign   string            `json:"campaign,omitempty"`
	Category   registry.Category `json:"category,omitempty"`
	Code       string            `json:"code,omitempty"`
	Unit       string            `json:"unit"` // "rate", "count" or "change"
	Actual     float64           `json:"actual"`
	Limit      float64           `json:"limit"`
	Comparison string            `json:"comparison"`
	Passed     bool              `json:"passed"`
	// Level is the threshold's: "fail" (--max-*, --min-*) or "warn"
	// (--warn-*). Status is "pass", or the level when not passed.
	Level  string `json:"level"`
	Status string `json:"status"`
	// Count is the numerator of a rate (or the count itself) and Outbound
	// its denominator: the exact figures the comparison used.
	Count    int64 `json:"count"`
	Outbound int64 `json:"outbound"`
	// CI is the Wilson interval of the rate at Confidence, with
	// --confidence only; PointPassed is then whether the rate itself met
	// the limit (Passed is judged on the interval).
	CI          *[2]float64 `json:"ci,omitempty"`
	Confidence  float64     `json:"confidence,omitempty"`
	PointPassed *bool       `json:"point_estimate_passed,omitempty"`
	// Baseline and Current are the rates a change check compared.
	Baseline *RateFigure `json:"baseline,omitempty"`
	Current  *RateFigure `json:"current,omitempty"`

	exactActual, exactLimit *big.Rat
}

// RateFigure is one rate with its counts.
type RateFigure struct {
	Count    int64   `json:"count"`
	Outbound int64   `json:"outbound"`
	Rate     float64 `json:"rate"`
}

// ExactActual is the actual value as an exact fraction (a whole number for
// counts).
func (r Result) ExactActual() *big.Rat { return r.exactActual }

// ExactLimit is the limit exactly as the user wrote it.
func (r Result) ExactLimit() *big.Rat { return r.exactLimit }

// IsCount reports whether the check is on a count rather than a rate.
func (r Result) IsCount() bool { return r.Unit == "count" }

// IsChange reports whether the check is on the change since a baseline.
func (r Result) IsChange() bool { return r.Unit == "change" }

// Statuses of a result.
const (
	StatusPass = "pass"
	StatusWarn = "warn"
	StatusFail = "fail"
)

// SkippedGroup is a group of --per left out for having too few outbound
// texts.
type SkippedGroup struct {
	Scope       string           `json:"scope"`
	Dimension   string           `json:"dimension,omitempty"`
	Key         summary.GroupKey `json:"key,omitempty"`
	Campaign    string           `json:"campaign,omitempty"`
	Outbound    int64            `json:"outbound"`
	MinOutbound int64            `json:"min_outbound"`
	Reason      string           `json:"reason"`
}

// GroupSet is the groups of one --per dimension.
type GroupSet struct {
	// Dimension is the dimension's name: "campaign", or
	// "campaign,sending-number" when nested.
	Dimension string
	// Rows hold each group's Tally, in the order checks are listed.
	Rows []summary.GroupRow
}

// GroupSetOf builds the group set of an aggregator's groups: every group,
// in key order (campaign ids by value, the group without an id last).
func GroupSetOf(g *summary.Groups, cls *classify.Classifier) GroupSet {
	rows := g.Rows(cls, summary.SortKey, 0)
	if g.Dimension.Name == summary.DimCampaign {
		sort.SliceStable(rows, func(i, j int) bool { return campaignLess(rows[i].Key[0], rows[j].Key[0]) })
	}
	return GroupSet{Dimension: g.Dimension.Name, Rows: rows}
}

// Input is what Evaluate compares.
type Input struct {
	Summary    *summary.Summary
	Total      *summary.Tally
	Classifier *classify.Classifier
	// Groups are the groups of each --per dimension, in --per order.
	Groups      []GroupSet
	MinOutbound int64
	Thresholds  []Threshold
	// Step is the step the input was scoped to, if any.
	Step string
	// Confidence, when above 0, judges rates on their Wilson interval at
	// this level (check --confidence).
	Confidence float64
	// Baseline holds the figures the change thresholds compare with.
	Baseline *Baseline
}

// Evaluate checks every threshold on the whole input, then on each group
// of each --per dimension with at least MinOutbound outbound rows. The
// whole input is evaluated even when it is too small to judge, so that a
// run let through with --allow-empty still fails on what it read; its
// NothingToCheck says why it is too small.
func Evaluate(in Input) *Report {
	r := &Report{SchemaVersion: SchemaVersion, Passed: true, Checks: []Result{}, SkippedGroups: []SkippedGroup{}, Summary: in.Summary,
		Step: in.Step, Confidence: in.Confidence}
	ev := evaluator{confidence: in.Confidence}
	if in.Baseline != nil {
		r.Baseline = in.Baseline.report()
		ev.baseline = in.Baseline.Total
	}
	r.add(ev, scope{name: ScopeAll}, figuresOf(in.Total, in.Classifier), in.Thresholds)
	for _, set := range in.Groups {
		seen := map[string]bool{}
		for _, row := range set.Rows {
			sc := scopeOf(set.Dimension, row.Key)
			seen[joinKey(row.Key)] = true
			ev.baseline = nil
			if in.Baseline != nil {
				ev.baseline = in.Baseline.group(set.Dimension, row.Key)
				if ev.baseline == nil {
					r.Baseline.NewGroups = append(r.Baseline.NewGroups, sc.group(row.Outbound))
				}
			}
			if row.Outbound < in.MinOutbound {
				r.SkippedGroups = append(r.SkippedGroups, SkippedGroup{Scope: sc.name, Dimension: sc.dimension, Key: sc.key, Campaign: sc.campaign,
					Outbound: row.Outbound, MinOutbound: in.MinOutbound, Reason: fmt.Sprintf("fewer than %d outbound texts (--min-outbound)", in.MinOutbound)})
				continue
			}
			r.add(ev, sc, figuresOf(row.Tally, in.Classifier), in.Thresholds)
		}
		if in.Baseline != nil {
			r.Baseline.VanishedGroups = append(r.Baseline.VanishedGroups, in.Baseline.vanished(set.Dimension, seen)...)
		}
	}
	r.NothingToCheck = nothingToCheck(in, r)
	return r
}

// scope is where a check was evaluated: the whole input or one group.
type scope struct {
	name, dimension, campaign string
	key                       summary.GroupKey
}

// scopeOf names a group's scope: "campaign 112", "sending-number
// +15555550100", "campaign,day 112 / 2024-10-01".
func scopeOf(dimension string, key summary.GroupKey) scope {
	sc := scope{name: dimension + " " + key.String(), dimension: dimension, key: key}
	if dimension == summary.DimCampaign {
		sc.campaign = key[0]
	}
	return sc
}

func (sc scope) group(outbound int64) GroupChange {
	return GroupChange{Scope: sc.name, Dimension: sc.dimension, Key: sc.key, Outbound: outbound}
}

func (r *Report) add(ev evaluator, sc scope, f figures, ths []Threshold) {
	for _, th := range ths {
		if th.IsChange() && ev.baseline == nil {
			continue // a new group, or no baseline: nothing to compare
		}
		res := ev.evaluate(th, f)
		res.Scope, res.Dimension, res.Key, res.Campaign = sc.name, sc.dimension, sc.key, sc.campaign
		switch res.Status {
		case StatusFail:
			r.Passed = false
		case StatusWarn:
			r.Warnings++
		}
		r.Checks = append(r.Checks, res)
	}
}

// Failed counts the failed checks (warnings aside).
func (r *Report) Failed() int { return r.count(StatusFail) }

// Warned counts the checks whose warn level was crossed.
func (r *Report) Warned() int { return r.count(StatusWarn) }

func (r *Report) count(status string) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == status {
			n++
		}
	}
	return n
}

// FailuresFirst returns the checks with the failed ones first, then the
// warnings, then the passes, each part in evaluation order.
func (r *Report) FailuresFirst() []Result {
	out := make([]Result, 0, len(r.Checks))
	for _, status := range []string{StatusFail, StatusWarn, StatusPass} {
		for _, c := range r.Checks {
			if c.Status == status {
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
	// known reports the codes the registry knows, never folded.
	known func(code string) bool
}

func figuresOf(t *summary.Tally, cls *classify.Classifier) figures {
	o := summary.OutboundOf(t, cls)
	f := figures{outbound: t.Outbound, delivered: o.Delivered, errored: o.Errored, stuck: o.SentStuck,
		optOut: o.OptOutRejections, categories: map[registry.Category]int64{}, codes: t.CodeMap(), known: cls.Knows}
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
		if !ok && (f.known == nil || !f.known(th.Code)) {
			// Past --max-keys a code the registry does not know may be
			// among those folded: judge the folded ones as all of it, so
			// the gate fails closed. A known code is never folded.
			n = f.codes[keycap.Other]
		}
		return n
	}
	panic("check: unknown metric " + string(th.Metric))
}

// evaluator judges thresholds on one scope's figures.
type evaluator struct {
	confidence float64
	baseline   *BaselineFigures // the scope's figures in the baseline, if any
}

// evaluate compares exactly: count/outbound against the limit as written,
// both fractions of whole numbers, so 5 errors in 100 texts meet a 5%
// ceiling and 232 in 2,154 (10.7706%) do not meet 10.77%, though both show
// as 10.77% when rounded. A scope without outbound rows has every rate 0,
// as in summarize.
func (ev evaluator) evaluate(th Threshold, f figures) Result {
	if th.IsChange() {
		return ev.evaluateChange(th, f)
	}
	count := f.measure(th)
	res := Result{Name: th.Name(), Category: th.Category, Code: th.Code, Unit: "rate", Comparison: th.Comparison(),
		Count: count, Outbound: f.outbound, Level: th.Level(), exactLimit: th.Limit}
	res.Limit, _ = th.Limit.Float64()
	if th.IsCount() {
		res.Unit = "count"
		res.exactActual = new(big.Rat).SetInt64(count)
		res.Actual = float64(count)
	} else {
		res.exactActual = exactRate(count, f.outbound)
		res.Actual = summary.Rate(count, f.outbound)
	}
	res.Passed = meets(th, res.exactActual)
	if ev.confidence > 0 && !th.IsCount() {
		ev.judgeOnInterval(th, &res)
	}
	res.Status = status(res.Passed, th)
	return res
}

// judgeOnInterval replaces the verdict on the rate by one on its Wilson
// interval: a ceiling fails only when the whole interval is above it (its
// lower bound is), a floor only when the whole interval is below it.
func (ev evaluator) judgeOnInterval(th Threshold, res *Result) {
	lo, hi := stats.Wilson(res.Count, res.Outbound, ev.confidence)
	point := res.Passed
	res.CI = &[2]float64{round4(lo), round4(hi)}
	res.Confidence, res.PointPassed = ev.confidence, &point
	if th.Min {
		res.Passed = !(hi < res.Limit)
	} else {
		res.Passed = !(lo > res.Limit)
	}
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// evaluateChange compares the change of a rate since the baseline,
// signed so that positive is worse, with the limit, exactly.
func (ev evaluator) evaluateChange(th Threshold, f figures) Result {
	b := ev.baseline
	var nowCount, baseCount int64
	switch th.Metric {
	case ErrorRateIncrease:
		nowCount, baseCount = f.errored, b.Errored
	case StuckSentRateIncrease:
		nowCount, baseCount = f.stuck, b.SentStuck
	case DeliveryRateDecrease:
		nowCount, baseCount = f.delivered, b.Delivered
	}
	now, before := exactRate(nowCount, f.outbound), exactRate(baseCount, b.Outbound)
	change := new(big.Rat).Sub(now, before)
	if th.Metric == DeliveryRateDecrease {
		change.Neg(change)
	}
	res := Result{Name: th.Name(), Unit: "change", Comparison: th.Comparison(), Count: nowCount, Outbound: f.outbound,
		Level: th.Level(), exactActual: change, exactLimit: th.Limit,
		Baseline: &RateFigure{Count: baseCount, Outbound: b.Outbound, Rate: summary.Rate(baseCount, b.Outbound)},
		Current:  &RateFigure{Count: nowCount, Outbound: f.outbound, Rate: summary.Rate(nowCount, f.outbound)}}
	res.Limit, _ = th.Limit.Float64()
	actual, _ := change.Float64()
	res.Actual = round4(actual)
	res.Passed = meets(th, change)
	res.Status = status(res.Passed, th)
	return res
}

func exactRate(count, outbound int64) *big.Rat {
	if outbound <= 0 {
		return new(big.Rat)
	}
	return new(big.Rat).SetFrac64(count, outbound)
}

// meets compares a value with a threshold's limit: at most a ceiling, at
// least a floor.
func meets(th Threshold, actual *big.Rat) bool {
	cmp := actual.Cmp(th.Limit)
	if th.Min {
		return cmp >= 0
	}
	return cmp <= 0
}

func status(passed bool, th Threshold) string {
	switch {
	case passed:
		return StatusPass
	case th.Warn:
		return StatusWarn
	}
	return StatusFail
}

// campaignLess orders campaign ids numerically when both are numbers
// (Spoke's ids are), else as text; the group of rows without an id last.
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

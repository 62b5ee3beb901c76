// Package check compares the figures of summarize with deliverability
// thresholds: the gate `spoke-status check` runs in CI jobs. Thresholds come
// from flags and a YAML config file and are compared exactly (as fractions
// of whole numbers, never as rounded floats).
package check

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/spoke-status/spoke-status/internal/registry"
)

// Metric is what a threshold measures.
type Metric string

// The metrics. Every rate is a share of the scope's outbound rows.
const (
	ErrorRate           Metric = "error_rate"
	DeliveryRate        Metric = "delivery_rate"
	StuckSentRate       Metric = "stuck_sent_rate"
	StuckSent           Metric = "stuck_sent" // a count, not a rate
	OptOutRejectionRate Metric = "opt_out_rejection_rate"
	CategoryRate        Metric = "category_rate"
	CodeRate            Metric = "code_rate"
)

// Keys name thresholds the same way in flags (--max-error-rate) and in the
// config file (max-error-rate: 5%).
const (
	KeyMaxErrorRate           = "max-error-rate"
	KeyMinDeliveryRate        = "min-delivery-rate"
	KeyMaxStuckSentRate       = "max-stuck-sent-rate"
	KeyMaxStuckSent           = "max-stuck-sent"
	KeyMaxOptOutRejectionRate = "max-opt-out-rejection-rate"
	KeyMaxCategoryRate        = "max-category-rate"
	KeyMaxCodeRate            = "max-code-rate"
)

// scalarKey describes a threshold that takes one value.
type scalarKey struct {
	Key    string
	Metric Metric
	Min    bool // a floor: passes when actual >= limit
}

// ScalarKeys lists the one-value thresholds in display order.
func ScalarKeys() []string {
	keys := make([]string, 0, len(scalarKeys()))
	for _, k := range scalarKeys() {
		keys = append(keys, k.Key)
	}
	return keys
}

func scalarKeys() []scalarKey {
	return []scalarKey{
		{KeyMaxErrorRate, ErrorRate, false},
		{KeyMinDeliveryRate, DeliveryRate, true},
		{KeyMaxStuckSentRate, StuckSentRate, false},
		{KeyMaxStuckSent, StuckSent, false},
		{KeyMaxOptOutRejectionRate, OptOutRejectionRate, false},
	}
}

// Threshold is one limit on one metric.
type Threshold struct {
	Metric   Metric
	Category registry.Category // CategoryRate only
	Code     string            // CodeRate only
	// Min makes the threshold a floor (actual >= limit passes); otherwise
	// it is a ceiling (actual <= limit passes).
	Min bool
	// Limit is a fraction for rates and a whole number for counts.
	Limit *big.Rat
}

// Name identifies the check in every output: error_rate,
// category_rate:spam_blocked, code_rate:30007.
func (t Threshold) Name() string {
	switch t.Metric {
	case CategoryRate:
		return string(CategoryRate) + ":" + string(t.Category)
	case CodeRate:
		return string(CodeRate) + ":" + t.Code
	}
	return string(t.Metric)
}

// IsCount reports whether the metric is a count rather than a rate.
func (t Threshold) IsCount() bool { return t.Metric == StuckSent }

// Comparison is "<=" for a ceiling and ">=" for a floor.
func (t Threshold) Comparison() string {
	if t.Min {
		return ">="
	}
	return "<="
}

// Thresholds is a set of thresholds, at most one per name: setting a
// threshold again replaces it, which is how flags override the config file.
type Thresholds struct {
	byName map[string]Threshold
}

// NewThresholds returns an empty set.
func NewThresholds() *Thresholds {
	return &Thresholds{byName: map[string]Threshold{}}
}

// Len is the number of thresholds.
func (ts *Thresholds) Len() int { return len(ts.byName) }

// Set sets a one-value threshold by key (max-error-rate, max-stuck-sent, ...)
// from its text.
func (ts *Thresholds) Set(key, value string) error {
	for _, k := range scalarKeys() {
		if k.Key != key {
			continue
		}
		limit, err := parseLimit(k.Metric, value)
		if err != nil {
			return err
		}
		ts.put(Threshold{Metric: k.Metric, Min: k.Min, Limit: limit})
		return nil
	}
	return fmt.Errorf("unknown threshold %q", key)
}

func parseLimit(m Metric, value string) (*big.Rat, error) {
	if m == StuckSent {
		n, err := ParseCount(value)
		if err != nil {
			return nil, err
		}
		return new(big.Rat).SetInt64(n), nil
	}
	return ParseRate(value)
}

// SetCategory sets the ceiling on the share of outbound rows whose error
// is in category.
func (ts *Thresholds) SetCategory(category, value string) error {
	cat, err := registry.ParseCategory(category)
	if err != nil {
		return err
	}
	limit, err := ParseRate(value)
	if err != nil {
		return fmt.Errorf("%s: %w", cat, err)
	}
	ts.put(Threshold{Metric: CategoryRate, Category: cat, Limit: limit})
	return nil
}

// codePattern is a provider error code once normalized: an integer, Spoke's
// own codes being negative.
var codePattern = regexp.MustCompile(`^-?[0-9]+$`)

// SetCode sets the ceiling on the share of outbound rows whose primary
// error code is code.
func (ts *Thresholds) SetCode(code, value string) error {
	norm := registry.NormalizeCode(code)
	if !codePattern.MatchString(norm) {
		return fmt.Errorf("%q is not an error code: give the number, e.g. 30007 (use max-category-rate no_code for rows without a code)", code)
	}
	limit, err := ParseRate(value)
	if err != nil {
		return fmt.Errorf("%s: %w", norm, err)
	}
	ts.put(Threshold{Metric: CodeRate, Code: norm, Limit: limit})
	return nil
}

// SetPair sets a keyed threshold from a flag value KEY=RATE:
// max-category-rate spam_blocked=2% or max-code-rate 30007=1%.
func (ts *Thresholds) SetPair(key, pair string) error {
	name, value, ok := strings.Cut(pair, "=")
	if !ok {
		example := "spam_blocked=2%"
		if key == KeyMaxCodeRate {
			example = "30007=1%"
		}
		return fmt.Errorf("%q is not NAME=RATE, e.g. %s", pair, example)
	}
	switch key {
	case KeyMaxCategoryRate:
		return ts.SetCategory(name, value)
	case KeyMaxCodeRate:
		return ts.SetCode(name, value)
	}
	return fmt.Errorf("unknown threshold %q", key)
}

func (ts *Thresholds) put(t Threshold) { ts.byName[t.Name()] = t }

// Merge sets every threshold of o in ts, replacing those of the same name.
func (ts *Thresholds) Merge(o *Thresholds) {
	for _, t := range o.byName {
		ts.put(t)
	}
}

// List returns the thresholds in display order: the one-value thresholds
// in the order of ScalarKeys, then categories in registry order, then codes.
func (ts *Thresholds) List() []Threshold {
	out := make([]Threshold, 0, len(ts.byName))
	for _, t := range ts.byName {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return thresholdLess(out[i], out[j]) })
	return out
}

func thresholdLess(a, b Threshold) bool {
	if ra, rb := metricRank(a.Metric), metricRank(b.Metric); ra != rb {
		return ra < rb
	}
	switch a.Metric {
	case CategoryRate:
		cats := registry.Categories()
		return slices.Index(cats, a.Category) < slices.Index(cats, b.Category)
	case CodeRate:
		return a.Code < b.Code
	}
	return false
}

func metricRank(m Metric) int {
	order := []Metric{ErrorRate, DeliveryRate, StuckSentRate, StuckSent, OptOutRejectionRate, CategoryRate, CodeRate}
	return slices.Index(order, m)
}

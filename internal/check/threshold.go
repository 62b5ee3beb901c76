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

	// Changes since a baseline (check --baseline), in rate: each is
	// signed so that a positive value is a change for the worse.
	ErrorRateIncrease     Metric = "error_rate_increase"
	StuckSentRateIncrease Metric = "stuck_sent_rate_increase"
	DeliveryRateDecrease  Metric = "delivery_rate_decrease"
)

// Levels of a threshold: crossing a fail level fails the run (exit 1),
// crossing a warn level only warns (exit 0).
const (
	LevelFail = "fail"
	LevelWarn = "warn"
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

	KeyMaxErrorRateIncrease     = "max-error-rate-increase"
	KeyMaxStuckSentRateIncrease = "max-stuck-sent-rate-increase"
	KeyMaxDeliveryRateDecrease  = "max-delivery-rate-decrease"
)

// WarnKey is the warn twin of a fail key: the max- or min- prefix becomes
// warn- (max-error-rate -> warn-error-rate, min-delivery-rate ->
// warn-delivery-rate). The twin measures the same thing in the same
// direction; only crossing it warns instead of failing.
func WarnKey(key string) string {
	for _, prefix := range []string{"max-", "min-"} {
		if rest, ok := strings.CutPrefix(key, prefix); ok {
			return "warn-" + rest
		}
	}
	return key
}

// failKey is the fail key of a warn key, and whether key was one.
func failKey(key string) (string, bool) {
	for _, k := range append(ScalarKeys(), ChangeKeys()...) {
		if WarnKey(k) == key {
			return k, true
		}
	}
	for _, k := range []string{KeyMaxCategoryRate, KeyMaxCodeRate} {
		if WarnKey(k) == key {
			return k, true
		}
	}
	return key, false
}

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

// ChangeKeys lists the thresholds on change since a baseline, in display
// order.
func ChangeKeys() []string {
	return []string{KeyMaxErrorRateIncrease, KeyMaxStuckSentRateIncrease, KeyMaxDeliveryRateDecrease}
}

func changeKeys() []scalarKey {
	return []scalarKey{
		{KeyMaxErrorRateIncrease, ErrorRateIncrease, false},
		{KeyMaxStuckSentRateIncrease, StuckSentRateIncrease, false},
		{KeyMaxDeliveryRateDecrease, DeliveryRateDecrease, false},
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
	// Warn makes crossing the threshold a warning rather than a failure.
	Warn bool
}

// Level is LevelWarn for a warn threshold, else LevelFail.
func (t Threshold) Level() string {
	if t.Warn {
		return LevelWarn
	}
	return LevelFail
}

// IsChange reports whether the threshold is on the change since a
// baseline.
func (t Threshold) IsChange() bool {
	switch t.Metric {
	case ErrorRateIncrease, StuckSentRateIncrease, DeliveryRateDecrease:
		return true
	}
	return false
}

// Flag is the flag (and config key) that sets the threshold:
// --max-error-rate, --warn-delivery-rate, --max-code-rate.
func (t Threshold) Flag() string {
	key := ""
	for _, k := range append(scalarKeys(), changeKeys()...) {
		if k.Metric == t.Metric {
			key = k.Key
		}
	}
	switch t.Metric {
	case CategoryRate:
		key = KeyMaxCategoryRate
	case CodeRate:
		key = KeyMaxCodeRate
	}
	if t.Warn {
		key = WarnKey(key)
	}
	return "--" + key
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

// Set sets a one-value threshold by key (max-error-rate, max-stuck-sent,
// warn-error-rate, max-error-rate-increase, ...) from its text.
func (ts *Thresholds) Set(key, value string) error {
	fail, warn := failKey(key)
	for _, k := range append(scalarKeys(), changeKeys()...) {
		if k.Key != fail {
			continue
		}
		limit, err := parseLimit(k.Metric, value)
		if err != nil {
			return err
		}
		ts.put(Threshold{Metric: k.Metric, Min: k.Min, Limit: limit, Warn: warn})
		return nil
	}
	return fmt.Errorf("unknown threshold %q", key)
}

func parseLimit(m Metric, value string) (*big.Rat, error) {
	switch m {
	case ErrorRateIncrease, StuckSentRateIncrease, DeliveryRateDecrease:
		return ParseChange(value)
	}
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
	return ts.setCategory(category, value, false)
}

// SetWarnCategory sets the warn level of a category rate.
func (ts *Thresholds) SetWarnCategory(category, value string) error {
	return ts.setCategory(category, value, true)
}

func (ts *Thresholds) setCategory(category, value string, warn bool) error {
	cat, err := registry.ParseCategory(category)
	if err != nil {
		return err
	}
	limit, err := ParseRate(value)
	if err != nil {
		return fmt.Errorf("%s: %w", cat, err)
	}
	ts.put(Threshold{Metric: CategoryRate, Category: cat, Limit: limit, Warn: warn})
	return nil
}

// codePattern is a provider error code once normalized: an integer, Spoke's
// own codes being negative.
var codePattern = regexp.MustCompile(`^-?[0-9]+$`)

// SetCode sets the ceiling on the share of outbound rows whose primary
// error code is code.
func (ts *Thresholds) SetCode(code, value string) error {
	return ts.setCode(code, value, false)
}

// SetWarnCode sets the warn level of a code rate.
func (ts *Thresholds) SetWarnCode(code, value string) error {
	return ts.setCode(code, value, true)
}

func (ts *Thresholds) setCode(code, value string, warn bool) error {
	norm := registry.NormalizeCode(code)
	if !codePattern.MatchString(norm) {
		return fmt.Errorf("%q is not an error code: give the number, e.g. 30007 (use max-category-rate no_code for rows without a code)", code)
	}
	limit, err := ParseRate(value)
	if err != nil {
		return fmt.Errorf("%s: %w", norm, err)
	}
	ts.put(Threshold{Metric: CodeRate, Code: norm, Limit: limit, Warn: warn})
	return nil
}

// SetPair sets a keyed threshold from a flag value KEY=RATE:
// max-category-rate spam_blocked=2% or max-code-rate 30007=1%, and their
// warn twins warn-category-rate and warn-code-rate.
func (ts *Thresholds) SetPair(key, pair string) error {
	fail, warn := failKey(key)
	name, value, ok := strings.Cut(pair, "=")
	if !ok {
		example := "spam_blocked=2%"
		if fail == KeyMaxCodeRate {
			example = "30007=1%"
		}
		return fmt.Errorf("%q is not NAME=RATE, e.g. %s", pair, example)
	}
	switch fail {
	case KeyMaxCategoryRate:
		return ts.setCategory(name, value, warn)
	case KeyMaxCodeRate:
		return ts.setCode(name, value, warn)
	}
	return fmt.Errorf("unknown threshold %q", key)
}

// put keys a threshold by name and level: a warn level and a fail level
// of the same metric live side by side.
func (ts *Thresholds) put(t Threshold) { ts.byName[t.Name()+"/"+t.Level()] = t }

// Twins returns the pairs of a warn level and its fail level where the
// warn level would be crossed only after the fail level (a ceiling warned
// above its limit, a floor below it): such a warning never shows. Each is
// described in a sentence.
func (ts *Thresholds) Twins() []string {
	var bad []string
	for _, w := range ts.List() {
		f, ok := ts.byName[w.Name()+"/"+LevelFail]
		if !w.Warn || !ok {
			continue
		}
		if cmp := w.Limit.Cmp(f.Limit); (!w.Min && cmp > 0) || (w.Min && cmp < 0) {
			bad = append(bad, fmt.Sprintf("%s %s is past %s %s: a warn level must be crossed before the failure",
				w.Flag(), w.limitText(), f.Flag(), f.limitText()))
		}
	}
	return bad
}

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
	sort.SliceStable(out, func(i, j int) bool { return thresholdLess(out[i], out[j]) })
	return out
}

// thresholdLess orders by metric, then category or code, then the fail
// level before its warn twin.
func thresholdLess(a, b Threshold) bool {
	if ra, rb := metricRank(a.Metric), metricRank(b.Metric); ra != rb {
		return ra < rb
	}
	switch a.Metric {
	case CategoryRate:
		cats := registry.Categories()
		if ia, ib := slices.Index(cats, a.Category), slices.Index(cats, b.Category); ia != ib {
			return ia < ib
		}
	case CodeRate:
		if a.Code != b.Code {
			return a.Code < b.Code
		}
	}
	return !a.Warn && b.Warn
}

func metricRank(m Metric) int {
	order := []Metric{ErrorRate, DeliveryRate, StuckSentRate, StuckSent, OptOutRejectionRate, CategoryRate, CodeRate,
		ErrorRateIncrease, StuckSentRateIncrease, DeliveryRateDecrease}
	return slices.Index(order, m)
}

// limitText writes the limit for messages: a count, a percentage, or
// percentage points for a change.
func (t Threshold) limitText() string {
	switch {
	case t.IsCount():
		return t.Limit.RatString()
	case t.IsChange():
		return percentOf(t.Limit).FloatString(2) + "pp"
	}
	return percentOf(t.Limit).FloatString(2) + "%"
}

func percentOf(r *big.Rat) *big.Rat { return new(big.Rat).Mul(r, big.NewRat(100, 1)) }

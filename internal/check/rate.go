package check

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// decimalPattern is a plain decimal number: digits with an optional
// fraction, or a fraction alone (.05). Exponents, signs, spaces and
// thousands separators are refused so that nothing a person wrote is
// silently read as something else.
var decimalPattern = regexp.MustCompile(`^([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

const rateHelp = "write a percentage like 5% or a fraction from 0 to 1 like 0.05"

// ParseRate reads a rate limit: a percentage ("5%", "2.5%") or a fraction
// ("0.05"). The result is exact: "0.1077" is 1077/10000, not the nearest
// float, so a limit equal to a figure compares as equal.
func ParseRate(s string) (*big.Rat, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return nil, fmt.Errorf("no rate given: %s", rateHelp)
	}
	if strings.HasPrefix(text, "-") {
		return nil, fmt.Errorf("%q is negative: %s", s, rateHelp)
	}
	number, percent := strings.CutSuffix(text, "%")
	if !decimalPattern.MatchString(number) {
		return nil, fmt.Errorf("%q is not a rate: %s", s, rateHelp)
	}
	r, ok := new(big.Rat).SetString(number)
	if !ok {
		return nil, fmt.Errorf("%q is not a rate: %s", s, rateHelp)
	}
	one := big.NewRat(1, 1)
	if percent {
		r.Quo(r, big.NewRat(100, 1))
		if r.Cmp(one) > 0 {
			return nil, fmt.Errorf("%q is more than 100%%", s)
		}
		return r, nil
	}
	if r.Cmp(one) > 0 {
		return nil, fmt.Errorf("%q is more than 1: a fraction goes from 0 to 1; write %s%% for a percentage", s, number)
	}
	return r, nil
}

// ParseCount reads a count limit: a whole number, 0 or more.
func ParseCount(s string) (int64, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return 0, fmt.Errorf("no count given: write a whole number like 50")
	}
	if strings.HasPrefix(text, "-") {
		return 0, fmt.Errorf("%q is negative: write a whole number like 50", s)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number: write a count like 50", s)
	}
	return n, nil
}

const changeHelp = "write percentage points like 2pp (a rate going from 5% to 7% is +2pp) or a fraction like 0.02"

// ParseChange reads a limit on the change of a rate: percentage points
// ("2pp", "0.5pp") or a fraction ("0.02"). A percentage ("2%") is refused:
// it could mean 2 points or 2% of the rate.
func ParseChange(s string) (*big.Rat, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return nil, fmt.Errorf("no change given: %s", changeHelp)
	}
	if strings.HasSuffix(text, "%") {
		return nil, fmt.Errorf("%q is ambiguous: %s", s, changeHelp)
	}
	if strings.HasPrefix(text, "-") {
		return nil, fmt.Errorf("%q is negative: %s", s, changeHelp)
	}
	number, points := strings.CutSuffix(text, "pp")
	if !decimalPattern.MatchString(number) {
		return nil, fmt.Errorf("%q is not a change: %s", s, changeHelp)
	}
	r, ok := new(big.Rat).SetString(number)
	if !ok {
		return nil, fmt.Errorf("%q is not a change: %s", s, changeHelp)
	}
	if points {
		r.Quo(r, big.NewRat(100, 1))
	}
	if r.Cmp(big.NewRat(1, 1)) > 0 {
		return nil, fmt.Errorf("%q is more than 100 points: %s", s, changeHelp)
	}
	return r, nil
}

// ParseConfidence reads a confidence level: a fraction strictly between 0
// and 1 (0.95) or a percentage (95%).
func ParseConfidence(s string) (float64, error) {
	r, err := ParseRate(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a confidence level: write 0.95 or 95%%", s)
	}
	c, _ := r.Float64()
	if !(c > 0 && c < 1) {
		return 0, fmt.Errorf("%q is not a confidence level: it must be above 0 and below 1, e.g. 0.95", s)
	}
	return c, nil
}

// Package stats holds the few statistics the reports need: the Wilson score
// interval for a rate from k of n, the normal quantile for a confidence
// level, a one-sided two-proportion z-test, and the Holm and Bonferroni
// corrections for testing many groups at once. Every function is pure and
// never panics: impossible inputs give the least committal answer (an
// interval of [0, 1], a p-value of 1).
package stats

import (
	"math"
	"slices"
)

// NormalCDF is the standard normal distribution function Φ(x).
func NormalCDF(x float64) float64 {
	return 0.5 * math.Erfc(-x/math.Sqrt2)
}

// NormalQuantile is the inverse of NormalCDF: the z with Φ(z) = p. It
// returns -Inf for p = 0, +Inf for p = 1 and NaN outside [0, 1].
func NormalQuantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	// Erfcinv keeps its precision in the far lower tail, where 2p-1 would
	// round to -1.
	return -math.Sqrt2 * math.Erfcinv(2*p)
}

// ZForConfidence is the two-sided critical value for a confidence level in
// (0, 1): 1.959964 for 0.95, 2.575829 for 0.99. It is NaN outside (0, 1).
func ZForConfidence(confidence float64) float64 {
	if !(confidence > 0 && confidence < 1) {
		return math.NaN()
	}
	return math.Sqrt2 * math.Erfinv(confidence)
}

// Wilson returns the Wilson score interval for k successes in n trials at
// a two-sided confidence level (0.95 for a 95% interval). Unlike the
// normal ("Wald") interval it stays inside [0, 1] and is not empty at 0 of
// n or n of n, which is why it suits the small groups of a breakdown. With
// n <= 0, k outside [0, n] or a level outside (0, 1) it returns [0, 1].
func Wilson(k, n int64, confidence float64) (lo, hi float64) {
	return WilsonZ(k, n, ZForConfidence(confidence))
}

// WilsonZ is Wilson with the critical value z given directly.
func WilsonZ(k, n int64, z float64) (lo, hi float64) {
	if n <= 0 || k < 0 || k > n || !(z >= 0) || math.IsInf(z, 1) {
		return 0, 1
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	denom := 1 + z2/nf
	center := (p + z2/(2*nf)) / denom
	half := z / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	lo, hi = center-half, center+half
	// The closed form meets 0 and 1 exactly at k = 0 and k = n; rounding
	// must not leave a 1e-17 there or push the bounds past the estimate.
	switch {
	case k == 0:
		lo = 0
	case lo > p:
		lo = p
	}
	switch {
	case k == n:
		hi = 1
	case hi < p:
		hi = p
	}
	return max(lo, 0), min(hi, 1)
}

// LowerProportionP is the one-sided p-value of the pooled two-proportion
// z-test of "the group's rate k1/n1 is lower than the baseline's k2/n2":
// Φ((p1 - p2) / se) with se from the pooled rate. It is 1 when either
// sample is empty, a count is out of range, or the pooled rate is 0 or 1
// (no variation, so no evidence). The normal approximation wants a few
// expected successes in each sample; callers set a minimum sample size.
func LowerProportionP(k1, n1, k2, n2 int64) float64 {
	if n1 <= 0 || n2 <= 0 || k1 < 0 || k2 < 0 || k1 > n1 || k2 > n2 {
		return 1
	}
	p1 := float64(k1) / float64(n1)
	p2 := float64(k2) / float64(n2)
	pooled := float64(k1+k2) / float64(n1+n2)
	se := math.Sqrt(pooled * (1 - pooled) * (1/float64(n1) + 1/float64(n2)))
	if !(se > 0) {
		return 1
	}
	return NormalCDF((p1 - p2) / se)
}

// Holm returns Holm's step-down adjusted p-values, in the order given:
// rejecting every test whose adjusted value is at most alpha keeps the
// chance of any false alarm among them at most alpha, whatever the
// dependence between the tests, and rejects at least as much as
// Bonferroni. NaN p-values count as 1.
func Holm(p []float64) []float64 {
	m := len(p)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	clean := func(x float64) float64 {
		if !(x >= 0) {
			return 1 // NaN or negative
		}
		return min(x, 1)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		pa, pb := clean(p[a]), clean(p[b])
		switch {
		case pa < pb:
			return -1
		case pa > pb:
			return 1
		}
		return 0
	})
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range order {
		v := min(float64(m-rank)*clean(p[i]), 1)
		running = max(running, v) // adjusted values never decrease with rank
		adj[i] = running
	}
	return adj
}

// Bonferroni returns the p-values multiplied by their number, capped at 1.
func Bonferroni(p []float64) []float64 {
	adj := make([]float64, len(p))
	for i, x := range p {
		if !(x >= 0) {
			x = 1
		}
		adj[i] = min(x*float64(len(p)), 1)
	}
	return adj
}

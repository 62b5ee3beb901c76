package stats

import (
	"math"
	"testing"
)

// Reference values come from Python: statistics.NormalDist().inv_cdf (an
// independent implementation of the normal quantile), tail probabilities
// as 0.5*math.erfc(-x/sqrt(2)) from the C library (NormalDist.cdf loses
// digits in the tails), and the Wilson closed form evaluated there; 0 of 10 and 3 of 20 also match Newcombe (1998),
// "Two-sided confidence intervals for the single proportion", Table I
// (0.0000-0.2775 and 0.0524-0.3604).
const z95 = 1.9599639845400536

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestNormalQuantile(t *testing.T) {
	tests := []struct {
		p, want float64
	}{
		{0.975, z95},
		{0.995, 2.5758293035489},
		{0.95, 1.6448536269514715},
		{0.5, 0},
		{0.025, -z95},
		{9.865876450377012e-10, -6}, // R: pnorm(-6) = 9.865876e-10
	}
	for _, tt := range tests {
		if got := NormalQuantile(tt.p); !near(got, tt.want, 1e-10) {
			t.Errorf("NormalQuantile(%v) = %.16g, want %.16g", tt.p, got, tt.want)
		}
	}
	if !math.IsInf(NormalQuantile(0), -1) || !math.IsInf(NormalQuantile(1), 1) {
		t.Error("NormalQuantile(0), (1) should be -Inf, +Inf")
	}
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		if !math.IsNaN(NormalQuantile(p)) {
			t.Errorf("NormalQuantile(%v) should be NaN", p)
		}
	}
}

func TestNormalCDF(t *testing.T) {
	if got := NormalCDF(-z95); !near(got, 0.025, 1e-15) {
		t.Errorf("NormalCDF(-1.96) = %v", got)
	}
	if got := NormalCDF(-6); !near(got, 9.865876450377012e-10, 1e-22) {
		t.Errorf("NormalCDF(-6) = %v", got)
	}
}

func TestZForConfidence(t *testing.T) {
	tests := []struct {
		c, want float64
	}{
		{0.95, z95},
		{0.99, 2.5758293035489},
		{0.90, 1.6448536269514715},
	}
	for _, tt := range tests {
		if got := ZForConfidence(tt.c); !near(got, tt.want, 1e-12) {
			t.Errorf("ZForConfidence(%v) = %.16g, want %.16g", tt.c, got, tt.want)
		}
	}
	for _, c := range []float64{0, 1, -1, 2, math.NaN()} {
		if !math.IsNaN(ZForConfidence(c)) {
			t.Errorf("ZForConfidence(%v) should be NaN", c)
		}
	}
}

func TestWilson(t *testing.T) {
	tests := []struct {
		k, n   int64
		lo, hi float64
	}{
		{0, 10, 0, 0.27753279986288915},
		{10, 10, 0.7224672001371109, 1},
		{3, 20, 0.052368745896216595, 0.3604188647407569},
		{0, 1, 0, 0.7934506856227626},
		{1, 1, 0.20654931437723745, 1},
		{50, 100, 0.4038315303659957, 0.5961684696340044},
		{1, 1000000, 1.7652457674537218e-07, 5.664911804311441e-06},
	}
	for _, tt := range tests {
		lo, hi := Wilson(tt.k, tt.n, 0.95)
		if !near(lo, tt.lo, 1e-12) || !near(hi, tt.hi, 1e-12) {
			t.Errorf("Wilson(%d, %d) = [%.16g, %.16g], want [%.16g, %.16g]", tt.k, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
	// 0 of n starts at exactly 0 and n of n ends at exactly 1.
	if lo, _ := Wilson(0, 10, 0.95); lo != 0 {
		t.Errorf("Wilson(0, 10) lo = %v, want exactly 0", lo)
	}
	if _, hi := Wilson(7, 7, 0.95); hi != 1 {
		t.Errorf("Wilson(7, 7) hi = %v, want exactly 1", hi)
	}
}

func TestWilsonWiderAtHigherConfidence(t *testing.T) {
	lo95, hi95 := Wilson(3, 20, 0.95)
	lo99, hi99 := Wilson(3, 20, 0.99)
	if !(lo99 < lo95 && hi99 > hi95) {
		t.Errorf("99%% [%v, %v] should contain 95%% [%v, %v]", lo99, hi99, lo95, hi95)
	}
}

func TestWilsonBadInput(t *testing.T) {
	tests := []struct {
		k, n int64
		c    float64
	}{
		{0, 0, 0.95},
		{1, 0, 0.95},
		{-1, 10, 0.95},
		{11, 10, 0.95},
		{3, 20, 0},
		{3, 20, 1},
		{3, 20, math.NaN()},
	}
	for _, tt := range tests {
		if lo, hi := Wilson(tt.k, tt.n, tt.c); lo != 0 || hi != 1 {
			t.Errorf("Wilson(%d, %d, %v) = [%v, %v], want [0, 1]", tt.k, tt.n, tt.c, lo, hi)
		}
	}
	if lo, hi := WilsonZ(3, 20, math.Inf(1)); lo != 0 || hi != 1 {
		t.Errorf("WilsonZ(+Inf) = [%v, %v], want [0, 1]", lo, hi)
	}
	// z = 0 is the point estimate.
	if lo, hi := WilsonZ(3, 20, 0); lo != 0.15 || hi != 0.15 {
		t.Errorf("WilsonZ(z=0) = [%v, %v], want [0.15, 0.15]", lo, hi)
	}
}

func TestLowerProportionP(t *testing.T) {
	tests := []struct {
		name           string
		k1, n1, k2, n2 int64
		want, tol      float64
	}{
		{"lower", 10, 200, 40, 400, 0.01835692818135204, 1e-14},
		{"much lower", 5, 300, 180, 1000, 6.145910308739362e-13, 1e-24},
		{"equal rates", 60, 400, 150, 1000, 0.5, 1e-15},
		{"higher", 40, 400, 10, 200, 1 - 0.01835692818135204, 1e-14},
		{"pooled zero", 0, 300, 0, 1000, 1, 0},
		{"pooled one", 300, 300, 1000, 1000, 1, 0},
		{"empty group", 0, 0, 10, 100, 1, 0},
		{"empty baseline", 1, 10, 0, 0, 1, 0},
		{"k over n", 11, 10, 1, 10, 1, 0},
		{"negative", -1, 10, 1, 10, 1, 0},
	}
	for _, tt := range tests {
		if got := LowerProportionP(tt.k1, tt.n1, tt.k2, tt.n2); !near(got, tt.want, tt.tol) {
			t.Errorf("%s: LowerProportionP = %.16g, want %.16g", tt.name, got, tt.want)
		}
	}
}

func TestHolm(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		want []float64
	}{
		{"empty", nil, []float64{}},
		{"one", []float64{0.03}, []float64{0.03}},
		// sorted 0.01, 0.02, 0.04 -> 0.03, 0.04, 0.04 (monotone)
		{"step-down", []float64{0.04, 0.01, 0.02}, []float64{0.04, 0.03, 0.04}},
		// monotonicity: 0.001*4 = 0.004, 0.0011*3 = 0.0033 -> 0.004
		{"monotone", []float64{0.001, 0.0011, 0.5, 0.9}, []float64{0.004, 0.004, 1, 1}},
		{"capped and NaN", []float64{0.6, math.NaN(), 0.2}, []float64{1, 1, 0.6}},
		{"ties", []float64{0.01, 0.01}, []float64{0.02, 0.02}},
	}
	for _, tt := range tests {
		got := Holm(tt.p)
		if len(got) != len(tt.want) {
			t.Fatalf("%s: Holm = %v, want %v", tt.name, got, tt.want)
		}
		for i := range got {
			if !near(got[i], tt.want[i], 1e-15) {
				t.Errorf("%s: Holm = %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}
}

func TestBonferroni(t *testing.T) {
	got := Bonferroni([]float64{0.01, 0.3, math.NaN()})
	want := []float64{0.03, 0.9, 1}
	for i := range want {
		if !near(got[i], want[i], 1e-15) {
			t.Fatalf("Bonferroni = %v, want %v", got, want)
		}
	}
	// Holm rejects at least what Bonferroni rejects.
	p := []float64{0.001, 0.004, 0.012, 0.2}
	h, b := Holm(p), Bonferroni(p)
	for i := range p {
		if h[i] > b[i] {
			t.Errorf("Holm %v above Bonferroni %v at %d", h[i], b[i], i)
		}
	}
}

func FuzzWilson(f *testing.F) {
	f.Add(int64(0), int64(10), 0.95)
	f.Add(int64(10), int64(10), 0.95)
	f.Add(int64(3), int64(20), 0.99)
	f.Add(int64(1), int64(1<<40), 0.5)
	f.Fuzz(func(t *testing.T, k, n int64, c float64) {
		lo, hi := Wilson(k, n, c)
		if !(lo >= 0 && hi <= 1 && lo <= hi) {
			t.Fatalf("Wilson(%d, %d, %v) = [%v, %v]", k, n, c, lo, hi)
		}
		if n > 0 && k >= 0 && k <= n {
			p := float64(k) / float64(n)
			if !(lo <= p && p <= hi) {
				t.Fatalf("Wilson(%d, %d, %v) = [%v, %v] does not hold %v", k, n, c, lo, hi, p)
			}
		}
	})
}

func FuzzLowerProportionP(f *testing.F) {
	f.Add(int64(10), int64(200), int64(40), int64(400))
	f.Fuzz(func(t *testing.T, k1, n1, k2, n2 int64) {
		p := LowerProportionP(k1, n1, k2, n2)
		if !(p >= 0 && p <= 1) {
			t.Fatalf("LowerProportionP(%d, %d, %d, %d) = %v", k1, n1, k2, n2, p)
		}
	})
}

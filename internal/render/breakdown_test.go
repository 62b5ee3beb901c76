package render

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/spoke-status/spoke-status/internal/sanitize"
	"github.com/spoke-status/spoke-status/internal/summary"
)

func TestBar(t *testing.T) {
	tests := []struct {
		frac  float64
		width int
		want  string
	}{
		{0, 10, ""},
		{-1, 10, ""},
		{1, 10, "██████████"},
		{2, 10, "██████████"}, // capped
		{0.5, 10, "█████"},
		{0.55, 10, "█████▌"}, // 44 eighths: 5 cells and a half
		{0.001, 10, "▏"},     // a positive value always shows
		{0.5, 1, "▌"},
		{0.3, 1, "▎"}, // 2.4 eighths round to 2
	}
	for _, tt := range tests {
		if got := Bar(tt.frac, tt.width); got != tt.want {
			t.Errorf("Bar(%v, %d) = %q, want %q", tt.frac, tt.width, got, tt.want)
		}
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{0, "0.00"},
		{0.0869, "0.09"},
		{1234.567, "1,234.57"},
		{1234567.891, "1,234,567.89"},
		{-3.456, "-3.46"},
		{-0.004, "0.00"},
	}
	for _, tt := range tests {
		if got := Money(tt.x); got != tt.want {
			t.Errorf("Money(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

// TestAppendFiguresMatch checks the figures GroupTable appends against
// Count, Percent and PercentWithInterval.
func TestAppendFiguresMatch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 5000 {
		n := r.Int64N(1 << uint(r.IntN(62)+1))
		if i%7 == 0 {
			n = -n
		}
		if got, want := string(appendCount([]byte("x"), n)), "x"+Count(n); got != want {
			t.Fatalf("appendCount(%d) = %q, want %q", n, got, want)
		}
		rate := summary.Round4(r.Float64())
		ci := summary.Interval{summary.Round4(r.Float64()), summary.Round4(r.Float64())}
		switch i % 5 { // rates of every size, not rounded, negative zero
		case 1:
			rate = summary.Round4(r.Float64() * float64(int64(1)<<uint(r.IntN(60))))
		case 2:
			rate = r.Float64()
		case 3:
			rate = -summary.Round4(r.Float64())
		case 4:
			rate = []float64{0, math.Copysign(0, -1), 1, 0.00005, 0.99995, 1e8, 1e12, 1e30, 0.12345}[r.IntN(9)]
		}
		if got, want := string(appendPercent(nil, rate)), Percent(rate); got != want {
			t.Fatalf("appendPercent(%v) = %q, want %q", rate, got, want)
		}
		if got, want := string(appendPercentWithInterval(nil, rate, ci)), PercentWithInterval(rate, ci); got != want {
			t.Fatalf("appendPercentWithInterval(%v, %v) = %q, want %q", rate, ci, got, want)
		}
		// GroupTable marks these cells Figures: cleaning must leave them.
		for _, c := range []string{Count(n), Percent(rate), PercentWithInterval(rate, ci)} {
			if !plainCell(c) || sanitize.Terminal(c) != c || EscapeMarkdown(c) != c {
				t.Fatalf("figure cell %q is not left as is by cleaning", c)
			}
		}
	}
}

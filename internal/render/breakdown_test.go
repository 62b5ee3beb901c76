package render

import "testing"

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

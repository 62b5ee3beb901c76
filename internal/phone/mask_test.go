package phone

import (
	"strings"
	"testing"
)

func TestMaskLike(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"GOTV 2024", "GOTV 2024"},
		{"2155550123", "+1215•••0123"},
		{"+12155550123", "+1215•••0123"},
		{"GOTV 215-555-0123 now", "GOTV +1215•••0123 now"},
		{"export_2155550123.csv", "export_+1215•••0123.csv"},
		{"/tmp/(215) 555-0123.csv", "/tmp/+1215•••0123.csv"},
		{`value "1.5555550123E+10" here`, `value "+1555•••0123" here`},
		{"2024-10-01T18:02:11.482Z", "2024-10-01T18:02:11.482Z"},
		{"line 12: code 30007", "line 12: code 30007"},
		{"a +15555550123, b +15555550124", "a +1555•••0123, b +1555•••0124"},
	}
	for _, tt := range tests {
		if got := MaskLike(tt.in); got != tt.want {
			t.Errorf("MaskLike(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzMaskLike(f *testing.F) {
	for _, s := range []string{"2155550123", "x +1 (215) 555-0123 y", "1.5555550123E+10", "((((("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskLike(s)
		// Whatever is left holds no run of 10 or more digits that a
		// reader could dial: masking is sealed.
		digits := 0
		for i := 0; i < len(got); i++ {
			switch c := got[i]; {
			case isDigit(c):
				digits++
				if digits >= 10 {
					t.Fatalf("MaskLike(%q) = %q still holds a phone number", s, got)
				}
			case isRunByte(c):
			default:
				digits = 0
			}
		}
		if !strings.ContainsAny(s, "0123456789") && got != s {
			t.Fatalf("MaskLike changed %q without digits to %q", s, got)
		}
	})
}

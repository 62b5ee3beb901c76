package cli

import (
	"slices"
	"testing"
)

func TestProtectNegativeNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args, want []string // want nil: unchanged
	}{
		{[]string{"codes", "-166", "-5"}, []string{"codes", "--", "-166", "-5"}},
		{[]string{"codes", "-f", "json", "-5", "30007"}, []string{"codes", "-f", "json", "--", "-5", "30007"}},
		{[]string{"codes", "-5", "--format", "json", "30007"}, []string{"codes", "--format", "json", "--", "-5", "30007"}},
		{[]string{"codes", "--format=json", "-5"}, []string{"codes", "--format=json", "--", "-5"}},
		{[]string{"codes", "-fjson", "-5"}, []string{"codes", "-fjson", "--", "-5"}},
		{[]string{"codes", "-5", "--", "-7"}, []string{"codes", "--", "-5", "-7"}},
		// A negative number after a flag that takes a value is its value.
		{[]string{"rows", "--code", "-5", "x.csv"}, nil},
		{[]string{"check", "--max-code-rate", "-5=1%", "x.csv"}, nil},
		{[]string{"check", "--min-outbound", "-1", "x.csv"}, nil},
		// A boolean flag takes no value: the number after it is an argument.
		{[]string{"rows", "--stuck", "-5"}, []string{"rows", "--stuck", "--", "-5"}},
		{[]string{"summarize", "--quiet", "-", "-42"}, []string{"summarize", "--quiet", "--", "-", "-42"}},
		// Nothing to protect: unchanged.
		{[]string{"codes", "30007"}, nil},
		{[]string{"summarize", "-", "-f", "json"}, nil},
		{[]string{"codes", "-x"}, nil},
		{[]string{"codes", "--", "-5"}, nil},
		{[]string{"-166"}, nil},
		{[]string{}, nil},
		{[]string{"no-such-command", "-5"}, nil},
		// Not a negative number: left to pflag.
		{[]string{"codes", "-5a"}, nil},
		{[]string{"codes", "-1.5"}, nil},
	}
	for _, tt := range tests {
		root := newRootCommand(Env{}.withDefaults())
		want := tt.want
		if want == nil {
			want = tt.args
		}
		if got := protectNegativeNumbers(root, tt.args); !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", tt.args, got, want)
		}
	}
}

package check

import (
	"math/big"
	"strings"
	"testing"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    string // exact fraction, "" for an error
		errPart string
	}{
		{"5%", "1/20", ""},
		{"0.05", "1/20", ""},
		{".05", "1/20", ""},
		{"2.5%", "1/40", ""},
		{"10.77%", "1077/10000", ""},
		{"0.1077", "1077/10000", ""},
		{"0", "0", ""},
		{"0%", "0", ""},
		{"100%", "1", ""},
		{"1", "1", ""},
		{" 5% ", "1/20", ""},
		{"0.123456789", "123456789/1000000000", ""},
		{"5 %", "", "not a rate"},
		{"120%", "", "more than 100%"},
		{"100.01%", "", "more than 100%"},
		{"-1", "", "negative"},
		{"-5%", "", "negative"},
		{"abc", "", "not a rate"},
		{"1.5", "", "more than 1"},
		{"5", "", "write 5% for a percentage"},
		{"", "", "no rate given"},
		{"%", "", "not a rate"},
		{"5%%", "", "not a rate"},
		{"1e-2", "", "not a rate"},
		{"1/20", "", "not a rate"},
		{"0,05", "", "not a rate"},
		{"+5%", "", "not a rate"},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if tt.want == "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("ParseRate(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.errPart)
			}
			continue
		}
		want, _ := new(big.Rat).SetString(tt.want)
		if err != nil || got.Cmp(want) != 0 {
			t.Errorf("ParseRate(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		errPart string
	}{
		{"0", 0, ""},
		{"50", 50, ""},
		{" 7 ", 7, ""},
		{"-1", 0, "negative"},
		{"1.5", 0, "not a whole number"},
		{"5%", 0, "not a whole number"},
		{"abc", 0, "not a whole number"},
		{"", 0, "no count given"},
	}
	for _, tt := range tests {
		got, err := ParseCount(tt.in)
		if tt.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("ParseCount(%q) = %d, %v; want an error containing %q", tt.in, got, err, tt.errPart)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseCount(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestThresholdsOverrideAndOrder(t *testing.T) {
	ts := NewThresholds()
	steps := []struct{ key, value string }{
		{KeyMaxCodeRate, "30007=1%"},
		{KeyMaxCategoryRate, "spam_blocked=2%"},
		{KeyMaxCategoryRate, "OPTED_OUT=1%"}, // categories are case-insensitive
		{KeyMaxCodeRate, "030007.0=3%"},      // normalized like export codes: replaces 30007
	}
	for _, s := range steps {
		if err := ts.SetPair(s.key, s.value); err != nil {
			t.Fatalf("SetPair(%s, %s): %v", s.key, s.value, err)
		}
	}
	for _, s := range []struct{ key, value string }{{KeyMaxStuckSent, "50"}, {KeyMaxErrorRate, "5%"}, {KeyMinDeliveryRate, "80%"}, {KeyMaxErrorRate, "6%"}} {
		if err := ts.Set(s.key, s.value); err != nil {
			t.Fatalf("Set(%s, %s): %v", s.key, s.value, err)
		}
	}
	var names []string
	for _, th := range ts.List() {
		names = append(names, th.Name()+th.Comparison()+th.Limit.RatString())
	}
	want := "error_rate<=3/50 delivery_rate>=4/5 stuck_sent<=50 category_rate:opted_out<=1/100 category_rate:spam_blocked<=1/50 code_rate:30007<=3/100"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("thresholds = %s\nwant        %s", got, want)
	}
}

func TestThresholdErrorsNameTheProblem(t *testing.T) {
	tests := []struct {
		key, value, errPart string
	}{
		{KeyMaxCategoryRate, "spam=2%", `unknown category "spam"`},
		{KeyMaxCategoryRate, "spam_blocked", "not NAME=RATE"},
		{KeyMaxCategoryRate, "spam_blocked=5 %", `spam_blocked: "5 %" is not a rate`},
		{KeyMaxCodeRate, "abc=1%", `"abc" is not an error code`},
		{KeyMaxCodeRate, "=1%", `"" is not an error code`},
		{KeyMaxCodeRate, "30007=120%", "more than 100%"},
	}
	for _, tt := range tests {
		err := NewThresholds().SetPair(tt.key, tt.value)
		if err == nil || !strings.Contains(err.Error(), tt.errPart) {
			t.Errorf("SetPair(%s, %q) = %v; want an error containing %q", tt.key, tt.value, err, tt.errPart)
		}
	}
}

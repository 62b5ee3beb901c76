package check

import (
	"slices"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/registry"
)

func TestCodeThresholds(t *testing.T) {
	tests := []struct {
		kv   []string
		want []string
	}{
		{[]string{KeyMaxErrorRate, "5%", KeyMaxStuckSent, "3"}, nil},
		{[]string{KeyMaxErrorRate, "5%", KeyMaxCodeRate, "30007=1%"}, []string{"code_rate:30007"}},
		{[]string{KeyMaxCategoryRate, "no_code=1%", KeyMaxCodeRate, "-5=1%"}, []string{"category_rate:no_code", "code_rate:-5"}},
	}
	for _, tt := range tests {
		if got := CodeThresholds(thresholds(t, tt.kv...)); !slices.Equal(got, tt.want) {
			t.Errorf("%v: %v, want %v", tt.kv, got, tt.want)
		}
	}
}

func TestForeignCodes(t *testing.T) {
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		code     string
		provider registry.Provider
		seen     map[string]int64
		want     string // a substring of the one warning, "" for none
	}{
		{"twilio code on telnyx", "30007", registry.Telnyx, nil, "code_rate:30007: code 30007 is a twilio code, not in this telnyx export"},
		{"telnyx code on twilio", "40002", registry.Twilio, nil, "code 40002 is a telnyx code"},
		{"bandwidth code on twilio", "4770", registry.Twilio, nil, "is a bandwidth code"},
		{"own provider's code", "30007", registry.Twilio, nil, ""},
		{"a code in the export is never foreign", "30007", registry.Telnyx, map[string]int64{"30007": 2}, ""},
		{"Spoke's codes belong to every instance", "-5", registry.Bandwidth, nil, ""},
		{"a telnyx code on telnyx", "10001", registry.Telnyx, nil, ""},
		{"unknown provider says nothing", "30007", registry.Unknown, nil, ""},
		{"mixed provider says nothing", "30007", registry.Mixed, nil, ""},
		{"spoke-only export says nothing", "30007", registry.Spoke, nil, ""},
		{"a code the registry lacks says nothing", "99999", registry.Twilio, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ForeignCodes(thresholds(t, KeyMaxCodeRate, tt.code+"=1%"), tt.provider, reg, tt.seen)
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("warned %q", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Errorf("warnings %q, want one with %q", got, tt.want)
			}
		})
	}
	// Only code thresholds are looked at.
	if got := ForeignCodes(thresholds(t, KeyMaxErrorRate, "1%", KeyMaxCategoryRate, "spam_blocked=1%"), registry.Telnyx, reg, nil); len(got) != 0 {
		t.Errorf("warned about non-code thresholds: %q", got)
	}
}

package classify

import (
	"testing"

	"github.com/spoke-status/spoke-status/internal/registry"
)

func TestResolveProvider(t *testing.T) {
	tests := []struct {
		name  string
		codes []string
		want  registry.Provider
	}{
		// Spoke Rewired writes these Twilio-style codes whatever the
		// provider (its Switchboard layer): alone they mean Twilio.
		{"Rewired's Twilio-style codes only", []string{"21610", "63026", "21211", "30001"}, registry.Twilio},
		{"one of them alone: 21610", []string{"21610"}, registry.Twilio},
		{"one of them alone: 63026", []string{"63026"}, registry.Twilio},
		{"one of them alone: 21211", []string{"21211"}, registry.Twilio},
		{"one of them alone: 30001", []string{"30001"}, registry.Twilio},
		{"with Telnyx codes, Telnyx wins", []string{"21610", "40300"}, registry.Telnyx},
		{"Twilio and Telnyx codes", []string{"30007", "40300"}, registry.Mixed},
		{"Spoke's codes only", []string{"-133"}, registry.Spoke},
		{"shared ranges only", []string{"10001"}, registry.Unknown},
		{"no codes", nil, registry.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts := map[string]int64{}
			for _, c := range tt.codes {
				counts[c]++
			}
			if got := ResolveProvider(counts); got != tt.want {
				t.Errorf("ResolveProvider(%v) = %q, want %q", tt.codes, got, tt.want)
			}
		})
	}
}

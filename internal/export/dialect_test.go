package export

import "testing"

// Each marker column alone names its dialect, with the required columns
// only: a test per marker, so that dropping one from DetectDialect fails.
func TestDetectDialectByMarkerColumn(t *testing.T) {
	required := []string{"isFromContact", "sendStatus"}
	tests := []struct {
		marker string
		want   Dialect
	}{
		{"errorCodes", Rewired},
		{"numSegments", Rewired},
		{"numMedia", Rewired},
		{"texter[email]", Rewired},
		{"texter[firstName]", Rewired},
		{"errorCode", MoveOnV5},
		{"campaign_contact_id", StateVoicesV10},
		{"text", MoveOnLegacy},
	}
	for _, tt := range tests {
		t.Run(tt.marker, func(t *testing.T) {
			got, missing, ok := DetectDialect(append([]string{tt.marker}, required...))
			if !ok || got != tt.want {
				t.Errorf("DetectDialect(%s + required) = %q, %v, %v; want %q", tt.marker, got, missing, ok, tt.want)
			}
		})
	}
}

func TestDetectDialectRequiresColumns(t *testing.T) {
	for _, header := range [][]string{{"errorCodes", "sendStatus"}, {"errorCodes", "isFromContact"}, {}} {
		if d, missing, ok := DetectDialect(header); ok || len(missing) == 0 {
			t.Errorf("DetectDialect(%q) = %q, %v, %v; want a missing column", header, d, missing, ok)
		}
	}
}

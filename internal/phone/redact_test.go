package phone

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"spaces", "   ", ""},
		{"us e164", "+15555550123", "+1555•••0123"},
		{"us formatted", "(555) 555-0123", "+1555•••0123"},
		{"us eleven digits", "1-555-555-0123", "+1555•••0123"},
		{"us excel", "1.5555550123E+10", "+1555•••0123"},
		{"uk mobile", "+447911123456", "+4479••••3456"},
		{"uk spaced", "+44 20 7946 0958", "+4420••••0958"},
		{"fifteen digits", "+123456789012345", "+1234•••••••2345"},
		{"ten digits international", "+4420794609", "+442•••4609"},
		{"nine digits international", "+442079460", "+44•••9460"},
		{"eight digits international", "+50012345", "+5•••2345"},
		{"seven digits international", "+6834002", "+•••••02"},
		{"invalid nanp keeps plus", "+10555550123", "+1055•••0123"},
		{"invalid nanp no plus", "055-555-0123", "055•••0123"},
		{"short code", "12345", "•••45"},
		{"local number", "555-0123", "•••••23"},
		{"two digits", "42", "42"},
		{"one digit", "7", "7"},
		{"words dropped", "call 555-0123 now", "•••••23"},
		{"no digits", "unknown", "•••"},
		{"plus only", "+", "•••"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactNeverShowsMaskedDigits(t *testing.T) {
	// The exchange 867 must never appear, whatever the input format.
	for _, in := range []string{"+12128670123", "(212) 867-0123", "212.867.0123", "12128670123.0"} {
		got := Redact(in)
		if got != "+1212•••0123" {
			t.Errorf("Redact(%q) = %q, want +1212•••0123", in, got)
		}
	}
}

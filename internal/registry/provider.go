package registry

import (
	"fmt"
	"strings"
)

// Provider names the SMS provider (or Spoke itself) that defined an error code.
type Provider string

// Providers that own codes in the registry, plus two values for reports:
// Unknown when a code cannot be attributed, Mixed when a report spans several.
const (
	Twilio    Provider = "twilio"
	Telnyx    Provider = "telnyx"
	Bandwidth Provider = "bandwidth"
	Spoke     Provider = "spoke"
	Unknown   Provider = "unknown"
	Mixed     Provider = "mixed"
)

// ParseProvider reads a user-supplied provider hint. Spoke, Unknown and Mixed
// are not accepted: a user only ever chooses which SMS vendor sent the messages.
func ParseProvider(s string) (Provider, error) {
	switch p := Provider(strings.ToLower(strings.TrimSpace(s))); p {
	case Twilio, Telnyx, Bandwidth:
		return p, nil
	}
	return "", fmt.Errorf("unknown provider %q: valid values are twilio, telnyx, bandwidth", s)
}

// isReal reports whether p can own registry entries, i.e. is usable as a hint.
func isReal(p Provider) bool {
	switch p {
	case Twilio, Telnyx, Bandwidth, Spoke:
		return true
	}
	return false
}

// InferProvider guesses the provider from the shape of the code alone, using
// the numbering plans in the research notes. 10xxx and 20xxx are used by both
// Twilio and Telnyx with different meanings, so they are reported as ambiguous.
func InferProvider(code string) (p Provider, ambiguous bool) {
	code = NormalizeCode(code)
	if !IsInteger(code) {
		return Unknown, false
	}
	if strings.HasPrefix(code, "-") {
		return Spoke, false // only Spoke writes negative codes
	}
	switch len(code) {
	case 3: // Spoke stores the HTTP status of a failed Bandwidth API call
		return Bandwidth, false
	case 4: // Bandwidth messaging codes are 4xxx/5xxx/9xxx
		return Bandwidth, false
	case 5:
		return inferFiveDigit(code)
	}
	return Unknown, false
}

// inferFiveDigit handles the 5-digit ranges shared by Twilio and Telnyx.
func inferFiveDigit(code string) (Provider, bool) {
	switch code[:3] {
	case "400", "401", "402", "403":
		return Telnyx, false
	}
	switch code[:2] {
	case "14", "21", "30", "63":
		return Twilio, false
	case "10", "20":
		return Unknown, true
	}
	return Unknown, false
}

// NormalizeCode canonicalises a code as it appears in an export cell:
// spreadsheets and other tools add spaces, a '+' or leading zeros, none of
// which change the code. Non-numeric text is returned trimmed but otherwise
// untouched so that callers can still report it verbatim.
func NormalizeCode(s string) string {
	s = strings.TrimSpace(s)
	sign, body := "", s
	switch {
	case strings.HasPrefix(s, "+"):
		body = s[1:]
	case strings.HasPrefix(s, "-"):
		sign, body = "-", s[1:]
	}
	// A spreadsheet that re-saved the export writes integer cells as "30007.0".
	if trimmed, ok := strings.CutSuffix(body, ".0"); ok && allDigits(trimmed) {
		body = trimmed
	}
	if !allDigits(body) {
		return s
	}
	body = strings.TrimLeft(body, "0")
	if body == "" {
		return "0" // "-0" and "000" are both plain zero
	}
	return sign + body
}

// IsInteger reports whether an already-normalised code is a decimal
// integer, the form every provider and Spoke code has.
func IsInteger(code string) bool {
	return allDigits(strings.TrimPrefix(code, "-"))
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

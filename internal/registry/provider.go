package registry

import (
	"fmt"
	"slices"
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

// ProviderSpec is one row of the providers table: everything the code
// knows about a provider. Adding a provider is adding a row here (and its
// codes to codes.csv).
type ProviderSpec struct {
	Name  Provider
	Title string // as prose spells it: "Twilio"
	// Vendor providers are SMS vendors a user may name with --provider;
	// Spoke owns codes but sends nothing itself.
	Vendor bool
	// Ranges are the codes whose shape alone names the provider.
	Ranges []CodeRange
}

// CodeRange is a set of integer codes by shape: Digits digits (without
// the sign) starting with one of Prefixes (any, when empty), or every
// negative code.
type CodeRange struct {
	Negative bool
	Digits   int
	Prefixes []string
}

// contains reports whether a normalised integer code is in the range.
func (r CodeRange) contains(code string) bool {
	digits, negative := strings.CutPrefix(code, "-")
	if negative || r.Negative {
		return negative && r.Negative
	}
	if len(digits) != r.Digits {
		return false
	}
	if len(r.Prefixes) == 0 {
		return true
	}
	return slices.ContainsFunc(r.Prefixes, func(p string) bool { return strings.HasPrefix(digits, p) })
}

// providerTable is the providers table, in display order: the numbering
// plans are those of the research notes (provider-error-codes.md). It is
// read-only: InferProvider reads it for every code, so it is built once.
var providerTable = []ProviderSpec{
	{Name: Twilio, Title: "Twilio", Vendor: true, Ranges: []CodeRange{{Digits: 5, Prefixes: []string{"14", "21", "30", "63"}}}},
	{Name: Telnyx, Title: "Telnyx", Vendor: true, Ranges: []CodeRange{{Digits: 5, Prefixes: []string{"400", "401", "402", "403"}}}},
	// Bandwidth messaging codes are 4xxx/5xxx/9xxx; Spoke stores the
	// HTTP status of a failed Bandwidth API call (3 digits).
	{Name: Bandwidth, Title: "Bandwidth", Vendor: true, Ranges: []CodeRange{{Digits: 3}, {Digits: 4}}},
	// Only Spoke writes negative codes.
	{Name: Spoke, Title: "Spoke", Ranges: []CodeRange{{Negative: true}}},
}

// sharedTable are the ranges several providers use with different
// meanings (Twilio and Telnyx both number codes 10xxx and 20xxx): a code
// in them does not tell the provider.
var sharedTable = []CodeRange{{Digits: 5, Prefixes: []string{"10", "20"}}}

// ProviderSpecs returns the providers table, in display order.
func ProviderSpecs() []ProviderSpec { return slices.Clone(providerTable) }

// Vendors are the providers a user may name with --provider.
func Vendors() []Provider {
	var out []Provider
	for _, s := range ProviderSpecs() {
		if s.Vendor {
			out = append(out, s.Name)
		}
	}
	return out
}

// CodeOwners are the providers that own registry entries.
func CodeOwners() []Provider {
	var out []Provider
	for _, s := range ProviderSpecs() {
		out = append(out, s.Name)
	}
	return out
}

// IsVendor reports whether p is an SMS vendor of the table: a provider
// whose codes a lookup may prefer.
func IsVendor(p Provider) bool {
	return slices.ContainsFunc(providerTable, func(s ProviderSpec) bool { return s.Vendor && s.Name == p })
}

// ParseProvider reads a user-supplied provider hint. Spoke, Unknown and Mixed
// are not accepted: a user only ever chooses which SMS vendor sent the messages.
func ParseProvider(s string) (Provider, error) {
	p := Provider(strings.ToLower(strings.TrimSpace(s)))
	if IsVendor(p) {
		return p, nil
	}
	return "", fmt.Errorf("unknown provider %q: valid values are %s", s, strings.Join(names(Vendors()), ", "))
}

// isReal reports whether p can own registry entries, i.e. is usable as a hint.
func isReal(p Provider) bool {
	return slices.ContainsFunc(providerTable, func(s ProviderSpec) bool { return s.Name == p })
}

// InferProvider guesses the provider from the shape of the code alone,
// by the ranges of the providers table. A code in a shared range is
// reported as ambiguous.
func InferProvider(code string) (p Provider, ambiguous bool) {
	code = NormalizeCode(code)
	if !IsInteger(code) {
		return Unknown, false
	}
	for _, spec := range providerTable {
		if slices.ContainsFunc(spec.Ranges, func(r CodeRange) bool { return r.contains(code) }) {
			return spec.Name, false
		}
	}
	if slices.ContainsFunc(sharedTable, func(r CodeRange) bool { return r.contains(code) }) {
		return Unknown, true
	}
	return Unknown, false
}

func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// NormalizeCode canonicalises a code as it appears in an export cell:
// spreadsheets and other tools add spaces, a '+' or leading zeros, none of
// which change the code. Non-numeric text is returned trimmed but otherwise
// untouched so that callers can still report it verbatim, but for the
// unit separator (0x1f), read as a space: it joins the parts of a nested
// --by key (--by campaign,code), which must hold the code as every other
// map of codes does, and no real code holds it.
func NormalizeCode(s string) string {
	if PlainCode(s) {
		return s // the common cell, a code as Spoke writes it
	}
	return normalizeCode(s)
}

// PlainCode reports whether s is one code as Spoke writes it, the digits
// of a positive code without a leading zero: then it is its own normal
// form (no space, sign, ".0" or zero to drop), and a cell holding it its
// own primary code. On a broken export every row's code cell is one.
func PlainCode(s string) bool {
	if s == "" || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normalizeCode is NormalizeCode without its shortcut for plain codes.
func normalizeCode(s string) string {
	if strings.IndexByte(s, unitSeparator) >= 0 {
		s = strings.ReplaceAll(s, string(rune(unitSeparator)), " ")
	}
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

// unitSeparator is the byte that joins the parts of a nested group key.
const unitSeparator = 0x1f

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

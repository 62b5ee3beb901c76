package registry

import (
	"fmt"
	"slices"
	"strings"
)

// Category is the admin-facing bucket an error code falls into.
type Category string

// The first eleven categories appear in codes.csv. UnknownCategory and NoCode
// are produced by callers: a code missing from the registry, or an ERROR row
// that carries no code at all.
const (
	OptedOut              Category = "opted_out"
	SpamBlocked           Category = "spam_blocked"
	RecipientBlocked      Category = "recipient_blocked"
	InvalidNumber         Category = "invalid_number"
	LandlineOrUnsupported Category = "landline_or_unsupported"
	Unreachable           Category = "unreachable"
	RateLimited           Category = "rate_limited"
	SenderConfig          Category = "sender_config"
	ContentProblem        Category = "content_problem"
	CarrierFailure        Category = "carrier_failure"
	SpokeInternal         Category = "spoke_internal"
	UnknownCategory       Category = "unknown"
	NoCode                Category = "no_code"
)

// Categories returns every category in display order. A new slice is built
// on each call so callers may sort or trim it without affecting others.
func Categories() []Category {
	return []Category{
		OptedOut, SpamBlocked, RecipientBlocked, InvalidNumber,
		LandlineOrUnsupported, Unreachable, RateLimited, SenderConfig,
		ContentProblem, CarrierFailure, SpokeInternal, UnknownCategory, NoCode,
	}
}

// ParseCategory reads a category name given by a user (e.g. a filter flag).
func ParseCategory(s string) (Category, error) {
	want := Category(strings.ToLower(strings.TrimSpace(s)))
	for _, c := range Categories() {
		if c == want {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown category %q: valid values are %s", s, categoryList())
}

// inCSV reports whether c may appear in codes.csv; the two pseudo-categories
// describe the absence of an entry and so never do.
func inCSV(c Category) bool {
	if c == UnknownCategory || c == NoCode {
		return false
	}
	return slices.Contains(Categories(), c)
}

// categoryList renders all category names for error messages.
func categoryList() string {
	names := make([]string, 0, 13)
	for _, c := range Categories() {
		names = append(names, string(c))
	}
	return strings.Join(names, ", ")
}

// categoryPhrases name the categories for people (reports, not JSON: the
// snake_case names stay the contract).
var categoryPhrases = map[Category]string{
	OptedOut:              "Opted out",
	SpamBlocked:           "Blocked as spam",
	RecipientBlocked:      "Blocked by the recipient",
	InvalidNumber:         "Invalid number",
	LandlineOrUnsupported: "Landline or unsupported",
	Unreachable:           "Unreachable",
	RateLimited:           "Sent too fast",
	SenderConfig:          "Sender setup",
	ContentProblem:        "Message content",
	CarrierFailure:        "Carrier failure",
	SpokeInternal:         "Spoke or provider refused",
	UnknownCategory:       "Unknown code",
	NoCode:                "No error code",
}

// Phrase names c in a few words for people, e.g. "Landline or
// unsupported"; "" stays "", and a name not in the list is shown as is.
func (c Category) Phrase() string {
	if p, ok := categoryPhrases[c]; ok {
		return p
	}
	return string(c)
}

package registry

import (
	"strings"
	"testing"
)

// Every category and retry value has its own phrase, in sentence case,
// without the snake_case or kebab-case of its name.
func TestPhrases(t *testing.T) {
	seen := map[string]string{}
	check := func(name, phrase string) {
		t.Helper()
		if phrase == "" || phrase == name || strings.ContainsAny(phrase, "_") || strings.ToUpper(phrase[:1]) != phrase[:1] {
			t.Errorf("%s: phrase %q", name, phrase)
		}
		if other, dup := seen[phrase]; dup {
			t.Errorf("%s and %s share the phrase %q", name, other, phrase)
		}
		seen[phrase] = name
	}
	for _, c := range Categories() {
		check(string(c), c.Phrase())
	}
	for _, r := range []Retry{Permanent, Transient, SenderFix, ContentFix, RetryNone, RetryUnknown} {
		check(string(r), r.Phrase())
	}
	if got := LandlineOrUnsupported.Phrase(); got != "Landline or unsupported" {
		t.Errorf("LandlineOrUnsupported.Phrase() = %q", got)
	}
	if got := Permanent.Phrase(); got != "Don't text again" {
		t.Errorf("Permanent.Phrase() = %q", got)
	}
	if got := Category("made_up").Phrase(); got != "made_up" {
		t.Errorf("an unknown category is shown as %q, want its name", got)
	}
	if got := Category("").Phrase(); got != "" {
		t.Errorf("the empty category is shown as %q", got)
	}
}

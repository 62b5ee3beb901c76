package classify

import (
	"slices"
	"testing"

	"github.com/spoke-status/spoke-status/internal/registry"
)

// TestOptedOutCodes pins OptedOutCodes to Entry: under every provider, a
// normalized code is in the list exactly when Entry calls it opted out,
// for every code of the registry and a few it lacks. Summaries count the
// opt-out rejections of a tally of many codes from the list alone.
func TestOptedOutCodes(t *testing.T) {
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	providers := []registry.Provider{"", registry.Unknown, registry.Mixed}
	for _, s := range registry.ProviderSpecs() {
		providers = append(providers, s.Name)
	}
	codes := []string{"", "0", "1", "99999", "-133", "(other)"}
	for _, e := range reg.All() {
		codes = append(codes, registry.NormalizeCode(e.Code))
	}
	for _, p := range providers {
		c := New(reg, p)
		list := c.OptedOutCodes()
		if len(list) == 0 && p != "" && registry.IsVendor(p) {
			t.Errorf("%s: no opted-out codes", p)
		}
		for _, code := range codes {
			want := c.Entry(code).Category == registry.OptedOut
			if got := slices.Contains(list, code); got != want {
				t.Errorf("%s: code %q listed %v, Entry opted out %v", p, code, got, want)
			}
			if got, want := c.Category(code), c.Entry(code).Category; got != want {
				t.Errorf("%s: Category(%q) = %q, Entry's %q", p, code, got, want)
			}
			// IsOptedOut normalizes as Entry does.
			for _, raw := range []string{code, " " + code + " ", code + ".0"} {
				if got, want := c.IsOptedOut(raw), c.Entry(raw).Category == registry.OptedOut; got != want {
					t.Errorf("%s: IsOptedOut(%q) = %v, Entry opted out %v", p, raw, got, want)
				}
			}
		}
	}
	if New(reg, registry.Twilio).IsOptedOut("") || (*Classifier)(nil).IsOptedOut("21610") {
		t.Error("IsOptedOut: the empty code or a nil classifier opted out")
	}
	if got := (*Classifier)(nil).OptedOutCodes(); got != nil {
		t.Errorf("nil classifier: %v", got)
	}
}

// TestKnows: the registry's codes and ZeroCode are known, in any written
// form; the empty code, junk and a nil classifier know nothing.
func TestKnows(t *testing.T) {
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := New(reg, registry.Twilio)
	for code, want := range map[string]bool{"21610": true, " 4775 ": true, ZeroCode: true, "": false, "777001": false} {
		if got := c.Knows(code); got != want {
			t.Errorf("Knows(%q) = %v, want %v", code, got, want)
		}
	}
	if (*Classifier)(nil).Knows("21610") {
		t.Error("a nil classifier knows a code")
	}
	known := KnownCodes(reg)
	if !slices.Contains(known, ZeroCode) || !slices.Contains(known, "21610") || len(known) < 100 {
		t.Errorf("KnownCodes: %d codes, want the registry's and %q", len(known), ZeroCode)
	}
	for _, code := range known {
		if !c.Knows(code) {
			t.Errorf("Knows(%q) = false for a code of KnownCodes", code)
		}
	}
	if KnownCodes(nil) != nil {
		t.Error("KnownCodes of no registry")
	}
}

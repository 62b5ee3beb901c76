package classify

import (
	"slices"
	"testing"

	"github.com/spoke-status/spoke-status/internal/registry"
)

// FuzzEntry: any code cell, under any provider, classifies into one of the
// known categories and keeps its (normalized) code; never a panic. The
// provider resolution of the same codes never panics either.
func FuzzEntry(f *testing.F) {
	reg, err := registry.Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range []string{"30007", "21610", "40300", "4775", "-133", "-1", "0", "", "10001", "20003", " +30007.0 ", "1.5E+04", "abc", "-", "+", "00000"} {
		f.Add(c, uint8(0))
	}
	providers := []registry.Provider{"", registry.Twilio, registry.Telnyx, registry.Bandwidth, registry.Spoke, registry.Mixed, registry.Unknown}
	categories := append(registry.Categories(), registry.UnknownCategory, registry.NoCode)
	f.Fuzz(func(t *testing.T, code string, p uint8) {
		cls := New(reg, providers[int(p)%len(providers)])
		e := cls.Entry(code)
		if !slices.Contains(categories, e.Category) {
			t.Fatalf("Entry(%q).Category = %q, not a category", code, e.Category)
		}
		if code != "" && code != "0" && e.Code != registry.NormalizeCode(code) {
			t.Fatalf("Entry(%q).Code = %q, want %q", code, e.Code, registry.NormalizeCode(code))
		}
		_ = ResolveProvider(map[string]int64{registry.NormalizeCode(code): 1, "30007": 1})
		_ = IsOptOutReply(code, code, p%2 == 0)
	})
}

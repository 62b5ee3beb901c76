package registry

import (
	"strings"
	"testing"
)

// FuzzNormalizeCode: normalizing is idempotent, keeps numeric codes numeric,
// and neither it, InferProvider nor Lookup panics on any cell.
func FuzzNormalizeCode(f *testing.F) {
	reg, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range []string{"30007", " 30007 ", "+30007", "030007", "30007.0", "-133", "-0", "000", "", "-", "+", "1.5E+04", "abc", "21610|30007", "a\x1fb"} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeCode(s)
		if slow := normalizeCode(s); n != slow {
			t.Fatalf("NormalizeCode(%q) = %q, but the long way gives %q", s, n, slow)
		}
		if again := NormalizeCode(n); again != n {
			t.Fatalf("NormalizeCode(%q) = %q, but NormalizeCode(%q) = %q", s, n, n, again)
		}
		if strings.IndexByte(n, unitSeparator) >= 0 {
			t.Fatalf("NormalizeCode(%q) = %q holds the separator of nested group keys", s, n)
		}
		if IsInteger(n) && n != "0" && (n[0] == '0' || n[0] == '-' && (len(n) == 1 || n[1] == '0')) {
			t.Fatalf("NormalizeCode(%q) = %q keeps a leading zero", s, n)
		}
		p, _ := InferProvider(s)
		if e, ok := reg.Lookup(s, p); ok && e.Code != n {
			t.Fatalf("Lookup(%q) = %q, want code %q", s, e.Code, n)
		}
		_ = reg.Unknown(s, p)
	})
}

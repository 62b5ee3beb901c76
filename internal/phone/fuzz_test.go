package phone

import (
	"strings"
	"testing"
)

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"+15555550123", "(555) 555-0123", "1.5555550123E+10", "15555550123.0",
		"+44 20 7946 0958", "12345", "call me", "", "+", "((1))", "9.99E+99",
		"+1055555012", "+11555550123", "+15551550123", "+0447911123", "+4479111", "+447911123456789", "+4479111234567890", "+1555555012",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, ok := Normalize(in)
		if slowOut, slowOK := normalize(in); out != slowOut || ok != slowOK {
			t.Fatalf("Normalize(%q) = %q, %v; without its shortcut %q, %v", in, out, ok, slowOut, slowOK)
		}
		if !ok {
			if out != strings.TrimSpace(in) {
				t.Fatalf("Normalize(%q) = %q, false: want the trimmed input", in, out)
			}
		} else {
			if len(out) < 8 || len(out) > 16 || out[0] != '+' || strings.Trim(out[1:], "0123456789") != "" {
				t.Fatalf("Normalize(%q) = %q: not E.164", in, out)
			}
			if again, ok := Normalize(out); again != out || !ok {
				t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", in, out, out, again, ok)
			}
		}
		checkRedacted(t, in)
		_ = IsPhoneLike(in)
	})
}

// checkRedacted fails t if Redact echoes anything but '+', digits and
// dots, shows more than 8 digits, or masks fewer than 3 digits of a number
// that has 8 or more.
func checkRedacted(t *testing.T, in string) {
	t.Helper()
	r := Redact(in)
	shown, masked := 0, 0
	for i, c := range r {
		switch {
		case '0' <= c && c <= '9':
			shown++
		case c == '•':
			masked++
		case c == '+' && i == 0:
		default:
			t.Fatalf("Redact(%q) = %q: echoes %q", in, r, c)
		}
	}
	if shown > 8 || (shown+masked >= 8 && masked < 3) {
		t.Fatalf("Redact(%q) = %q: %d digits shown, %d masked", in, r, shown, masked)
	}
}

package classify

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// optOutRuleReference is OptOutRuleOf as it was written before mapASCII:
// strings.ToLower and ToUpper of the whole text.
func optOutRuleReference(text, primaryCode string, rewired bool) OptOutRule {
	if primaryCode == OptOutCode {
		return SpokeMarker
	}
	if rewired && isRewiredOptOutTrigger(strings.ToLower(strings.TrimSpace(text))) {
		return SpokeTrigger
	}
	t := strings.TrimRight(strings.TrimSpace(text), ".!?")
	t = strings.TrimSpace(t)
	if len(t) < 3 || len(t) > len("UNSUBSCRIBE") {
		return NotOptOut
	}
	if isOptOutKeyword(strings.ToUpper(t)) {
		return CarrierKeyword
	}
	return NotOptOut
}

// optOutTexts are replies that match and replies that almost do: runes
// whose case mapping is ASCII (İ→i, K→k, ı→I, ſ→S), invalid UTF-8,
// lengths around the longest trigger and keyword.
var optOutTexts = []string{
	"", "STOP", "stop", " Stop. ", "Stop!!", "STOP ALL", "stop to quit", "Stop To Quit", "stop to quit!", " stop to quit ",
	"Unsubscribe", "UNSUBSCRIBE.", "unsubscribex", "unsub", "UNSUB", "Quit", "qu\u0130t", "QU\u0130T", "\u212Aeep",
	"\u017Ftop", "\u0131", "qu\u0131t", "Already voted 👍", "stop 👍", "st\xffop", "\xff", "revoke?", "opt out", "OptOut",
	"end", "END.", "en", "e\u0301nd", "cancel", "CANCEL!", "stop=quit", "Stop = Quit", "stop2quit", "STOPALL", "stop all.",
	strings.Repeat("STOP ", 20), "Hi Betty, it's Morgan with Example Org. Will you join us Saturday?",
}

func TestOptOutRuleMatchesReference(t *testing.T) {
	for _, text := range optOutTexts {
		for _, code := range []string{"", OptOutCode, "30007"} {
			for _, rewired := range []bool{false, true} {
				if got, want := OptOutRuleOf(text, code, rewired), optOutRuleReference(text, code, rewired); got != want {
					t.Errorf("OptOutRuleOf(%q, %q, %v) = %q, want %q", text, code, rewired, got, want)
				}
			}
		}
	}
}

// mapASCII is strings.Map whenever the result is ASCII and short, for
// every rune: in particular for the few non-ASCII runes whose case
// mapping is ASCII.
func TestMapASCIIEveryRune(t *testing.T) {
	var buf [maxKeywordLen]byte
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := "a" + string(r) + "b"
		for _, f := range []func(rune) rune{unicode.ToLower, unicode.ToUpper} {
			want := strings.Map(f, s)
			got, ok := mapASCII(&buf, s, f)
			ascii := len(want) <= maxKeywordLen && isASCII(want)
			if ok != ascii || ok && string(got) != want {
				t.Fatalf("mapASCII(%q) = %q, %v; strings.Map gives %q", s, got, ok, want)
			}
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// OptOutRuleOf reads a reply without allocating, whatever its case.
func TestOptOutRuleAllocatesNothing(t *testing.T) {
	for _, text := range []string{"Stop To Quit", "Already voted 👍", "QUIT", "Unsubscribe.", "Hi Betty, it's Morgan"} {
		if n := testing.AllocsPerRun(100, func() { OptOutRuleOf(text, "", true) }); n != 0 {
			t.Errorf("OptOutRuleOf(%q): %v allocations", text, n)
		}
	}
}

// FuzzOptOutRuleMatchesReference: on any reply, the rule is the one the
// strings.ToLower/ToUpper version gives.
func FuzzOptOutRuleMatchesReference(f *testing.F) {
	for _, s := range optOutTexts {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, rewired bool) {
		if got, want := OptOutRuleOf(text, "", rewired), optOutRuleReference(text, "", rewired); got != want {
			t.Fatalf("OptOutRuleOf(%q, %v) = %q, want %q", text, rewired, got, want)
		}
	})
}

// BenchmarkOptOutRuleOf reads six typical inbound replies, with
// OptOutRuleOf and with the strings.ToLower/ToUpper version it replaced.
func BenchmarkOptOutRuleOf(b *testing.B) {
	texts := []string{"Already voted 👍", "STOP", "Who is this?", "Stop to quit", "yes", "I'll be there!"}
	for _, v := range []struct {
		name string
		f    func(string, string, bool) OptOutRule
	}{{"reference", optOutRuleReference}, {"mapASCII", OptOutRuleOf}} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range texts {
					v.f(s, "", true)
				}
			}
		})
	}
}

// TestStartsRewiredTrigger: every trigger starts with a byte it accepts,
// and no rune whose first byte it refuses lower-cases to a trigger's first
// letter (so a refused text lower-cases to no trigger).
func TestStartsRewiredTrigger(t *testing.T) {
	for _, trig := range []string{"stop", "stop all", "stopall", "unsub", "unsubscribe", "cancel", "end", "quit",
		"stop2quit", "stop 2 quit", "stop=quit", "stop = quit", "stop to quit", "stoptoquit"} {
		if !isRewiredOptOutTrigger(trig) {
			t.Fatalf("%q is not a trigger", trig)
		}
		for _, s := range []string{trig, strings.ToUpper(trig)} {
			if !startsRewiredTrigger(s[0]) {
				t.Errorf("%q refused", s)
			}
		}
	}
	var b [utf8.UTFMax]byte
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		utf8.EncodeRune(b[:], r)
		if l := unicode.ToLower(r); !startsRewiredTrigger(b[0]) && strings.ContainsRune("sucqe", l) {
			t.Errorf("%U lower-cases to %q but its first byte %#x is refused", r, l, b[0])
		}
	}
}

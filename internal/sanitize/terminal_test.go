package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const fffd = "\uFFFD"

func TestTerminal(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"ascii", "Hi Ana, can you text 5 people?", "Hi Ana, can you text 5 people?"},
		{"accents", "¿Votará mañana? Ça va, Zoë", "¿Votará mañana? Ça va, Zoë"},
		{"emoji", "Thanks 🙏🏽 👨‍👩‍👧 🇺🇸", "Thanks 🙏🏽 👨‍👩‍👧 🇺🇸"},
		{"cjk", "投票しましたか？", "投票しましたか？"},
		{"existing fffd kept", "a" + fffd + "b", "a" + fffd + "b"},
		{"csi colour", "\x1b[31mred\x1b[0m", fffd + "red" + fffd},
		{"csi bold params", "\x1b[1;38;5;196mX", fffd + "X"},
		{"csi clear screen", "\x1b[2Jgone", fffd + "gone"},
		{"csi cursor up", "a\x1b[Ab", "a" + fffd + "b"},
		{"csi private mode", "\x1b[?1049hX", fffd + "X"},
		{"csi unfinished at end", "x\x1b[31", "x" + fffd},
		{"csi aborted by control", "\x1b[3\nZ", fffd + " Z"},
		{"csi aborted by non-ascii", "\x1b[3é", fffd + "é"},
		{"osc title bel", "\x1b]0;pwned\x07after", fffd + "after"},
		{"osc title st", "\x1b]0;pwned\x1b\\after", fffd + "after"},
		{"osc title 8-bit st", "\x1b]0;pwned\u009cafter", fffd + "after"},
		{"osc hyperlink", "\x1b]8;;http://evil\x07click\x1b]8;;\x07", fffd + "click" + fffd},
		{"osc unterminated", "ok\x1b]0;title", "ok" + fffd},
		{"osc aborted by esc", "\x1b]0;t\x1b[1mX", fffd + fffd + "X"},
		{"osc aborted by can", "\x1b]0;t\x18X", fffd + fffd + "X"},
		{"dcs", "\x1bP+q544e\x1b\\X", fffd + "X"},
		{"apc", "\x1b_Gf=100;AAAA\x1b\\X", fffd + "X"},
		{"esc single final", "\x1bcreset", fffd + "reset"},
		{"esc save cursor", "\x1b7X", fffd + "X"},
		{"esc lowest final", "\x1b0X", fffd + "X"},
		{"esc charset nF", "\x1b(BX", fffd + "X"},
		{"esc nF unfinished", "\x1b(", fffd},
		{"lone esc at end", "end\x1b", "end" + fffd},
		{"esc esc", "\x1b\x1b[1mX", fffd + fffd + "X"},
		{"esc before non-ascii", "\x1bé", fffd + "é"},
		{"esc before del", "\x1b\x7f", fffd + fffd},
		{"c1 csi", "\u009b31mred", fffd + "red"},
		{"c1 osc", "\u009d0;t\u009cX", fffd + "X"},
		{"c1 nel", "a\u0085b", "a" + fffd + "b"},
		{"c1 lone st", "a\u009cb", "a" + fffd + "b"},
		{"raw 8-bit csi byte", "\x9b31m", fffd + "31m"},
		{"bidi rlo", "abc\u202edcba", "abc" + fffd + "dcba"},
		{"bidi lre pdf", "\u202ax\u202c", fffd + "x" + fffd},
		{"bidi isolates", "\u2066a\u2067b\u2068c\u2069", fffd + "a" + fffd + "b" + fffd + "c" + fffd},
		{"lrm kept", "a\u200eb", "a\u200eb"},
		{"nul", "a\x00b", "a" + fffd + "b"},
		{"bell", "a\x07b", "a" + fffd + "b"},
		{"backspace", "abc\x08\x08X", "abc" + fffd + fffd + "X"},
		{"del", "a\x7fb", "a" + fffd + "b"},
		{"newline", "line1\nline2", "line1 line2"},
		{"tab", "a\tb", "a b"},
		{"crlf one space", "a\r\nb", "a b"},
		{"lone cr", "a\rb", "a b"},
		{"two newlines two spaces", "a\n\nb", "a  b"},
		{"vt ff", "a\vb\fc", "a b c"},
		{"line separator", "a\u2028b\u2029c", "a b c"},
		{"invalid byte", "a\xffb", "a" + fffd + "b"},
		{"truncated utf8", "a\xe2\x82", "a" + fffd + fffd},
		{"overlong", "\xc0\xafx", fffd + fffd + "x"},
		{"surrogate", "\xed\xa0\x80", fffd + fffd + fffd},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Terminal(tt.in); got != tt.want {
				t.Errorf("Terminal(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTerminalNoAllocWhenUnchanged(t *testing.T) {
	for _, in := range []string{"plain ascii text", "Zoë 🙏🏽 投票", ""} {
		allocs := testing.AllocsPerRun(100, func() { sink = Terminal(in) })
		if allocs != 0 {
			t.Errorf("Terminal(%q): %v allocs, want 0", in, allocs)
		}
	}
}

// checkTerminalOutput fails t if out could still drive a terminal.
func checkTerminalOutput(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Terminal(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		if r < 0x20 || r == 0x7f || isUnsafeRune(r) {
			t.Fatalf("Terminal(%q) = %q: contains %U", in, out, r)
		}
	}
}

func FuzzTerminal(f *testing.F) {
	for _, s := range []string{
		"", "hello", "\x1b[31mred", "\x1b]0;t\x07", "\x1b]0;t\x1b\\", "\u009b31m",
		"\u202eabc", "a\x00\x7f\n\t\r\n", "\xff\xfe", "Zoë 🙏🏽", "\x1bP", "\u009d",
		"\x1b(", "\x1b", "\xc2", "\u2028",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Terminal(in)
		checkTerminalOutput(t, in, out)
		if again := Terminal(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, out, again)
		}
		if safePrefix(in) == len(in) && out != in {
			t.Fatalf("safe input %q changed to %q", in, out)
		}
		if strings.Count(out, fffd) > len(in) {
			t.Fatalf("%q gave more replacements than input bytes: %q", in, out)
		}
	})
}

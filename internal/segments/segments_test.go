package segments

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const emoji = "😀" // U+1F600: outside the BMP, a surrogate pair in UTF-16

func TestCount(t *testing.T) {
	r := strings.Repeat
	tests := []struct {
		name string
		text string
		enc  Encoding
		want int
	}{
		{"empty", "", GSM7, 0},
		{"one char", "a", GSM7, 1},
		{"gsm 160", r("a", 160), GSM7, 1},
		{"gsm 161", r("a", 161), GSM7, 2},
		{"gsm 306", r("a", 306), GSM7, 2},
		{"gsm 307", r("a", 307), GSM7, 3},
		{"gsm 459", r("a", 459), GSM7, 3},
		{"gsm 460", r("a", 460), GSM7, 4},
		{"gsm basic non-ascii 160", r("é", 160), GSM7, 1},
		{"gsm basic non-ascii 161", r("Δ", 161), GSM7, 2},
		{"gsm newline and cr", "a\r\nb", GSM7, 1},
		{"extension 80 euro", r("€", 80), GSM7, 1},
		{"extension 81 euro", r("€", 81), GSM7, 2},
		{"extension ascii 80", r("{", 80), GSM7, 1},
		{"extension ascii 81", r("|", 81), GSM7, 2},
		{"extension 159 plus one", r("a", 159) + "^", GSM7, 2},
		// 152 + 2 = 154 septets: still fits one 160-septet SMS.
		{"152 plain + euro single", r("a", 152) + "€", GSM7, 1},
		// 306 septets would be 2 parts by division, but the € cannot be
		// split: part 1 = 152 (1 wasted), part 2 = € + 151, part 3 = 1.
		{"euro pushed to next part", r("a", 152) + "€" + r("a", 152), GSM7, 3},
		// Same total with the € not on a boundary: 2 parts.
		{"euro not on boundary", "€" + r("a", 304), GSM7, 2},
		{"ucs2 70", r("é", 69) + "ç", UCS2, 1},
		{"ucs2 71", "ç" + r("a", 70), UCS2, 2},
		{"ucs2 134", r("ж", 134), UCS2, 2},
		{"ucs2 135", r("ж", 135), UCS2, 3},
		{"ucs2 201", r("ж", 201), UCS2, 3},
		{"ucs2 202", r("ж", 202), UCS2, 4},
		{"one emoji switches to ucs2", r("a", 100) + emoji, UCS2, 2},
		{"emoji alone", emoji, UCS2, 1},
		{"35 emoji = 70 units", r(emoji, 35), UCS2, 1},
		{"36 emoji = 72 units", r(emoji, 36), UCS2, 2},
		{"69 bmp + emoji = 71 units", r("a", 69) + emoji, UCS2, 2},
		// 134 units would be 2 parts by division, but the pair cannot
		// straddle: part 1 = 66, part 2 = pair + 65, part 3 = 1.
		{"surrogate pair not split", r("a", 66) + emoji + r("a", 66), UCS2, 3},
		{"surrogate pair on boundary fits", r("a", 65) + emoji + r("a", 67), UCS2, 2},
		{"backtick is not gsm", "`", UCS2, 1},
		{"tab is not gsm", "a\tb", UCS2, 1},
		{"curly quote is not gsm", "it’s", UCS2, 1},
		{"invalid utf8 as U+FFFD", "\xff", UCS2, 1},
		{"form feed is extension", r("\f", 81), GSM7, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, n := Count(tt.text)
			if enc != tt.enc || n != tt.want {
				t.Errorf("Count(%.20q…) = %v, %d; want %v, %d", tt.text, enc, n, tt.enc, tt.want)
			}
		})
	}
}

// TestGSMBasicSet checks every character of the GSM 03.38 basic set and
// extension table, and a few look-alikes that are not in it.
func TestGSMBasicSet(t *testing.T) {
	basic := "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	if n := utf8.RuneCountInString(basic); n != 127 {
		t.Fatalf("basic set has %d characters, want 127 (128 minus escape)", n)
	}
	for _, r := range basic {
		if w := septets(r); w != 1 {
			t.Errorf("septets(%q) = %d, want 1", r, w)
		}
	}
	for _, r := range "^{}\\[~]|€\f" {
		if w := septets(r); w != 2 {
			t.Errorf("septets(%q) = %d, want 2", r, w)
		}
	}
	for _, r := range "`\tçÀÈáíóúãõ¢€\u00a0’“😀\x00\x1b" {
		if r == '€' {
			continue
		}
		if w := septets(r); w != 0 {
			t.Errorf("septets(%q) = %d, want 0", r, w)
		}
	}
}

func TestEncodingString(t *testing.T) {
	for e, want := range map[Encoding]string{GSM7: "gsm7", UCS2: "ucs2", 7: "Encoding(7)"} {
		if got := e.String(); got != want {
			t.Errorf("Encoding(%d).String() = %q, want %q", int(e), got, want)
		}
	}
}

// reference is a deliberately naive implementation: list every
// character's width, then fill parts one character at a time.
func reference(text string) (Encoding, int) {
	if text == "" {
		return GSM7, 0
	}
	enc, widths := GSM7, []int{}
	for _, r := range text {
		widths = append(widths, septets(r))
		if septets(r) == 0 {
			enc = UCS2
		}
	}
	single, part := gsmSingle, gsmPart
	if enc == UCS2 {
		single, part = ucsSingle, ucsPart
		widths = widths[:0]
		for _, r := range text {
			widths = append(widths, utf8.RuneLen(r)/4+1) // 4-byte UTF-8 ⇔ outside the BMP
		}
	}
	total := 0
	for _, w := range widths {
		total += w
	}
	if total <= single {
		return enc, 1
	}
	parts, room := 1, part
	for _, w := range widths {
		if w > room {
			parts, room = parts+1, part
		}
		room -= w
	}
	return enc, parts
}

func FuzzCount(f *testing.F) {
	for _, s := range []string{"", "hello", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152),
		strings.Repeat("a", 66) + emoji + strings.Repeat("a", 66), "\xff\xfe", strings.Repeat("€", 81)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		enc, n := Count(text)
		if text != "" && n < 1 {
			t.Fatalf("Count(%q) = %v, %d; want ≥ 1 segment", text, enc, n)
		}
		if wantEnc, want := reference(text); enc != wantEnc || n != want {
			t.Fatalf("Count(%q) = %v, %d; reference says %v, %d", text, enc, n, wantEnc, want)
		}
	})
}

var sink int

// Typical Spoke texts: 160 characters, with and without a link.
const (
	msgPlain = "Hi Sam, this is Alex with Neighbors for Better Schools. Early voting starts Saturday at the library on Main St. Can we count on your vote? Reply STOP to opt out"
	msgLink  = "Hi Sam, it's Alex w/ Neighbors for Better Schools! Early voting starts Sat. Find your polling place: https://bit.ly/3xYzAbc Can we count on you? STOP to opt out"
	msgExt   = "Hi Sam, it's Alex w/ Neighbors for Better Schools! Early voting starts Sat. Rally tickets are €5 [free for students]. Can we count on you? Reply STOP to end"
	msgUCS2  = "Hola Sam, soy Alex de Vecinos por Mejores Escuelas 🏫 La votación anticipada empieza el sábado. ¿Podemos contar con tu voto? Responde STOP para salir"
)

func BenchmarkCount(b *testing.B) {
	cases := []struct {
		name string
		text string
		enc  Encoding
		n    int
	}{
		{"gsm-plain", msgPlain, GSM7, 1},                    // ASCII fast path
		{"gsm-link", msgLink, GSM7, 1},                      // ASCII fast path
		{"gsm-extension", msgExt, GSM7, 1},                  // 159 septets
		{"gsm-extension-2-parts", msgExt + msgExt, GSM7, 3}, // greedy fill
		{"ucs2-emoji", msgUCS2, UCS2, 3},                    // 149 units, greedy fill
	}
	for _, c := range cases {
		if enc, n := Count(c.text); enc != c.enc || n != c.n {
			b.Fatalf("%s: Count = %v, %d; want %v, %d", c.name, enc, n, c.enc, c.n)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, sink = Count(c.text)
			}
		})
	}
}

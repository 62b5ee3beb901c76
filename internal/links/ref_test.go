package links

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The functions of Domains as they were before the single-pass scan of a
// run (host classes, no ToLower of lowercase hosts, bit sets of short
// TLDs, shorteners by first letter): FuzzDomainsMatchesReference checks
// that Domains still gives what they give.

// refTLDs is the set of every TLD of the lists.
var refTLDs = func() map[string]bool {
	m := make(map[string]bool)
	for _, t := range strings.Fields(countryTLDs + " " + genericTLDs) {
		m[t] = true
	}
	return m
}()

func refDomains(dst []string, text string) []string {
	out := hosts{list: dst, start: len(dst)}
	// Every host has a dot, so the scan jumps from dot to dot and never
	// looks at most of the text. d and sep are the next dot and "://" at
	// or after i (len(text) if none), found again only once i passes them.
	d, sep := -1, -1
	for i := 0; i < len(text); {
		if d < i {
			d = indexFrom(text, i, ".")
		}
		if d == len(text) {
			break
		}
		if sep < i {
			sep = indexFrom(text, i, "://")
		}
		if sep < d { // a URL with a scheme may come first
			if isScheme(text, i, sep) {
				end := urlEnd(text, sep+3)
				if h, ok := refSchemeHost(text[sep+3 : end]); ok {
					out.add(h)
				}
				i = end
			} else {
				sep = indexFrom(text, sep+1, "://")
			}
			continue
		}
		var found bool
		i, found = refBareRun(&out, text, runStart(text, i, d))
		if found && startsPath(text[i:]) {
			i = urlEnd(text, i)
		}
	}
	return out.list
}

func refBareRun(out *hosts, text string, s int) (int, bool) {
	e, dots := refRunEnd(text, s)
	if dots == 0 || glued(text, s, e) {
		return e, false
	}
	found := false
	for run := text[s:e]; run != ""; {
		piece := run
		if k := strings.Index(run, ".."); k >= 0 {
			piece, run = run[:k], run[k+2:]
		} else {
			run = ""
		}
		h, ok := refBareHost(trimEdges(piece))
		if ok {
			out.add(h)
		}
		found = ok && run == ""
	}
	return e, found
}

func refSchemeHost(rest string) (string, bool) {
	if k := strings.IndexAny(rest, "/?#\\"); k >= 0 {
		rest = rest[:k]
	}
	if k := strings.LastIndexByte(rest, '@'); k >= 0 {
		rest = rest[k+1:] // drop userinfo
	}
	e := 0
	for e < len(rest) {
		r, w := utf8.DecodeRuneInString(rest[e:])
		if !isHostRune(r, true) {
			break // port, "[" of an IPv6 literal, or trailing punctuation
		}
		e += w
	}
	h := trimEdges(rest[:e])
	if !refValidLabels(h) {
		return "", false
	}
	return refNormalize(h)
}

func refBareHost(h string) (string, bool) {
	dot := strings.LastIndexByte(h, '.')
	if dot < 0 || !refValidLabels(h) {
		return "", false
	}
	tld, name := h[dot+1:], h[:dot]
	if !refIsTLD(tld) || !hasLetter(name) {
		return "", false
	}
	prev := name[strings.LastIndexByte(name, '.')+1:]
	if isTitle(tld) && !hasUpper(prev) {
		return "", false // "there.Is": a missing space after a full stop
	}
	return refNormalize(h)
}

func refNormalize(h string) (string, bool) {
	h = strings.ToLower(h) // allocates only if h has upper case
	for strings.HasPrefix(h, "www.") && strings.IndexByte(h[4:], '.') >= 0 {
		h = h[4:]
	}
	if strings.HasPrefix(h, "www.") || strings.IndexByte(h, '.') < 0 {
		return "", false
	}
	if s, ok := refShortener(h); ok {
		return s, true
	}
	return h, true
}

func refValidLabels(h string) bool {
	if len(h) > 253 || strings.IndexByte(h, '.') < 0 {
		return false
	}
	for h != "" {
		label := h
		if k := strings.IndexByte(h, '.'); k >= 0 {
			label, h = h[:k], h[k+1:]
			if h == "" {
				return false // trailing dot was not trimmed: empty label
			}
		} else {
			h = ""
		}
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
	}
	return true
}

func refRunEnd(text string, s int) (e, dots int) {
	for e = s; e < len(text); {
		if c := text[e]; c < utf8.RuneSelf {
			if !hostASCII[c] {
				break
			}
			if c == '.' {
				dots++
			}
			e++
			continue
		}
		r, w := utf8.DecodeRuneInString(text[e:])
		if !isHostRune(r, false) {
			break
		}
		e += w
	}
	return e, dots
}

func refIsTLD(label string) bool {
	if len(label) < 2 || len(label) > maxTLD {
		return false
	}
	var buf [maxTLD]byte
	for i := 0; i < len(label); i++ {
		c := label[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c < 'a' || c > 'z':
			return false
		}
		buf[i] = c
	}
	return refTLDs[string(buf[:len(label)])]
}

func refShortener(h string) (string, bool) {
	i, ok := slices.BinarySearch(shortenerList, h)
	if !ok {
		return "", false
	}
	return shortenerList[i], true
}

func FuzzDomainsMatchesReference(f *testing.F) {
	for _, s := range []string{
		msgPlain, msgLink, msgBare, msgCapitals, msgShortener,
		"www.Vote.org", "WWW.BIT.LY/x", "see...vote.org", "a..b.com", "x.y..z.org.",
		"http://User@Example.COM:80/x", "HTTPS://bücher.de", "BÜCHER.de", "t.co bit.do V.GD",
		"7.am there.Is Thanks.Me IWillVote.Com", "mail@vote.org _x.com", "-a-.com -.org",
		"请访问bit.ly", "https://[::1]/", "https://a.b\\c", "xn--bcher-kva.de", "gle.gle.GLE",
	} {
		f.Add(s)
	}
	for _, n := range []int{62, 63, 64} { // the longest label
		f.Add("see " + strings.Repeat("a", n) + ".org and https://" + strings.Repeat("b", n) + ".x/")
	}
	f.Add("https://" + strings.Repeat("a.", 126) + "org") // 253 bytes and over
	var fd Finder                                         // remembers hosts from one input to the next
	f.Fuzz(func(t *testing.T, text string) {
		got, want := Domains(nil, text), refDomains(nil, text)
		if !slices.Equal(got, want) {
			t.Fatalf("Domains(%q) = %q, reference %q", text, got, want)
		}
		if got := fd.Domains(nil, text); !slices.Equal(got, want) {
			t.Fatalf("Finder.Domains(%q) = %q, reference %q", text, got, want)
		}
		for _, d := range got {
			s, ok := shortener(d)
			if rs, rok := refShortener(d); s != rs || ok != rok {
				t.Fatalf("shortener(%q) = %q %v, reference %q %v", d, s, ok, rs, rok)
			}
		}
	})
}

func TestTLDsMatchReference(t *testing.T) {
	for _, l := range strings.Fields(countryTLDs + " " + genericTLDs + " md zip mov x abc COM Org vOTE a1 ab- e\u00e9") {
		if got, want := isTLD(l), refIsTLD(l); got != want {
			t.Errorf("isTLD(%q) = %v, reference %v", l, got, want)
		}
	}
	// Every label of two and three letters.
	var b [3]byte
	for n := 2; n <= 3; n++ {
		for i := 0; i < 26*26*26; i++ {
			b[0], b[1], b[2] = byte('a'+i/676), byte('a'+i/26%26), byte('a'+i%26)
			l := string(b[3-n:])
			if got, want := isTLD(l), refIsTLD(l); got != want {
				t.Errorf("isTLD(%q) = %v, reference %v", l, got, want)
			}
		}
	}
}

func TestShortenerMatchesReference(t *testing.T) {
	for _, h := range append(Shorteners(), "", "b", "bit.l", "bit.lyy", "tiny.c", "x.cO", "\u00e9.ly", "0.ly") {
		got, ok := shortener(h)
		want, wantOK := refShortener(h)
		if got != want || ok != wantOK {
			t.Errorf("shortener(%q) = %q %v, reference %q %v", h, got, ok, want, wantOK)
		}
	}
}

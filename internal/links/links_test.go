package links

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

func TestDomains(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		// Schemes.
		{"https", "Vote early: https://vote.org/early", []string{"vote.org"}},
		{"http", "see http://example.com", []string{"example.com"}},
		{"scheme uppercase", "HTTPS://Bit.ly/X", []string{"bit.ly"}},
		{"scheme mixed case", "Hxxp no, HtTp://Example.COM/a", []string{"example.com"}},
		{"scheme glued to word", "Info:https://iwillvote.com", []string{"iwillvote.com"}},
		{"scheme host without dot", "http://localhost:8080/x", nil},
		{"scheme host not in TLD list", "https://intranet.corp/x", []string{"intranet.corp"}},
		{"scheme ip address", "http://192.168.1.10/admin", []string{"192.168.1.10"}},
		{"scheme ipv6 literal", "http://[::1]:80/", nil},
		{"scheme empty host", "https:// nothing", nil},
		{"path not searched", "https://a.com/r?u=bit.ly/x&v=b.org", []string{"a.com"}},

		// Scheme-less.
		{"bare shortener", "Text bit.ly/x now", []string{"bit.ly"}},
		{"bare domain", "Go to example.org today", []string{"example.org"}},
		{"bare www", "www.vote.org/register", []string{"vote.org"}},
		{"bare end of sentence", "Register at vote.org.", []string{"vote.org"}},
		{"bare subdomain", "Info at go.iwillvote.com", []string{"go.iwillvote.com"}},
		{"bare unknown tld", "see foo.bar", nil},
		{"bare after dots", "go to...vote.org", []string{"vote.org"}},
		{"bare before dots", "vote.org...or not", []string{"vote.org"}},
		{"bare ascii dash", "vote.org--now", nil},
		{"bare after cjk", "请访问bit.ly/abc", []string{"bit.ly"}},
		{"bare hyphenated", "my-polling-place.us", []string{"my-polling-place.us"}},
		{"bare label starting with hyphen", "a.-b.com", nil},

		// Trailing punctuation.
		{"comma", "bit.ly/a, thanks", []string{"bit.ly"}},
		{"exclamation", "Vote at vote.org!", []string{"vote.org"}},
		{"question", "Seen vote.org?", []string{"vote.org"}},
		{"semicolon", "vote.org; thanks", []string{"vote.org"}},
		{"colon", "vote.org: easy", []string{"vote.org"}},
		{"bracket", "[vote.org]", []string{"vote.org"}},
		{"quotes", `"vote.org" and 'bit.ly'`, []string{"vote.org", "bit.ly"}},
		{"curly quotes", "“vote.org” ‘bit.ly’", []string{"vote.org", "bit.ly"}},
		{"ellipsis", "vote.org…", []string{"vote.org"}},
		{"scheme trailing dot", "Go to https://vote.org.", []string{"vote.org"}},
		{"scheme trailing comma", "https://vote.org, then", []string{"vote.org"}},

		// Parentheses.
		{"parenthesised bare", "(see bit.ly/abc)", []string{"bit.ly"}},
		{"parenthesised scheme", "(https://bit.ly/abc).", []string{"bit.ly"}},
		{"parenthesised host only", "(vote.org)", []string{"vote.org"}},

		// Case.
		{"bare uppercase", "VOTE AT VOTE.ORG", []string{"vote.org"}},
		{"bare camel case", "Visit IWillVote.Com", []string{"iwillvote.com"}},
		{"www uppercase", "WWW.Vote.Org", []string{"vote.org"}},
		{"joined sentences", "I was there.Is it open? done.Me too", nil},
		// Indistinguishable from "IWillVote.Com": a known false positive.
		{"joined capitalised sentences", "Thanks.Me too", []string{"thanks.me"}},

		// www stripping.
		{"www scheme", "https://www.example.com", []string{"example.com"}},
		{"www twice", "http://www.www.example.com", []string{"example.com"}},
		{"www only", "http://www.com", nil},
		{"www2 kept", "https://www2.example.com", []string{"www2.example.com"}},

		// Ports, userinfo, queries.
		{"port", "https://example.com:8443/x", []string{"example.com"}},
		{"bare port", "example.com:8080/status", []string{"example.com"}},
		{"userinfo", "https://user:pass@example.com/x", []string{"example.com"}},
		{"query", "https://example.com?utm=sms", []string{"example.com"}},
		{"fragment", "https://example.com#top", []string{"example.com"}},
		{"bare query", "vote.org?ref=sms", []string{"vote.org"}},

		// IDN.
		{"idn unicode", "https://bücher.de/x", []string{"bücher.de"}},
		{"idn unicode uppercase", "HTTPS://BÜCHER.DE", []string{"bücher.de"}},
		{"idn bare", "Libros en bücher.de.", []string{"bücher.de"}},
		{"idn cyrillic", "https://пример.рф/", []string{"пример.рф"}},
		{"idn cjk with scheme", "https://例子.中国/x", []string{"例子.中国"}},
		{"punycode", "xn--bcher-kva.de", []string{"xn--bcher-kva.de"}},
		{"punycode scheme", "https://XN--BCHER-KVA.DE/", []string{"xn--bcher-kva.de"}},

		// Not links.
		{"email", "Write to sam@example.org", nil},
		{"email dotted local part", "john.co@gmail.com", nil},
		{"mailto", "mailto:sam@example.org", nil},
		{"email and link", "sam@example.org or vote.org", []string{"vote.org"}},
		{"identifier", "my_site.com", nil},
		{"decimal", "It's 3.30 now, 5.5% up, $12.99", nil},
		{"time", "Meet at 7.am or 5.PM", nil},
		{"abbreviations", "e.g. the U.S. vs. i.e. a.m. Ph.D.", nil},
		{"file", "Open report.pdf and notes.txt and README.md", nil},
		{"title", "Mr.Smith and Dr.Jones", nil},
		{"version", "v1.2.3", nil},

		// Several and duplicates.
		{"duplicates", "bit.ly/a and https://bit.ly/b and BIT.LY/c", []string{"bit.ly"}},
		{"www duplicate", "vote.org or www.vote.org", []string{"vote.org"}},
		{"several in order", "x.co/1 then https://vote.org, then tinyurl.com/z",
			[]string{"x.co", "vote.org", "tinyurl.com"}},
		{"two urls glued by comma", "https://a.com/x https://b.com/y", []string{"a.com", "b.com"}},

		// Degenerate input.
		{"empty", "", nil},
		{"spaces", "   \n\t ", nil},
		{"dots only", "....", nil},
		{"invalid utf8", "\xffbit.ly\xfe", []string{"bit.ly"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Domains(nil, tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Domains(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestDomainsAppends(t *testing.T) {
	dst := []string{"keep.me", "vote.org"}
	got := Domains(dst, "vote.org and vote.org and bit.ly")
	want := []string{"keep.me", "vote.org", "vote.org", "bit.ly"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q (only this call's hosts are de-duplicated)", got, want)
	}
}

func TestDomainsLongText(t *testing.T) {
	var b strings.Builder
	for b.Len() < 10<<10 {
		b.WriteString("Lorem ipsum 3.30 e.g. sam@example.org, ")
	}
	b.WriteString("see https://Bit.ly/abc and vote.org.")
	text := b.String()
	got := Domains(nil, text)
	if want := []string{"bit.ly", "vote.org"}; !slices.Equal(got, want) {
		t.Errorf("Domains(10 KB text) = %q, want %q", got, want)
	}
	// One long run of host characters must not go quadratic or be
	// accepted as a host (labels are at most 63 bytes).
	long := strings.Repeat("a", 10<<10) + ".com"
	if got := Domains(nil, long); len(got) != 0 {
		t.Errorf("Domains(10 KB label) = %q, want none", got)
	}
}

// TestDomainsManyHosts goes past the point where de-duplication switches
// from scanning the list to a set.
func TestDomainsManyHosts(t *testing.T) {
	var b strings.Builder
	var want []string
	for i := range 3 * maxScan {
		h := "h" + strconv.Itoa(i) + ".com"
		want = append(want, h)
		b.WriteString(h + " https://" + strings.ToUpper(h) + "/x " + want[i/2] + ", ")
	}
	if got := Domains(nil, b.String()); !slices.Equal(got, want) {
		t.Errorf("Domains = %q, want %q", got, want)
	}
}

func TestShorteners(t *testing.T) {
	list := Shorteners()
	if !slices.IsSorted(list) || len(slices.Compact(slices.Clone(list))) != len(list) {
		t.Fatal("Shorteners() is not sorted and unique")
	}
	list[0] = "mutated"
	if Shorteners()[0] == "mutated" {
		t.Fatal("Shorteners() returned the package's slice")
	}
	for _, s := range Shorteners() {
		// Each must be found when texted without a scheme, so its TLD must
		// be in the TLD list, and come back as the same string.
		if got := Domains(nil, "Tap "+strings.ToUpper(s)+"/xyz."); !slices.Equal(got, []string{s}) {
			t.Errorf("Domains finds %q in a text as %q", s, got)
		}
		if !IsShortener(s) {
			t.Errorf("IsShortener(%q) = false", s)
		}
	}
}

// TestShortenerNotPinned checks that a shortener found in a text is
// returned as the package's string, so keeping it does not keep the whole
// text (often a CSV row) alive.
func TestShortenerNotPinned(t *testing.T) {
	own := shortenerList[slices.Index(shortenerList, "bit.ly")]
	for _, text := range []string{"go to bit.ly/x", "https://BIT.LY/x"} {
		got := Domains(nil, text)
		if len(got) != 1 || unsafe.StringData(got[0]) != unsafe.StringData(own) {
			t.Errorf("Domains(%q) = %q, not the package's \"bit.ly\"", text, got)
		}
	}
}

func TestIsShortener(t *testing.T) {
	tests := []struct {
		domain string
		want   bool
	}{
		{"bit.ly", true},
		{"BIT.LY", true},
		{"www.tinyurl.com", true},
		{"t.co.", true},
		{"preview.tinyurl.com", true},
		{"youtu.be", false},
		{"forms.gle", false},
		{"notbit.ly", false},
		{"bit.ly.example.com", false},
		{"ly", false},
		{"", false},
		{"vote.org", false},
	}
	for _, tt := range tests {
		if got := IsShortener(tt.domain); got != tt.want {
			t.Errorf("IsShortener(%q) = %v, want %v", tt.domain, got, tt.want)
		}
	}
}

func TestDomainsNoAllocs(t *testing.T) {
	dst := make([]string, 0, 8)
	text := "Hi Sam! Early voting starts Sat. Find your place at https://www.vote.org/early or bit.ly/3xYz. STOP to end"
	allocs := testing.AllocsPerRun(100, func() {
		dst = Domains(dst[:0], text)
	})
	if allocs != 0 {
		t.Errorf("Domains allocates %v times per call, want 0", allocs)
	}
}

// TestFinder: a Finder gives what Domains gives, keeps hosts written with
// capitals without allocating once it has seen them, and its hosts share no
// memory with the text (a view of a reused buffer, in summarize).
func TestFinder(t *testing.T) {
	texts := []string{
		msgCapitals, msgShortener, msgLink, msgBare, msgPlain,
		"A at WWW.Vote.Org, b at www.VOTE.org", "HTTPS://Example.COM/x and https://example.com",
		"www.A.org www.B.org www.C.org www.D.org www.E.org www.A.org", "BÜCHER.de bücher.de",
	}
	var fd Finder
	for range 3 {
		for _, text := range texts {
			if got, want := fd.Domains(nil, text), Domains(nil, text); !slices.Equal(got, want) {
				t.Fatalf("Finder.Domains(%q) = %q, Domains %q", text, got, want)
			}
		}
	}
	// Hosts written with capitals are lowercase copies, whether
	// remembered or not.
	for range 2 {
		for _, text := range []string{msgCapitals, "A at WWW.Vote.Org, b at HTTPS://Example.COM"} {
			buf := []byte(text)
			got := fd.Domains(nil, unsafe.String(&buf[0], len(buf)))
			want := slices.Clone(got)
			for i := range buf {
				buf[i] = 'X' // the text's memory is reused
			}
			if !slices.Equal(got, want) {
				t.Fatalf("Finder.Domains(%q) = %q after the text changed, was %q", text, got, want)
			}
		}
	}
	dst := make([]string, 0, 8)
	if allocs := testing.AllocsPerRun(100, func() {
		dst = fd.Domains(dst[:0], msgCapitals)
	}); allocs != 0 {
		t.Errorf("Finder.Domains(%q) allocates %v times per call, want 0", msgCapitals, allocs)
	}
}

func FuzzDomains(f *testing.F) {
	for _, s := range []string{
		"", "bit.ly", "HTTPS://Bit.ly/X", "sam@example.org", "www.vote.org.", "https://bücher.de",
		"xn--bcher-kva.de", "3.30 e.g. U.S.", "(see bit.ly/abc)", "http://www.www.com", "https://[::1]/",
		"WWW.WWW.X", "\xff.com", "a..b.com", "https://u@v@w.org:1/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := Domains(nil, text)
		lower := strings.ToLower(text)
		for i, d := range got {
			switch {
			case !strings.Contains(lower, d):
				t.Errorf("%q: domain %q is not in the text", text, d)
			case d != strings.ToLower(d):
				t.Errorf("%q: domain %q is not lowercase", text, d)
			case !strings.Contains(d, "."):
				t.Errorf("%q: domain %q has no dot", text, d)
			case strings.HasPrefix(d, "www."):
				t.Errorf("%q: domain %q starts with www.", text, d)
			case strings.HasPrefix(d, ".") || strings.HasSuffix(d, "."):
				t.Errorf("%q: domain %q has an edge dot", text, d)
			case !utf8.ValidString(d):
				t.Errorf("%q: domain %q is not UTF-8", text, d)
			case slices.Contains(got[:i], d):
				t.Errorf("%q: domain %q is listed twice", text, d)
			}
		}
	})
}

var sink []string

// Typical Spoke texts: 160 characters, with and without a link.
const (
	msgPlain     = "Hi Sam, this is Alex with Neighbors for Better Schools. Early voting starts Saturday at the library on Main St. Can we count on your vote? Reply STOP to opt out"
	msgLink      = "Hi Sam, it's Alex w/ Neighbors for Better Schools! Early voting starts Sat. Find your polling place: https://bit.ly/3xYzAbc Can we count on you? STOP to opt out"
	msgCapitals  = "Hi Sam this is Alex from Example Org. Are you registered at your current address? Check at www.Vote.org"
	msgShortener = "Hi Sam, it's Alex with Example Org. Will you join us Saturday at 10am? Details: tinyurl.com/x8k2pq"
	msgBare      = "Hi Sam, it's Alex w/ Neighbors for Better Schools! Early voting starts Sat. Find your polling place at www.vote.org/where or bit.ly/3xYzA. Reply STOP to opt out"
)

func BenchmarkDomains(b *testing.B) {
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"no-link", msgPlain, nil},
		{"link", msgLink, []string{"bit.ly"}},
		{"bare-links", msgBare, []string{"vote.org", "bit.ly"}},
		// spoke-synth's texts: a capitalised host, a bare shortener, a
		// sentence's "Org." that is not a host.
		{"capitals", msgCapitals, []string{"vote.org"}},
		{"bare-shortener", msgShortener, []string{"tinyurl.com"}},
	}
	for _, c := range cases {
		if got := Domains(nil, c.text); !slices.Equal(got, c.want) {
			b.Fatalf("%s: Domains = %q, want %q", c.name, got, c.want)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			dst := make([]string, 0, 8)
			var fd Finder
			for b.Loop() {
				dst = fd.Domains(dst[:0], c.text)
			}
			sink = dst
		})
	}
}

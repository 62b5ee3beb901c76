package links

import (
	"fmt"
	"github.com/spoke-status/spoke-status/internal/hitrate"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// finderCheck feeds texts to fd, each from a buffer overwritten once its
// hosts are copied (as a reader's reused buffer is), and fails unless fd
// gives what Domains gives.
func finderCheck(t *testing.T, fd *Finder, texts ...string) {
	t.Helper()
	for _, text := range texts {
		want := Domains(nil, text)
		var got []string
		if text == "" {
			got = fd.Domains(nil, text)
		} else {
			buf := []byte(text)
			for _, h := range fd.Domains(nil, unsafe.String(&buf[0], len(buf))) {
				got = append(got, strings.Clone(h))
			}
			for i := range buf {
				buf[i] = '.'
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Finder.Domains(%q) = %q, Domains %q", text, got, want)
		}
	}
}

// TestFinderMemo: texts that share a tail from the word before their first
// dot on, with what comes before it changing, give Domains' hosts, from the
// memo or not. Those whose link has a scheme before their first dot
// ("https://vote.org", hits set) are found in the memo from the second on.
func TestFinderMemo(t *testing.T) {
	tests := []struct {
		name  string
		tail  string
		heads []string
		hits  bool
	}{
		{"shortener", " Org. Will you join us Saturday at 10am? Details: tinyurl.com/x8k2pq", []string{"Hi Sam, it's Alex with Example", "Hi Bo, it's Kim with Example"}, false},
		{"capitals", " Org. Check at www.Vote.org", []string{"Hi Sam from Example", "Hi Bo from Example"}, false},
		{"host first", " example.org/e/1\nDoors open at 7am.", []string{"Hi Sam, RSVP:", "Hi Bo, RSVP:"}, false},
		{"host at the dot", "vote.org today", []string{"Hi Sam, see ", "Hi Bo, see www.", "Hi Bo, see sam@", "Hi Bo, see x_", "Hi Bo, see -"}, false},
		{"scheme before the dot", "https://Vote.org/x and bit.ly", []string{"Hi Sam ", "Hi Bo "}, false},
		{"scheme with a dot in the head", "Org https://Vote.org/x", []string{"Hi Sam. ", "Hi Bo. "}, false},
		{"scheme, no dot before", " see bit.ly/x", []string{"https://a.com Hi", "http://b.org Hi", "Hi"}, false},
		{"unspaced script", "请访问bit.ly/x", []string{"Hi Sam ", "Hi Bo ", "Hi Bo é"}, false},
		{"non-ASCII before", "ü.de and vote.org", []string{"Hi Sam, bücher", "Hi Bo, ", "Hi Bo, 请"}, false},
		{"dots in a row", "...vote.org..bit.ly.", []string{"Hi Sam see", "Hi Bo see "}, false},
		{"no host", " Org. Thanks!", []string{"Hi Sam from Example", "Hi Bo from Example"}, false},
		{"scheme, plain", " https://x1.example.org/a", []string{"Hi Sam, see", "Hi Bo, see"}, true},
		{"scheme, upper case", " HTTPS://Vote.ORG/x and bit.ly/y", []string{"Hi Sam, see", "Hi Bo, see"}, true},
		{"scheme, not a scheme first", " http://vote.org", []string{"Hi Sam, see ftp://a b", "Hi Bo, see ftp://a b"}, true},
		{"scheme, non-ASCII before", "https://vote.org", []string{"Hi Sam 请看", "Hi Bo 请看"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var fd Finder
			for range 3 {
				for _, h := range tc.heads {
					finderCheck(t, &fd, h+tc.tail)
				}
			}
			if want := 3*len(tc.heads) - 1; tc.hits && fd.memo.window.Hits() != want {
				t.Errorf("hits = %d, want %d", fd.memo.window.Hits(), want)
			}
		})
	}
}

// TestFinderMemoFull: more tails than the memo holds, with hosts, over
// and over (so it forgets everything now and then), give Domains' hosts.
func TestFinderMemoFull(t *testing.T) {
	var fd Finder
	var texts []string
	for i := range 3 * memoBytes / 64 {
		texts = append(texts, fmt.Sprintf("Hi Sam %d. Vote at Site%d.org or bit.ly/%d, see HTTPS://Ex%d.COM", i, i%7, i, i%3))
	}
	for range 2 {
		finderCheck(t, &fd, texts...)
	}
	long := "Hi. " + strings.Repeat("see vote.org ", maxTail/8)
	finderCheck(t, &fd, long, long, strings.Repeat("x", memoBytes)+".org", "a.b.c"+strings.Repeat("x.org ", memoBytes/4))
}

// TestFinderMemoRests: a memo that finds few tails switches off for a
// while, then on again.
func TestFinderMemoRests(t *testing.T) {
	var fd Finder
	for i := range hitrate.Size {
		finderCheck(t, &fd, fmt.Sprintf("Hi. Text %d at vote.org", i))
	}
	if fd.memo.window.Left() != hitrate.Rest {
		t.Fatalf("after %d distinct tails rest = %d, want %d", hitrate.Size, fd.memo.window.Left(), hitrate.Rest)
	}
	for range hitrate.Rest {
		fd.Domains(nil, "Hi. Same at vote.org")
	}
	if fd.memo.window.Left() != 0 || fd.memo.window.Lookups() != 0 {
		t.Fatalf("rest = %d, lookups %d, want 0 and 0", fd.memo.window.Left(), fd.memo.window.Lookups())
	}
	finderCheck(t, &fd, "Hi. Same at vote.org", "Hi. Same at vote.org")
	if fd.memo.window.Hits() != 1 {
		t.Fatalf("hits = %d, want 1", fd.memo.window.Hits())
	}
}

// TestFinderMemoNoAllocs: a remembered tail costs no allocation.
func TestFinderMemoNoAllocs(t *testing.T) {
	var fd Finder
	dst := make([]string, 0, 8)
	dst = fd.Domains(dst[:0], msgShortener)
	if allocs := testing.AllocsPerRun(100, func() {
		dst = fd.Domains(dst[:0], msgShortener)
	}); allocs != 0 {
		t.Errorf("Finder.Domains allocates %v times per call, want 0", allocs)
	}
	if fd.memo.window.Hits() == 0 {
		t.Error("no hit")
	}
}

// FuzzFinderMatchesDomains: a Finder gives what Domains gives for texts
// that share tails after different heads, and for the heads alone.
func FuzzFinderMatchesDomains(f *testing.F) {
	for _, s := range [][3]string{
		{"Hi Sam, it's Alex with Example", "Hi Bo", " Org. Will you join us? tinyurl.com/x8k2pq"},
		{"see sam@", "see ", "vote.org"},
		{"https://", "http://", "Vote.org/x bit.ly"},
		{"Hi 请", "Hi ü", "访问bit.ly/x"},
		{"x_", "x-", "a.com..b.org."},
		{"", "HTTPS", "://x.org www.Vote.ORG"},
		{"\xff", "\xe4\xbd", "\xa0.com ü.de"},
		{"hello there ", "hi there ", "https://x1.example.org/a"},
		{"Hi Sam 𝄞", "Hi Bo é", "https://Vote.org ftp://a.b"},
		{"Hi Sam \xf0\x9d\x84", "Hi Bo \xf0\x9d", "\x9ehttp://x.org"},
		{"Hi Sam ftp://", "Hi Bo xhttps://", "ahttp://x.org https://y.org"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	var fd Finder // remembers tails from one input to the next
	f.Fuzz(func(t *testing.T, a, b, tail string) {
		finderCheck(t, &fd, a+tail, b+tail, a+tail, a, b, tail)
	})
}

// BenchmarkFinderScript: the texts of a campaign's script, personalised at
// the start, through one Finder (the memo's case), free-form texts that
// never repeat (its worst case), and 50 texts with a scheme before their
// first dot, in turn.
func BenchmarkFinderScript(b *testing.B) {
	names := []string{"Sam", "Bo", "Alexandra", "Kim", "Jo", "Pat", "Lee", "Max"}
	var script, free, scheme []string
	for i := range 50 {
		scheme = append(scheme, fmt.Sprintf("hello there https://x%d.example.org/a", i))
	}
	for _, n := range names {
		for _, t := range names {
			script = append(script, fmt.Sprintf("Hi %s, it's %s with Example Org. Will you join us Saturday at 10am? Details: tinyurl.com/x8k2pq", n, t))
		}
	}
	for i := range 4 * memoSlots { // more than the memo holds
		free = append(free, fmt.Sprintf("Hi %s. Sure, %d of us can come at %d. See you at vote.org/%d?", names[i%len(names)], i, i%13, i*7))
	}
	for _, c := range []struct {
		name  string
		texts []string
	}{{"script", script}, {"free", free}, {"scheme", scheme}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			dst := make([]string, 0, 8)
			var fd Finder
			for i := 0; b.Loop(); i++ {
				dst = fd.Domains(dst[:0], c.texts[i%len(c.texts)])
			}
			sink = dst
		})
	}
}

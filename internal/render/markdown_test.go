package render

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GOTV-2024 (wave 2)", "GOTV-2024 (wave 2)"},
		{"opted_out", "opted_out"},
		{"_x_", `\_x\_`},
		{"<img src=https://evil.example/p.gif>", `\<img src=https\://evil.example/p.gif>`},
		{"<= 5% <3 </b> <!-- <?x", `<= 5% <3 \</b> \<!-- \<?x`},
		{"[x](https://evil)", `\[x\](https\://evil)`},
		{"![i](http://e/i.png)", `!\[i\](http\://e/i.png)`},
		{"a|b", `a\|b`},
		{"`code` *b* ~s~ &amp; \\", "\\`code\\` \\*b\\* \\~s\\~ \\&amp; \\\\"},
		{"www.evil.example WWW.x", `www\.evil.example WWW\.x`},
		{"sam@example.org", "sam\u200b@example.org"},
	}
	for _, tt := range tests {
		if got := EscapeMarkdown(tt.in); got != tt.want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// hostileIDs are campaign ids that would render as HTML, links or images
// if a Markdown report passed them through.
var hostileIDs = []string{
	"<img src=https://evil.example/p.gif>",
	"[x](https://evil)",
	"![i](https://evil.example/i.png)",
	"www.evil.example",
}

func TestCheckMarkdownEscapesScopes(t *testing.T) {
	var groups []group
	for _, id := range hostileIDs {
		groups = append(groups, group{campaign: id, outbound: 10, error: 5}, group{campaign: id + " small", outbound: 1})
	}
	r := report(t, groups, 5, "max-error-rate", "1%")
	var buf bytes.Buffer
	if err := CheckMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	assertNoMarkup(t, buf.String())
	if !strings.Contains(buf.String(), `campaign \[x\](https\://evil) small`) {
		t.Errorf("the skipped line lost the escaped id:\n%s", buf.String())
	}
}

// The ::error title and message of a hostile id stay one workflow command.
func TestGitHubAnnotationsHostileID(t *testing.T) {
	r := report(t, []group{{campaign: "x::error title=pwn::y,z%0A\r\nnext", outbound: 10, error: 5}}, 1, "max-error-rate", "1%")
	var buf bytes.Buffer
	if err := GitHubAnnotations(&buf, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 { // the whole input, then the campaign
		t.Fatalf("want two annotation lines, got %q", lines)
	}
	// The title property ends at the first "::"; the id's colons and
	// commas are escaped, so they cannot end it or add a property.
	title := strings.TrimPrefix(lines[1], "::error title=")
	title = title[:strings.Index(title, "::")]
	if strings.ContainsAny(title, ":,") || !strings.Contains(title, "x%3A%3Aerror title=pwn%3A%3Ay%2Cz%250A") {
		t.Errorf("title property %q is not escaped", title)
	}
	if strings.Contains(buf.String(), "%0A\n") || strings.Contains(buf.String(), "\r") {
		t.Errorf("raw line break in %q", buf.String())
	}
}

// assertNoMarkup fails when Markdown holds an unescaped '<', '[' or an
// autolink.
func assertNoMarkup(t *testing.T, md string) {
	t.Helper()
	for i := 0; i < len(md); i++ {
		if (md[i] == '<' && i+1 < len(md) && opensTag(md[i+1]) || md[i] == '[') && !escaped(md, i) {
			t.Fatalf("unescaped %q at %d in:\n%s", md[i], i, md)
		}
	}
	for _, link := range []string{"https://", "http://", "www."} {
		if strings.Contains(strings.ToLower(md), link) {
			t.Fatalf("autolink %q survives in:\n%s", link, md)
		}
	}
}

// escaped reports whether s[i] follows an odd number of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

func FuzzEscapeMarkdown(f *testing.F) {
	for _, s := range append(hostileIDs, "a\\<b", "x_y", "a@b.c") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got := EscapeMarkdown(s)
		for i := 0; i < len(got); i++ {
			raw := strings.IndexByte("[]|`*&~", got[i]) >= 0 || got[i] == '<' && i+1 < len(got) && opensTag(got[i+1])
			if raw && !escaped(got, i) {
				t.Fatalf("EscapeMarkdown(%q) = %q: raw %q at %d", s, got, got[i], i)
			}
		}
		if i := strings.Index(got, "://"); (i >= 0 && !escaped(got, i)) || strings.Contains(strings.ToLower(got), "www.") {
			t.Fatalf("EscapeMarkdown(%q) = %q keeps an autolink", s, got)
		}
		// Dropping the added backslashes and zero-width spaces gives s back.
		if back := unescapeMarkdown(got); back != s {
			t.Fatalf("EscapeMarkdown(%q) = %q, which reads back as %q", s, got, back)
		}
	})
}

func unescapeMarkdown(s string) string {
	s = strings.ReplaceAll(s, zeroWidthSpace+"@", "@")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

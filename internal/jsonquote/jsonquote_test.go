package jsonquote

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// encoderQuote is what encoding/json writes for s.
func encoderQuote(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

var seeds = []string{"", "plain", "\"\\\b\f\n\r\t\x00\x1f\x7f", "<&>", "a<b>c&d", "\u2028\u2029", "\xff\xfe", "héllo 🙏🏽", "a\xc3"}

func TestAppend(t *testing.T) {
	for _, s := range seeds {
		for _, html := range []bool{false, true} {
			if got, want := string(Append(nil, s, html)), encoderQuote(s, html); got != want {
				t.Errorf("Append(%q, html %v) = %s, encoding/json %s", s, html, got, want)
			}
		}
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, html bool) {
		if got, want := string(Append(nil, s, html)), encoderQuote(s, html); got != want {
			t.Errorf("Append(%q, html %v) = %s, encoding/json %s", s, html, got, want)
		}
	})
}

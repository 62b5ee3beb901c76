package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/signals"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// randomText returns strings that exercise JSON escaping: HTML characters
// (JSON does not escape them), quotes, backslashes, control characters,
// brackets that a careless scanner would count, non-ASCII, and the
// splice token itself.
func randomText(r *rand.Rand) string {
	parts := []string{"", "a", "<b>&", `"`, `\`, "\n\t\x01", "[", "]", "{", "}", "é✓", "\u2028",
		"spoke-status-splice-0-", "spoke-status-splice-0-0", strconv.Itoa(r.IntN(1000))}
	var b bytes.Buffer
	for range r.IntN(4) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

func randomSummary(r *rand.Rand, size int) *summary.Summary {
	s := &summary.Summary{SchemaVersion: 3, GeneratedBy: randomText(r), StuckDefinition: "attempted_at",
		Inputs: []*export.Source{{Path: randomText(r), Rows: r.Int64N(100)}}}
	s.Outbound.ByStatus = map[string]int64{"DELIVERED": 3, randomText(r): 1}
	if r.IntN(4) > 0 {
		for range r.IntN(size + 1) {
			s.ErrorCodes = append(s.ErrorCodes, summary.CodeCount{
				Entry: registry.Entry{Code: randomText(r), Title: randomText(r), Category: registry.Category(randomText(r))},
				Count: r.Int64N(1e6), ShareOfErrors: r.Float64()})
		}
	} else if r.IntN(2) == 0 {
		s.ErrorCodes = []summary.CodeCount{}
	}
	if r.IntN(3) > 0 {
		s.Groups = map[string][]summary.GroupRow{}
		for d := range r.IntN(4) {
			var rows []summary.GroupRow
			for range r.IntN(size + 1) {
				key := summary.GroupKey{randomText(r)}
				if d%2 == 1 {
					key = append(key, randomText(r))
				}
				rows = append(rows, summary.GroupRow{Key: key, Outbound: r.Int64N(1e9), ErrorRate: r.Float64(),
					ErrorRateCI: summary.Interval{r.Float64(), r.Float64()}, TopCode: randomText(r),
					FoldedGroups: r.IntN(2) * r.IntN(5)})
			}
			s.Groups["dim"+strconv.Itoa(d)+randomText(r)] = rows
		}
	}
	if r.IntN(3) > 0 {
		s.Links = &summary.Links{WithLinks: summary.LinkCount{Outbound: r.Int64N(100)}}
		for range r.IntN(size + 1) {
			s.Links.Domains = append(s.Links.Domains, summary.DomainStat{Domain: randomText(r), Shortener: r.IntN(2) == 0,
				ErrorRate: r.Float64() * 1e-9, TopCategory: registry.Category(randomText(r))})
		}
	}
	switch r.IntN(3) {
	case 0:
		s.Signals = []signals.Signal{}
	case 1:
		for range r.IntN(size + 1) {
			s.Signals = append(s.Signals, signals.Signal{Kind: randomText(r), Key: randomText(r),
				PValue: r.Float64() * 1e-30, Explanation: randomText(r)})
		}
	}
	return s
}

// TestSummaryJSONMatchesEncoder checks that streaming a summary's long
// lists writes the very bytes json.Encoder writes for the whole document.
func TestSummaryJSONMatchesEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		size := 3
		if i%50 == 0 {
			size = 3000
		}
		s := randomSummary(r, size)
		var want, got bytes.Buffer
		if err := JSON(&want, s); err != nil {
			t.Fatal(err)
		}
		if err := SummaryJSON(&got, s); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatalf("summary %d: streamed JSON differs\nwant:\n%s\ngot:\n%s", i, want.Bytes(), got.Bytes())
		}
	}
}

// TestSummaryJSONTokenInData checks that a token found in the data, outside
// the long lists, makes SummaryJSON pick another one, and that the output
// is still the encoder's when every token is taken.
func TestSummaryJSONTokenInData(t *testing.T) {
	s := &summary.Summary{ErrorCodes: []summary.CodeCount{{Count: 1}, {Count: 2}}}
	for _, taken := range []int{1, 8} {
		s.GeneratedBy = ""
		for a := range taken {
			s.GeneratedBy += "spoke-status-splice-" + strconv.Itoa(a) + "-0 "
		}
		var want, got bytes.Buffer
		if err := JSON(&want, s); err != nil {
			t.Fatal(err)
		}
		if err := SummaryJSON(&got, s); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatalf("%d tokens taken: want\n%s\ngot\n%s", taken, want.Bytes(), got.Bytes())
		}
	}
}

type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestSummaryJSONWriteError checks that a failed write is reported.
func TestSummaryJSONWriteError(t *testing.T) {
	s := randomSummary(rand.New(rand.NewPCG(3, 4)), 5000)
	for _, n := range []int{0, 100, 200 << 10} {
		if err := SummaryJSON(&failingWriter{n: n}, s); err == nil {
			t.Errorf("write failing after %d bytes: no error", n)
		}
	}
}

func TestFindSentinelsRejectsMisplacedToken(t *testing.T) {
	lists := map[string]streamedList{"p-0": {token: "p-0", n: 1}}
	for _, doc := range []string{
		`{"a": "p-0"}`,             // not in a list
		`["p-0"]`,                  // not the first string of an object
		`[{"a": "p-0"}, "p-0"]`,    // twice
		`[{"a": "p-0"`,             // unclosed
		`[{"a": "x\"p-0"}]`,        // not the whole string
		`[{"a": "p-0}]`,            // unterminated string
		`]`,                        // unbalanced
		`[{"a": "p-0"}], "p-00"]`,  // unknown token
		`[{"a": "p-1"}] p-0 p-0 x`, // count does not match
	} {
		if _, ok := findSentinels([]byte(doc), lists); ok {
			t.Errorf("%s: accepted", doc)
		}
	}
	if sp, ok := findSentinels([]byte(`{"x": [{"a": "p-0"}]}`), lists); !ok || sp[0].open != 6 || sp[0].close != 19 {
		t.Errorf("well-placed token: %v %v", sp, ok)
	}
}

func TestIndentJSONMatchesIndent(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `{"a":[]}`, `{"a":{},"b":[1,2,{"c":null}]}`, `"x"`, `12`, `[[],[[]],{}]`,
		`{"k\"ey":"va\\lue,:{}[]","u":"\u2028 é ✓","n":-1.5e-7,"t":true,"f":false}`,
		`{"deep":[[[[{"x":[1]}]]]]}`,
	}
	for _, doc := range docs {
		for _, prefix := range []string{"", "    "} {
			var want bytes.Buffer
			if err := json.Indent(&want, []byte(doc+"\n"), prefix, "  "); err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			if got := indentJSON(nil, []byte(doc+"\n"), prefix, "  "); string(got) != want.String() {
				t.Errorf("indentJSON(%s, %q):\n got %s\nwant %s", doc, prefix, got, want.String())
			}
		}
	}
}

func FuzzIndentJSON(f *testing.F) {
	f.Add(`{"a":[1,{"b":"c\"d"}],"e":{}}`)
	f.Add(`[[],{},"\\"]`)
	f.Fuzz(func(t *testing.T, doc string) {
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		var compact bytes.Buffer
		enc := json.NewEncoder(&compact)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "  ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentJSON(nil, compact.Bytes(), "  ", "  "); string(got) != want.String() {
			t.Errorf("indentJSON(%s):\n got %s\nwant %s", compact.Bytes(), got, want.String())
		}
	})
}

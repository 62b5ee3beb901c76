package render

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// fillRandom sets every exported field of the struct v points to, embedded
// structs' too, to a value drawn from r: strings that need escaping or
// not, integers and floats of every size the encoder writes differently.
// A field of a kind it does not know fails the test, so that a new field
// of another kind is thought about.
func fillRandom(t *testing.T, r *rand.Rand, v reflect.Value) {
	t.Helper()
	strs := []string{"", "30007", "camp12", "(other)", "a\"b", `back\slash`, "<b>&</b>", "tab\there", "nl\n", "\x01\x7f",
		"é日本", "\u2028\u2029", "bad\xffutf8", "spoke-status-splice-0-1"}
	floats := []float64{0, 1, 0.5, 0.0512, 1e-7, 1.5e-9, 1e21, 123456789.125, 3.3333333333333335, -0.25, 0.9999}
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString(strs[r.IntN(len(strs))])
		case reflect.Int, reflect.Int64:
			f.SetInt([]int64{0, 1, -3, 400000, 1 << 40}[r.IntN(5)])
		case reflect.Float64:
			f.SetFloat(floats[r.IntN(len(floats))])
		case reflect.Array: // Interval
			for j := range f.Len() {
				f.Index(j).SetFloat(floats[r.IntN(len(floats))])
			}
		case reflect.Slice: // GroupKey
			if r.IntN(6) == 0 {
				f.SetZero()
				continue
			}
			n := r.IntN(3)
			s := reflect.MakeSlice(f.Type(), n+1, n+1)
			for j := range s.Len() {
				s.Index(j).SetString(strs[r.IntN(len(strs))])
			}
			f.Set(s)
		case reflect.Struct: // the embedded registry.Entry
			fillRandom(t, r, f)
		case reflect.Pointer: // the tally, not in JSON
			f.SetZero()
		default:
			t.Fatalf("%s.%s: a field of kind %s, which the test does not fill", v.Type(), v.Type().Field(i).Name, f.Kind())
		}
	}
}

func encoderJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestRowJSONMatchesEncoder checks the hand-written encoders of the long
// lists against encoding/json, on every field filled at random.
func TestRowJSONMatchesEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var c summary.CodeCount
		fillRandom(t, r, reflect.ValueOf(&c).Elem())
		var g summary.GroupRow
		fillRandom(t, r, reflect.ValueOf(&g).Elem())
		for _, indent := range []bool{false, true} {
			wc, wg := jsonWriter{indent: indent, prefix: "    "}, jsonWriter{indent: indent, prefix: "    "}
			wc.codeCount(&c)
			wg.groupRow(&g)
			wantC, wantG := encoderJSON(t, &c), encoderJSON(t, &g)
			if indent {
				wantC, wantG = indentJSON(nil, wantC, "    ", "  "), indentJSON(nil, wantG, "    ", "  ")
			}
			if !bytes.Equal(wc.b, wantC) {
				t.Fatalf("CodeCount %+v, indented %v:\n got %s\nwant %s", c, indent, wc.b, wantC)
			}
			if !bytes.Equal(wg.b, wantG) {
				t.Fatalf("GroupRow %+v, indented %v:\n got %s\nwant %s", g, indent, wg.b, wantG)
			}
		}
	}
}

// BenchmarkSummaryJSONGroups writes a summary of 100,000 group rows and
// as many error codes, as a broken export makes.
func BenchmarkSummaryJSONGroups(b *testing.B) {
	s := bigSummary(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := SummaryJSON(discard{}, s); err != nil {
			b.Fatal(err)
		}
	}
}

// discard is io.Discard without its ReaderFrom, as a file would be.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// bigSummary is the summary of a broken export: n error codes and n
// groups by campaign, one row each.
func bigSummary(n int) *summary.Summary {
	s := &summary.Summary{SchemaVersion: 1, GeneratedBy: "bench", Inputs: []*export.Source{{Path: "x.csv"}}}
	rows := make([]summary.GroupRow, n)
	s.ErrorCodes = make([]summary.CodeCount, n)
	for i := range n {
		code := strconv.Itoa(100000 + i)
		s.ErrorCodes[i] = summary.CodeCount{Entry: registry.Entry{Code: code, Provider: "unknown", Title: "Unknown error code",
			Category: "unknown", Retry: "unknown", Charged: "unknown", Kind: "failure"}, Count: 1}
		rows[i] = summary.GroupRow{Key: summary.GroupKey{"camp" + strconv.Itoa(i)}, Outbound: 1, Errored: 1, ErrorRate: 1,
			ErrorRateCI: summary.WilsonInterval(1, 1), DeliveryRateCI: summary.WilsonInterval(0, 1),
			TopCode: code, TopCodeCount: 1, TopCategory: "unknown"}
	}
	s.Groups = map[string][]summary.GroupRow{"campaign": rows}
	s.GroupOrder = []string{"campaign"}
	return s
}

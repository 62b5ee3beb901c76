package rowout

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

type sample struct {
	Name  string
	Cell  string
	N     int
	OK    *bool
	At    time.Time
	HasAt bool
}

var sampleSchema = &Schema[sample]{Name: "sample", Columns: []Column[sample]{
	{Name: "name", Get: func(s *sample) Value { return Str(s.Name) }},
	{Name: "cell", Phone: true, Get: func(s *sample) Value { return Str(s.Cell) }},
	{Name: "n", Type: Int64, Nullable: true, Get: func(s *sample) Value { return OptCount(s.N) }},
	{Name: "ok", Type: Bool, Nullable: true, Get: func(s *sample) Value { return OptBool(s.OK) }},
	{Name: "at", Type: Timestamp, Nullable: true, Get: func(s *sample) Value { return Time(s.At, s.HasAt) }},
}}

func TestEncoders(t *testing.T) {
	yes := true
	at := time.Date(2024, 10, 1, 14, 7, 45, 311e6, time.FixedZone("EDT", -4*3600))
	rows := []sample{
		{Name: "=HYPERLINK(\"x\")", Cell: "+15555550123", N: 3, OK: &yes, At: at, HasAt: true},
		{Name: "a\x1bb\"<&>", Cell: "", N: -1},
	}
	cases := []struct {
		name, want string
		opts       Options
		enc        func(*bytes.Buffer, Options) (Encoder[sample], error)
	}{
		{"csv", "name,cell,n,ok,at\n\"'=HYPERLINK(\"\"x\"\")\",+15555550123,3,true,2024-10-01T18:07:45.311Z\n\"a\ufffd\"\"<&>\",,,,\n", Options{},
			func(b *bytes.Buffer, o Options) (Encoder[sample], error) { return NewCSV(b, sampleSchema, o) }},
		{"jsonl", `{"name":"=HYPERLINK(\"x\")","cell":"+15555550123","n":3,"ok":true,"at":"2024-10-01T18:07:45.311Z"}` + "\n" +
			`{"name":"a` + "\ufffd" + `\"<&>","cell":"","n":null,"ok":null,"at":null}` + "\n", Options{},
			func(b *bytes.Buffer, o Options) (Encoder[sample], error) { return NewJSONL(b, sampleSchema, o), nil }},
		{"json array redacted", `[` + "\n" + `{"name":"=HYPERLINK(\"x\")","cell":"+1555•••0123","n":3,"ok":true,"at":"2024-10-01T18:07:45.311Z"},` + "\n" +
			`{"name":"a` + "\ufffd" + `\"<&>","cell":"","n":null,"ok":null,"at":null}` + "\n]\n", Options{Redact: true},
			func(b *bytes.Buffer, o Options) (Encoder[sample], error) {
				return NewJSONArray(b, sampleSchema, o), nil
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			enc, err := c.enc(&b, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			for i := range rows {
				if err := enc.Write(&rows[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), c.want)
			}
		})
	}
}

func TestEmptyJSONArray(t *testing.T) {
	var b bytes.Buffer
	enc := NewJSONArray(&b, sampleSchema, Options{})
	if err := enc.Close(); err != nil || b.String() != "[]\n" {
		t.Errorf("got %q, %v", b.String(), err)
	}
}

// NewCSVRows writes the rows of NewCSV without its header, the formula
// guard included, and stays usable after Close (a part's flush).
func TestCSVRowsWithoutHeader(t *testing.T) {
	rows := []sample{{Name: "=1+1", Cell: "+15555550123", N: 2}, {Name: "b", N: -1}}
	var whole, parts bytes.Buffer
	enc, err := NewCSV(&whole, sampleSchema, Options{Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	header, err := NewCSV(&parts, sampleSchema, Options{Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := header.Close(); err != nil {
		t.Fatal(err)
	}
	body := NewCSVRows(&parts, sampleSchema, Options{Redact: true})
	for i := range rows {
		if err := enc.Write(&rows[i]); err != nil {
			t.Fatal(err)
		}
		if err := body.Write(&rows[i]); err != nil {
			t.Fatal(err)
		}
		if err := body.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if parts.String() != whole.String() || !strings.Contains(parts.String(), "'=1+1") {
		t.Errorf("header then rows:\n%s\nwant\n%s", parts.String(), whole.String())
	}
}

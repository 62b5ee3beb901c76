package csvfast

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// event is one outcome of a Read: a record (with its start line) or a
// parse error, and the input offset after it.
type event struct {
	Line   int
	Fields []string
	Err    string // "" or the error's text, which holds its kind, lines and column
	Offset int64
}

func (e event) String() string {
	return fmt.Sprintf("line %d offset %d fields %q err %q", e.Line, e.Offset, e.Fields, e.Err)
}

// referenceEvents reads input with encoding/csv configured as the export
// reader configures it.
func referenceEvents(t testing.TB, input []byte, o Options) []event {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(input))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = o.FieldsPerRecord
	if o.Comma != 0 {
		cr.Comma = o.Comma
	}
	var out []event
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out
		}
		ev := event{Offset: cr.InputOffset()}
		var pe *csv.ParseError
		switch {
		case err == nil:
			ev.Line, _ = cr.FieldPos(0)
			ev.Fields = append([]string(nil), rec...)
		case errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount):
			ev.Line, _ = cr.FieldPos(0)
			ev.Fields = append([]string(nil), rec...)
			ev.Err = err.Error()
		case errors.As(err, &pe):
			ev.Err = err.Error()
		default:
			t.Fatalf("encoding/csv: unexpected error %v", err)
		}
		out = append(out, ev)
	}
}

// scannerEvents reads input with a Scanner.
func scannerEvents(t testing.TB, s *Scanner) []event {
	t.Helper()
	var out []event
	for {
		rec, err := s.Read()
		if err == io.EOF {
			return out
		}
		ev := event{Offset: s.Offset()}
		var pe *csv.ParseError
		switch {
		case err == nil || errors.Is(err, csv.ErrFieldCount):
			ev.Line = s.Line()
			ev.Fields = make([]string, len(rec))
			for i, f := range rec {
				ev.Fields[i] = string(f)
			}
			if err != nil {
				ev.Err = err.Error()
			}
		case errors.As(err, &pe):
			ev.Err = err.Error()
		default:
			t.Fatalf("scanner: unexpected error %v", err)
		}
		out = append(out, ev)
	}
}

// readModes are the ways a test feeds the Scanner: the byte-slice mode and
// reader modes that force refills at every possible point.
func readModes(input []byte, o Options) map[string]func() (*Scanner, error) {
	small := o
	small.BufferSize = 3
	one := o
	one.BufferSize = 16
	big := o
	return map[string]func() (*Scanner, error){
		"bytes":        func() (*Scanner, error) { return NewBytesScanner(input, 1, o) },
		"reader":       func() (*Scanner, error) { return NewScanner(bytes.NewReader(input), big) },
		"reader-small": func() (*Scanner, error) { return NewScanner(bytes.NewReader(input), small) },
		"one-byte":     func() (*Scanner, error) { return NewScanner(iotest.OneByteReader(bytes.NewReader(input)), one) },
	}
}

// checkSameAsEncodingCSV fails the test when any read mode of the Scanner
// disagrees with encoding/csv on input.
func checkSameAsEncodingCSV(t testing.TB, input []byte, o Options) {
	t.Helper()
	want := referenceEvents(t, input, o)
	for name, mk := range readModes(input, o) {
		s, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		got := scannerEvents(t, s)
		if d := firstDifference(got, want); d != "" {
			t.Fatalf("%s: input %q (comma %q): %s", name, truncate(input), o.Comma, d)
		}
	}
}

func firstDifference(got, want []event) string {
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("event %d missing, want %v", i, want[i])
		case i >= len(want):
			return fmt.Sprintf("extra event %d: %v", i, got[i])
		case got[i].String() != want[i].String():
			return fmt.Sprintf("event %d:\n got %v\nwant %v", i, got[i], want[i])
		}
	}
	return ""
}

func truncate(b []byte) string {
	const n = 300
	if len(b) > n {
		return string(b[:n]) + fmt.Sprintf("...(%d bytes)", len(b))
	}
	return string(b)
}

func TestReferenceHarnessCanFail(t *testing.T) {
	// The comparison must see a difference in fields, lines and errors.
	a := []event{{Line: 1, Fields: []string{"a"}}}
	for _, b := range [][]event{
		{{Line: 2, Fields: []string{"a"}}},
		{{Line: 1, Fields: []string{"b"}}},
		{{Line: 1, Fields: []string{"a"}, Err: "x"}},
		{},
	} {
		if firstDifference(a, b) == "" {
			t.Errorf("no difference seen between %v and %v", a, b)
		}
	}
	if got := strings.Count(fmt.Sprint(referenceEvents(t, []byte("a,b\n\"x\"y\n"), Options{})), "extraneous"); got != 1 {
		t.Errorf("reference did not report the quote error: %d", got)
	}
}

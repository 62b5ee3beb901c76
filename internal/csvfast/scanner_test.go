package csvfast

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/synth"
)

// edgeCases are hand-written inputs covering each rule of encoding/csv.
var edgeCases = []struct {
	name, in string
}{
	{"simple", "a,b,c\n1,2,3\n"},
	{"crlf", "a,b\r\n1,2\r\n"},
	{"no final newline", "a,b\n1,2"},
	{"final cr at EOF", "a,b\n1,2\r"},
	{"two final crs", "a,b\n1,2\r\r"},
	{"lone cr inside a line", "a,b\n1\r2,3\n"},
	{"cr cr lf", "a,b\n1,2\r\r\n"},
	{"cr-only line", "a\n\r\nb\n\r"},
	{"empty lines", "\n\na,b\n\n\r\n1,2\n\n"},
	{"only empty lines", "\n\r\n\n"},
	{"empty input", ""},
	{"trailing delimiter", "a,b\n1,\n2,\r\n3,"},
	{"empty fields", ",\n,\n"},
	{"quoted", "a,b\n\"x, y\",\"z\"\n"},
	{"escaped quotes", "a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n"},
	{"empty quoted", "a,b\n\"\",\"\"\n"},
	{"quoted newline", "a,b\n\"line1\nline2\",x\nnext,row\n"},
	{"quoted crlf", "a,b\r\n\"line1\r\nline2\",x\r\nnext,row\r\n"},
	{"quoted cr cr lf", "a,b\n\"x\r\r\ny\",z\n"},
	{"quoted lone cr", "a,b\n\"x\ry\",z\n"},
	{"quoted cr at end", "a,b\n\"x\r\",z\n"},
	{"quoted empty lines", "a,b\n\"\n\n\r\n\",z\n"},
	{"quote then crlf at EOF", "a,b\n\"x\",\"y\"\r\n"},
	{"quote then cr at EOF", "a,b\n\"x\",\"y\"\r"},
	{"quote then EOF", "a,b\n\"x\",\"y\""},
	{"quote then cr cr", "a,b\n\"x\",\"y\"\r\rz\nq,r\n"},
	{"bare quote", "a,b\nx\"y,z\nok,1\n"},
	{"bare quote in last field", "a,b\nx,y\"\nok,1\n"},
	{"bare quote second line", "a,b\nok,1\nx,\"y\"z\"\nok,2\n"},
	{"extraneous quote", "a,b\n\"x\"y,z\nok,1\n"},
	{"extraneous quote after newline", "a,b\n\"x\ny\"z,w\nok,1\n"},
	{"unclosed quote at EOF", "a,b\n\"x,y\nz"},
	{"unclosed quote at EOF after newline", "a,b\n\"x,y\n"},
	{"unclosed quote at EOF after crlf", "a,b\n\"x,y\r\n"},
	{"unclosed quote, cr at EOF", "a,b\n\"x\n\r"},
	{"unclosed quote alone", "a,b\n\""},
	{"unclosed quote on the header", "\"a,b\nx,y\n"},
	{"too few fields", "a,b,c\n1,2\n3,4,5\n"},
	{"too many fields", "a,b\n1,2,3\n4,5\n"},
	{"field count on a multiline record", "a,b\n\"x\ny\"\n1,2\n"},
	{"broken header sets the count", "a,\"b\"x,c\n1\n1,2\n"},
	{"error then quoted lines", "a,b\n\"x\"y,\"\nq\",r\ns,t\n"},
	{"quote in the middle of a quoted field", "a\n\"a\"\"b\"\"\"\"c\"\n"},
	{"utf8", "nom,texte\n\"Zoë\",Merci 👍\n"},
	{"long field", "a,b\n" + strings.Repeat("x", 5000) + ",\"" + strings.Repeat("y\"\"", 2000) + "\"\n"},
}

func TestScannerMatchesEncodingCSVOnEdgeCases(t *testing.T) {
	for _, tc := range edgeCases {
		t.Run(tc.name, func(t *testing.T) {
			checkSameAsEncodingCSV(t, []byte(tc.in), Options{})
		})
	}
}

func TestScannerDelimiters(t *testing.T) {
	for _, comma := range []rune{';', '\t', '|', '§', '😀'} {
		for _, tc := range edgeCases {
			in := strings.ReplaceAll(tc.in, ",", string(comma))
			t.Run(string(comma)+"/"+tc.name, func(t *testing.T) {
				checkSameAsEncodingCSV(t, []byte(in), Options{Comma: comma})
			})
		}
	}
	// A partial multi-byte delimiter after a closing quote is an error.
	checkSameAsEncodingCSV(t, []byte("a§b\n\"x\"\xc2y\n"), Options{Comma: '§'})
	checkSameAsEncodingCSV(t, []byte("a§b\n\"x\"\xc2"), Options{Comma: '§'})
}

func TestScannerRejectsInvalidDelimiters(t *testing.T) {
	for _, comma := range []rune{'"', '\n', '\r', 0xFFFD, -1} {
		if _, err := NewScanner(strings.NewReader(""), Options{Comma: comma}); !errors.Is(err, ErrInvalidDelim) {
			t.Errorf("comma %q: err %v, want ErrInvalidDelim", comma, err)
		}
	}
}

// TestScannerExpectedRecords checks hand-derived expectations, so that
// the scanner is not only as right as the reference.
func TestScannerExpectedRecords(t *testing.T) {
	in := "h1,h2\r\n\r\n\"a\"\"b\",\"c\r\nd\"\r\nx\"y,z\r\n1,2,3\r\n\"e\",f"
	s, err := NewBytesScanner([]byte(in), 1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		line   int
		fields []string
		err    error
		errAt  [2]int // line, column
	}
	wants := []want{
		{line: 1, fields: []string{"h1", "h2"}},
		{line: 3, fields: []string{"a\"b", "c\nd"}},
		{err: csv.ErrBareQuote, errAt: [2]int{5, 2}},
		{line: 6, fields: []string{"1", "2", "3"}, err: csv.ErrFieldCount, errAt: [2]int{6, 1}},
		{line: 7, fields: []string{"e", "f"}},
	}
	for i, w := range wants {
		rec, err := s.Read()
		if !errors.Is(err, w.err) {
			t.Fatalf("record %d: err %v, want %v", i, err, w.err)
		}
		if err != nil {
			var pe *csv.ParseError
			errors.As(err, &pe)
			if pe.Line != w.errAt[0] || pe.Column != w.errAt[1] {
				t.Errorf("record %d: error at %d:%d, want %d:%d", i, pe.Line, pe.Column, w.errAt[0], w.errAt[1])
			}
		}
		if w.fields == nil {
			continue
		}
		if got := stringsOf(rec); strings.Join(got, "|") != strings.Join(w.fields, "|") || len(got) != len(w.fields) {
			t.Errorf("record %d: fields %q, want %q", i, got, w.fields)
		}
		if s.Line() != w.line {
			t.Errorf("record %d: line %d, want %d", i, s.Line(), w.line)
		}
	}
	if _, err := s.Read(); err != io.EOF {
		t.Errorf("after the last record: err %v, want io.EOF", err)
	}
}

func stringsOf(rec [][]byte) []string {
	out := make([]string, len(rec))
	for i, f := range rec {
		out[i] = string(f)
	}
	return out
}

func TestScannerDoesNotModifyItsInput(t *testing.T) {
	in := []byte("a,b\n\"x\"\"y\",\"1\r\n2\"\n")
	orig := bytes.Clone(in)
	s, _ := NewBytesScanner(in, 1, Options{})
	for {
		if _, err := s.Read(); err == io.EOF {
			break
		}
	}
	if !bytes.Equal(in, orig) {
		t.Errorf("input changed to %q", in)
	}
}

func TestScannerFieldsPerRecordOption(t *testing.T) {
	in := []byte("a,b\n1,2,3\n4\n")
	for _, n := range []int{-1, 0, 1, 2, 3} {
		checkSameAsEncodingCSV(t, in, Options{FieldsPerRecord: n})
	}
}

// TestScannerBoundsMemory: an unclosed quote at the start of a large input
// stops at the limit with a fatal error, having read about the limit.
func TestScannerBoundsMemory(t *testing.T) {
	const limit = 1 << 20
	src := &countingReader{r: io.MultiReader(strings.NewReader("a,b\n\"never closed,"), endless('x'))}
	s, err := NewScanner(src, Options{MaxRecordBytes: limit, BufferSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(); err != nil {
		t.Fatal(err)
	}
	_, err = s.Read()
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.StartLine != 2 || tl.Limit != limit {
		t.Fatalf("err %v, want a TooLargeError on line 2", err)
	}
	if src.n > 2*limit {
		t.Errorf("read %d bytes before giving up, want about %d", src.n, limit)
	}
	if cap(s.buf) > limit+lookahead {
		t.Errorf("buffer grew to %d bytes, limit %d", cap(s.buf), limit)
	}
	if _, again := s.Read(); again != err {
		t.Errorf("second read: %v, want the same fatal error", again)
	}
}

// TestScannerSkipsLongBadLineInFlatMemory: after a quote error, the rest of
// the line is skipped however long it is, like encoding/csv, without
// buffering it.
func TestScannerSkipsLongBadLineInFlatMemory(t *testing.T) {
	long := "a,b\nx\"y," + strings.Repeat("z", 3<<20) + "\nok,1\n"
	s, _ := NewScanner(strings.NewReader(long), Options{MaxRecordBytes: 1 << 20, BufferSize: 4096})
	s.Read()
	if _, err := s.Read(); !errors.Is(err, csv.ErrBareQuote) {
		t.Fatalf("err %v, want ErrBareQuote", err)
	}
	rec, err := s.Read()
	if err != nil || string(rec[0]) != "ok" || s.Line() != 3 {
		t.Fatalf("after the long bad line: %q %v line %d", stringsOf(rec), err, s.Line())
	}
	if cap(s.buf) > 1<<20+lookahead {
		t.Errorf("buffer grew to %d", cap(s.buf))
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestScannerReadErrorIsFatal(t *testing.T) {
	boom := errors.New("disk on fire")
	s, _ := NewScanner(io.MultiReader(strings.NewReader("a,b\n1,"), errReader{boom}), Options{BufferSize: 4})
	if _, err := s.Read(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(); !errors.Is(err, boom) {
		t.Fatalf("err %v, want %v", err, boom)
	}
}

// TestScannerMatchesEncodingCSVOnFixtures covers every CSV in the
// repository's testdata.
func TestScannerMatchesEncodingCSVOnFixtures(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/*.csv")
	more, _ := filepath.Glob("../../testdata/*/*.csv")
	paths = append(paths, more...)
	if len(paths) < 5 {
		t.Fatalf("found only %d fixtures", len(paths))
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			in, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			in = bytes.TrimPrefix(in, []byte("\xEF\xBB\xBF")) // the reader drops a BOM upstream
			checkSameAsEncodingCSV(t, in, Options{})
		})
	}
}

// synthExport returns a generated export.
func synthExport(t testing.TB, dialect string, rows int, emptyTS float64) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := synth.Write(&b, synth.Options{Rows: rows, Seed: 7, Dialect: dialect, EmptyTimestamps: emptyTS}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestScannerMatchesEncodingCSVOnSynthExports(t *testing.T) {
	for _, d := range synth.Dialects() {
		for _, emptyTS := range []float64{0, 0.3} {
			in := synthExport(t, d, 3000, emptyTS)
			t.Run(d, func(t *testing.T) {
				ev := referenceEvents(t, in, Options{})
				if len(ev) != 3001 {
					t.Fatalf("reference read %d records, want 3001", len(ev))
				}
				checkSameAsEncodingCSV(t, in, Options{})
			})
		}
	}
}

// TestScannerLimitDoesNotDependOnBuffering: whether a record is too large
// depends only on the input, in every read mode, and a record of exactly
// MaxRecordBytes is accepted.
func TestScannerLimitDoesNotDependOnBuffering(t *testing.T) {
	const limit = 64
	for _, tc := range []struct {
		name    string
		record  string
		tooBig  bool
		errKind error
	}{
		{"at the limit", strings.Repeat("x", limit-3) + ",y\n", false, nil},
		{"at the limit with crlf", strings.Repeat("x", limit-4) + ",y\r\n", false, nil},
		{"at the limit at EOF", strings.Repeat("x", limit-2) + ",y", false, nil},
		{"quoted at the limit", "\"" + strings.Repeat("x", limit-5) + "\",y\n", false, nil},
		{"one over", strings.Repeat("x", limit-2) + ",y\n", true, nil},
		{"one over at EOF", strings.Repeat("x", limit-1) + ",y", true, nil},
		{"quoted one over", "\"" + strings.Repeat("x", limit-3) + "\"\r\n", true, nil},
		{"bare quote within the limit", "x\"" + strings.Repeat("x", 3*limit) + ",y\n", false, csv.ErrBareQuote},
		{"bare quote past the limit", strings.Repeat("x", 2*limit) + "\",y\n", true, nil},
	} {
		in := []byte("a,b\n" + tc.record)
		if strings.HasSuffix(tc.record, "\n") {
			in = append(in, "c,d\n"...)
		}
		o := Options{MaxRecordBytes: limit}
		for name, mk := range readModes(in, o) {
			s, err := mk()
			if err != nil {
				t.Fatal(err)
			}
			s.Read()
			_, err = s.Read()
			var tl *TooLargeError
			if got := errors.As(err, &tl); got != tc.tooBig {
				t.Errorf("%s/%s: err %v, too large %v, want %v", tc.name, name, err, got, tc.tooBig)
			}
			if tc.errKind != nil && !errors.Is(err, tc.errKind) {
				t.Errorf("%s/%s: err %v, want %v", tc.name, name, err, tc.errKind)
			}
		}
	}
}

func synthWrite(w io.Writer, dialect string, rows int) (synth.Truth, error) {
	return synth.Write(w, synth.Options{Rows: rows, Seed: 1, Dialect: dialect})
}

func TestScannerMaxFields(t *testing.T) {
	for _, tc := range []struct {
		name   string
		record string
		over   bool
	}{
		{"at the limit", "1,2,3,4\n", false},
		{"at the limit, quoted last", "1,2,3,\"4\"\n", false},
		{"one over", "1,2,3,4,5\n", true},
		{"one over, quoted", "\"1\",\"2\",\"3\",\"4\",\"5\"\n", true},
		{"a million delimiters", strings.Repeat(",", 1_000_000) + "\n", true},
	} {
		in := []byte("a,b,c,d\n" + tc.record)
		for name, mk := range readModes(in, Options{MaxFields: 4}) {
			s, _ := mk()
			s.Read()
			_, err := s.Read()
			var tl *TooLargeError
			got := errors.As(err, &tl) && tl.Fields && tl.Limit == 4 && tl.StartLine == 2
			if got != tc.over {
				t.Errorf("%s/%s: err %v, want too many fields %v", tc.name, name, err, tc.over)
			}
			if cap(s.fields) > 64 {
				t.Errorf("%s/%s: field slice grew to %d", tc.name, name, cap(s.fields))
			}
		}
	}
}

func TestTooLargeErrorSaysWhetherInQuote(t *testing.T) {
	for _, tc := range []struct {
		in      string
		inQuote bool
	}{
		{"a,b\nx,\"" + strings.Repeat("y", 200), true},
		{"a,b\nx," + strings.Repeat("y", 200), false},
	} {
		s, _ := NewScanner(strings.NewReader(tc.in+"\n"), Options{MaxRecordBytes: 100, BufferSize: 16})
		s.Read()
		_, err := s.Read()
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.InQuote != tc.inQuote || tl.Fields {
			t.Errorf("%q: err %#v, want InQuote %v", tc.in[:10], err, tc.inQuote)
		}
	}
}

func TestScannerUnclosedAtEOF(t *testing.T) {
	for in, want := range map[string]bool{
		"a,b\n\"x,y\nz":   true,
		"a,b\n\"x\"y,z\n": false,
		"a,b\nx\"y,z\n":   false,
	} {
		s, _ := NewBytesScanner([]byte(in), 1, Options{})
		s.Read()
		_, err := s.Read()
		if !errors.Is(err, csv.ErrQuote) && !errors.Is(err, csv.ErrBareQuote) {
			t.Fatalf("%q: err %v", in, err)
		}
		if s.UnclosedAtEOF() != want {
			t.Errorf("%q: UnclosedAtEOF %v, want %v", in, !want, want)
		}
	}
}

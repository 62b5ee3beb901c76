package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// TestGuardLimits: where the guard stops, and that it lets through rows
// up to the limit.
func TestGuardLimits(t *testing.T) {
	long := strings.Repeat("x", 100)
	cases := []struct {
		name    string
		input   string
		limit   int64
		line    int  // 0: no error
		fields  bool // too many fields
		inQuote int  // 1: must be set, -1: must not, 0: either (depends on the chunks)
	}{
		{"row at the limit", "a,b\n" + long + "\nc", 100, 0, false, -1},
		{"row over the limit", "a,b\n" + long + "x\nc", 100, 2, false, -1},
		{"CRLF counts the CR", "a\r\n" + long[:99] + "\r\nc", 100, 0, false, -1},
		{"last row over, no newline", "a\n" + long + "x", 100, 2, false, -1},
		{"quoted newlines are one row", "h\n\"" + strings.Repeat("x\n", 60) + "\"\nok", 100, 2, false, 0},
		{"quoted newlines under the limit", "h\n\"" + strings.Repeat("x\n", 40) + "\"\nok", 100, 0, false, -1},
		{"unterminated quote", "h\nok\n\"" + strings.Repeat("x\n", 200), 100, 3, false, 1},
		{"escaped quotes stay quoted", "h\n\"a\"\"b\n" + strings.Repeat("y", 120) + "\"\n", 100, 2, false, 0},
		{"quote not at field start is bare", "h\na\"b\n" + long + "\n", 100, 0, false, -1},
		{"bad closing quote skips to line end", "h\n\"a\"b,\"" + "\n" + long + "\n", 100, 0, false, -1},
		{"delimiters inside quotes are not fields", "h\n\"" + strings.Repeat(",", 20_000) + "\"\n", 1 << 20, 0, false, -1},
		{"too many fields", "h\n" + strings.Repeat(",", MaxFieldsPerRow) + "\n", 1 << 20, 2, true, -1},
		{"fields after a quoted field", "h\n\"a\"" + strings.Repeat(",", MaxFieldsPerRow) + "\n", 1 << 20, 2, true, -1},
		{"many rows of fields", strings.Repeat(strings.Repeat(",", 100)+"\n", 1000), 1 << 20, 0, false, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Small reads exercise every state across chunk boundaries.
			for _, chunk := range []int{1, 3, 64, 1 << 20} {
				g := newGuard(&chunkReader{s: c.input, n: chunk}, ',', c.limit)
				_, err := io.ReadAll(g)
				var le *LimitError
				switch {
				case c.line == 0 && err != nil:
					t.Fatalf("chunk %d: %v", chunk, err)
				case c.line == 0:
				case !errors.As(err, &le):
					t.Fatalf("chunk %d: error %v, want a LimitError", chunk, err)
				case le.Line != c.line || le.Fields != c.fields || c.inQuote == 1 && !le.InQuote || c.inQuote == -1 && le.InQuote:
					t.Fatalf("chunk %d: %+v, want line %d fields %v in quote %v", chunk, le, c.line, c.fields, c.inQuote)
				}
			}
		})
	}
}

// TestGuardPassesRowsBeforeTheBadOne: the CSV reader delivers every row
// before the one over the limit, then the error.
func TestGuardPassesRowsBeforeTheBadOne(t *testing.T) {
	input := "a,b\n1,2\n3,4\n\"" + strings.Repeat("x", 500)
	cr := csv.NewReader(newGuard(strings.NewReader(input), ',', 100))
	var got []string
	var err error
	for {
		var rec []string
		if rec, err = cr.Read(); err != nil {
			break
		}
		got = append(got, strings.Join(rec, ","))
	}
	var le *LimitError
	if strings.Join(got, "|") != "a,b|1,2|3,4" || !errors.As(err, &le) || le.Line != 4 {
		t.Errorf("rows %q, error %v", got, err)
	}
}

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	s string
	n int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.s)
	r.s = r.s[n:]
	return n, nil
}

// endless yields a prefix, then the same byte forever.
type endless struct {
	prefix string
	fill   byte
	served int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.prefix)
	e.prefix = e.prefix[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.fill
	}
	e.served += int64(len(p))
	return len(p), nil
}

// TestHostileInputsStayBounded reads the hostile inputs through
// the whole reader with the default limit: an unterminated quote at the
// start of an endless file, a 100 MB field, a line of a million commas.
// Each must stop with an InputError after reading little more than the
// limit, allocating a bounded amount.
func TestHostileInputsStayBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads tens of megabytes")
	}
	cases := []struct {
		name  string
		input io.Reader
		msg   string
	}{
		{"unterminated quote in an endless file", &endless{prefix: v10Header + "\r\n1,7,+1,+2,false,SENT,,\"", fill: 'x'}, "without its closing quote"},
		{"100 MB field", io.MultiReader(strings.NewReader(v10Header+"\r\n1,7,+1,+2,false,SENT,,"), io.LimitReader(&endless{fill: 'y'}, 100<<20), strings.NewReader(",\r\n")), "the row is longer than 16 MiB"},
		{"a million commas", io.MultiReader(strings.NewReader(v10Header+"\r\n"), strings.NewReader(strings.Repeat(",", 1_000_000))), "more than 10,000 fields"},
		{"a million commas in the header", strings.NewReader(strings.Repeat(",", 1_000_000)), "more than 10,000 fields"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Scan([]string{StdinPath}, Options{Stdin: c.input}, func(*Record) error { return nil })
			runtime.ReadMemStats(&after)
			ie := inputError(t, err)
			if !strings.Contains(ie.Msg, c.msg) {
				t.Errorf("error %v, want %q", ie, c.msg)
			}
			// The CSV reader holds the row a few times over (raw line,
			// record buffer, field strings); 16 MiB rows must stay far from
			// the 100 MB to 1 GB inputs.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
			if e, ok := c.input.(*endless); ok && e.served > 20<<20 {
				t.Errorf("read %d MiB of an endless input", e.served>>20)
			}
		})
	}
}

// FuzzGuard checks that the guard never rejects what the CSV reader
// accepts within the limit: with the limit set to the longest record the
// CSV reader sees, the guard lets the whole input through.
func FuzzGuard(f *testing.F) {
	for _, s := range []string{
		lines(v10Header, v10Row, v10Reply), "a,\"b\nc\"\n\"\"\"\",x\n", "a\"b,\"c\"d\ne\n", "\"a\"\r\nb", ",,,\n\n\n,", "\"x\"\"",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, delimChoice uint8) {
		delim := []rune{',', ';', '\t', '|'}[delimChoice%4]
		if bytes.Count(data, []byte(string(delim))) >= MaxFieldsPerRow {
			return
		}
		longest := longestRecord(data, delim)
		g := newGuard(bytes.NewReader(data), delim, max(longest, 1))
		if _, err := io.ReadAll(g); err != nil {
			t.Fatalf("guard rejects input whose longest record is %d bytes: %v", longest, err)
		}
	})
}

// longestRecord is the largest number of input bytes one CSV record (with
// its line end and any blank lines before it) spans.
func longestRecord(data []byte, delim rune) int64 {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	var longest, prev int64
	for {
		_, err := cr.Read()
		if err == io.EOF {
			return longest
		}
		off := cr.InputOffset()
		longest = max(longest, off-prev)
		prev = off
	}
}

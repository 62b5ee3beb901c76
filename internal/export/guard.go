package export

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// MaxFieldsPerRow bounds the number of fields of one row. A Spoke export
// has at most a few dozen columns (Rewired adds one per campaign variable);
// the bound keeps a line of a million commas from costing the CSV reader
// tens of megabytes of field bookkeeping.
const MaxFieldsPerRow = 10_000

// guard sits between the input and the CSV reader and fails the input as
// soon as one row (one CSV record, which may span lines inside quotes) is
// longer than the limit or has too many fields, so that the CSV reader
// never buffers more than that: an unterminated quote at the start of a
// 1 GB file costs limit bytes, not 1 GB.
//
// It follows the quoting rules of encoding/csv (without LazyQuotes) closely
// enough to find record boundaries: a quote opens a quoted field only at
// the start of a field, a quoted field ends at a quote not followed by
// another, and after a malformed quote the CSV reader resumes at the next
// line. It scans with bytes.IndexByte and bytes.Count, so its cost per byte
// is a few vectorised passes, not a branch per byte (BenchmarkGuard). One
// imprecision: a multi-byte delimiter split between two reads right after
// a closing quote is taken for a malformed quote, which at worst moves one
// row boundary to the next line end.
type guard struct {
	r     io.Reader
	delim []byte // the delimiter, UTF-8 encoded
	limit int64  // largest row in bytes

	state    guardState
	pos      int64 // offset of the next byte to scan
	rowStart int64 // offset where the current row starts
	// fieldStart is the offset where the current field starts; a quote
	// there opens a quoted field.
	fieldStart int64
	fields     int // fields of the current row so far
	line       int // current line, 1-based
	rowLine    int // line where the current row starts
	over       *LimitError
	err        error
	eof        bool // the input has ended
}

// endsInQuote reports whether the input ended inside a quoted field.
func (g *guard) endsInQuote() bool { return g.eof && g.state == gQuoted }

type guardState uint8

const (
	gUnquoted  guardState = iota // in an unquoted field, or at the start of one
	gQuoted                      // inside a quoted field
	gQuoteSeen                   // just after a quote inside a quoted field
	gSkipLine                    // after a malformed quote: the CSV reader skips to the end of the line
)

func newGuard(r io.Reader, delim rune, limit int64) *guard {
	return &guard{
		r:     r,
		delim: utf8.AppendRune(nil, delim),
		limit: limit,
		line:  1, rowLine: 1, fields: 1,
	}
}

// LimitError reports a row over --max-field-bytes or with too many fields.
type LimitError struct {
	Line    int   // where the row starts
	Limit   int64 // the byte limit, or MaxFieldsPerRow
	Fields  bool  // too many fields rather than too many bytes
	InQuote bool  // the row was inside a quoted field when it crossed the limit
}

func (e *LimitError) Error() string {
	switch {
	case e.Fields:
		return fmt.Sprintf("the row has more than %s fields: this is not a messages export row", count(e.Limit))
	case e.InQuote:
		return fmt.Sprintf("a quoted field runs on past %s (--max-field-bytes) without its closing quote: the quote is probably missing, so the rest of the file would be read as one field", byteSize(e.Limit))
	default:
		return fmt.Sprintf("the row is longer than %s (--max-field-bytes)", byteSize(e.Limit))
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read passes bytes through, scanning them for row boundaries. On a row
// over a limit it returns the bytes before that row, then the error, so the
// CSV reader still delivers the good rows before it.
func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	start := g.pos
	if lerr := g.scan(p[:n]); lerr != nil {
		g.err = lerr
		good := max(g.rowStart-start, 0)
		return int(min(good, int64(n))), lerr
	}
	g.eof = err == io.EOF
	return n, err
}

// scan advances the state over b, which starts at offset g.pos.
func (g *guard) scan(b []byte) error {
	base := g.pos
	c := chunk{b: b, nl: -1, q: -1}
	i := 0
	for i < len(b) {
		switch g.state {
		case gUnquoted:
			i = g.scanUnquoted(&c, i, base)
		case gQuoted:
			q := c.next(i, '"', &c.q)
			if c.next(i, '\n', &c.nl) < q { // the quoted text spans lines
				g.line += bytes.Count(b[i:q], newline)
			}
			if q == len(b) {
				i = q
				break
			}
			i = q + 1
			g.state = gQuoteSeen
		case gQuoteSeen:
			i = g.afterQuote(b, i, base)
		case gSkipLine:
			if i = c.next(i, '\n', &c.nl); i < len(b) {
				g.endRow(base + int64(i))
				i++
			}
		}
		if g.over != nil {
			return g.over
		}
	}
	g.pos = base + int64(len(b))
	if g.pos-g.rowStart > g.limit {
		return &LimitError{Line: g.rowLine, Limit: g.limit, InQuote: g.state == gQuoted}
	}
	return nil
}

var newline = []byte{'\n'}

// chunk is the buffer being scanned, with the positions of the next line
// end and quote found so far, so that each is searched for once per chunk
// rather than once per field.
type chunk struct {
	b     []byte
	nl, q int // index of the next '\n' / '"' at or after the last search; len(b): none
}

// next returns the index of the first c at or after i (len(b) if none),
// searching only when the cached position is behind i.
func (k *chunk) next(i int, c byte, cached *int) int {
	if *cached < i {
		if j := bytes.IndexByte(k.b[i:], c); j >= 0 {
			*cached = i + j
		} else {
			*cached = len(k.b)
		}
	}
	return *cached
}

// scanUnquoted handles an unquoted field at b[i:]: up to the end of the
// line or a quote, whichever comes first, counting delimiters.
func (g *guard) scanUnquoted(c *chunk, i int, base int64) int {
	nl, q := c.next(i, '\n', &c.nl), c.next(i, '"', &c.q)
	if q < nl {
		g.delimiters(c.b[i:q], base+int64(i))
		if base+int64(q) == g.fieldStart {
			g.state = gQuoted // an opening quote
		} else {
			g.state = gSkipLine // a bare quote: the CSV reader rejects the line
		}
		return q + 1
	}
	g.delimiters(c.b[i:nl], base+int64(i))
	if nl < len(c.b) && g.over == nil {
		g.endRow(base + int64(nl))
		return nl + 1
	}
	return nl
}

// delimiters counts the field separators in seg, which starts at offset
// off, and moves the field start past the last one.
func (g *guard) delimiters(seg []byte, off int64) {
	n := bytes.Count(seg, g.delim)
	if n == 0 {
		return
	}
	g.fields += n
	g.fieldStart = off + int64(bytes.LastIndex(seg, g.delim)+len(g.delim))
	if g.fields > MaxFieldsPerRow {
		g.over = &LimitError{Line: g.rowLine, Limit: MaxFieldsPerRow, Fields: true}
	}
}

// afterQuote decides what a quote inside a quoted field was: an escaped
// quote, the end of the field, or a malformed quote.
func (g *guard) afterQuote(b []byte, i int, base int64) int {
	switch c := b[i]; {
	case c == '"':
		g.state = gQuoted
		return i + 1
	case c == '\n':
		g.endRow(base + int64(i))
		return i + 1
	case bytes.HasPrefix(b[i:], g.delim):
		g.state = gUnquoted
		g.fieldStart = base + int64(i+len(g.delim))
		if g.fields++; g.fields > MaxFieldsPerRow {
			g.over = &LimitError{Line: g.rowLine, Limit: MaxFieldsPerRow, Fields: true}
		}
		return i + len(g.delim)
	default:
		// "\r\n" ends the row; anything else is an error the CSV reader
		// recovers from at the end of the line. Either way: skip to '\n'.
		g.state = gSkipLine
		return i
	}
}

// endRow records a row boundary at the newline at offset nl, unless the
// row that ends there is over the limit.
func (g *guard) endRow(nl int64) {
	if nl-g.rowStart > g.limit {
		g.over = &LimitError{Line: g.rowLine, Limit: g.limit}
		return
	}
	g.state = gUnquoted
	g.rowStart = nl + 1
	g.fieldStart = nl + 1
	g.fields = 1
	g.line++
	g.rowLine = g.line
}

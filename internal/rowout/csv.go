package rowout

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spoke-status/spoke-status/internal/sanitize"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// csvEncoder writes a header line, then one line per row. Every string
// cell goes through sanitize.CSVCell, so no cell can start a spreadsheet formula.
//
// Lines are appended to a buffer of its own, quoted as encoding/csv's
// Writer quotes them (a test holds the two to the same bytes): going
// through the Writer took a string for every number and timestamp, a
// slice of them a row, and a copy into its buffer, a quarter of the CPU
// time of contacts --list all.
type csvEncoder[T any] struct {
	schema *Schema[T]
	opts   Options
	w      io.Writer
	buf    []byte
	err    error // the first failed write; every later call returns it
}

// csvFlushBytes is how much the encoder buffers before writing.
const csvFlushBytes = 64 << 10

// NewCSV writes the header and returns an encoder for the rows.
func NewCSV[T any](w io.Writer, s *Schema[T], opts Options) (Encoder[T], error) {
	e := &csvEncoder[T]{schema: s, opts: opts, w: w}
	for i, name := range s.Header() {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendCSVField(e.buf, name)
	}
	e.buf = append(e.buf, '\n')
	if err := e.flush(); err != nil {
		return nil, err
	}
	return e, nil
}

// NewCSVRows returns an encoder of rows without the header line, for a
// part of the output whose header another encoder wrote. Close writes
// what is buffered, and the encoder stays usable after it.
func NewCSVRows[T any](w io.Writer, s *Schema[T], opts Options) Encoder[T] {
	return &csvEncoder[T]{schema: s, opts: opts, w: w}
}

func (e *csvEncoder[T]) Write(r *T) error {
	if e.err != nil {
		return e.err
	}
	b := e.buf
	for i := range e.schema.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		c := &e.schema.Columns[i]
		b = appendCSVValue(b, c, c.Get(r), e.opts)
	}
	e.buf = append(b, '\n')
	if len(e.buf) >= csvFlushBytes {
		return e.flush()
	}
	return nil
}

// appendCSVValue appends a cell. Numbers, booleans and timestamps never
// need quotes, nor the formula guard (a timestamp is written as it was
// before this encoder: never guarded).
func appendCSVValue[T any](b []byte, c *Column[T], v Value, opts Options) []byte {
	if v.Null {
		return b
	}
	switch c.Type {
	case Int64:
		return strconv.AppendInt(b, v.Int, 10)
	case Bool:
		return strconv.AppendBool(b, v.Bool)
	case Timestamp:
		return summary.AppendTime(b, v.Time)
	}
	return appendCSVField(b, sanitize.CSVCell(text(c, v, opts)))
}

// appendCSVField appends field as encoding/csv's Writer writes it with
// its defaults (comma, LF line ends).
func appendCSVField(b []byte, field string) []byte {
	if !csvNeedsQuotes(field) {
		return append(b, field...)
	}
	b = append(b, '"')
	for field != "" {
		i := strings.IndexByte(field, '"')
		if i < 0 {
			return append(append(b, field...), '"')
		}
		b = append(b, field[:i+1]...)
		b = append(b, '"') // a quote is doubled; CR and LF are kept as they are
		field = field[i+1:]
	}
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's Writer.fieldNeedsQuotes for a comma.
func csvNeedsQuotes(field string) bool {
	if field == "" {
		return false
	}
	if field == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		if c := field[i]; c == '\n' || c == '\r' || c == '"' || c == ',' {
			return true
		}
	}
	r1, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r1)
}

// flush writes what is buffered.
func (e *csvEncoder[T]) flush() error {
	if e.err != nil {
		return e.err
	}
	if len(e.buf) > 0 {
		if _, err := e.w.Write(e.buf); err != nil {
			e.err = fmt.Errorf("writing CSV: %w", err)
			return e.err
		}
	}
	e.buf = e.buf[:0]
	return nil
}

func (e *csvEncoder[T]) Close() error { return e.flush() }

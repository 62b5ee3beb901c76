package rowout

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/spoke-status/spoke-status/internal/sanitize"
)

// csvEncoder writes a header line, then one line per row. Every string
// cell goes through sanitize.CSVCell, so no cell can start a spreadsheet formula.
type csvEncoder[T any] struct {
	schema *Schema[T]
	opts   Options
	w      *csv.Writer
	record []string
}

// NewCSV writes the header and returns an encoder for the rows.
func NewCSV[T any](w io.Writer, s *Schema[T], opts Options) (Encoder[T], error) {
	e := &csvEncoder[T]{schema: s, opts: opts, w: csv.NewWriter(w), record: make([]string, len(s.Columns))}
	if err := e.w.Write(s.Header()); err != nil {
		return nil, fmt.Errorf("writing CSV: %w", err)
	}
	return e, nil
}

// NewCSVRows returns an encoder of rows without the header line, for a
// part of the output whose header another encoder wrote. Close writes
// what is buffered, and the encoder stays usable after it.
func NewCSVRows[T any](w io.Writer, s *Schema[T], opts Options) Encoder[T] {
	return &csvEncoder[T]{schema: s, opts: opts, w: csv.NewWriter(w), record: make([]string, len(s.Columns))}
}

func (e *csvEncoder[T]) Write(r *T) error {
	for i := range e.schema.Columns {
		c := &e.schema.Columns[i]
		e.record[i] = csvValue(c, c.Get(r), e.opts)
	}
	if err := e.w.Write(e.record); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

func csvValue[T any](c *Column[T], v Value, opts Options) string {
	if v.Null {
		return ""
	}
	switch c.Type {
	case Int64:
		return strconv.FormatInt(v.Int, 10)
	case Bool:
		return strconv.FormatBool(v.Bool)
	case Timestamp:
		return formatTime(v)
	}
	return sanitize.CSVCell(text(c, v, opts))
}

func (e *csvEncoder[T]) Close() error {
	e.w.Flush()
	if err := e.w.Error(); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

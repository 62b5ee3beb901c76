package rowout

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spoke-status/spoke-status/internal/jsonquote"
)

// jsonEncoder writes each row as one JSON object with the columns in
// schema order: as JSON Lines (an object a line), or as a JSON array with
// one object a line.
type jsonEncoder[T any] struct {
	schema *Schema[T]
	opts   Options
	w      io.Writer
	buf    []byte
	array  bool
	part   bool // elements of an array written by a JSONArrayJoin
	rows   int
}

// NewJSONL returns an encoder of JSON Lines.
func NewJSONL[T any](w io.Writer, s *Schema[T], opts Options) Encoder[T] {
	return &jsonEncoder[T]{schema: s, opts: opts, w: w}
}

// NewJSONArray returns an encoder of one JSON array, an element a line.
func NewJSONArray[T any](w io.Writer, s *Schema[T], opts Options) Encoder[T] {
	return &jsonEncoder[T]{schema: s, opts: opts, w: w, array: true}
}

// NewJSONArrayPart returns an encoder of elements of a JSON array, for a
// part of the array that a JSONArrayJoin writes: every element, the first
// too, starts with the separator. Close writes nothing.
func NewJSONArrayPart[T any](w io.Writer, s *Schema[T], opts Options) Encoder[T] {
	return &jsonEncoder[T]{schema: s, opts: opts, w: w, array: true, part: true}
}

func (e *jsonEncoder[T]) Write(r *T) error {
	b := e.buf[:0]
	if e.array {
		if e.rows == 0 && !e.part {
			b = append(b, jsonOpen...)
		} else {
			b = append(b, jsonSeparator...)
		}
	}
	b = append(b, '{')
	for i := range e.schema.Columns {
		c := &e.schema.Columns[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonquote.Append(b, c.Name, false)
		b = append(b, ':')
		b = appendJSONValue(b, c, c.Get(r), e.opts)
	}
	b = append(b, '}')
	if !e.array {
		b = append(b, '\n')
	}
	e.buf = b
	e.rows++
	if _, err := e.w.Write(b); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

func (e *jsonEncoder[T]) Close() error {
	if !e.array || e.part {
		return nil
	}
	end := "\n]\n"
	if e.rows == 0 {
		end = "[]\n"
	}
	if _, err := io.WriteString(e.w, end); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// JSONArrayJoin writes one JSON array out of parts encoded apart by
// NewJSONArrayPart, in order: the same bytes NewJSONArray writes.
type JSONArrayJoin struct {
	W    io.Writer
	rows bool
}

// jsonSeparator starts every element of a part; the array's first element
// starts with jsonOpen instead, of the same length.
const jsonSeparator, jsonOpen = ",\n", "[\n"

// Write writes a part (empty when it has no element).
func (j *JSONArrayJoin) Write(part []byte) error {
	if len(part) == 0 {
		return nil
	}
	if !j.rows {
		if _, err := io.WriteString(j.W, jsonOpen); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		part = part[len(jsonSeparator):]
		j.rows = true
	}
	if _, err := j.W.Write(part); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// Close ends the array.
func (j *JSONArrayJoin) Close() error {
	end := "\n]\n"
	if !j.rows {
		end = "[]\n"
	}
	if _, err := io.WriteString(j.W, end); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

func appendJSONValue[T any](b []byte, c *Column[T], v Value, opts Options) []byte {
	if v.Null {
		return append(b, "null"...)
	}
	switch c.Type {
	case Int64:
		return strconv.AppendInt(b, v.Int, 10)
	case Bool:
		return strconv.AppendBool(b, v.Bool)
	case Timestamp:
		return jsonquote.Append(b, formatTime(v), false)
	}
	return jsonquote.Append(b, text(c, v, opts), false)
}

package cli

import (
	"io"

	"github.com/spoke-status/spoke-status/internal/rowout"
)

// newEncoder returns the encoder of a row output in format: csv, jsonl (an
// object a line) or json (one array, an object a line).
func newEncoder[T any](w io.Writer, s *rowout.Schema[T], format string, opts rowout.Options) (rowout.Encoder[T], error) {
	switch format {
	case "jsonl":
		return rowout.NewJSONL(w, s, opts), nil
	case "json":
		return rowout.NewJSONArray(w, s, opts), nil
	}
	return rowout.NewCSV(w, s, opts)
}

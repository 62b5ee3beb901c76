package cli

import (
	"io"

	"github.com/spoke-status/spoke-status/internal/rowout"
)

// newEncoder returns the encoder of a row output in format: csv, jsonl (an
// object a line), json (one array, an object a line) or parquet.
func newEncoder[T any](w io.Writer, s *rowout.Schema[T], format string, opts rowout.Options) (rowout.Encoder[T], error) {
	switch format {
	case "jsonl":
		return rowout.NewJSONL(w, s, opts), nil
	case "json":
		return rowout.NewJSONArray(w, s, opts), nil
	case "parquet":
		return rowout.NewParquet(w, s, opts), nil
	}
	return rowout.NewCSV(w, s, opts)
}

// checkBinaryOutput refuses Parquet on standard output unless standard
// output is a regular file: binary on a terminal garbles it, and a pipe
// is almost always a mistake (a pager, grep).
func checkBinaryOutput(env Env, format, output string) error {
	if format != "parquet" || (output != "" && output != "-") {
		return nil
	}
	if env.stdoutInfo != nil && env.stdoutInfo.Mode().IsRegular() {
		return nil
	}
	return usageErrorf("pass -o FILE.parquet (or redirect standard output to a file)",
		"--format parquet writes a binary file: it is not written to a terminal or a pipe")
}

package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/sanitize"
)

// stderrText writes the program's own lines to standard error. Errors,
// hints and warnings quote arguments (paths, codes, flag values) and export
// text (campaign ids, cells), so every line passes the terminal sanitizer,
// and under --redact phone-like runs are masked as in the outputs.
type stderrText struct {
	w      io.Writer
	redact bool
}

// line writes "spoke-status: <kind>: <text>".
func (s stderrText) line(kind, text string) {
	fmt.Fprintf(s.w, "%s: %s: %s\n", progName, kind, s.clean(text))
}

// clean is text made safe to print on standard error.
func (s stderrText) clean(text string) string {
	text = sanitize.Terminal(text)
	if s.redact {
		text = phone.MaskLike(text)
	}
	return text
}

// warnf writes a warning line.
func (s stderrText) warnf(format string, args ...any) {
	s.line("warning", fmt.Sprintf(format, args...))
}

// stderr is the standard error of a command that reads exports with ro.
func (ro *ReadOptions) stderr(env Env) stderrText {
	return stderrText{w: env.Stderr, redact: ro.Redact}
}

// redacting reports whether the command that ran was given --redact, so
// that its error lines are masked like its output.
func redacting(cmd *cobra.Command) bool {
	if cmd == nil {
		return false
	}
	f := cmd.Flags().Lookup("redact")
	return f != nil && f.Value.String() == "true"
}

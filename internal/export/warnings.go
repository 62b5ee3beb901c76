package export

import (
	"fmt"
	"io"
	"sort"

	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/sanitize"
)

// Warning kinds. Each kind is printed a limited number of times, then
// counted, so a file with a million bad rows does not flood the terminal.
const (
	WarnMalformedRow  = "malformed row"
	WarnBadTimestamp  = "unreadable timestamp"
	WarnTimeRange     = "timestamp out of range"
	WarnUnknownStatus = "unknown send status"
	WarnExcel         = "spreadsheet re-save"
	WarnRepeatHeader  = "repeated header"
	WarnTruncated     = "truncated file"
	WarnEncoding      = "text encoding"
)

// DefaultWarningLimit is how many warnings of one kind are printed.
const DefaultWarningLimit = 10

// Warnings prints warnings to a writer (stderr), at most Limit per kind,
// and remembers how many of each kind were suppressed. Every line passes
// the terminal sanitizer: paths and cells quoted in a warning come from
// the user and the export.
type Warnings struct {
	// Redact masks phone-like runs in every line (phone.MaskLike), for
	// --redact: a warning may quote a cell or a file name.
	Redact bool

	w          io.Writer
	prefix     string
	limit      int
	counts     map[string]int
	oncePerKey map[string]bool
}

// NewWarnings returns a Warnings that writes "<prefix>warning: ..." lines.
func NewWarnings(w io.Writer, prefix string, limit int) *Warnings {
	if w == nil {
		w = io.Discard
	}
	return &Warnings{w: w, prefix: prefix, limit: limit, counts: map[string]int{}, oncePerKey: map[string]bool{}}
}

// Add reports a warning tied to a file and line (line 0: the whole file).
func (ws *Warnings) Add(path string, line int, kind, msg string) {
	if ws == nil {
		return
	}
	ws.counts[kind]++
	if ws.counts[kind] > ws.limit {
		return
	}
	loc := path
	if line > 0 {
		loc = fmt.Sprintf("%s:%d", path, line)
	}
	ws.println(fmt.Sprintf("%s: %s", loc, msg))
}

// println writes one warning line, made safe for a terminal and masked
// when redacting.
func (ws *Warnings) println(text string) {
	text = sanitize.Terminal(text)
	if ws.Redact {
		text = phone.MaskLike(text)
	}
	fmt.Fprintf(ws.w, "%swarning: %s\n", ws.prefix, text)
}

// Once reports a warning only the first time key is seen.
func (ws *Warnings) Once(key, path string, line int, kind, msg string) {
	if ws == nil || ws.oncePerKey[key] {
		return
	}
	ws.oncePerKey[key] = true
	ws.Add(path, line, kind, msg)
}

// Count returns how many warnings of a kind were reported.
func (ws *Warnings) Count(kind string) int {
	if ws == nil {
		return 0
	}
	return ws.counts[kind]
}

// Flush prints one line per kind whose warnings were not all shown.
func (ws *Warnings) Flush() {
	if ws == nil {
		return
	}
	kinds := make([]string, 0, len(ws.counts))
	for k := range ws.counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		if n := ws.counts[k] - ws.limit; n > 0 {
			ws.println(fmt.Sprintf("%d more %q warnings not shown (%d in all)", n, k, ws.counts[k]))
		}
	}
}

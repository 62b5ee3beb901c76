package export

import (
	"fmt"
	"io"
	"sort"
)

// Warning kinds. Each kind is printed a limited number of times, then
// counted, so a file with a million bad rows does not flood the terminal.
const (
	WarnMalformedRow  = "malformed row"
	WarnBadTimestamp  = "unreadable timestamp"
	WarnUnknownStatus = "unknown send status"
	WarnExcel         = "spreadsheet re-save"
	WarnRepeatHeader  = "repeated header"
	WarnTruncated     = "truncated file"
	WarnEncoding      = "text encoding"
)

// DefaultWarningLimit is how many warnings of one kind are printed.
const DefaultWarningLimit = 10

// Warnings prints warnings to a writer (stderr), at most Limit per kind,
// and remembers how many of each kind were suppressed.
type Warnings struct {
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
	fmt.Fprintf(ws.w, "%swarning: %s: %s\n", ws.prefix, loc, msg)
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
			fmt.Fprintf(ws.w, "%swarning: %d more %q warnings not shown (%d in all)\n", ws.prefix, n, k, ws.counts[k])
		}
	}
}

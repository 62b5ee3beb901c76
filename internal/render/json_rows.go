package render

import (
	"math"
	"strconv"

	"github.com/spoke-status/spoke-status/internal/jsonquote"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// The two lists a broken export makes long, 100,000 error codes and as
// many group rows, are written by hand rather than by encoding/json, whose
// reflection over every field was most of the time of writing them. The
// bytes are the encoder's, as JSON(w, v) writes them (HTML left
// unescaped), indented as they are written; TestRowJSONMatchesEncoder
// fills every field of both types, so a field added to either fails it
// until it is written here too.

// jsonWriter appends JSON values as the encoder writes them: compact, or
// indented as JSON(w, v) indents them (two spaces a level, after prefix
// on every line but the first, ": " after keys, empty lists as []).
type jsonWriter struct {
	b      []byte
	indent bool
	prefix string
	depth  int
	first  bool // no member yet in the object or list open
}

func (w *jsonWriter) newline() {
	if !w.indent {
		return
	}
	w.b = append(w.b, '\n')
	w.b = append(w.b, w.prefix...)
	for range w.depth {
		w.b = append(w.b, "  "...)
	}
}

func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

func (w *jsonWriter) close(c byte) {
	w.depth--
	if !w.first {
		w.newline()
	}
	w.b = append(w.b, c)
	w.first = false
}

// elem starts a member of the open object or list.
func (w *jsonWriter) elem() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.newline()
}

func (w *jsonWriter) key(name string) {
	w.elem()
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
	if w.indent {
		w.b = append(w.b, ' ')
	}
}

func (w *jsonWriter) str(name, s string) {
	w.key(name)
	w.b = jsonquote.Append(w.b, s, false)
}

func (w *jsonWriter) int(name string, n int64) {
	w.key(name)
	w.b = strconv.AppendInt(w.b, n, 10)
}

func (w *jsonWriter) float(name string, f float64) {
	w.key(name)
	w.b = appendJSONFloat(w.b, f)
}

func (w *jsonWriter) interval(name string, iv summary.Interval) {
	w.key(name)
	w.open('[')
	for _, f := range iv {
		w.elem()
		w.b = appendJSONFloat(w.b, f)
	}
	w.close(']')
}

// codeCount writes c as the encoder does.
func (w *jsonWriter) codeCount(c *summary.CodeCount) {
	w.open('{')
	w.str("code", c.Code)
	w.str("provider", string(c.Provider))
	w.str("title", c.Title)
	w.str("category", string(c.Category))
	w.str("retry", string(c.Retry))
	w.str("charged", c.Charged)
	w.str("kind", string(c.Kind))
	w.str("url", c.URL)
	w.str("source", c.Source)
	w.str("note", c.Note)
	w.int("count", c.Count)
	w.float("share_of_errors", c.ShareOfErrors)
	w.close('}')
}

// groupRow writes r as the encoder does.
func (w *jsonWriter) groupRow(r *summary.GroupRow) {
	w.open('{')
	w.key("key")
	w.groupKey(r.Key)
	w.int("outbound", r.Outbound)
	w.int("delivered", r.Delivered)
	w.int("errored", r.Errored)
	w.float("error_rate", r.ErrorRate)
	w.float("delivery_rate", r.DeliveryRate)
	w.int("sent_stuck", r.SentStuck)
	w.float("stuck_sent_rate", r.StuckSentRate)
	w.int("opt_out_rejections", r.OptOutRejections)
	w.float("opt_out_rejection_rate", r.OptOutRejectionRate)
	w.interval("error_rate_ci", r.ErrorRateCI)
	w.interval("delivery_rate_ci", r.DeliveryRateCI)
	w.interval("stuck_sent_rate_ci", r.StuckSentRateCI)
	w.interval("opt_out_rejection_rate_ci", r.OptOutRejectionRateCI)
	w.int("inbound", r.Inbound)
	w.str("top_code", r.TopCode)
	w.int("top_code_count", r.TopCodeCount)
	w.str("top_category", string(r.TopCategory))
	if r.FoldedGroups != 0 {
		w.int("folded_groups", int64(r.FoldedGroups))
	}
	w.close('}')
}

// groupKey writes what GroupKey.MarshalJSON writes: it calls
// json.Marshal, which escapes <, > and & (the encoder's SetEscapeHTML
// does not undo a Marshaler's bytes), and a nil key is null.
func (w *jsonWriter) groupKey(k summary.GroupKey) {
	switch {
	case len(k) == 1:
		w.b = jsonquote.Append(w.b, k[0], true)
		return
	case k == nil:
		w.b = append(w.b, "null"...)
		return
	}
	w.open('[')
	for _, p := range k {
		w.elem()
		w.b = jsonquote.Append(w.b, p, true)
	}
	w.close(']')
}

// appendJSONFloat appends f as encoding/json writes a float64: the
// shortest decimal, in exponent form outside [1e-6, 1e21) with the
// exponent's leading zero dropped. f must be finite (the encoder fails on
// NaN and infinities; rates are neither).
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

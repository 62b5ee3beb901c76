package render

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/spoke-status/spoke-status/internal/summary"
)

// The two lists a broken export makes long, 100,000 error codes and as
// many group rows, are written by hand rather than by encoding/json, whose
// reflection over every field was most of the time of writing them. The
// bytes are the encoder's, as JSON(w, v) writes them (HTML left
// unescaped); TestRowJSONMatchesEncoder fills every field of both types,
// so a field added to either fails it until it is written here too.

// appendCodeCountJSON appends c as compact JSON, as the encoder writes it.
func appendCodeCountJSON(b []byte, c *summary.CodeCount) []byte {
	b = append(b, `{"code":`...)
	b = appendJSONString(b, c.Code, false)
	b = append(b, `,"provider":`...)
	b = appendJSONString(b, string(c.Provider), false)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, c.Title, false)
	b = append(b, `,"category":`...)
	b = appendJSONString(b, string(c.Category), false)
	b = append(b, `,"retry":`...)
	b = appendJSONString(b, string(c.Retry), false)
	b = append(b, `,"charged":`...)
	b = appendJSONString(b, c.Charged, false)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(c.Kind), false)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, c.URL, false)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, c.Source, false)
	b = append(b, `,"note":`...)
	b = appendJSONString(b, c.Note, false)
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, c.Count, 10)
	b = append(b, `,"share_of_errors":`...)
	b = appendJSONFloat(b, c.ShareOfErrors)
	return append(b, '}')
}

// appendGroupRowJSON appends r as compact JSON, as the encoder writes it.
func appendGroupRowJSON(b []byte, r *summary.GroupRow) []byte {
	b = append(b, `{"key":`...)
	b = appendGroupKeyJSON(b, r.Key)
	b = append(b, `,"outbound":`...)
	b = strconv.AppendInt(b, r.Outbound, 10)
	b = append(b, `,"delivered":`...)
	b = strconv.AppendInt(b, r.Delivered, 10)
	b = append(b, `,"errored":`...)
	b = strconv.AppendInt(b, r.Errored, 10)
	b = append(b, `,"error_rate":`...)
	b = appendJSONFloat(b, r.ErrorRate)
	b = append(b, `,"delivery_rate":`...)
	b = appendJSONFloat(b, r.DeliveryRate)
	b = append(b, `,"sent_stuck":`...)
	b = strconv.AppendInt(b, r.SentStuck, 10)
	b = append(b, `,"stuck_sent_rate":`...)
	b = appendJSONFloat(b, r.StuckSentRate)
	b = append(b, `,"opt_out_rejections":`...)
	b = strconv.AppendInt(b, r.OptOutRejections, 10)
	b = append(b, `,"opt_out_rejection_rate":`...)
	b = appendJSONFloat(b, r.OptOutRejectionRate)
	b = append(b, `,"error_rate_ci":`...)
	b = appendIntervalJSON(b, r.ErrorRateCI)
	b = append(b, `,"delivery_rate_ci":`...)
	b = appendIntervalJSON(b, r.DeliveryRateCI)
	b = append(b, `,"stuck_sent_rate_ci":`...)
	b = appendIntervalJSON(b, r.StuckSentRateCI)
	b = append(b, `,"opt_out_rejection_rate_ci":`...)
	b = appendIntervalJSON(b, r.OptOutRejectionRateCI)
	b = append(b, `,"inbound":`...)
	b = strconv.AppendInt(b, r.Inbound, 10)
	b = append(b, `,"top_code":`...)
	b = appendJSONString(b, r.TopCode, false)
	b = append(b, `,"top_code_count":`...)
	b = strconv.AppendInt(b, r.TopCodeCount, 10)
	b = append(b, `,"top_category":`...)
	b = appendJSONString(b, string(r.TopCategory), false)
	if r.FoldedGroups != 0 {
		b = append(b, `,"folded_groups":`...)
		b = strconv.AppendInt(b, int64(r.FoldedGroups), 10)
	}
	return append(b, '}')
}

// appendGroupKeyJSON appends what GroupKey.MarshalJSON writes: it calls
// json.Marshal, which escapes <, > and & (the encoder's SetEscapeHTML
// does not undo a Marshaler's bytes), and a nil key is null.
func appendGroupKeyJSON(b []byte, k summary.GroupKey) []byte {
	if len(k) == 1 {
		return appendJSONString(b, k[0], true)
	}
	if k == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, p := range k {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p, true)
	}
	return append(b, ']')
}

func appendIntervalJSON(b []byte, iv summary.Interval) []byte {
	b = append(b, '[')
	b = appendJSONFloat(b, iv[0])
	b = append(b, ',')
	b = appendJSONFloat(b, iv[1])
	return append(b, ']')
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

// appendJSONString appends s as a JSON string, escaping <, > and & when
// html. Printable ASCII without quotes or backslashes, every code and key
// of an export in practice, is copied; anything else is left to the
// encoder itself.
func appendJSONString(b []byte, s string, html bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || html && (c == '<' || c == '>' || c == '&') {
			return appendJSONStringSlow(b, s, html)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSONStringSlow(b []byte, s string, html bool) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(s); err != nil { // a string always encodes
		panic(err)
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

package rowout

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spoke-status/spoke-status/internal/contacts"
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
	csvLines
	// memo is, per column, the last cell written (see cellMemo); made on
	// the first Write.
	memo []cellMemo
}

// cellMemo remembers a column's last few values and the bytes each was
// written as. Most columns take few values (a campaign, a status, a
// reason, a code: contacts --list all writes a million rows of a few
// values each), and a remembered value skips the cleaning, the formula
// guard and the quoting, which were about half of the encoding. A
// timestamp column remembers its last few days instead: their dates are
// written once.
type cellMemo struct {
	vals    []memoValue // up to memoValues, replaced in turn
	next    int         // the value to replace next
	hit     int         // the value found or added last
	days    [memoDays]memoDay
	nextDay int // the day to replace next
}

// memoDay is a day a timestamp column wrote and its date.
type memoDay struct {
	day  int64 // days since 1970, plus one: 0 is no day
	date [len("2006-01-02T")]byte
}

// memoDays is how many days a timestamp column remembers: contacts in
// output order (by number) have last texts on any day of a campaign, so
// that one day was not enough (a quarter of the 2.5M-row export's rows
// changed day from the row before, over three days).
const memoDays = 4

type memoValue struct {
	in  []byte // a copy of the value: the value may view reused memory
	out []byte
}

// memoValues is how many values a column remembers: a status or a reason
// alternates between a few, so that one was not enough (its misses were
// a fifth of the encoder's CPU time on the 2.5M-row export, by profile).
const memoValues = 8

// memoMax is the longest value remembered; longer ones (replies) seldom
// repeat.
const memoMax = 64

// csvFlushBytes is how much the encoder buffers before writing.
const csvFlushBytes = 64 << 10

// NewCSV writes the header and returns an encoder for the rows.
func NewCSV[T any](w io.Writer, s *Schema[T], opts Options) (Encoder[T], error) {
	var header []byte
	for i, name := range s.Header() {
		if i > 0 {
			header = append(header, ',')
		}
		header = appendCSVField(header, name)
	}
	header = append(header, '\n')
	if _, err := w.Write(header); err != nil {
		return nil, fmt.Errorf("writing CSV: %w", err)
	}
	return NewCSVRows(w, s, opts), nil
}

// NewCSVRows returns an encoder of rows without the header line, for a
// part of the output whose header another encoder wrote. Close writes
// what is buffered, and the encoder stays usable after it. The Contacts
// schema has an encoder of its own (contactsCSV), with the same bytes.
func NewCSVRows[T any](w io.Writer, s *Schema[T], opts Options) Encoder[T] {
	if cs, ok := any(s).(*Schema[contacts.Contact]); ok && cs == Contacts {
		return any(newContactsCSV(w, opts)).(Encoder[T])
	}
	return newCSVEncoder(w, s, opts)
}

// newCSVEncoder returns the generic encoder of rows of s, whatever s.
func newCSVEncoder[T any](w io.Writer, s *Schema[T], opts Options) *csvEncoder[T] {
	return &csvEncoder[T]{schema: s, opts: opts, csvLines: csvLines{w: w}}
}

func (e *csvEncoder[T]) Write(r *T) error {
	if e.err != nil {
		return e.err
	}
	b := e.buf
	if e.memo == nil {
		e.memo = make([]cellMemo, len(e.schema.Columns))
	}
	for i := range e.schema.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		c := &e.schema.Columns[i]
		b = appendMemo(&e.memo[i], b, c, c.Get(r), e.opts)
	}
	e.buf = append(b, '\n')
	if len(e.buf) >= csvFlushBytes {
		return e.flush()
	}
	return nil
}

// appendMemo appends a cell as appendCSVValue does, from m when the value
// is one m remembers (a timestamp: when its day is the last one's). Phone numbers are not
// remembered: they seldom repeat.
func appendMemo[T any](m *cellMemo, b []byte, c *Column[T], v Value, opts Options) []byte {
	switch {
	case v.Null:
		return b
	case c.Type == Timestamp:
		return m.appendTime(b, v.Time)
	case c.Type != String || c.Phone:
		return appendCSVValue(b, c, v, opts)
	}
	return appendMemoString(m, b, c, v.Str, opts)
}

// appendMemoString is appendMemo for a string cell s of a column of type
// String that is not a phone number.
func appendMemoString[T any](m *cellMemo, b []byte, c *Column[T], s string, opts Options) []byte {
	if len(s) > memoMax {
		return appendCSVValue(b, c, Str(s), opts)
	}
	// The value that matched last is tried first: a column mostly repeats
	// one value (a campaign, delivered, DELIVERED).
	if h := m.hit; h < len(m.vals) && string(m.vals[h].in) == s {
		return append(b, m.vals[h].out...)
	}
	for i := range m.vals {
		if string(m.vals[i].in) == s {
			m.hit = i
			return append(b, m.vals[i].out...)
		}
	}
	at := len(b)
	b = appendCSVValue(b, c, Str(s), opts)
	if len(m.vals) < memoValues {
		m.vals = append(m.vals, memoValue{})
		m.next = len(m.vals) - 1
	}
	r := &m.vals[m.next]
	r.in = append(r.in[:0], s...)
	r.out = append(r.out[:0], b[at:]...)
	m.hit = m.next
	m.next = (m.next + 1) % memoValues
	return b
}

// appendTime appends t as summary.AppendTime does: the date from m when t
// is on the day of the last one, the clock by arithmetic.
func (m *cellMemo) appendTime(b []byte, t time.Time) []byte {
	sec := t.Unix()
	if sec < 0 {
		return summary.AppendTime(b, t)
	}
	day, clock := sec/86400, sec%86400
	d := -1
	for i := range m.days {
		if m.days[i].day == day+1 {
			d = i
			break
		}
	}
	if d < 0 {
		at := len(b)
		b = summary.AppendTime(b, t)
		// Only the years 1970 to 9999 have this layout; others are
		// written by AppendTime every time.
		if len(b)-at == len("2006-01-02T15:04:05.000Z") {
			r := &m.days[m.nextDay]
			r.day = day + 1
			copy(r.date[:], b[at:])
			m.nextDay = (m.nextDay + 1) % memoDays
		}
		return b
	}
	b = append(b, m.days[d].date[:]...)
	b = append2(b, int(clock/3600))
	b = append(b, ':')
	b = append2(b, int(clock/60%60))
	b = append(b, ':')
	b = append2(b, int(clock%60))
	b = append(b, '.')
	ms := t.Nanosecond() / 1e6 // truncated, as AppendTime does
	b = append(b, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	return append(b, 'Z')
}

// append2 appends n, 0 <= n < 100, as two digits.
func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

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

// csvLines is where a CSV encoder's lines go: a buffer of its own,
// written to w once it holds csvFlushBytes and on Close.
type csvLines struct {
	w   io.Writer
	buf []byte
	err error // the first failed write; every later call returns it
}

// flush writes what is buffered.
func (e *csvLines) flush() error {
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

// Close writes what is buffered.
func (e *csvLines) Close() error { return e.flush() }

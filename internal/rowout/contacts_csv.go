package rowout

import (
	"io"
	"strconv"
	"strings"

	"github.com/spoke-status/spoke-status/internal/contacts"
)

// contactsCSV is the CSV encoder of the Contacts schema: the bytes of
// csvEncoder (TestContactsCSVMatchesGeneric holds the two to them), with
// each column's cell appended straight from its field. The generic
// encoder calls every column's getter through a function value and
// passes its cell as a 72-byte Value, then tells the column's type
// apart again; for contacts --list all (1.85 million contacts of 13
// columns on the 2.5M-row export) that was most of the encoder's CPU
// time. NewCSV and NewCSVRows return it for Contacts, so no caller can
// pick the slower path by mistake.
type contactsCSV struct {
	opts Options
	csvLines
	// memo is, per column, as in csvEncoder; only the string and
	// timestamp columns use theirs.
	memo [contactsColumns]cellMemo
	// outcomes remembers the cells of reason, code, category and last
	// status together (with the commas between them): they follow from
	// the contact's last text and opt-out, so a few combinations make
	// most contacts, and one comparison of the four and one append cost
	// less than four lookups in the columns' memos.
	outcomes outcomeMemo
}

// outcomeMemo is a memo of the four outcome columns' cells.
type outcomeMemo struct {
	vals [memoValues]outcomeCells
	n    int // vals in use
	next int // the value to replace next
	hit  int // the value found or added last
}

type outcomeCells struct {
	in  [4]string // the encoder's own copies
	out []byte
}

func (m *outcomeCells) is(reason, code, category, status string) bool {
	return m.in[0] == reason && m.in[1] == code && m.in[2] == category && m.in[3] == status
}

// appendOutcome appends the cells of reason, code, category and last
// status, with commas between them, from the memo when it has them.
func (e *contactsCSV) appendOutcome(b []byte, reason, code, category, status string) []byte {
	m := &e.outcomes
	if m.hit < m.n && m.vals[m.hit].is(reason, code, category, status) {
		return append(b, m.vals[m.hit].out...)
	}
	for i := range m.n {
		if m.vals[i].is(reason, code, category, status) {
			m.hit = i
			return append(b, m.vals[i].out...)
		}
	}
	cols := Contacts.Columns
	at := len(b)
	b = appendMemoString(&e.memo[colReason], b, &cols[colReason], reason, e.opts)
	b = append(b, ',')
	b = appendMemoString(&e.memo[colCode], b, &cols[colCode], code, e.opts)
	b = append(b, ',')
	b = appendMemoString(&e.memo[colCategory], b, &cols[colCategory], category, e.opts)
	b = append(b, ',')
	b = appendMemoString(&e.memo[colLastStatus], b, &cols[colLastStatus], status, e.opts)
	if len(reason)+len(code)+len(category)+len(status) > memoMax {
		return b // not worth keeping
	}
	if m.n < len(m.vals) {
		m.next = m.n
		m.n++
	}
	v := &m.vals[m.next]
	v.in = [4]string{strings.Clone(reason), strings.Clone(code), strings.Clone(category), strings.Clone(status)}
	v.out = append(v.out[:0], b[at:]...)
	m.hit = m.next
	m.next = (m.next + 1) % len(m.vals)
	return b
}

// The Contacts columns, by position; TestContactsCSVColumns holds them to
// the schema.
const (
	colCell = iota
	colCampaign
	colReason
	colCode
	colCategory
	colLastStatus
	colLastAttemptedAt
	colOutbound
	colDelivered
	colReplied
	colOptedOut
	colOptedOutAt
	colOptOutReply
	contactsColumns
)

// newContactsCSV returns the encoder of Contacts rows, as NewCSVRows.
func newContactsCSV(w io.Writer, opts Options) *contactsCSV {
	return &contactsCSV{opts: opts, csvLines: csvLines{w: w}}
}

func (e *contactsCSV) Write(c *contacts.Contact) error {
	if e.err != nil {
		return e.err
	}
	cols := Contacts.Columns
	b := e.appendCell(e.buf, c.Cell)
	b = append(b, ',')
	b = appendMemoString(&e.memo[colCampaign], b, &cols[colCampaign], c.Campaign, e.opts)
	b = append(b, ',')
	b = e.appendOutcome(b, string(c.Reason), c.Code(), string(c.Category()), c.LastStatus)
	b = append(b, ',')
	if c.HasLastAt {
		b = e.memo[colLastAttemptedAt].appendTime(b, c.LastAt)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.Outbound), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.Delivered), 10)
	b = append(b, ',')
	b = strconv.AppendBool(b, c.Replied)
	b = append(b, ',')
	b = strconv.AppendBool(b, c.OptedOut)
	b = append(b, ',')
	if c.HasOptOutAt {
		b = e.memo[colOptedOutAt].appendTime(b, c.OptOutAt)
	}
	b = append(b, ',')
	if c.OptOutText != "" {
		b = appendMemoString(&e.memo[colOptOutReply], b, &cols[colOptOutReply], c.OptOutText, e.opts)
	}
	e.buf = append(b, '\n')
	if len(e.buf) >= csvFlushBytes {
		return e.flush()
	}
	return nil
}

// appendCell appends the contact's number. A number of digits, with or
// without a leading "+" (every E.164 number), is written as it is: it
// needs no cleaning, no formula guard (sanitize.CSVCell leaves a plain
// number alone) and no quotes. Anything else, and every number under
// Redact, goes the generic way.
func (e *contactsCSV) appendCell(b []byte, cell string) []byte {
	if !e.opts.Redact && plainNumber(cell) {
		return append(b, cell...)
	}
	return appendCSVValue(b, &Contacts.Columns[colCell], Str(cell), e.opts)
}

// plainNumber reports whether s is digits after an optional "+", at least
// one.
func plainNumber(s string) bool {
	if s != "" && s[0] == '+' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i]-'0' > 9 {
			return false
		}
	}
	return true
}

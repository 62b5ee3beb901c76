package export

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gocarina/gocsv"
)

// Options control how exports are read.
type Options struct {
	// Strict makes the first malformed row an input error instead of a
	// warning and a skipped row.
	Strict bool
	// Stdin is read for the path "-" (os.Stdin when nil).
	Stdin io.Reader
	// Warnings receives warnings; nil discards them.
	Warnings *Warnings
	// OnHeader, when set, is called once per input after its header is read
	// and its dialect detected, before any row; an error stops reading (a
	// command asked for a column this dialect does not have).
	OnHeader func(*Source) error
	// Delimiter separates fields; 0 means a comma.
	Delimiter rune
	// MaxFieldBytes bounds the size of one field, so a broken quote cannot
	// make the reader buffer a whole file; 0 means DefaultMaxFieldBytes.
	MaxFieldBytes int64
}

// DefaultMaxFieldBytes is generous: a Spoke message text is at most a few
// kilobytes (Twilio refuses bodies over 1,600 characters).
const DefaultMaxFieldBytes = 16 << 20

// Source describes one input and what reading it found.
type Source struct {
	Path        string  `json:"path"`
	Dialect     Dialect `json:"dialect"`
	Rows        int64   `json:"rows"`
	SkippedRows int64   `json:"skipped_rows"`
	// Header is the input's header row, cleaned of BOMs and spaces.
	Header []string `json:"-"`
}

// HasColumn reports whether the input's header has any of the names.
func (s *Source) HasColumn(names ...string) bool {
	return headerSet(s.Header).any(names...)
}

// Scan reads every input in order and calls fn for each data row. The
// Record passed to fn is reused: copy what must outlive the call. Scan stops
// at the first input error or at the first error fn returns.
func Scan(paths []string, opts Options, fn func(*Record) error) ([]*Source, error) {
	if err := checkStdinOnce(paths); err != nil {
		return nil, err
	}
	sources := make([]*Source, 0, len(paths))
	for _, p := range paths {
		src := &Source{Path: p}
		sources = append(sources, src)
		if err := scanOne(src, opts, fn); err != nil {
			return sources, err
		}
	}
	return sources, nil
}

func checkStdinOnce(paths []string) error {
	n := 0
	for _, p := range paths {
		if p == StdinPath {
			n++
		}
	}
	if n > 1 {
		return &InputError{Path: StdinPath, Msg: "standard input can be read only once, but \"-\" was given more than once"}
	}
	return nil
}

func scanOne(src *Source, opts Options, fn func(*Record) error) error {
	in, err := openInput(src.Path, opts.Stdin)
	if err != nil {
		return err
	}
	defer in.close()
	if _, err := in.r.Peek(1); err == io.EOF {
		src.Dialect = Empty
		return nil
	}
	d, err := newDecoder(src, in.r, opts)
	if err != nil {
		return err
	}
	return d.run(fn)
}

// decoder turns the CSV records of one input into Records.
type decoder struct {
	src  *Source
	opts Options
	csv  *csv.Reader
	um   *gocsv.Unmarshaller
	rec  Record
}

func newDecoder(src *Source, r io.Reader, opts Options) (*decoder, error) {
	cr := csv.NewReader(r)
	if opts.Delimiter != 0 {
		cr.Comma = opts.Delimiter
	}
	cr.ReuseRecord = true // gocsv copies each field's string; the slice can be reused
	um, err := gocsv.NewUnmarshaller(cr, row{})
	if err != nil {
		return nil, headerError(src.Path, err)
	}
	dialect, missing, ok := DetectDialect(um.Headers)
	if !ok {
		return nil, missingColumnError(src.Path, missing, um.Headers)
	}
	src.Dialect = dialect
	src.Header = make([]string, len(um.Headers))
	for i, h := range um.Headers {
		src.Header[i] = cleanHeader(h)
	}
	if opts.OnHeader != nil {
		if err := opts.OnHeader(src); err != nil {
			return nil, err
		}
	}
	d := &decoder{src: src, opts: opts, csv: cr, um: um}
	d.rec.Source = src
	return d, nil
}

func headerError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{Path: path, Line: pe.StartLine, Msg: "cannot read the header row: " + pe.Err.Error()}
	}
	return &InputError{Path: path, Line: 1, Msg: "cannot read the header row: " + err.Error()}
}

func missingColumnError(path string, missing, found []string) error {
	shown := make([]string, 0, len(found))
	for _, h := range found {
		shown = append(shown, strconv.Quote(cleanHeader(h)))
	}
	const maxShown = 20
	if len(shown) > maxShown {
		shown = append(shown[:maxShown], fmt.Sprintf("... (%d more)", len(found)-maxShown))
	}
	return &InputError{
		Path: path, Line: 1,
		Msg:  fmt.Sprintf("not a Spoke messages export: missing column %s; found columns: %s", strings.Join(missing, " or "), strings.Join(shown, ", ")),
		Hint: "pass the messages file of a campaign export (its name ends in -messages.csv), not the contacts file",
	}
}

func (d *decoder) run(fn func(*Record) error) error {
	for {
		v, err := d.um.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if err := d.malformed(err); err != nil {
				return err
			}
			continue
		}
		line, _ := d.csv.FieldPos(0)
		if err := d.fill(v.(row), line); err != nil {
			if err := d.skip(line, err.Error()); err != nil {
				return err
			}
			continue
		}
		d.src.Rows++
		if err := fn(&d.rec); err != nil {
			return err
		}
	}
}

// malformed handles a record the CSV reader rejected.
func (d *decoder) malformed(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return &InputError{Path: d.src.Path, Msg: "read error: " + err.Error()}
	}
	msg := pe.Err.Error()
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		msg = fmt.Sprintf("wrong number of fields (the header has %d)", len(d.um.Headers))
	}
	return d.skip(pe.StartLine, msg)
}

// skip counts a skipped row and warns, or fails in strict mode.
func (d *decoder) skip(line int, msg string) error {
	if d.opts.Strict {
		return &InputError{Path: d.src.Path, Line: line, Msg: "malformed row: " + msg, Hint: "drop --strict to skip malformed rows with a warning"}
	}
	d.src.SkippedRows++
	d.opts.Warnings.Add(d.src.Path, line, WarnMalformedRow, "skipped malformed row: "+msg)
	return nil
}

// fill normalizes a decoded row into d.rec. An error means the row is
// malformed and must be skipped.
func (d *decoder) fill(r row, line int) error {
	inbound, ok := parseBool(r.IsFromContact)
	if !ok {
		return fmt.Errorf("is-from-contact is %q, want true or false", r.IsFromContact)
	}
	rec := &d.rec
	*rec = Record{Source: d.src, Line: line, Inbound: inbound}
	rec.CampaignID = strings.TrimSpace(r.CampaignID)
	rec.CampaignContactID = r.CampaignContactID
	rec.AssignmentID = r.AssignmentID
	rec.UserNumber = strings.TrimSpace(r.UserNumber)
	rec.ContactNumber = strings.TrimSpace(r.ContactNumber)
	rec.Text = r.Text
	rec.Status = d.status(r.SendStatus, line)
	rec.Codes = strings.TrimSpace(r.ErrorCodes)
	rec.PrimaryCode = PrimaryCodeOf(rec.Codes)
	rec.AttemptedAt, rec.HasTime = d.timestamp(r.AttemptedAt, line)
	rec.NumSegments = parseCount(r.NumSegments)
	rec.NumMedia = parseCount(r.NumMedia)
	rec.TexterFirstName, rec.TexterLastName = r.TexterFirstName, r.TexterLastName
	rec.TexterEmail, rec.TexterCell = r.TexterEmail, r.TexterCell
	return nil
}

// parseBool accepts what Spoke writes (true/false) and the spellings other
// tools produce when they re-save an export (t/f, 1/0, TRUE/FALSE).
func parseBool(s string) (value, ok bool) {
	switch strings.TrimSpace(s) {
	case "true", "t", "1", "TRUE", "True", "T":
		return true, true
	case "false", "f", "0", "FALSE", "False", "F":
		return false, true
	}
	return false, false
}

// Send statuses Spoke's schema allows.
const (
	StatusQueued       = "QUEUED"
	StatusSending      = "SENDING"
	StatusSent         = "SENT"
	StatusDelivered    = "DELIVERED"
	StatusError        = "ERROR"
	StatusPaused       = "PAUSED"
	StatusNotAttempted = "NOT_ATTEMPTED"
)

// status returns the canonical (interned) name of a known status, or the
// value as written for an unknown one, warning once per unknown value.
func (d *decoder) status(s string, line int) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case StatusDelivered:
		return StatusDelivered
	case StatusSent:
		return StatusSent
	case StatusError:
		return StatusError
	case StatusQueued:
		return StatusQueued
	case StatusSending:
		return StatusSending
	case StatusPaused:
		return StatusPaused
	case StatusNotAttempted:
		return StatusNotAttempted
	}
	name := strings.TrimSpace(s)
	if name == "" {
		name = "(empty)"
	}
	d.opts.Warnings.Once("status:"+name, d.src.Path, line, WarnUnknownStatus,
		fmt.Sprintf("unknown send status %q: counted under its own name", name))
	return name
}

// timestamp parses an attempted-at cell. Empty is normal (Spoke Rewired
// v3.14 to v4.18 wrote none); an unreadable value warns and counts as
// missing.
func (d *decoder) timestamp(s string, line int) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	d.opts.Warnings.Add(d.src.Path, line, WarnBadTimestamp,
		fmt.Sprintf("cannot read attempted-at %q (want RFC 3339, e.g. 2024-10-01T18:02:11.482Z): treated as missing", s))
	return time.Time{}, false
}

func parseCount(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

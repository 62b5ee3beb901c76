package export

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"

	"github.com/spoke-status/spoke-status/internal/hitrate"
	"github.com/spoke-status/spoke-status/internal/registry"
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
	// MaxFieldBytes bounds the size of one row (one CSV record, which may
	// span lines inside quotes, so it bounds every field too): a broken
	// quote cannot make the reader buffer a whole file. A row over it stops
	// the input with an InputError. 0 means DefaultMaxFieldBytes.
	MaxFieldBytes int64
	// CountRead, when set, wraps the reader of each regular file's bytes
	// (as stored, before decompression), to report progress. The parallel
	// reader reads the first megabyte or so twice (the header's buffer),
	// so counts may run over the size by that much.
	CountRead func(io.Reader) io.Reader
	// Decoder chooses how CSV records become Records: DecoderFast (the
	// default) or DecoderGocsv, the reference the fast one is tested
	// against.
	Decoder Decoder
}

// Decoder names a row decoder.
type Decoder uint8

const (
	// DecoderFast scans records with csvfast and maps their bytes straight
	// onto a Record: one allocation per row, none when the parts read
	// views (Parallel.Views).
	DecoderFast Decoder = iota
	// DecoderGocsv reads records with encoding/csv behind the row guard
	// and decodes them with gocsv's pull API: the reference decoder.
	DecoderGocsv
)

// DecoderNames are the values ParseDecoder accepts.
func DecoderNames() []string { return []string{"fast", "gocsv"} }

// ParseDecoder reads a decoder name: "fast" or "gocsv".
func ParseDecoder(s string) (Decoder, error) {
	switch s {
	case "", "fast":
		return DecoderFast, nil
	case "gocsv":
		return DecoderGocsv, nil
	}
	return 0, fmt.Errorf("unknown decoder %q (known: fast, gocsv)", s)
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
	// Index is the input's place among the inputs read together, from 0:
	// with Record.Line it orders rows across files.
	Index int `json:"-"`
	// SendTimes is set when the rows carry Record.SentAt and ResponseAt
	// (read from Spoke's database): stuck SENT texts are then judged by
	// their real send time.
	SendTimes bool `json:"-"`
}

// Scan reads every input in order and calls fn for each data row. The
// Record passed to fn is reused: copy what must outlive the call. Scan stops
// at the first input error or at the first error fn returns.
func Scan(paths []string, opts Options, fn func(*Record) error) ([]*Source, error) {
	return scanAll(paths, opts, fn, nil)
}

// scanAll reads every input in order, each into fn or, when par is set,
// into par's parts.
func scanAll(paths []string, opts Options, fn func(*Record) error, par *Parallel) ([]*Source, error) {
	if err := checkStdinOnce(paths); err != nil {
		return nil, err
	}
	sources := make([]*Source, 0, len(paths))
	for i, p := range paths {
		src := &Source{Path: p, Index: i}
		sources = append(sources, src)
		if err := scanOne(src, opts, fn, par); err != nil {
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

func scanOne(src *Source, opts Options, fn func(*Record) error, parts *Parallel) error {
	in, err := openInput(src.Path, opts.Stdin, opts.CountRead)
	if err != nil {
		return err
	}
	defer in.close()
	if _, err := in.r.Peek(1); err == io.EOF {
		src.Dialect = Empty
		return nil
	}
	if in.utf16 {
		opts.Warnings.Add(src.Path, 0, WarnEncoding, "is UTF-16 text (a spreadsheet's \"Unicode Text\"): decoded to UTF-8")
	}
	firstLine, crOnly := peekFirstLine(in.r)
	if crOnly {
		return &InputError{Path: src.Path, Line: 1,
			Msg:  "ends its lines with a bare carriage return (old Mac line endings), so it reads as one long line",
			Hint: "save it again as CSV UTF-8, or convert it: tr '\\r' '\\n' < in.csv > out.csv"}
	}
	d := &decoder{src: src, opts: opts, gzip: in.gzip, firstLine: firstLine, warn: opts.Warnings}
	d.views = parts != nil && parts.Views
	d.codeViews = d.views && parts.CodeViews
	if parts != nil && opts.Decoder == DecoderFast && parts.workers() > 1 {
		return d.runParallel(in, parts)
	}
	if parts != nil {
		return d.runPart(in.r, parts)
	}
	if opts.Decoder == DecoderGocsv {
		return d.runGocsv(in.r, fn)
	}
	return d.runFast(in.r, fn)
}

// decoder turns the records of one input into Records. Reading records is
// the job of runGocsv or runFast; what a row means, and what is wrong with
// it, is decided here, the same for both.
type decoder struct {
	src       *Source
	opts      Options
	gzip      bool
	firstLine []byte // the input's first line, to explain a bad header
	warn      warnSink
	// line tells the line the reader has reached, for errors that stop the
	// input (set by the record reader).
	line func() int
	cols columnMap
	// views makes the Record's strings view the scanner's buffer rather
	// than a copy of the row (Parallel.Views): what d keeps, it clones.
	// codeViews lets codes view it too (Parallel.CodeViews).
	views, codeViews bool
	width            int
	rec              Record
	excel            spreadsheetDamage
	repeat           damage // repeated header rows
	// unknown interns the unknown statuses seen, each warned about once.
	unknown map[string]string
	// lastSkip is the last skipped row, if no row was read after it: at the
	// end of the input it tells a truncated file.
	lastSkip lastSkip
	// zones caches the fixed zones of the timestamps' offsets.
	zones zoneCache
	// cells interns the error code cells seen (see codes).
	cells codeCells
}

// codeCells interns code cells with their primary code, at most
// maxCodeCells of them.
type codeCells struct {
	m map[string]codeCell
	// window counts the lookups of cells once m is full, to stop looking
	// up cells that do not repeat (see codes).
	window hitrate.Window
	// missed counts the cells added since a lookup last found one.
	missed int
}

type codeCell struct{ codes, primary string }

// maxCodeCells bounds the interned code cells: an export has a few dozen
// distinct codes; one with a code per row gets a copy per row past it.
const maxCodeCells = 1024

// maxMissedCells new cells in a row, none found, make the cells rest
// before they are full: a few dozen codes in a real export repeat long
// before (a repeat among n cells drawn at random comes after about
// 1.25·√n, 40 for 1,000), and a chunk of a broken export then adds 128
// cells instead of filling 1,024 and looking up 1,024 more.
const maxMissedCells = 128

// codes returns a code cell trimmed and its primary code, as strings of
// their own, not views of the row: consumers count codes in maps
// (m[code] += n), and a Go map assignment to a key already present
// stores the key it is given, so a view would replace a map's key with
// memory the reader reuses. Interned, they cost no allocation per row,
// and the primary code is normalized once per distinct cell. The one
// exception, viewed true: a plain cell (registry.PlainCode) while the
// cells rest, when the part takes views of codes (Parallel.CodeViews).
func (d *decoder) codes(raw string) (codes, primary string, viewed bool) {
	if raw == "" {
		return "", "", false
	}
	cc := &d.cells
	// A broken export with a code of its own on every row fills the
	// cells at once and then never finds one: the window stops the
	// lookups, a tenth of the cost of such a row's codes, and the cells
	// are forgotten, so that a long sequential read interns the codes
	// after such a stretch again once it has rested (a chunk's decoder
	// starts with none). Resting, cells are neither looked up nor added.
	// Filling, maxMissedCells new cells in a row do the same.
	resting := cc.window.Resting()
	full := len(cc.m) >= maxCodeCells
	if !resting {
		c, ok := cc.m[raw]
		switch {
		case ok:
			cc.missed = 0
		case !full:
			if cc.missed++; cc.missed >= maxMissedCells {
				cc.window.RestNow()
			}
		}
		if full {
			cc.window.Looked(ok)
		}
		if cc.window.Left() > 0 {
			clear(cc.m)
			cc.missed = 0
			full = true // not added
		}
		if ok {
			return c.codes, c.primary, false
		}
	}
	if registry.PlainCode(raw) { // what Spoke writes: trimmed, its own primary code
		if resting && d.codeViews {
			// A broken export's: a copy per row, folded by the part.
			return raw, raw, true
		}
		codes = strings.Clone(raw)
		primary = codes
	} else {
		codes = strings.Clone(strings.TrimSpace(raw))
		primary = PrimaryCodeOf(codes)
	}
	if !full && !resting {
		if cc.m == nil {
			cc.m = map[string]codeCell{}
		}
		key := codes // raw itself when nothing was trimmed
		if len(codes) != len(raw) {
			key = strings.Clone(raw)
		}
		cc.m[key] = codeCell{codes, primary}
	}
	return codes, primary, false
}

type lastSkip struct {
	line    int
	pending bool // no row was read after it
	cut     bool // it looks cut short: a row that ends early
}

// warnSink receives warnings: the shared Warnings, or a chunk's buffer
// replayed in input order.
type warnSink interface {
	Add(path string, line int, kind, msg string)
}

// header vets the header row: dialect, columns, the caller's OnHeader.
func (d *decoder) header(fields []string) error {
	d.src.Header = make([]string, len(fields))
	for i, h := range fields {
		d.src.Header[i] = cleanHeader(h)
	}
	dialect, missing, ok := DetectDialect(d.src.Header)
	if !ok {
		return notMessagesError(d.src.Path, d.src.Header, d.firstLine, d.opts.delimiter(), missing)
	}
	d.src.Dialect = dialect
	if first, second, dup := duplicateColumns(d.src.Header); dup {
		return duplicateColumnError(d.src.Path, d.src.Header, first, second)
	}
	d.cols = mapColumns(d.src.Header)
	d.width = len(fields)
	d.rec.Source = d.src
	if d.opts.OnHeader != nil {
		return d.opts.OnHeader(d.src)
	}
	return nil
}

// duplicateColumnError names the two columns that hold the same field.
func duplicateColumnError(path string, header []string, first, second int) error {
	what := fmt.Sprintf("two %q columns (columns %d and %d)", header[first], first+1, second+1)
	if header[first] != header[second] {
		what = fmt.Sprintf("both a %q column (column %d) and a %q column (column %d), which hold the same field", header[first], first+1, header[second], second+1)
	}
	return &InputError{Path: path, Line: 1,
		Msg:  "the header has " + what + ": which one to read is unclear",
		Hint: "delete the extra column (an edit in a spreadsheet may have added it), or download the export again"}
}

func (o *Options) delimiter() rune {
	if o.Delimiter == 0 {
		return ','
	}
	return o.Delimiter
}

func (o *Options) maxRowBytes() int64 {
	if o.MaxFieldBytes <= 0 {
		return DefaultMaxFieldBytes
	}
	return o.MaxFieldBytes
}

func (d *decoder) headerError(err error) error {
	path := d.src.Path
	if err == io.EOF {
		return &InputError{Path: path, Msg: "has no header row, only blank lines",
			Hint: "Spoke writes a 0-byte file for a campaign without messages; this one is not that: download the export again"}
	}
	if werr := wrongDelimiter(path, d.firstLine, d.opts.delimiter()); werr != nil {
		return werr
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{Path: path, Line: pe.StartLine, Msg: "cannot read the header row: " + parseProblem(pe),
			Hint: "pass the messages export CSV as Spoke wrote it (its name ends in -messages.csv)"}
	}
	return d.fatal(err)
}

// row handles one record of the header's width, whose mapped cells are
// cells; fields returns all of its fields, for a row that is refused.
func (d *decoder) row(cells *[numFields]string, line int, fields func() []string, fn func(*Record) error) error {
	if msg := d.fill(cells, line, fields); msg != "" {
		return d.reject(fields(), line, msg)
	}
	d.lastSkip.pending = false
	d.src.Rows++
	return fn(&d.rec)
}

// reject handles a row fill refused: a repeated header row is skipped
// quietly, the header row of another layout stops the input, anything else
// is a malformed row.
func (d *decoder) reject(fields []string, line int, msg string) error {
	if !isHeaderRow(fields) {
		return d.skip(line, msg, len(fields) < d.width)
	}
	if sameHeader(fields, d.src.Header) {
		d.repeat.note(line, "")
		return nil
	}
	return &InputError{Path: d.src.Path, Line: line,
		Msg:  "a second header row with different columns: this file joins exports of different Spoke versions or layouts",
		Hint: fmt.Sprintf("split the file before line %d and pass both parts: spoke-status summarize part1.csv part2.csv", line)}
}

// readError handles an error from the CSV reader: a malformed record is
// skipped; a row over the limits or a failing input stops the input.
// unclosedAtEOF says the input ended inside the quoted field the error is
// about.
func (d *decoder) readError(err error, unclosedAtEOF bool) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return d.fatal(err)
	}
	if unclosedAtEOF {
		return d.skip(pe.StartLine, fmt.Sprintf("the file ends inside a quoted field opened on line %d", pe.StartLine), true)
	}
	return d.skip(pe.StartLine, parseProblem(pe), false)
}

// parseProblem words a CSV syntax error, with the lines it swallowed.
func parseProblem(pe *csv.ParseError) string {
	var msg string
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = fmt.Sprintf("a \" in the middle of an unquoted field (line %d, column %d)", pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line == pe.StartLine:
		msg = fmt.Sprintf("a quoted field is not closed properly (column %d): a quote inside a field must be doubled", pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = fmt.Sprintf("a quoted field opened on line %d does not close properly, so lines %d to %d were read as one row", pe.StartLine, pe.StartLine, pe.Line)
	default:
		msg = pe.Err.Error()
	}
	return msg
}

// fatal turns an error that stops the input into an InputError.
func (d *decoder) fatal(err error) error {
	path := d.src.Path
	line := 0
	if d.line != nil {
		line = d.line()
	}
	var le *LimitError
	switch {
	case errors.As(err, &le) && le.Fields:
		return &InputError{Path: path, Line: le.Line, Msg: le.Error(),
			Hint: "the file is damaged or not an export: pass the messages export CSV as Spoke wrote it"}
	case errors.As(err, &le):
		return &InputError{Path: path, Line: le.Line, Msg: le.Error(),
			Hint: fmt.Sprintf("fix the quoting at line %d, download the export again, or raise --max-field-bytes if a row really is that long", le.Line)}
	case errors.Is(err, io.ErrUnexpectedEOF) && d.gzip:
		return &InputError{Path: path, Line: line,
			Msg:  "the compressed data ends early: the file is truncated (an interrupted download?)",
			Hint: "download the export again"}
	case errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader):
		return &InputError{Path: path, Line: line, Msg: "the compressed data is corrupt: " + err.Error(),
			Hint: "download the export again"}
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return &InputError{Path: path, Line: line, Msg: "the compressed data is corrupt: " + err.Error(),
			Hint: "download the export again"}
	}
	return &InputError{Path: path, Line: line, Msg: "read error: " + err.Error()}
}

// skip counts a skipped row and warns, or fails in strict mode. cut says
// the row ends early, as the last row of a truncated file does.
func (d *decoder) skip(line int, msg string, cut bool) error {
	if d.opts.Strict {
		return &InputError{Path: d.src.Path, Line: line, Msg: "malformed row: " + msg, Hint: "drop --strict to skip malformed rows with a warning"}
	}
	d.src.SkippedRows++
	d.lastSkip = lastSkip{line: line, pending: true, cut: cut}
	d.warn.Add(d.src.Path, line, WarnMalformedRow, "skipped malformed row: "+msg)
	return nil
}

// finish reports, once each, what the whole input showed.
func (d *decoder) finish() {
	w, path := d.warn, d.src.Path
	if d.repeat.n > 0 {
		w.Add(path, d.repeat.line, WarnRepeatHeader, fmt.Sprintf(
			"%s skipped, first here: the file looks like several exports joined together; the rows of every part are counted",
			counted(d.repeat.n, "repeated header row was", "repeated header rows were")))
	}
	d.excel.warn(w, path)
	if d.lastSkip.pending && d.lastSkip.cut {
		w.Add(path, d.lastSkip.line, WarnTruncated,
			"the last row is incomplete: the file looks truncated (an interrupted download?); download the export again to count every row")
	}
}

// fill normalizes a row's mapped cells into d.rec. A message means the
// row is malformed and must be skipped; fields gives the whole row, to
// tell an empty one.
func (d *decoder) fill(c *[numFields]string, line int, fields func() []string) string {
	raw := c[FieldIsFromContact]
	inbound, ok, spreadsheet := parseBool(raw)
	if !ok {
		if isEmptyRow(fields()) {
			return emptyRowProblem
		}
		return fmt.Sprintf("is-from-contact is %q, want true or false", truncate(raw))
	}
	if spreadsheet {
		d.excel.bools.note(line, raw)
	}
	status, ok := d.status(c[FieldSendStatus], line)
	if !ok {
		return fmt.Sprintf("send status %q is not a send status (a column out of place?)", truncate(c[FieldSendStatus]))
	}
	// Field by field rather than *rec = Record{...}: every field is set
	// below, so zeroing the whole record first would write it twice.
	rec := &d.rec
	rec.Line, rec.Inbound, rec.Status = line, inbound, status
	rec.MessageID, rec.SentAt, rec.ResponseAt = 0, time.Time{}, time.Time{}
	rec.CampaignID = trim(c[FieldCampaignID])
	rec.CampaignContactID = c[FieldCampaignContactID]
	rec.AssignmentID = c[FieldAssignmentID]
	rec.UserNumber = d.phone(c[FieldUserNumber], line)
	rec.ContactNumber = d.phone(c[FieldContactNumber], line)
	rec.Text = c[FieldText]
	rec.Codes, rec.PrimaryCode, rec.CodesViewed = d.codes(c[FieldErrorCodes])
	rec.AttemptedAt, rec.HasTime = d.timestamp(c[FieldAttemptedAt], line)
	rec.NumSegments = parseCount(c[FieldNumSegments])
	rec.NumMedia = parseCount(c[FieldNumMedia])
	rec.TexterFirstName, rec.TexterLastName = c[FieldTexterFirstName], c[FieldTexterLastName]
	rec.TexterEmail, rec.TexterCell = c[FieldTexterEmail], c[FieldTexterCell]
	return ""
}

const emptyRowProblem = "the row is empty (only separators, as a spreadsheet leaves after rows are cleared)"

// widthProblem explains a row whose width is not the header's. The line
// where its last field starts is counted as csv.Reader's FieldPos counts
// it: one line per '\n' in the fields before it.
func (d *decoder) widthProblem(fields []string, line int) string {
	if isEmptyRow(fields) {
		return emptyRowProblem
	}
	msg := fmt.Sprintf("wrong number of fields: %d, but the header has %d", len(fields), d.width)
	last := line
	for _, f := range fields[:len(fields)-1] {
		last += strings.Count(f, "\n")
	}
	if last != line {
		msg += fmt.Sprintf("; the row runs from line %d to %d, so a quote is probably missing", line, last)
	}
	return msg
}

func isEmptyRow(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// truncate shortens a value quoted in a message.
func truncate(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return strings.ToValidUTF8(s[:max], "") + "..."
}

// phone trims a phone number and notes one a spreadsheet rounded.
func (d *decoder) phone(s string, line int) string {
	if s != "" && s[0] == '+' && isTrimmed(s) { // Spoke's E.164 form
		return s
	}
	s = strings.TrimSpace(s)
	if s != "" && s[0] != '+' && looksScientific(s) {
		d.excel.phones.note(line, s)
	}
	return s
}

// isTrimmed reports whether strings.TrimSpace(s) is s for certain: s
// starts and ends with an ASCII byte above the space (a Unicode space
// starts with, and every multi-byte rune ends with, a byte of 0x80 or
// more). A false answer only means asking TrimSpace.
func isTrimmed(s string) bool {
	n := len(s)
	return n == 0 || s[0] > ' ' && s[0] < utf8.RuneSelf && s[n-1] > ' ' && s[n-1] < utf8.RuneSelf
}

// trim is strings.TrimSpace with the answer for a value already trimmed,
// the common case, inlined.
func trim(s string) string {
	if isTrimmed(s) {
		return s
	}
	return strings.TrimSpace(s)
}

// parseBool accepts what Spoke writes (true/false) and the spellings other
// tools produce when they re-save an export (t/f, 1/0, TRUE/FALSE);
// spreadsheet reports the TRUE/FALSE a spreadsheet writes.
func parseBool(s string) (value, ok, spreadsheet bool) {
	switch s {
	case "true":
		return true, true, false
	case "false":
		return false, true, false
	}
	switch strings.TrimSpace(s) {
	case "TRUE":
		return true, true, true
	case "FALSE":
		return false, true, true
	case "true", "t", "1", "True", "T":
		return true, true, false
	case "false", "f", "0", "False", "F":
		return false, true, false
	}
	return false, false, false
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

// maxUnknownStatuses bounds the distinct unknown statuses an input may
// have: more means a column is out of place, not that Spoke grew statuses.
const maxUnknownStatuses = 100

// status returns the canonical (interned) name of a known status, or the
// value as written for an unknown one, warning once per unknown value. It
// refuses a value that is not a status word.
func (d *decoder) status(s string, line int) (string, bool) {
	// The statuses as Spoke writes them first, then any case and spaces.
	switch s {
	case StatusDelivered:
		return StatusDelivered, true
	case StatusSent:
		return StatusSent, true
	case StatusError:
		return StatusError, true
	}
	// strings.ToUpper and TrimSpace return s itself when there is nothing to
	// change, so the common upper-case statuses cost no allocation.
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case StatusDelivered:
		return StatusDelivered, true
	case StatusSent:
		return StatusSent, true
	case StatusError:
		return StatusError, true
	case StatusQueued:
		return StatusQueued, true
	case StatusSending:
		return StatusSending, true
	case StatusPaused:
		return StatusPaused, true
	case StatusNotAttempted:
		return StatusNotAttempted, true
	}
	return d.unknownStatus(strings.TrimSpace(s), line)
}

func (d *decoder) unknownStatus(name string, line int) (string, bool) {
	if name == "" {
		name = "(empty)"
	}
	if interned, ok := d.unknown[name]; ok {
		return interned, true
	}
	if !isStatusWord(name) || len(d.unknown) >= maxUnknownStatuses {
		return "", false
	}
	if d.unknown == nil {
		d.unknown = map[string]string{}
	}
	name = strings.Clone(name) // kept: name may view the reader's buffer
	d.unknown[name] = name
	msg := fmt.Sprintf("unknown send status %q: counted under its own name", name)
	if b, ok := d.warn.(*warnBuffer); ok {
		b.addStatus(d.src.Path, line, msg, name)
	} else {
		d.warn.Add(d.src.Path, line, WarnUnknownStatus, msg)
	}
	return name, true
}

// isStatusWord accepts what a send status could be: a short word of
// letters, digits, '_', '-' or spaces.
func isStatusWord(s string) bool {
	if len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == ' ' || c == '(' || c == ')') {
			return false
		}
	}
	return true
}

// timestamp parses an attempted-at cell. Empty is normal (Spoke Rewired
// v3.14 to v4.18 wrote none); a spreadsheet's form is read and noted; an
// unreadable value warns and counts as missing.
func (d *decoder) timestamp(s string, line int) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	s = trim(s)
	if s == "" {
		return time.Time{}, false
	}
	t, form, ok := d.zones.parseAttemptedAt(s)
	if !ok {
		d.warn.Add(d.src.Path, line, WarnBadTimestamp,
			fmt.Sprintf("cannot read attempted-at %q (want RFC 3339, e.g. 2024-10-01T18:02:11.482Z): treated as missing", truncate(s)))
		return time.Time{}, false
	}
	if !InTimeRange(t) {
		d.warn.Add(d.src.Path, line, WarnTimeRange,
			fmt.Sprintf("attempted-at %q is outside %s: treated as missing", truncate(s), TimeRangeText))
		return time.Time{}, false
	}
	if form == timeSpreadsheet {
		d.excel.times.note(line, s)
	}
	return t, true
}

// parseCount reads a non-negative count; -1 when absent or unreadable. The
// empty cell, the common case, is answered without strconv's error value.
func parseCount(s string) int {
	if s == "" {
		return -1
	}
	if len(s) <= 9 { // a plain count: no sign, no spaces, no overflow
		if n, ok := digits(s); ok {
			return n
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

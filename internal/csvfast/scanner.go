// Package csvfast is the hot-path CSV decoder of spoke-status: an
// allocation-free record scanner and a record-aligned splitter for reading
// one export on several cores.
//
// The Scanner accepts and rejects exactly what encoding/csv accepts and
// rejects with LazyQuotes=false, TrimLeadingSpace=false and no Comment
// character: the same records, the same *csv.ParseError values (Err is
// csv.ErrBareQuote, csv.ErrQuote or csv.ErrFieldCount, with the same
// StartLine, Line and Column) and the same resynchronisation after an error
// (reading resumes on the line after the one where the error was found), so
// a caller can switch between the two without changing any output or
// warning. The differences are deliberate: fields are byte slices into a
// reused buffer instead of new strings, and a record larger than
// Options.MaxRecordBytes is a fatal *TooLargeError instead of unbounded
// buffering.
package csvfast

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"unicode/utf8"
)

// Default sizes.
const (
	// DefaultBufferSize is the initial read buffer: large enough that read
	// syscalls and the re-parse of the record cut by a refill are rare.
	DefaultBufferSize = 1 << 20
	// DefaultMaxRecordBytes bounds the buffer: a broken quote near the start
	// of a large file must not make the reader hold the whole file.
	DefaultMaxRecordBytes = 64 << 20
)

// Options configure a Scanner. The zero value reads comma-separated records
// whose field count is set by the first record, like a csv.Reader.
type Options struct {
	// Comma is the field delimiter; 0 means ','. It must be a valid rune
	// other than '"', '\r', '\n' and utf8.RuneError, as for csv.Reader.
	Comma rune
	// FieldsPerRecord has csv.Reader's meaning: > 0 requires that many
	// fields, 0 sets it from the first record, < 0 disables the check.
	FieldsPerRecord int
	// MaxRecordBytes bounds the raw size of one record, quotes and line
	// break included: a larger record is a *TooLargeError, unless a quote
	// error is found in its first MaxRecordBytes bytes. 0 means
	// DefaultMaxRecordBytes.
	MaxRecordBytes int
	// MaxFields bounds the number of fields of one record (a *TooLargeError
	// past it), so that a line of a million delimiters costs no memory;
	// 0 means no limit.
	MaxFields int
	// BufferSize is the initial read buffer size; 0 means DefaultBufferSize.
	BufferSize int
}

// TooLargeError reports a record over MaxRecordBytes or MaxFields: almost
// always a quote that is never closed. It is fatal: the Scanner returns it
// from every later call.
type TooLargeError struct {
	StartLine int  // line where the record starts
	Limit     int  // MaxRecordBytes, or MaxFields when Fields is set
	Fields    bool // too many fields rather than too many bytes
	InQuote   bool // the byte limit was reached inside a quoted field
}

func (e *TooLargeError) Error() string {
	switch {
	case e.Fields:
		return fmt.Sprintf("record on line %d has more than %d fields", e.StartLine, e.Limit)
	case e.InQuote:
		return fmt.Sprintf("record on line %d: a quoted field runs on past %d bytes without its closing quote", e.StartLine, e.Limit)
	}
	return fmt.Sprintf("record on line %d is longer than %d bytes", e.StartLine, e.Limit)
}

// ErrInvalidDelim is returned by NewScanner for a delimiter csv.Reader
// would refuse.
var ErrInvalidDelim = errors.New("csvfast: invalid field delimiter")

// Scanner reads CSV records from an io.Reader or a byte slice. It is not
// safe for concurrent use.
type Scanner struct {
	r     io.Reader // nil in byte-slice mode
	buf   []byte    // buf[pos:end] is unread data
	pos   int
	end   int
	eof   bool  // no more data after buf[:end]
	base  int64 // input offset of buf[0]
	fatal error // sticky: read error or TooLargeError
	// readErr is a read error that came with data: returned by the fill
	// after the one that read the data.
	readErr error
	maxRec  int
	maxFld  int // 0: no limit

	comma     []byte // the delimiter's UTF-8 encoding
	comma0    byte   // comma[0]
	fieldsPer int

	line    int // line number of buf[pos]
	recLine int // first line of the last record returned

	fields  [][]byte
	escaped []int  // indexes of fields that still hold raw escaped bytes
	scratch []byte // unescaped copies of those fields

	quoteErrors int // ErrQuote and ErrBareQuote seen; see Chunk

	// The record being parsed sees buf[:lim]; limEOF says nothing follows.
	// The view stops MaxRecordBytes after the record's start, so whether a
	// record is too large does not depend on how the input was buffered.
	lim       int
	limEOF    bool
	truncated bool
	inQuote   bool // parse stopped for more data inside a quoted field
	unclosed  bool // the last error was a quoted field still open at EOF
}

// NewScanner returns a Scanner reading r, whose first line is line 1.
func NewScanner(r io.Reader, o Options) (*Scanner, error) {
	s, err := newScanner(o)
	if err != nil {
		return nil, err
	}
	size := o.BufferSize
	if size <= 0 {
		size = DefaultBufferSize
	}
	s.r = r
	s.buf = make([]byte, min(size, s.maxRec+lookahead))
	return s, nil
}

// NewBytesScanner returns a Scanner reading data, whose first byte is on
// line firstLine. Data is never modified and must not change while the
// Scanner is in use; fields point into it, except fields with escapes.
func NewBytesScanner(data []byte, firstLine int, o Options) (*Scanner, error) {
	s, err := newScanner(o)
	if err != nil {
		return nil, err
	}
	s.Reset(data, firstLine)
	return s, nil
}

func newScanner(o Options) (*Scanner, error) {
	comma := o.Comma
	if comma == 0 {
		comma = ','
	}
	if !validDelim(comma) {
		return nil, ErrInvalidDelim
	}
	s := &Scanner{
		comma:     utf8.AppendRune(nil, comma),
		fieldsPer: o.FieldsPerRecord,
		maxRec:    o.MaxRecordBytes,
		maxFld:    o.MaxFields,
		line:      1,
	}
	s.comma0 = s.comma[0]
	if s.maxRec <= 0 {
		s.maxRec = DefaultMaxRecordBytes
	}
	return s, nil
}

func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// Reset makes the Scanner read data (byte-slice mode) from line firstLine,
// keeping its options, its field count and its buffers.
func (s *Scanner) Reset(data []byte, firstLine int) {
	s.r = nil
	s.buf, s.pos, s.end, s.eof = data, 0, len(data), true
	s.base, s.fatal = 0, nil
	s.line, s.recLine = firstLine, 0
	s.quoteErrors = 0
}

// SetPosition sets the line and input offset of the next unread byte, for
// a reader that starts inside an input; call it before the first Read.
func (s *Scanner) SetPosition(line int, offset int64) {
	s.line, s.base = line, offset-int64(s.pos)
}

// FieldsPerRecord returns the expected field count: after the first record
// with Options.FieldsPerRecord 0, the first record's count.
func (s *Scanner) FieldsPerRecord() int { return s.fieldsPer }

// Line returns the line where the last record returned by Read starts, as
// csv.Reader.FieldPos(0) does.
func (s *Scanner) Line() int { return s.recLine }

// NextLine returns the line number of the next unread byte.
func (s *Scanner) NextLine() int { return s.line }

// Offset returns the input offset just after the last record read (or the
// line skipped after an error), like csv.Reader.InputOffset.
func (s *Scanner) Offset() int64 { return s.base + int64(s.pos) }

// Rest returns the input after the last record read, when r is the reader
// the Scanner reads: the bytes it read ahead, then r (or the read error
// it has not returned yet). The Scanner must not be used afterwards.
func (s *Scanner) Rest(r io.Reader) io.Reader {
	ahead := bytes.NewReader(s.buf[s.pos:s.end])
	switch {
	case s.readErr != nil:
		return io.MultiReader(ahead, errReader{s.readErr})
	case s.eof:
		return ahead
	}
	return io.MultiReader(ahead, r)
}

// errReader returns its error on every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// UnclosedAtEOF reports whether the error just returned was a quoted
// field still open at the end of the input (a csv.ErrQuote), which usually
// means a truncated file rather than a stray quote.
func (s *Scanner) UnclosedAtEOF() bool { return s.unclosed }

// QuoteErrors counts the ErrQuote and ErrBareQuote errors returned so far:
// after one, a chunk's end may no longer be a record boundary.
func (s *Scanner) QuoteErrors() int { return s.quoteErrors }

// Read returns the next record. Its fields, and the slice holding them,
// are valid until the next call. At the end of the input it returns nil,
// io.EOF. A record with the wrong number of fields comes back with a
// *csv.ParseError wrapping csv.ErrFieldCount, as from csv.Reader; a quote
// error returns nil and a *csv.ParseError, and the next Read resumes on the
// following line. A read error or a *TooLargeError is returned again by
// every later call.
func (s *Scanner) Read() ([][]byte, error) {
	if s.fatal != nil {
		return nil, s.fatal
	}
	for {
		fields, err := s.parse()
		if err != errNeedMore {
			return fields, err
		}
		if s.truncated {
			s.fatal = &TooLargeError{StartLine: s.recLine, Limit: s.maxRec, InQuote: s.inQuote}
			return nil, s.fatal
		}
		if err := s.fill(); err != nil {
			s.fatal = err
			return nil, err
		}
	}
}

// setView limits what the record starting at recStart may see.
func (s *Scanner) setView(recStart int) {
	s.lim, s.limEOF, s.truncated = s.end, s.eof, false
	if s.end-recStart > s.maxRec {
		s.lim, s.limEOF, s.truncated = recStart+s.maxRec, false, true
	}
}

// errNeedMore means the buffer ends before the record does: parse is
// called again, from the record's start, once more data is in.
var errNeedMore = errors.New("need more data")

// lookahead is the buffer room past MaxRecordBytes: a record's view is
// MaxRecordBytes long, and the buffer must hold more than that to tell a
// record of exactly that size from a longer one.
const lookahead = 8

// fill moves the unread bytes (the start of a record) to the front of the
// buffer and reads until the buffer is full or the input ends. The buffer
// doubles while that record fills more than half of it, so each refill
// reads at least half a buffer and re-parsing the cut record stays cheap
// whatever the reader's read sizes.
func (s *Scanner) fill() error {
	if s.r == nil || s.eof {
		panic("csvfast: fill past the end") // parse never asks for more at EOF
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if limit := s.maxRec + lookahead; s.end > len(s.buf)/2 && len(s.buf) < limit {
		bigger := make([]byte, min(2*len(s.buf), limit))
		copy(bigger, s.buf[:s.end])
		s.buf = bigger
	}
	if err := s.readErr; err != nil {
		return err
	}
	start := s.end
	for s.end < len(s.buf) {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return nil
		}
		if err != nil {
			if s.end > start {
				// Deliver the records read before the error first, as
				// csv.Reader does.
				s.readErr = err
				return nil
			}
			return err
		}
	}
	return nil
}

// quoteError builds the error csv.Reader returns for a quote problem at
// byte at of the buffer, and makes the next parse start on the next line.
func (s *Scanner) quoteError(kind error, recStart, at int) error {
	line, col := s.position(recStart, at)
	s.quoteErrors++
	s.line = line
	if err := s.skipLine(at); err != nil {
		return err
	}
	return &csv.ParseError{StartLine: s.recLine, Line: line, Column: col, Err: kind}
}

// position returns the line and the 1-based byte column of buffer offset
// at, counting from recStart, which is on line s.recLine.
func (s *Scanner) position(recStart, at int) (line, col int) {
	seg := s.buf[recStart:at]
	line = s.recLine + bytes.Count(seg, nl)
	lineStart := recStart + bytes.LastIndexByte(seg, '\n') + 1
	return line, at - lineStart + 1
}

var nl = []byte{'\n'}

// skipLine discards the rest of the line holding buffer offset at, reading
// as far as needed, as csv.Reader does after an error: the line was read
// whole before it was parsed.
func (s *Scanner) skipLine(at int) error {
	s.pos = at
	for {
		if i := bytes.IndexByte(s.buf[s.pos:s.end], '\n'); i >= 0 {
			s.pos += i + 1
			s.line++
			return nil
		}
		s.pos = s.end
		if s.eof {
			return nil
		}
		if err := s.fill(); err != nil {
			s.fatal = err
			return err
		}
	}
}

// record is the state of the record being parsed.
type record struct {
	start     int  // buffer offset where it starts
	lineEnd   int  // offset of the '\n' ending the current line, or s.lim
	complete  bool // lineEnd is a real line end (or EOF)
	multiline bool // a quoted field spans lines
}

// parse reads one record starting at s.pos. It returns errNeedMore, with
// s.pos still at the record's start, when the buffer ends too early.
func (s *Scanner) parse() ([][]byte, error) {
	p, err := s.skipEmptyLines()
	if err != nil {
		return nil, err
	}
	s.recLine = s.line
	s.setView(p)
	s.inQuote, s.unclosed = false, false
	s.fields = s.fields[:0]
	s.escaped = s.escaped[:0]
	data := s.buf[:s.lim]
	r := record{start: p}
	r.lineEnd, r.complete = s.lineEnd(p)
	for {
		if p < r.lineEnd && data[p] == '"' {
			next, brk, err := s.parseQuoted(&r, p)
			if err != nil {
				return nil, err
			}
			if brk >= 0 {
				return s.finish(&r, brk)
			}
			if s.maxFld > 0 && len(s.fields) >= s.maxFld {
				return nil, s.tooManyFields()
			}
			p = next
			continue
		}
		// Unquoted fields up to the next quote or the line end: every
		// delimiter in between separates fields.
		quote := indexByteIn(data, p, r.lineEnd, '"')
		start := s.splitUnquoted(data, p, quote)
		if s.maxFld > 0 && len(s.fields) >= s.maxFld {
			return nil, s.tooManyFields()
		}
		if quote < r.lineEnd {
			if start < quote { // a quote inside an unquoted field
				return nil, s.failQuote(csv.ErrBareQuote, r.start, quote)
			}
			p = quote
			continue
		}
		if !r.complete {
			return nil, errNeedMore
		}
		e := r.lineEnd
		if e > start && data[e-1] == '\r' { // "\r\n", or "\r" at EOF: not data
			e--
		}
		s.fields = append(s.fields, data[start:e])
		return s.finish(&r, r.lineEnd)
	}
}

// parseQuoted parses the quoted field whose opening quote is at p, up to a
// closing quote followed by a delimiter (the record goes on at next) or by
// a line break or EOF (the record ends: brk is the offset of the '\n', or
// s.lim at EOF; otherwise brk is -1).
func (s *Scanner) parseQuoted(r *record, p int) (next, brk int, err error) {
	data := s.buf[:s.lim]
	content := p + 1
	for q := content; ; {
		i := bytes.IndexByte(data[q:], '"')
		if i < 0 {
			if !s.limEOF {
				s.inQuote = true
				return 0, 0, errNeedMore
			}
			return 0, 0, s.failUnclosed(r.start)
		}
		closing := q + i
		if closing > r.lineEnd { // the field spans lines
			r.multiline = true
			if bytes.Contains(data[q:closing], crlf) {
				s.markEscaped()
			}
			r.lineEnd, r.complete = s.lineEnd(closing)
		}
		after := closing + 1
		if after == s.lim {
			if !s.limEOF {
				return 0, 0, errNeedMore
			}
			s.fields = append(s.fields, data[content:closing])
			return 0, s.lim, nil
		}
		switch c := data[after]; {
		case c == '"': // an escaped quote
			s.markEscaped()
			q = after + 1
			continue
		case c == s.comma0:
			ok, err := s.hasCommaAt(after)
			if err != nil {
				return 0, 0, err
			}
			if ok {
				s.fields = append(s.fields, data[content:closing])
				return after + len(s.comma), -1, nil
			}
		case c == '\n':
			s.fields = append(s.fields, data[content:closing])
			return 0, after, nil
		case c == '\r':
			if after+1 == s.lim && !s.limEOF {
				return 0, 0, errNeedMore
			}
			if after+1 == s.lim { // "\r" at EOF is dropped
				s.fields = append(s.fields, data[content:closing])
				return 0, s.lim, nil
			}
			if data[after+1] == '\n' {
				s.fields = append(s.fields, data[content:closing])
				return 0, after + 1, nil
			}
		}
		return 0, 0, s.failQuote(csv.ErrQuote, r.start, closing)
	}
}

var crlf = []byte("\r\n")

// skipEmptyLines skips lines csv.Reader ignores ("\n", "\r\n", and "\r"
// at EOF) and returns where the next record starts.
func (s *Scanner) skipEmptyLines() (int, error) {
	for {
		p := s.pos
		if p >= s.end {
			if s.eof {
				return 0, io.EOF
			}
			return 0, errNeedMore
		}
		switch s.buf[p] {
		case '\n':
			s.pos++
			s.line++
			continue
		case '\r':
			if p+1 < s.end {
				if s.buf[p+1] == '\n' {
					s.pos += 2
					s.line++
					continue
				}
				return p, nil
			}
			if s.eof {
				s.pos++
				return 0, io.EOF
			}
			return 0, errNeedMore
		}
		return p, nil
	}
}

// lineEnd returns the offset of the '\n' ending the line holding p, or
// the end of the buffered data; complete is false when more of the line
// may follow. A line is not required whole, so that a quote error early
// in a huge line is reported as csv.Reader reports it.
func (s *Scanner) lineEnd(p int) (end int, complete bool) {
	if i := bytes.IndexByte(s.buf[p:s.lim], '\n'); i >= 0 {
		return p + i, true
	}
	return s.lim, s.limEOF
}

// indexByteIn returns the offset of the first c in data[from:to], or to.
func indexByteIn(data []byte, from, to int, c byte) int {
	if i := bytes.IndexByte(data[from:to], c); i >= 0 {
		return from + i
	}
	return to
}

// tooManyFields fails the input: the record has more than MaxFields
// fields (the one being parsed included).
func (s *Scanner) tooManyFields() error {
	s.fatal = &TooLargeError{StartLine: s.recLine, Limit: s.maxFld, Fields: true}
	return s.fatal
}

// splitUnquoted appends the fields that end with a delimiter in
// data[from:to], which holds no quote and no line break, and returns where
// the field after the last delimiter starts.
func (s *Scanner) splitUnquoted(data []byte, from, to int) int {
	if len(s.comma) > 1 {
		for {
			i := bytes.Index(data[from:to], s.comma)
			if i < 0 {
				return from
			}
			s.fields = append(s.fields, data[from:from+i])
			from += i + len(s.comma)
			if s.maxFld > 0 && len(s.fields) >= s.maxFld {
				return from // parse reports it
			}
		}
	}
	// Eight bytes at a time: fields are short, and a call to
	// bytes.IndexByte per field costs more than this loop.
	comma := s.comma0
	pattern := broadcast(comma)
	start, i := from, from
	for ; i+8 <= to; i += 8 {
		for m := matchBytes(binary.LittleEndian.Uint64(data[i:]), pattern); m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)>>3
			s.fields = append(s.fields, data[start:j])
			start = j + 1
		}
		if s.maxFld > 0 && len(s.fields) >= s.maxFld {
			return start // parse reports it
		}
	}
	for ; i < to; i++ {
		if data[i] == comma {
			s.fields = append(s.fields, data[start:i])
			start = i + 1
		}
	}
	return start
}

const lows = 0x7f7f7f7f7f7f7f7f

func broadcast(c byte) uint64 { return 0x0101010101010101 * uint64(c) }

// matchBytes returns a mask with the high bit of each byte of w equal to
// the byte broadcast in pattern set, and no other bit (exact, unlike the
// shorter has-zero-byte trick, which can flag the byte after a match).
func matchBytes(w, pattern uint64) uint64 {
	x := w ^ pattern
	return ^(((x & lows) + lows) | x | lows)
}

// hasCommaAt reports whether the delimiter starts at buffer offset at,
// whose first byte is known to match.
func (s *Scanner) hasCommaAt(at int) (bool, error) {
	n := len(s.comma)
	if n == 1 {
		return true, nil
	}
	if at+n > s.lim {
		if !s.limEOF {
			return false, errNeedMore
		}
		return false, nil
	}
	return bytes.Equal(s.buf[at:at+n], s.comma), nil
}

// markEscaped notes that the quoted field being parsed (the next one
// appended) holds "" or "\r\n" and must be unescaped.
func (s *Scanner) markEscaped() {
	n := len(s.fields)
	if k := len(s.escaped); k == 0 || s.escaped[k-1] != n {
		s.escaped = append(s.escaped, n)
	}
}

// finish ends a record whose line break (if any) is at buffer offset
// brk: it advances past it, unescapes fields and checks the field count.
func (s *Scanner) finish(r *record, brk int) ([][]byte, error) {
	next := brk
	if brk < s.lim {
		next++ // the '\n'
	}
	if r.multiline {
		s.line += bytes.Count(s.buf[r.start:next], nl)
	} else if brk < s.lim {
		s.line++
	}
	s.pos = next
	if s.maxFld > 0 && len(s.fields) > s.maxFld {
		return nil, s.tooManyFields()
	}
	if len(s.escaped) > 0 {
		s.unescape()
	}
	switch {
	case s.fieldsPer > 0 && len(s.fields) != s.fieldsPer:
		return s.fields, &csv.ParseError{StartLine: s.recLine, Line: s.recLine, Column: 1, Err: csv.ErrFieldCount}
	case s.fieldsPer == 0:
		s.fieldsPer = len(s.fields)
	}
	return s.fields, nil
}

// unescape replaces the raw escaped fields with copies in s.scratch where
// "" is '"' and "\r\n" is '\n'. The scratch buffer is sized first, so the
// copies already made never move.
func (s *Scanner) unescape() {
	total := 0
	for _, i := range s.escaped {
		total += len(s.fields[i])
	}
	if cap(s.scratch) < total {
		s.scratch = make([]byte, 0, max(total, 2*cap(s.scratch)))
	}
	s.scratch = s.scratch[:0]
	for _, i := range s.escaped {
		start := len(s.scratch)
		s.scratch = appendUnescaped(s.scratch, s.fields[i])
		s.fields[i] = s.scratch[start:len(s.scratch):len(s.scratch)]
	}
}

// appendUnescaped appends the content of a quoted field, whose quotes all
// come in pairs, unescaped.
func appendUnescaped(dst, raw []byte) []byte {
	for len(raw) > 0 {
		i := indexQuoteOrCR(raw)
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		switch {
		case raw[i] == '"':
			dst = append(dst, '"')
			raw = raw[i+2:]
		case i+1 < len(raw) && raw[i+1] == '\n':
			raw = raw[i+1:] // drop the '\r' of "\r\n"
		default:
			dst = append(dst, '\r')
			raw = raw[i+1:]
		}
	}
	return dst
}

func indexQuoteOrCR(b []byte) int {
	q := bytes.IndexByte(b, '"')
	if q < 0 {
		q = len(b)
	}
	r := bytes.IndexByte(b[:q], '\r')
	switch {
	case r >= 0:
		return r
	case q < len(b):
		return q
	}
	return -1
}

// failQuote returns a quote error found at buffer offset at.
func (s *Scanner) failQuote(kind error, recStart, at int) error {
	if s.fieldsPer == 0 {
		s.fieldsPer = len(s.fields) // csv.Reader counts a broken first record too
	}
	return s.quoteError(kind, recStart, at)
}

// failUnclosed returns the error for a quoted field still open at EOF,
// placed where csv.Reader places it: just past the last byte of the last
// non-empty line, counted after "\r\n" became "\n" and a final "\r" was
// dropped.
func (s *Scanner) failUnclosed(recStart int) error {
	if s.fieldsPer == 0 {
		s.fieldsPer = len(s.fields)
	}
	data := s.buf[:s.lim]
	t := s.lim
	if data[t-1] == '\r' {
		t--
	}
	seg := data[recStart : t-1]
	line := s.recLine + bytes.Count(seg, nl)
	lineStart := recStart + bytes.LastIndexByte(seg, '\n') + 1
	col := 1 + t - lineStart
	if data[t-1] == '\n' && t-2 >= lineStart && data[t-2] == '\r' {
		col--
	}
	s.quoteErrors++
	s.unclosed = true
	s.pos = s.lim
	s.line = line
	return &csv.ParseError{StartLine: s.recLine, Line: line, Column: col, Err: csv.ErrQuote}
}

package export

import (
	"bufio"
	"errors"
	"io"
	"maps"
	"runtime"

	"github.com/spoke-status/spoke-status/internal/csvfast"
)

// Parallel reading: a regular file (not compressed, not UTF-16, read with
// the fast decoder) is split into chunks at record boundaries, and each
// chunk is decoded on a worker goroutine by a decoder of its own into a
// Part of its own. Chunks are merged in input order on the calling
// goroutine: rows and skipped rows are summed, spreadsheet damage and
// repeated headers keep their first occurrence, and the warnings each
// chunk buffered are printed then, so stderr reads as after a sequential
// pass. What a chunk cannot decide alone (a fatal error, a quote error
// that may hide a record boundary, the cap on distinct unknown statuses)
// sends the rest of the input, from that chunk on, through the sequential
// decoder, whose messages are then the sequential ones by construction.
// Standard input and compressed or UTF-16 files are read sequentially.

// Part consumes the rows of one part of the input.
type Part interface {
	// Add is called for each row of the part, on one goroutine, with a
	// Record reused for the next row.
	Add(*Record)
	// Merge is called on the caller's goroutine, in input order, once
	// every row of the part was added; the part is not used afterwards.
	Merge()
}

// Finisher is a Part with work to do once its last row was added, on the
// goroutine that added its rows (a worker), before Merge: what it does
// there is off the goroutine that merges every part in input order.
type Finisher interface {
	Finish()
}

// Parallel configures ScanParallel.
type Parallel struct {
	// Workers decode chunks; 0 means runtime.GOMAXPROCS(0), and 1 reads
	// sequentially.
	Workers int
	// ChunkSize is the size of the chunks; 0 means DefaultChunkSize.
	ChunkSize int
	// NewPart returns an empty part; it is called on the caller's
	// goroutine or on a worker goroutine.
	NewPart func() Part
	// Direct, when set, returns the part for rows read sequentially on
	// the caller's goroutine while no other part waits to be merged (an
	// input that cannot be split, or the rest of one read again): it may
	// count straight into the result, whose maps are capped as it reads,
	// where a part of its own would grow with the whole input.
	Direct func() Part
	// Views, when set, lets the strings of the Record passed to Add view
	// the reader's buffer instead of a copy of the row: they are valid
	// only during Add, so a part must clone any string it keeps past it
	// (map keys, caches of the last value, samples). It saves one
	// allocation and one copy per row, and with them most of the
	// collector's work.
	Views bool
	// CodeViews, with Views, lets the error codes of a row view the
	// buffer too where a part's code cells stop repeating (a broken
	// export with a code of its own on every row): Record.CodesViewed
	// says so. A part that keeps such a code must clone it; one that
	// counts it as (other), past the cap of codes, keeps nothing, and a
	// copy of the cell per row is saved.
	CodeViews bool
	// Serial, when set, is asked on the caller's goroutine after each
	// part is merged whether the next parts should wait for the merge of
	// the one before them (csvfast.ParallelOptions.Serial): while the
	// merged result is learning from the first rows what the parts after
	// should know from their start.
	Serial func() bool
}

// direct returns the part for a sequential read: Direct's, else NewPart's.
func (p *Parallel) direct() Part {
	if p.Direct != nil {
		return p.Direct()
	}
	return p.NewPart()
}

// DefaultChunkSize is the chunk size of ScanParallel: half csvfast's
// default, measured as fast on a 594 MB export (1.58 s against 1.55 s on
// two cores) with 7 to 12 MB less peak RSS, since about six chunks are in
// flight at once.
const DefaultChunkSize = 1 << 20

func (p *Parallel) workers() int {
	if p.Workers <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return p.Workers
}

// ScanParallel reads every input in order, as Scan does, into parts: the
// rows of an input that can be split are decoded in parallel (see above),
// any other input is read sequentially into one part. Warnings, errors and
// the Sources are those of Scan.
func ScanParallel(paths []string, opts Options, par Parallel) ([]*Source, error) {
	return scanAll(paths, opts, nil, &par)
}

// runPart reads an input sequentially into one part.
func (d *decoder) runPart(r *bufio.Reader, par *Parallel) error {
	part := par.direct()
	add := func(rec *Record) error { part.Add(rec); return nil }
	var err error
	if d.opts.Decoder == DecoderGocsv {
		err = d.runGocsv(r, add)
	} else {
		err = d.runFast(r, add)
	}
	if err != nil {
		return err
	}
	part.Merge()
	return nil
}

// chunkResult is what a chunk's decoder found, and the part it filled.
// dec is nil for the part read sequentially by d itself.
type chunkResult struct {
	dec  *decoder
	warn *warnBuffer
	part Part
}

// runParallel reads the header as runFast does, then the records after it
// in chunks read again from the file.
func (d *decoder) runParallel(in *opened, par *Parallel) error {
	s, err := csvfast.NewScanner(in.r, d.scannerOptions())
	if err != nil {
		return err
	}
	d.line = s.NextLine
	header, err := s.Read()
	if err != nil {
		return d.headerError(limitErrorAhead(err, in.r))
	}
	if err := d.header(stringsOf(header)); err != nil {
		return err
	}
	start := s.Offset()
	var rest io.Reader
	if in.file != nil {
		rest = io.NewSectionReader(in.file, in.start+start, 1<<62)
		if d.opts.CountRead != nil {
			rest = d.opts.CountRead(rest)
		}
	} else {
		// A stream (standard input, a decompressed or decoded file):
		// what the header's Scanner read ahead, then the rest of it, read
		// by the chunker on its own goroutine.
		rest = s.Rest(in.rest())
	}
	o := csvfast.ParallelOptions{Options: d.scannerOptions(), Workers: par.workers(), ChunkSize: par.ChunkSize, Serial: par.Serial}
	if o.ChunkSize <= 0 {
		o.ChunkSize = DefaultChunkSize
	}
	limit := DefaultWarningLimit
	if d.opts.Warnings != nil {
		limit = d.opts.Warnings.limit
	}
	scan := func(s *csvfast.Scanner) (chunkResult, error) {
		c := d.forChunk(limit)
		part := par.NewPart()
		err := c.scanRecords(s, limitError, func(rec *Record) error { part.Add(rec); return nil })
		if f, ok := part.(Finisher); ok && err == nil {
			f.Finish()
		}
		return chunkResult{dec: c, warn: c.warn.(*warnBuffer), part: part}, err
	}
	rescan := func(r io.Reader, line int, offset int64) (chunkResult, error) {
		br := bufio.NewReaderSize(r, readBufferSize)
		s, err := csvfast.NewScanner(br, d.scannerOptions())
		if err != nil {
			return chunkResult{}, err
		}
		s.SetPosition(line, offset)
		d.line = s.NextLine
		part := par.direct()
		err = d.scanRecords(s, func(err error) error { return limitErrorAhead(err, br) }, func(rec *Record) error { part.Add(rec); return nil })
		return chunkResult{part: part}, err
	}
	err = csvfast.ScanParallelRest(rest, s.NextLine(), start, o, scan, rescan, d.absorb)
	var ie *InputError
	if errors.As(err, &ie) {
		return err
	}
	if err != nil { // reading the file failed
		return d.fatal(err)
	}
	d.finish()
	return nil
}

// forChunk returns a decoder for one chunk: d's header and options, its
// own counts and state, warnings buffered.
func (d *decoder) forChunk(limit int) *decoder {
	c := &decoder{
		src:       &Source{Path: d.src.Path, Index: d.src.Index, Dialect: d.src.Dialect, Header: d.src.Header},
		opts:      d.opts,
		cols:      d.cols,
		width:     d.width,
		views:     d.views,
		codeViews: d.codeViews,
		warn:      &warnBuffer{limit: limit},
	}
	c.rec.Source = d.src
	return c
}

// absorb merges a chunk into d, in input order, or asks for the rest of
// the input to be read sequentially when the chunk's unknown statuses,
// joined with d's, reach the cap (a row the chunk accepted may then have
// been refused after d's statuses).
func (d *decoder) absorb(r chunkResult) error {
	c := r.dec
	if c == nil { // read by d itself
		r.part.Merge()
		return nil
	}
	if len(c.unknown) > 0 {
		n := len(d.unknown)
		for name := range c.unknown {
			if _, ok := d.unknown[name]; !ok {
				n++
			}
		}
		if n >= maxUnknownStatuses {
			return csvfast.ErrRescan
		}
	}
	r.warn.replay(d.opts.Warnings, d.unknown)
	if len(c.unknown) > 0 {
		if d.unknown == nil {
			d.unknown = map[string]string{}
		}
		maps.Copy(d.unknown, c.unknown)
	}
	d.src.Rows += c.src.Rows
	d.src.SkippedRows += c.src.SkippedRows
	d.excel.times.merge(c.excel.times)
	d.excel.phones.merge(c.excel.phones)
	d.excel.bools.merge(c.excel.bools)
	d.repeat.merge(c.repeat)
	switch {
	case c.lastSkip.pending:
		d.lastSkip = c.lastSkip
	case c.src.Rows > 0:
		d.lastSkip.pending = false
	}
	r.part.Merge()
	return nil
}

// merge adds o, counted after d, to d.
func (d *damage) merge(o damage) {
	if o.n == 0 {
		return
	}
	if d.n == 0 {
		d.line, d.example = o.line, o.example
	}
	d.n += o.n
}

// warnBuffer keeps a chunk's warnings until the chunk is merged. Past
// limit warnings of one kind only a count is kept: the chunks before
// can only have added to that kind, so none of them would print.
// Unknown statuses are all kept, with their name, since a status the
// chunks before already warned about is not warned about again.
type warnBuffer struct {
	limit   int
	entries []bufferedWarning
	kinds   map[string]int // warnings per kind
}

type bufferedWarning struct {
	path       string
	line       int
	kind, msg  string
	statusName string
}

func (b *warnBuffer) Add(path string, line int, kind, msg string) {
	if b.kinds == nil {
		b.kinds = map[string]int{}
	}
	b.kinds[kind]++
	if b.kinds[kind] <= b.limit {
		b.entries = append(b.entries, bufferedWarning{path: path, line: line, kind: kind, msg: msg})
	}
}

func (b *warnBuffer) addStatus(path string, line int, msg, name string) {
	b.entries = append(b.entries, bufferedWarning{path: path, line: line, kind: WarnUnknownStatus, msg: msg, statusName: name})
}

// replay prints the warnings to ws, leaving out unknown statuses already
// in known, and counts those it kept no text for.
func (b *warnBuffer) replay(ws *Warnings, known map[string]string) {
	if ws == nil {
		return
	}
	for _, w := range b.entries {
		if w.kind == WarnUnknownStatus {
			if _, ok := known[w.statusName]; ok {
				continue
			}
		}
		ws.Add(w.path, w.line, w.kind, w.msg)
	}
	for kind, n := range b.kinds {
		if extra := n - b.limit; extra > 0 {
			ws.counts[kind] += extra
		}
	}
}

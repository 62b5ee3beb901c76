package cli

import (
	"bytes"
	"io"
	"sync/atomic"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/rowfilter"
	"github.com/spoke-status/spoke-status/internal/rowout"
)

// Rows in parallel: encoding is most of the cost of rows, so each chunk
// of the input is filtered, classified and encoded on the worker that
// decodes it, into a buffer of its own; the buffers are written to the
// output in input order as the chunks are merged. A chunk's buffer holds
// the encoded rows of one chunk (about --chunk-bytes), and the pipeline
// bounds the chunks in flight, so memory stays flat. Rows read
// sequentially (an input that cannot be split, or the rest of one read
// again after an error) are written as they come, through a buffer
// flushed every directFlushBytes.

// directFlushBytes is how much a sequentially read part encodes before
// writing it out: the output buffer's order of size.
const directFlushBytes = 256 << 10

// freeParts is how many merged parts are kept for reuse: about the chunks
// in flight (about six on two cores).
const freeParts = 8

// rowsParallel reports whether rows can be encoded in parallel: CSV and
// JSON Lines of files or standard input. Parquet stays sequential: one
// writer lays out the row groups and the footer of the whole file. The
// database is read as one stream.
func rowsParallel(format string, ro *ReadOptions) bool {
	return format != "parquet" && !ro.DB.active()
}

// rowsWriter writes the encoded rows of every part to w in input order.
type rowsWriter struct {
	w      io.Writer
	format string
	opts   rowout.Options
	filter *rowfilter.Filter
	rc     *rowfilter.Classifier // forked for each part
	// free keeps merged parts with their buffers for the next chunks: a
	// sync.Pool drops them at every collection, and allocating a chunk's
	// buffer again costs page faults. The chunks in flight are bounded, so
	// a few parts are enough.
	free chan *rowsPart

	// Used on the caller's goroutine only.
	err          error     // the first failed write
	direct       *rowsPart // the last part read sequentially
	unknownStuck int       // SENT rows whose stuck column is empty

	failed atomic.Bool // set with err: the workers stop encoding
}

// rowsPart filters, classifies and encodes the rows of one part.
type rowsPart struct {
	out          *rowsWriter
	rc           *rowfilter.Classifier
	buf          bytes.Buffer
	enc          rowout.Encoder[rowfilter.Row]
	row          rowfilter.Row
	err          error // encoding failed
	unknownStuck int
	direct       bool // read on the caller's goroutine, in order
}

func (w *rowsWriter) newPart(rc *rowfilter.Classifier, direct bool) *rowsPart {
	p := &rowsPart{out: w, rc: rc, direct: direct}
	if w.format == "jsonl" {
		p.enc = rowout.NewJSONL(&p.buf, rowout.Rows, w.opts)
	} else {
		p.enc = rowout.NewCSVRows(&p.buf, rowout.Rows, w.opts)
	}
	return p
}

// chunkPart returns a part for a chunk decoded on a worker.
func (w *rowsWriter) chunkPart() export.Part {
	select {
	case p := <-w.free:
		return p
	default:
		return w.newPart(w.rc.Fork(), false)
	}
}

// directPart returns a part for rows read on the caller's goroutine.
func (w *rowsWriter) directPart() export.Part {
	w.direct = w.newPart(w.rc, true)
	return w.direct
}

func (p *rowsPart) Add(rec *export.Record) {
	if p.err != nil || p.out.failed.Load() || !p.out.filter.Match(rec, p.rc) {
		return
	}
	p.rc.Fill(rec, &p.row)
	if p.row.Stuck == nil && rec.HasTime {
		p.unknownStuck++
	}
	p.err = p.enc.Write(&p.row)
	if p.direct && p.buf.Len() >= directFlushBytes {
		p.flush()
	}
}

// Merge writes the part's rows to the output, in input order.
func (p *rowsPart) Merge() {
	p.flush()
	if !p.direct {
		p.row = rowfilter.Row{} // holds views into the chunk's buffer
		select {
		case p.out.free <- p:
		default: // enough kept
		}
	}
}

// flush writes what the part encoded so far to the output, on the
// caller's goroutine. The first error is kept; nothing is written after it.
func (p *rowsPart) flush() {
	w := p.out
	if p.err == nil {
		p.err = p.enc.Close() // the CSV writer's own buffer
	}
	w.unknownStuck += p.unknownStuck
	p.unknownStuck = 0
	switch {
	case w.err != nil:
	case p.err != nil:
		w.fail(p.err)
	case p.buf.Len() > 0:
		if _, err := w.w.Write(p.buf.Bytes()); err != nil {
			w.fail(err)
		}
	}
	p.buf.Reset()
	p.err = nil
}

func (w *rowsWriter) fail(err error) {
	w.err = err
	w.failed.Store(true)
}

// writeRowsParallel writes the header, then the rows of every input
// encoded in parallel (see above). On an input error the rows before it
// are written whole, whatever the number of workers, before the error is
// returned.
func writeRowsParallel(env Env, paths []string, ro *ReadOptions, out io.Writer, format string,
	filter *rowfilter.Filter, rc *rowfilter.Classifier) (unknownStuck int, err error) {
	if ro.Workers < 0 || ro.ChunkBytes < 0 {
		return 0, usageErrorf("", "--workers and --chunk-bytes must not be negative")
	}
	opts := rowout.Options{Redact: ro.Redact}
	if format != "jsonl" {
		header, err := rowout.NewCSV(out, rowout.Rows, opts)
		if err != nil {
			return 0, err
		}
		if err := header.Close(); err != nil {
			return 0, err
		}
	}
	w := &rowsWriter{w: out, format: format, opts: opts, filter: filter, rc: rc,
		free: make(chan *rowsPart, freeParts)}
	err = scanRowsParallel(env, paths, ro, w)
	if w.direct != nil {
		w.direct.flush() // the rows read before an input error
	}
	if w.err != nil {
		return w.unknownStuck, w.err
	}
	return w.unknownStuck, err
}

func scanRowsParallel(env Env, paths []string, ro *ReadOptions, w *rowsWriter) error {
	rs, err := ro.reading(env, paths)
	defer rs.done()
	if err != nil {
		return err
	}
	defer limitHeapWhileReading(env)()
	par := export.Parallel{Workers: ro.Workers, ChunkSize: ro.ChunkBytes,
		NewPart: w.chunkPart, Direct: w.directPart}
	_, err = export.ScanParallel(paths, rs.opts, par)
	return err
}

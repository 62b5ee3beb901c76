package csvfast

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// ParallelOptions configure ScanParallel.
type ParallelOptions struct {
	Options
	// Workers is the number of goroutines scanning chunks; 0 means
	// runtime.GOMAXPROCS(0). With 1 the input is scanned sequentially,
	// without chunking.
	Workers int
	// ChunkSize is the size of the blocks handed to workers; 0 means
	// DefaultChunkSize.
	ChunkSize int
	// Serial, when set, is called on the calling goroutine after each
	// merge: while it returns true, a chunk is handed to a worker only
	// once the chunk before it is merged, so that its scan starts from
	// all that the merges learnt before it (ScanParallelRest only).
	Serial func() bool
}

// HeaderError wraps what went wrong reading the first record: io.EOF when
// the input holds no record, a *csv.ParseError, a *TooLargeError or a read
// error.
type HeaderError struct{ Err error }

func (e *HeaderError) Error() string { return fmt.Sprintf("reading the header: %v", e.Err) }
func (e *HeaderError) Unwrap() error { return e.Err }

// ScanParallel reads a CSV input whose first record is a header, with the
// records after it split across workers, and gives the same results as
// one sequential Scanner would.
//
// header is called first, on the calling goroutine, with the header's
// fields (valid during the call) and line. Then scan is called once per chunk, on a
// worker goroutine, with a Scanner over that chunk: it must call Read until
// io.EOF (or return an error) and returns the chunk's partial result; the
// Scanner expects the header's field count. merge is called on the calling
// goroutine with each chunk's result, in input order, so merging partial
// aggregates in that order reproduces a sequential pass (warnings included,
// if scan collects them in its result rather than printing them).
//
// When a chunk's scan saw a quote error or its chunk is Cut (see Chunker),
// its result and the results of the chunks after it are discarded and scan
// is called once more, on the calling goroutine, with a Scanner reading
// sequentially from that chunk's start to the end of the input. An error
// returned by scan for a chunk that is kept, or by merge, stops everything
// and is returned. scan must therefore have no effect outside its result.
func ScanParallel[T any](r io.Reader, o ParallelOptions, header func(fields [][]byte, line int) error, scan func(*Scanner) (T, error), merge func(T) error) error {
	if !validDelim(orComma(o.Comma)) {
		return ErrInvalidDelim
	}
	workers := workerCount(o.Workers)
	if workers == 1 {
		return scanSequential(r, 1, 0, o.Options, header, scan, merge)
	}
	c := NewChunker(r, ChunkerOptions{ChunkSize: o.ChunkSize, MaxRecordBytes: o.MaxRecordBytes})
	first, err := c.Next()
	if err == io.EOF {
		return &HeaderError{Err: io.EOF}
	}
	if err != nil {
		return err
	}
	rest, fieldsPer, ok, err := readHeaderFromChunk(first, o.Options, header)
	if err != nil {
		return err
	}
	if !ok { // the header needs the sequential path's answer
		return scanSequential(chunksThen(c, first), 1, 0, o.Options, header, scan, merge)
	}
	p := &pipeline[T]{chunker: c, opts: o.Options, scan: scan, merge: merge, stop: make(chan struct{})}
	p.opts.FieldsPerRecord = fieldsPer
	return p.run(rest, workers)
}

func orComma(r rune) rune {
	if r == 0 {
		return ','
	}
	return r
}

// readHeaderFromChunk reads the header from the first chunk. ok is false
// when the chunk cannot tell (a quote error, a Cut chunk, no record in it):
// the sequential path then reads the header itself.
func readHeaderFromChunk(first Chunk, o Options, header func(fields [][]byte, line int) error) (rest Chunk, fieldsPer int, ok bool, err error) {
	if first.Cut {
		return Chunk{}, 0, false, nil
	}
	s, err := NewBytesScanner(first.Data, 1, o)
	if err != nil {
		return Chunk{}, 0, false, err
	}
	fields, err := s.Read()
	if err != nil {
		return Chunk{}, 0, false, nil
	}
	if err := header(fields, s.Line()); err != nil {
		return Chunk{}, 0, false, err
	}
	rest = first
	rest.Data = first.Data[s.pos:]
	rest.Offset += int64(s.pos)
	rest.FirstLine = s.line
	return rest, s.FieldsPerRecord(), true, nil
}

// chunksThen reads the given chunks' data and then the chunker's
// remainder.
func chunksThen(c *Chunker, chunks ...Chunk) io.Reader {
	readers := make([]io.Reader, 0, len(chunks)+1)
	for _, ch := range chunks {
		readers = append(readers, bytes.NewReader(ch.Data))
	}
	return io.MultiReader(append(readers, c.Remainder())...)
}

// scanSequential scans r, which starts at line firstLine and input offset
// offset, with one Scanner; it reads the header first when header is set.
func scanSequential[T any](r io.Reader, firstLine int, offset int64, o Options, header func(fields [][]byte, line int) error, scan func(*Scanner) (T, error), merge func(T) error) error {
	s, err := NewScanner(r, o)
	if err != nil {
		return err
	}
	s.line, s.base = firstLine, offset
	if header != nil {
		fields, err := s.Read()
		if err != nil {
			return &HeaderError{Err: err}
		}
		if err := header(fields, s.Line()); err != nil {
			return err
		}
	}
	result, err := scan(s)
	if err != nil {
		return err
	}
	return merge(result)
}

// ErrRescan, returned by merge for a chunk's result, discards that result
// and the results of the chunks after it: the rest of the input, from that
// chunk's start, is read again sequentially, as after a quote error. A
// caller returns it when a chunk's result depends on what came before it
// in a way merging cannot reproduce; merge must then have changed nothing.
var ErrRescan = errors.New("csvfast: read the rest of the input sequentially")

// ScanParallelRest is ScanParallel for an input whose header the caller
// has read: r holds what follows it, starting at line firstLine and input
// offset offset. Chunks are scanned as by ScanParallel, but what follows a
// suspect chunk, a chunk whose scan returned an error, or a chunk whose
// merge returned ErrRescan, is handed to rescan on the calling goroutine,
// as a reader with the line and offset it starts at; its result is merged
// like a chunk's. With one worker rescan reads all of r.
func ScanParallelRest[T any](r io.Reader, firstLine int, offset int64, o ParallelOptions, scan func(*Scanner) (T, error), rescan func(r io.Reader, firstLine int, offset int64) (T, error), merge func(T) error) error {
	if !validDelim(orComma(o.Comma)) {
		return ErrInvalidDelim
	}
	workers := workerCount(o.Workers)
	if workers == 1 {
		return rescanThenMerge(r, firstLine, offset, rescan, merge)
	}
	c := NewChunker(r, ChunkerOptions{ChunkSize: o.ChunkSize, MaxRecordBytes: o.MaxRecordBytes})
	c.line, c.offset = firstLine, offset
	if o.Serial != nil {
		c.fill = min(firstChunk, c.size)
	}
	first, err := c.Next()
	c.fill = c.size
	if err == io.EOF {
		return rescanThenMerge(bytes.NewReader(nil), firstLine, offset, rescan, merge)
	}
	if err != nil {
		return rescanThenMerge(c.Remainder(), firstLine, offset, rescan, merge)
	}
	p := &pipeline[T]{chunker: c, opts: o.Options, scan: scan, rescan: rescan, merge: merge, stop: make(chan struct{}), serial: o.Serial}
	return p.run(first, workers)
}

func rescanThenMerge[T any](r io.Reader, firstLine int, offset int64, rescan func(io.Reader, int, int64) (T, error), merge func(T) error) error {
	result, err := rescan(r, firstLine, offset)
	if err != nil {
		return err
	}
	return merge(result)
}

// pipeline runs chunks through workers and merges their results in order.
type pipeline[T any] struct {
	chunker *Chunker
	opts    Options
	scan    func(*Scanner) (T, error)
	merge   func(T) error
	// rescan, when set, reads the input sequentially from a chunk that
	// cannot be kept (ScanParallelRest).
	rescan func(r io.Reader, firstLine int, offset int64) (T, error)

	stop     chan struct{} // closed when the caller stops consuming
	leftover *job[T]       // a chunk read but not queued when stopped
	readErr  error
	// serial, when set, says after each merge whether the next chunks
	// wait for the merge of the one before them (ParallelOptions.Serial);
	// holding is its last answer.
	serial  func() bool
	holding atomic.Bool
	decided atomic.Bool // serial has been asked once
}

type job[T any] struct {
	chunk   Chunk
	done    chan struct{}
	merged  chan struct{} // closed once its result is merged
	result  T
	err     error
	suspect bool // a quote error or a Cut chunk: fall back from here
}

func (p *pipeline[T]) run(first Chunk, workers int) error {
	jobs := make(chan *job[T], workers)
	order := make(chan *job[T], 2*workers) // bounds the chunks in memory
	produced := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.work(jobs)
		}()
	}
	go func() {
		defer close(produced)
		defer close(order)
		defer close(jobs)
		p.produce(first, jobs, order)
	}()
	err := p.consume(order, produced)
	wg.Wait()
	return err
}

// produce reads chunks and queues each twice: in order for the consumer,
// and for the workers.
func (p *pipeline[T]) produce(firstCh Chunk, jobs, order chan<- *job[T]) {
	next := p.newJob(firstCh)
	first, queued := next, 0
	last := false
	for {
		select {
		case order <- next:
		case <-p.stop:
			p.leftover = next
			return
		}
		select {
		case jobs <- next:
		case <-p.stop:
			return
		}
		if last {
			return
		}
		if queued++; !p.steer(first, next, queued) {
			return
		}
		ch, err := p.chunker.Next()
		if err == io.EOF {
			return
		}
		if err != nil && p.rescan == nil {
			p.readErr = err
			return
		}
		if err != nil {
			// An empty Cut chunk where the error came: the rest is read
			// sequentially from there (the bytes before the error, then
			// the error, see Chunker.Remainder), which reports the error
			// on the line a sequential pass would.
			ch, last = Chunk{Offset: p.chunker.offset, FirstLine: p.chunker.line, Cut: true}, true
		}
		next = p.newJob(ch)
	}
}

// steer decides, before the chunk after prev is read, whether it waits
// and how large it is (ParallelOptions.Serial). Until the first merge
// has answered, the third chunk on waits for it, so that few rows are
// read ahead of that answer; while the consumer asks for it, a chunk is
// read once prev is merged, and small, so that the part crossing what
// the merges wait for (the cap of codes) keeps little past it. It
// reports false when the consumer stopped.
func (p *pipeline[T]) steer(first, prev *job[T], queued int) bool {
	if p.serial == nil {
		return true
	}
	wait := func(j *job[T]) bool {
		select {
		case <-j.merged:
			return true
		case <-p.stop:
			return false
		}
	}
	if queued >= 2 && !p.decided.Load() && !wait(first) {
		return false
	}
	if p.holding.Load() {
		if !wait(prev) {
			return false
		}
		p.chunker.fill = min(smallChunk, p.chunker.size)
	} else {
		p.chunker.fill = p.chunker.size
	}
	return true
}

// firstChunk is the size of the first chunk when ParallelOptions.Serial is
// set: its merge, the first answer, comes sooner, and on a broken export
// the second chunk, read beside it, crosses the cap of codes earlier.
const firstChunk = 256 << 10

// smallChunk is the size of the chunks read while the consumer asks for
// them one at a time (ParallelOptions.Serial): hundreds of rows.
const smallChunk = 64 << 10

func (p *pipeline[T]) newJob(ch Chunk) *job[T] {
	return &job[T]{chunk: ch, done: make(chan struct{}), merged: make(chan struct{})}
}

func (p *pipeline[T]) work(jobs <-chan *job[T]) {
	s, _ := NewBytesScanner(nil, 1, p.opts) // options were checked
	for j := range jobs {
		select {
		case <-p.stop: // results no longer wanted
		default:
			if j.chunk.Cut {
				j.suspect = true
				break
			}
			s.Reset(j.chunk.Data, j.chunk.FirstLine)
			s.base = j.chunk.Offset
			j.result, j.err = p.scan(s)
			j.suspect = s.QuoteErrors() > 0
		}
		close(j.done)
	}
}

// consume merges results in order; at the first suspect chunk it stops the
// producer and scans the rest of the input sequentially.
func (p *pipeline[T]) consume(order <-chan *job[T], produced <-chan struct{}) error {
	for j := range order {
		<-j.done
		redo := j.suspect || (p.rescan != nil && j.err != nil)
		err := j.err
		if !redo && err == nil {
			err = p.merge(j.result)
			redo = p.rescan != nil && errors.Is(err, ErrRescan)
		}
		if redo {
			return p.sequentialFrom(j, order, produced)
		}
		if err != nil {
			close(p.stop)
			for range order { // let the producer finish
			}
			return err
		}
		p.chunker.Release(j.chunk)
		if p.serial != nil {
			p.holding.Store(p.serial())
			p.decided.Store(true)
		}
		close(j.merged)
	}
	return p.readErr
}

// sequentialFrom stops the producer and reads the input from j's chunk on
// sequentially.
func (p *pipeline[T]) sequentialFrom(j *job[T], order <-chan *job[T], produced <-chan struct{}) error {
	close(p.stop)
	<-produced
	rest := []Chunk{j.chunk}
	for later := range order {
		rest = append(rest, later.chunk)
	}
	if p.leftover != nil {
		rest = append(rest, p.leftover.chunk)
	}
	r := chunksThen(p.chunker, rest...)
	if p.rescan != nil {
		return rescanThenMerge(r, j.chunk.FirstLine, j.chunk.Offset, p.rescan, p.merge)
	}
	return scanSequential(r, j.chunk.FirstLine, j.chunk.Offset, p.opts, nil, p.scan, p.merge)
}

// workerCount is the number of workers to use: n, or one per usable CPU
// (GOMAXPROCS) when n is 0 or less.
func workerCount(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

package csvfast

import (
	"bytes"
	"io"
)

// DefaultChunkSize is the size of the blocks a Chunker reads: large enough
// that handing a chunk to a worker costs little, small enough that a few
// chunks in flight keep memory flat.
const DefaultChunkSize = 2 << 20

// Chunk is a run of whole lines of the input, cut where a record may
// start, that a worker can scan alone with a Scanner from NewBytesScanner
// or Reset.
type Chunk struct {
	Data      []byte
	Offset    int64 // input offset of Data[0]
	FirstLine int   // line number of Data[0]
	// Cut is set when no line break outside quotes was found within
	// ChunkSize+MaxRecordBytes bytes: Data ends inside a line and must be
	// read sequentially with what follows.
	Cut bool

	buf []byte // the pooled buffer Data lives in
}

// ChunkerOptions configure a Chunker.
type ChunkerOptions struct {
	ChunkSize      int // 0 means DefaultChunkSize
	MaxRecordBytes int // how far a chunk may grow to end a record; 0 means DefaultMaxRecordBytes
}

// Chunker splits an input into chunks at line breaks outside quotes.
//
// Quote parity is counted from the start of each chunk, which is the
// start of a record when the input is well formed: there, a '\n' after an
// even number of quotes ends a record (or an empty line) and one after an
// odd number is inside a quoted field. Malformed quoting (a bare quote, a
// quote followed by other text) can make a cut fall inside a record; the
// Scanner reports such input as ErrBareQuote or ErrQuote, so a chunk whose
// scan saw a quote error (Scanner.QuoteErrors) or that is Cut proves
// nothing about where the next chunk starts: ScanParallel then reads the
// rest of the input sequentially from that chunk's start. A chunk scanned
// without quote errors from a record start ends at a record start, so
// every chunk before the first suspect one is scanned exactly as a
// sequential scan would.
//
// Next is called from one goroutine; Release may be called from another.
type Chunker struct {
	r      io.Reader
	size   int
	max    int // largest chunk: size + MaxRecordBytes
	carry  []byte
	offset int64
	line   int
	eof    bool
	err    error // the read error Next returned
	free   chan []byte
	// fill is how much the next chunk reads before it looks for a cut:
	// size, unless the pipeline asks for less (see pipeline.steer).
	fill int
}

// NewChunker returns a Chunker reading r from line 1.
func NewChunker(r io.Reader, o ChunkerOptions) *Chunker {
	size := o.ChunkSize
	if size <= 0 {
		size = DefaultChunkSize
	}
	maxRec := o.MaxRecordBytes
	if maxRec <= 0 {
		maxRec = DefaultMaxRecordBytes
	}
	return &Chunker{r: r, size: size, max: size + maxRec, line: 1, free: make(chan []byte, 16), fill: size}
}

// Next returns the next chunk, or io.EOF after the last one. Chunk data
// stays valid until the chunk is released.
func (c *Chunker) Next() (Chunk, error) {
	if c.err != nil {
		return Chunk{}, c.err
	}
	if c.eof && len(c.carry) == 0 {
		return Chunk{}, io.EOF
	}
	buf := c.buffer(len(c.carry))
	n := copy(buf, c.carry)
	fill := max(c.fill, n)
	for {
		var err error
		n, err = c.read(buf[:min(fill, len(buf))], n)
		if err != nil {
			// Keep what was read: Remainder gives it, then the error,
			// so a sequential scan reports the error where it came.
			c.carry, c.err = append(c.carry[:0], buf[:n]...), err
			return Chunk{}, err
		}
		if c.eof {
			return c.emit(buf, n, n, false), nil
		}
		if cut := lastRecordStart(buf[:n]); cut > 0 {
			return c.emit(buf, cut, n, false), nil
		}
		if fill < len(buf) { // no record start yet: read the whole buffer
			fill = len(buf)
			continue
		}
		if len(buf) >= c.max {
			return c.emit(buf, n, n, true), nil
		}
		bigger := make([]byte, min(2*len(buf), c.max))
		copy(bigger, buf[:n])
		buf, fill = bigger, len(bigger)
	}
}

// buffer returns a pooled or new buffer able to hold need bytes and a
// chunk's worth more.
func (c *Chunker) buffer(need int) []byte {
	if need < c.size/2 {
		select {
		case b := <-c.free:
			return b
		default:
		}
	}
	return make([]byte, max(c.size, 2*need))
}

// read fills buf from n until it is full or the input ends.
func (c *Chunker) read(buf []byte, n int) (int, error) {
	for n < len(buf) && !c.eof {
		m, err := c.r.Read(buf[n:])
		n += m
		if err == io.EOF {
			c.eof = true
		} else if err != nil {
			return n, err
		}
	}
	return n, nil
}

// emit returns buf[:cut] as a chunk and keeps buf[cut:n] for the next.
func (c *Chunker) emit(buf []byte, cut, n int, partial bool) Chunk {
	ch := Chunk{Data: buf[:cut], Offset: c.offset, FirstLine: c.line, Cut: partial, buf: buf}
	c.carry = append(c.carry[:0], buf[cut:n]...)
	c.offset += int64(cut)
	c.line += bytes.Count(ch.Data, nl)
	return ch
}

// lastRecordStart returns the offset just past the last '\n' of b preceded
// by an even number of quotes, or 0 when there is none.
func lastRecordStart(b []byte) int {
	quotes := bytes.Count(b, quoteByte)
	end := len(b)
	for {
		i := bytes.LastIndexByte(b[:end], '\n')
		if i < 0 {
			return 0
		}
		quotes -= bytes.Count(b[i+1:end], quoteByte)
		if quotes%2 == 0 {
			return i + 1
		}
		end = i
	}
}

var quoteByte = []byte{'"'}

// Release gives a chunk's buffer back for reuse; its data must no longer
// be used.
func (c *Chunker) Release(ch Chunk) {
	if len(ch.buf) != c.size {
		return // grown for a long record: let it go
	}
	select {
	case c.free <- ch.buf:
	default:
	}
}

// Remainder returns the input after the last chunk returned: the bytes
// already read but not yet handed out, then the rest of the reader. Next
// must not be called afterwards.
func (c *Chunker) Remainder() io.Reader {
	rest := bytes.NewReader(c.carry)
	if c.err != nil {
		return io.MultiReader(rest, errReader{c.err})
	}
	if c.eof {
		return rest
	}
	return io.MultiReader(rest, c.r)
}

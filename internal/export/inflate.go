package export

import (
	"bytes"
	"io"
	"sync"
)

// inflateBlockSize is the size of the blocks the decompressing goroutine
// hands over; inflateBlocks of them may wait, so it runs ahead of the
// reader by at most 4 MiB.
const (
	inflateBlockSize = 1 << 20
	inflateBlocks    = 4
)

// asyncReader reads r on a goroutine of its own, a block ahead of its
// caller: decompression then runs beside the chunking and the decoding
// instead of between them. Read errors, io.EOF included, are sticky and
// come after the data read before them, as from r. Stop ends the
// goroutine (at its next block, if it is waiting on r); Detach ends it
// and returns the rest of the stream, to be read without it.
type asyncReader struct {
	r      io.Reader
	blocks chan []byte
	free   chan []byte
	done   chan struct{}
	exited chan struct{} // closed when the goroutine has returned
	stop   sync.Once
	cur    []byte // the block being read
	buf    []byte // cur's whole buffer, returned to free when read
	err    error  // set by the goroutine before it closes blocks
	// held is a block the goroutine read but could not hand over before
	// it was stopped; set before it closes blocks.
	held []byte
}

func newAsyncReader(r io.Reader) *asyncReader {
	a := &asyncReader{
		r:      r,
		blocks: make(chan []byte, inflateBlocks),
		free:   make(chan []byte, inflateBlocks+1),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	go a.fill()
	return a
}

func (a *asyncReader) fill() {
	defer close(a.exited)
	defer close(a.blocks)
	for {
		select {
		case <-a.done:
			return
		default:
		}
		var b []byte
		select {
		case b = <-a.free:
		default:
			b = make([]byte, inflateBlockSize)
		}
		n, err := readBlock(a.r, b)
		if n > 0 {
			select {
			case a.blocks <- b[:n]:
			case <-a.done:
				a.held = b[:n]
				if err != nil {
					a.err = err
				}
				return
			}
		}
		if err != nil {
			a.err = err
			return
		}
	}
}

func (a *asyncReader) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.buf != nil {
			select {
			case a.free <- a.buf[:cap(a.buf)]:
			default:
			}
			a.buf = nil
		}
		b, ok := <-a.blocks
		if !ok {
			return 0, a.err // closed after err was set
		}
		a.cur, a.buf = b, b
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Stop tells the goroutine to end; Read must not be called afterwards.
func (a *asyncReader) Stop() {
	a.stop.Do(func() { close(a.done) })
}

// Detach ends the goroutine and returns what Read would still have
// given: the blocks it read ahead, then the rest of r read directly on
// the caller's goroutine. A reader that already runs beside the
// decoding (the chunker of ScanParallel) reads it so, straight into its
// own buffers, without the block in between. Read must not be called
// afterwards.
func (a *asyncReader) Detach() io.Reader {
	a.Stop()
	<-a.exited
	parts := []io.Reader{bytes.NewReader(a.cur)}
	for b := range a.blocks {
		parts = append(parts, bytes.NewReader(b))
	}
	if a.held != nil {
		parts = append(parts, bytes.NewReader(a.held))
	}
	switch {
	case a.err == io.EOF:
	case a.err != nil:
		parts = append(parts, errReader{a.err})
	default:
		parts = append(parts, a.r)
	}
	a.cur, a.buf = nil, nil
	return io.MultiReader(parts...)
}

// errReader returns its error on every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// readBlock fills b from r up to the first error, which it returns as r
// gave it (io.ReadFull would turn an early io.EOF into
// io.ErrUnexpectedEOF, the error of a truncated gzip stream).
func readBlock(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

package export

import (
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
// goroutine (at its next block, if it is waiting on r).
type asyncReader struct {
	blocks chan []byte
	free   chan []byte
	done   chan struct{}
	stop   sync.Once
	cur    []byte // the block being read
	buf    []byte // cur's whole buffer, returned to free when read
	err    error  // set by the goroutine before it closes blocks
}

func newAsyncReader(r io.Reader) *asyncReader {
	a := &asyncReader{
		blocks: make(chan []byte, inflateBlocks),
		free:   make(chan []byte, inflateBlocks+1),
		done:   make(chan struct{}),
	}
	go a.fill(r)
	return a
}

func (a *asyncReader) fill(r io.Reader) {
	defer close(a.blocks)
	for {
		var b []byte
		select {
		case b = <-a.free:
		default:
			b = make([]byte, inflateBlockSize)
		}
		n, err := readBlock(r, b)
		if n > 0 {
			select {
			case a.blocks <- b[:n]:
			case <-a.done:
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

package export

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// pieces gives data in reads of at most n bytes, then err.
type pieces struct {
	data []byte
	n    int
	err  error
}

func (p *pieces) Read(b []byte) (int, error) {
	if len(p.data) == 0 {
		return 0, p.err
	}
	m := copy(b[:min(len(b), p.n)], p.data)
	p.data = p.data[m:]
	return m, nil
}

// Detach hands over exactly the bytes Read has not returned, in order,
// then the error that ended the stream, whether the goroutine was
// reading, waiting with a block it could not hand over, or done.
func TestAsyncReaderDetach(t *testing.T) {
	data := make([]byte, 7*inflateBlockSize+12345)
	for i := range data {
		data[i] = byte(i * 7 / 5)
	}
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		size int   // bytes in the stream
		err  error // what ends it
		read int   // bytes read before Detach
		full bool  // wait until the goroutine holds a block it cannot hand over
	}{
		{"nothing read", len(data), io.EOF, 0, false},
		{"nothing read, goroutine blocked", len(data), io.EOF, 0, true},
		{"part of a block read, blocked", len(data), io.EOF, 1000, true},
		{"blocks read", len(data), io.EOF, 2*inflateBlockSize + 7, false},
		{"all read", len(data), io.EOF, len(data), false},
		{"truncated, blocked", len(data), io.ErrUnexpectedEOF, 10, true},
		{"error after a short stream", 5000, boom, 100, false},
		{"error after a short stream, waited", 5000, boom, 0, true},
		{"empty stream", 0, io.EOF, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAsyncReader(&pieces{data: data[:tc.size], n: 40000, err: tc.err})
			got := make([]byte, tc.read)
			if _, err := io.ReadFull(a, got); err != nil {
				t.Fatal(err)
			}
			if tc.full {
				// Blocked sending, or ended: the stream is short.
				deadline := time.Now().Add(5 * time.Second)
				for len(a.blocks) < inflateBlocks && time.Now().Before(deadline) {
					select {
					case <-a.exited:
						deadline = time.Now()
					default:
						time.Sleep(time.Millisecond)
					}
				}
				time.Sleep(10 * time.Millisecond)
			}
			rest, err := io.ReadAll(a.Detach())
			if want := tc.err; want == io.EOF {
				want = nil
				if err != want {
					t.Errorf("error %v, want %v", err, want)
				}
			} else if err != tc.err {
				t.Errorf("error %v, want %v", err, tc.err)
			}
			got = append(got, rest...)
			if !bytes.Equal(got, data[:tc.size]) {
				t.Errorf("got %d bytes, want the %d of the stream", len(got), tc.size)
			}
		})
	}
}

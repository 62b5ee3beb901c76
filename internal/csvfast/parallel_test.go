package csvfast

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/spoke-status/spoke-status/internal/synth"
)

func TestChunkerCoversTheInputAtLineStarts(t *testing.T) {
	in := synthExport(t, "statevoices-v10", 2000, 0) // CRLF, quoted texts
	for _, size := range []int{1, 100, 4096, 1 << 20} {
		c := NewChunker(iotest.HalfReader(bytes.NewReader(in)), ChunkerOptions{ChunkSize: size})
		var joined []byte
		line, n := 1, 0
		for {
			ch, err := c.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if ch.Offset != int64(len(joined)) || ch.FirstLine != line {
				t.Fatalf("size %d chunk %d: offset %d line %d, want %d and %d", size, n, ch.Offset, ch.FirstLine, len(joined), line)
			}
			if ch.Cut {
				t.Fatalf("size %d: chunk %d cut on well-formed input", size, n)
			}
			if !bytes.HasSuffix(ch.Data, nl) && int(ch.Offset)+len(ch.Data) != len(in) {
				t.Fatalf("size %d: chunk %d does not end a line", size, n)
			}
			if q := bytes.Count(ch.Data, quoteByte); q%2 != 0 {
				t.Fatalf("size %d: chunk %d holds %d quotes: cut inside a quoted field", size, n, q)
			}
			joined = append(joined, ch.Data...)
			line += bytes.Count(ch.Data, nl)
			n++
			c.Release(ch)
		}
		if !bytes.Equal(joined, in) {
			t.Fatalf("size %d: chunks do not add up to the input", size)
		}
		if size == 4096 && n < len(in)/4096 {
			t.Errorf("size 4096: only %d chunks for %d bytes", n, len(in))
		}
	}
}

func TestChunkerCutsWhenNoBoundaryFits(t *testing.T) {
	in := "a\n\"" + strings.Repeat("x\n", 100) + "\"\n"
	c := NewChunker(strings.NewReader(in), ChunkerOptions{ChunkSize: 8, MaxRecordBytes: 16})
	var cut bool
	var joined string
	for {
		ch, err := c.Next()
		if err == io.EOF {
			break
		}
		if len(ch.Data) > 8+16 {
			t.Fatalf("chunk of %d bytes, more than ChunkSize+MaxRecordBytes", len(ch.Data))
		}
		cut = cut || ch.Cut
		joined += string(ch.Data)
	}
	if !cut || joined != in {
		t.Errorf("cut %v, joined equal %v", cut, joined == in)
	}
}

// parallelEvents reads input with ScanParallel; the header is the first
// event, as in referenceEvents.
func parallelEvents(t testing.TB, in []byte, o ParallelOptions) ([]event, error) {
	t.Helper()
	var out []event
	header := func(fields [][]byte, line int) error {
		out = append(out, event{Line: line, Fields: stringsOf(fields)})
		return nil
	}
	scan := func(s *Scanner) ([]event, error) {
		return scanChunkEvents(s)
	}
	merge := func(evs []event) error {
		out = append(out, evs...)
		return nil
	}
	err := ScanParallel(iotest.HalfReader(bytes.NewReader(in)), o, header, scan, merge)
	return out, err
}

func scanChunkEvents(s *Scanner) ([]event, error) {
	var out []event
	for {
		rec, err := s.Read()
		if err == io.EOF {
			return out, nil
		}
		ev := event{Offset: s.Offset()}
		var tl *TooLargeError
		switch {
		case errors.As(err, &tl):
			return out, err
		case rec != nil:
			ev.Line, ev.Fields = s.Line(), stringsOf(rec)
		}
		if err != nil {
			ev.Err = err.Error()
		}
		out = append(out, ev)
	}
}

// checkParallelSameAsSequential compares ScanParallel with encoding/csv.
func checkParallelSameAsSequential(t testing.TB, in []byte, o ParallelOptions) {
	t.Helper()
	want := referenceEvents(t, in, o.Options)
	got, err := parallelEvents(t, in, o)
	var he *HeaderError
	switch {
	case errors.As(err, &he) && errors.Is(err, io.EOF):
		if len(want) != 0 {
			t.Fatalf("input %q: no header, want %v", truncate(in), want[0])
		}
		return
	case errors.As(err, &he):
		if len(want) == 0 || want[0].Err != he.Err.Error() {
			t.Fatalf("input %q: header error %v, want %v", truncate(in), he.Err, want)
		}
		return
	case err != nil:
		t.Fatalf("input %q: %v", truncate(in), err)
	}
	if len(want) > 0 {
		got[0].Offset = want[0].Offset // the header callback does not see it
	}
	if d := firstDifference(got, want); d != "" {
		t.Fatalf("workers %d chunk %d: input %q: %s", o.Workers, o.ChunkSize, truncate(in), d)
	}
}

func TestScanParallelMatchesSequentialOnSynthExports(t *testing.T) {
	for _, d := range synth.Dialects() {
		in := synthExport(t, d, 3000, 0.1)
		for _, o := range []ParallelOptions{
			{Workers: 1},
			{Workers: 2, ChunkSize: 1000},
			{Workers: 3, ChunkSize: 64 << 10},
			{Workers: 4, ChunkSize: 1},
		} {
			t.Run(fmt.Sprintf("%s/%d/%d", d, o.Workers, o.ChunkSize), func(t *testing.T) {
				checkParallelSameAsSequential(t, in, o)
			})
		}
	}
}

func TestScanParallelMatchesSequentialOnEdgeCases(t *testing.T) {
	for _, tc := range edgeCases {
		for _, size := range []int{1, 3, 8, 64} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, size), func(t *testing.T) {
				checkParallelSameAsSequential(t, []byte(tc.in), ParallelOptions{Workers: 2, ChunkSize: size})
			})
		}
	}
}

// TestScanParallelFallsBackOnBrokenQuotes: a stray quote early in a large
// input flips the chunker's quote parity for the rest; every result must
// still be the sequential one.
func TestScanParallelFallsBackOnBrokenQuotes(t *testing.T) {
	good := synthExport(t, "rewired", 2000, 0)
	i := bytes.IndexByte(good[1000:], '\n') + 1000
	broken := append(append(bytes.Clone(good[:i+1]), "x\"y,\"oops\n"...), good[i+1:]...)
	for _, size := range []int{500, 4096, 1 << 20} {
		checkParallelSameAsSequential(t, broken, ParallelOptions{Workers: 2, ChunkSize: size})
	}
	// A quote that is never closed: the sequential path gives the error.
	unclosed := append(bytes.Clone(good[:i+1]), "\"never closed,"...)
	unclosed = append(unclosed, good[i+1:]...)
	checkParallelSameAsSequential(t, unclosed, ParallelOptions{Workers: 2, ChunkSize: 4096})
}

func TestScanParallelStopsOnErrors(t *testing.T) {
	in := synthExport(t, "rewired", 3000, 0)
	boom := errors.New("boom")
	merged := 0
	err := ScanParallel(bytes.NewReader(in), ParallelOptions{Workers: 2, ChunkSize: 4096},
		func([][]byte, int) error { return nil },
		func(s *Scanner) (int, error) {
			n := 0
			for {
				if _, err := s.Read(); err == io.EOF {
					return n, nil
				}
				n++
			}
		},
		func(int) error {
			merged++
			if merged == 3 {
				return boom
			}
			return nil
		})
	if !errors.Is(err, boom) || merged != 3 {
		t.Errorf("err %v after %d merges, want boom after 3", err, merged)
	}
	err = ScanParallel(bytes.NewReader(in), ParallelOptions{Workers: 2},
		func([][]byte, int) error { return boom },
		func(*Scanner) (int, error) { t.Error("scan called after a header error"); return 0, nil },
		func(int) error { return nil })
	if !errors.Is(err, boom) {
		t.Errorf("header callback error: got %v", err)
	}
}

// FuzzScanParallelMatchesSequential: splitting any input across workers
// gives the records and errors of a sequential read.
func FuzzScanParallelMatchesSequential(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte, sel uint8) {
		o := ParallelOptions{Workers: 2 + int(sel%3), ChunkSize: 1 + int(sel/3)%40}
		checkParallelSameAsSequential(t, in, o)
	})
}

// TestScanParallelRestSerial: while Serial says so, a chunk is read only
// once the chunk before it is merged, and small; until the first merge
// has answered, no more than two chunks are handed out; the records are
// those of a sequential scan either way.
func TestScanParallelRestSerial(t *testing.T) {
	in := synthExport(t, "statevoices-v10", 20_000, 0)
	header, rest, _ := bytes.Cut(in, []byte("\n"))
	const chunk = 256 << 10
	for _, serialFrom := range []int{0, 1, 3, 1 << 30} { // Serial is true from that merge on
		t.Run(fmt.Sprint("serial from merge ", serialFrom), func(t *testing.T) {
			type part struct {
				events        []event
				mergedAtStart int64
				bytes         int
			}
			var merged atomic.Int64
			var got []event
			var parts []part
			o := ParallelOptions{Workers: 3, ChunkSize: chunk, Serial: func() bool { return merged.Load() >= int64(serialFrom) }}
			scan := func(s *Scanner) (part, error) {
				p := part{mergedAtStart: merged.Load(), bytes: -int(s.Offset())}
				evs, err := scanChunkEvents(s)
				p.events, p.bytes = evs, p.bytes+int(s.Offset())
				return p, err
			}
			rescan := func(r io.Reader, line int, offset int64) (part, error) {
				t.Fatalf("a sequential read from line %d: nothing is suspect", line)
				return part{}, nil
			}
			merge := func(p part) error {
				parts = append(parts, p)
				got = append(got, p.events...)
				merged.Add(1)
				return nil
			}
			offset := int64(len(header) + 1)
			if err := ScanParallelRest(bytes.NewReader(rest), 2, offset, o, scan, rescan, merge); err != nil {
				t.Fatal(err)
			}
			want := referenceEvents(t, in, o.Options)[1:]
			if d := firstDifference(got, want); d != "" {
				t.Fatal(d)
			}
			small := 0
			for i, p := range parts {
				if i >= 2 && p.mergedAtStart < 1 {
					t.Errorf("chunk %d read before the first merge answered", i+1)
				}
				if p.bytes <= smallChunk {
					small++
				}
				// Serial true from the first answer on: from the third
				// chunk, each is read after the one before is merged.
				if serialFrom <= 1 && i >= 2 && (p.mergedAtStart != int64(i) || p.bytes > smallChunk) {
					t.Errorf("chunk %d: read after %d merges, %d bytes; want after %d, at most %d", i+1, p.mergedAtStart, p.bytes, i, smallChunk)
				}
			}
			switch {
			case serialFrom < len(parts) && small < 2:
				t.Errorf("serial from merge %d: %d small chunks of %d", serialFrom, small, len(parts))
			case serialFrom > len(parts) && small > 1: // the last may be small
				t.Errorf("never serial: %d small chunks of %d", small, len(parts))
			}
		})
	}
}

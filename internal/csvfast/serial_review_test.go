package csvfast

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
	"time"
)

// scanRestEvents reads in past its header with ScanParallelRest, Serial
// answering serial(merges so far), the suspect chunks rescanned
// sequentially, and returns the records and errors merged.
func scanRestEvents(t testing.TB, in []byte, o ParallelOptions, serial func(merged int) bool, r func(io.Reader) io.Reader) ([]event, error) {
	t.Helper()
	header, rest, _ := bytes.Cut(in, []byte("\n"))
	merged := 0
	if serial != nil {
		o.Serial = func() bool { return serial(merged) }
	}
	var got []event
	scan := func(s *Scanner) ([]event, error) { return scanChunkEvents(s) }
	rescan := func(r io.Reader, line int, offset int64) ([]event, error) {
		s, err := NewScanner(r, o.Options)
		if err != nil {
			return nil, err
		}
		s.SetPosition(line, offset)
		var out []event
		for {
			rec, err := s.Read()
			if err == io.EOF {
				return out, nil
			}
			ev := event{Offset: s.Offset()}
			if rec != nil {
				ev.Line, ev.Fields = s.Line(), stringsOf(rec)
			}
			if err != nil {
				ev.Err = err.Error()
				if s.fatal != nil || rec == nil && !isParseErr(err) {
					return out, err
				}
			}
			out = append(out, ev)
		}
	}
	merge := func(evs []event) error {
		got = append(got, evs...)
		merged++
		return nil
	}
	done := make(chan error, 1)
	go func() {
		done <- ScanParallelRest(r(bytes.NewReader(rest)), 2, int64(len(header)+1), o, scan, rescan, merge)
	}()
	select {
	case err := <-done:
		return got, err
	case <-time.After(20 * time.Second):
		t.Fatalf("ScanParallelRest stuck: workers %d chunk %d", o.Workers, o.ChunkSize)
		return nil, nil
	}
}

func isParseErr(err error) bool {
	var pe *csv.ParseError
	return errors.As(err, &pe)
}

// TestScanParallelRestSerialKeepsRecords: whatever Serial answers, merge
// after merge, the records and errors merged are a sequential scan's,
// broken quotes (suspect chunks, a sequential read from there) included.
func TestScanParallelRestSerialKeepsRecords(t *testing.T) {
	good := synthExport(t, "rewired", 1000, 0.1) // 3,000 rows ran 16 s under -race
	i := bytes.IndexByte(good[40000:], '\n') + 40000
	broken := append(append(bytes.Clone(good[:i+1]), "x\"y,\"oops\n"...), good[i+1:]...)
	unclosed := append(append(bytes.Clone(good[:i+1]), "\"never closed,"...), good[i+1:]...)
	serials := map[string]func(int) bool{
		"always":    func(int) bool { return true },
		"never":     func(int) bool { return false },
		"alternate": func(m int) bool { return m%2 == 1 },
		"from 3":    func(m int) bool { return m >= 3 },
		"until 3":   func(m int) bool { return m < 3 },
	}
	for name, in := range map[string][]byte{"good": good, "broken": broken, "unclosed": unclosed} {
		want := referenceEvents(t, in, Options{})[1:]
		for sname, serial := range serials {
			for _, o := range []ParallelOptions{{Workers: 2, ChunkSize: 1}, {Workers: 2, ChunkSize: 700}, {Workers: 3, ChunkSize: 4096}, {Workers: 4, ChunkSize: 100 << 10}} {
				for _, oneByte := range []bool{false, true} {
					if oneByte && o.ChunkSize == 1 {
						continue // as much as every other case together, under -race
					}
					r := func(r io.Reader) io.Reader { return r }
					if oneByte {
						r = iotest.OneByteReader
					}
					got, err := scanRestEvents(t, in, o, serial, r)
					if err != nil {
						t.Fatalf("%s, serial %s, %+v: %v", name, sname, o, err)
					}
					if d := firstDifference(got, want); d != "" {
						t.Fatalf("%s, serial %s, workers %d chunk %d one byte %v: %s", name, sname, o.Workers, o.ChunkSize, oneByte, d)
					}
				}
			}
		}
	}
}

// TestScanParallelRestSerialReadError: a read error while Serial holds
// ends the scan with that error, after the records before it, without
// waiting forever.
func TestScanParallelRestSerialReadError(t *testing.T) {
	in := synthExport(t, "rewired", 3000, 0)
	boom := errors.New("boom")
	for _, at := range []int{100, 5000, 50_000, 200_000} {
		for _, serial := range []bool{false, true} {
			r := func(r io.Reader) io.Reader {
				return io.MultiReader(io.LimitReader(r, int64(at)), iotest.ErrReader(boom))
			}
			_, err := scanRestEvents(t, in, ParallelOptions{Workers: 3, ChunkSize: 1000}, func(int) bool { return serial }, r)
			if !errors.Is(err, boom) {
				t.Errorf("read error at %d, serial %v: %v, want boom", at, serial, err)
			}
		}
	}
}

// TestScanParallelRestSerialMergeError: a merge error stops the producer
// even while it waits for a merge.
func TestScanParallelRestSerialMergeError(t *testing.T) {
	in := synthExport(t, "rewired", 3000, 0)
	header, rest, _ := bytes.Cut(in, []byte("\n"))
	boom := errors.New("boom")
	for _, failAt := range []int{1, 2, 3, 10} {
		for seed := uint64(0); seed < 4; seed++ {
			rnd := rand.New(rand.NewPCG(seed, 2))
			merged := 0
			o := ParallelOptions{Workers: 2, ChunkSize: 2000, Serial: func() bool { return rnd.IntN(2) == 0 }}
			done := make(chan error, 1)
			go func() {
				done <- ScanParallelRest(bytes.NewReader(rest), 2, int64(len(header)+1), o,
					func(s *Scanner) (int, error) { evs, err := scanChunkEvents(s); return len(evs), err },
					func(io.Reader, int, int64) (int, error) { return 0, fmt.Errorf("rescan") },
					func(int) error {
						if merged++; merged == failAt {
							return boom
						}
						return nil
					})
			}()
			select {
			case err := <-done:
				if !errors.Is(err, boom) {
					t.Errorf("fail at %d: %v", failAt, err)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("stuck after a merge error at %d", failAt)
			}
		}
	}
}

package csvfast

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
)

var benchInput = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if _, err := synthWrite(&b, "rewired", 100_000); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkScanner compares the decoders on a 100,000-row Rewired export
// held in memory; each counts the records it reads.
//
//	go test -run '^$' -bench Scanner -benchmem ./internal/csvfast
func BenchmarkScanner(b *testing.B) {
	in := benchInput()
	run := func(name string, read func() int) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if n := read(); n != 100_001 {
					b.Fatalf("read %d records", n)
				}
			}
		})
	}
	run("csvfast", func() int {
		s, _ := NewScanner(bytes.NewReader(in), Options{})
		return countRecords(s)
	})
	run("csvfast-bytes", func() int {
		s, _ := NewBytesScanner(in, 1, Options{})
		return countRecords(s)
	})
	run("csvfast-parallel", func() int {
		n := 0
		ScanParallel(bytes.NewReader(in), ParallelOptions{},
			func([][]byte, int) error { n++; return nil },
			func(s *Scanner) (int, error) { return countRecords(s), nil },
			func(k int) error { n += k; return nil })
		return n
	})
	run("encoding-csv-reuse", func() int {
		cr := csv.NewReader(bytes.NewReader(in))
		cr.ReuseRecord = true
		n := 0
		for {
			if _, err := cr.Read(); err == io.EOF {
				return n
			}
			n++
		}
	})
}

func countRecords(s *Scanner) int {
	n := 0
	for {
		_, err := s.Read()
		if err == io.EOF {
			return n
		}
		n++
	}
}

// BenchmarkChunker measures the splitter alone: reading blocks, counting
// quotes and lines.
func BenchmarkChunker(b *testing.B) {
	in := benchInput()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		c := NewChunker(bytes.NewReader(in), ChunkerOptions{})
		for {
			ch, err := c.Next()
			if err == io.EOF {
				break
			}
			c.Release(ch)
		}
	}
}

// BenchmarkScanFile reads a large export from disk (page cache) with the
// sequential Scanner and with ScanParallel, counting records:
//
//	CSVFAST_BENCH_FILE=big.csv go test -run '^$' -bench ScanFile -benchtime 3x ./internal/csvfast
func BenchmarkScanFile(b *testing.B) {
	path := os.Getenv("CSVFAST_BENCH_FILE")
	if path == "" {
		b.Skip("set CSVFAST_BENCH_FILE to a large CSV file")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2, 4} {
		for _, size := range []int{512 << 10, DefaultChunkSize, 8 << 20} {
			if workers == 1 && size != DefaultChunkSize {
				continue
			}
			b.Run(fmt.Sprintf("workers=%d/chunk=%dK", workers, size>>10), func(b *testing.B) {
				b.SetBytes(st.Size())
				b.ReportAllocs()
				for b.Loop() {
					f, err := os.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					err = ScanParallel(f, ParallelOptions{Workers: workers, ChunkSize: size},
						func([][]byte, int) error { return nil },
						func(s *Scanner) (int, error) { return countRecords(s), nil },
						func(int) error { return nil })
					f.Close()
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

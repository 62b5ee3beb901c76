package export

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/spoke-status/spoke-status/internal/cputime"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// benchExport writes a realistic export of n rows to a temporary file.
func benchExport(b *testing.B, dialect string, n int) (string, int64) {
	b.Helper()
	var buf bytes.Buffer
	if _, err := synth.Write(&buf, synth.Options{Rows: n, Seed: 7, Dialect: dialect}); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "export.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path, int64(buf.Len())
}

// BenchmarkScan measures the whole reader (open, guard, CSV, fill) per
// byte of a realistic export, with each decoder: the hand-tuned fast path
// and gocsv's pull API, the reference it is tested equal to.
func BenchmarkScan(b *testing.B) {
	decoders := []struct {
		name string
		d    Decoder
	}{{"fast", DecoderFast}, {"gocsv", DecoderGocsv}}
	for _, dialect := range []string{synth.DialectStateVoicesV10, synth.DialectRewired} {
		for _, dec := range decoders {
			b.Run(dialect+"/"+dec.name, func(b *testing.B) {
				path, size := benchExport(b, dialect, 100_000)
				b.SetBytes(size)
				b.ReportAllocs()
				for b.Loop() {
					rows := 0
					if _, err := Scan([]string{path}, Options{Decoder: dec.d}, func(*Record) error { rows++; return nil }); err != nil {
						b.Fatal(err)
					}
					if rows != 100_000 {
						b.Fatalf("rows = %d", rows)
					}
				}
			})
		}
	}
}

// BenchmarkGuard measures the guard alone: the bytes of a realistic export
// read through it, against the same copy without it (io.Copy of the file
// into io.Discard with the same buffer size).
func BenchmarkGuard(b *testing.B) {
	var buf bytes.Buffer
	if _, err := synth.Write(&buf, synth.Options{Rows: 100_000, Seed: 7, Dialect: synth.DialectRewired}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	copyBuf := make([]byte, readBufferSize)
	for _, guarded := range []bool{false, true} {
		name := "without"
		if guarded {
			name = "with"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var r io.Reader = bytes.NewReader(data)
				if guarded {
					r = newGuard(r, ',', DefaultMaxFieldBytes)
				}
				if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, copyBuf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScanViews measures the reader feeding parts on one worker,
// with each row's strings copied (one allocation per row) and as views of
// the reader's buffer (Parallel.Views).
func BenchmarkScanViews(b *testing.B) {
	path, size := benchExport(b, synth.DialectRewired, 100_000)
	for _, views := range []bool{false, true} {
		name := "copy"
		if views {
			name = "views"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				var rows int64
				par := Parallel{Workers: 1, Views: views, NewPart: func() Part { return &countPart{rows: new(int64), into: &rows} }}
				if _, err := ScanParallel([]string{path}, Options{}, par); err != nil {
					b.Fatal(err)
				}
				if rows != 100_000 {
					b.Fatalf("rows = %d", rows)
				}
			}
		})
	}
}

// BenchmarkScanStream measures the reader feeding parts on two workers
// from a stream, where the chunker reads what the header's scanner did
// not: a gzip file (decompressed on the chunker's goroutine) and
// standard input. Bytes are those of the decompressed export; cpu-ns/row
// is the process's CPU time, which holds better than wall time on a
// shared machine.
func BenchmarkScanStream(b *testing.B) {
	path, size := benchExport(b, synth.DialectRewired, 100_000)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	zw.Write(data)
	zw.Close()
	gzPath := filepath.Join(b.TempDir(), "export.csv.gz")
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, path string }{{"gzip", gzPath}, {"stdin", StdinPath}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			cpu := cputime.Used()
			for b.Loop() {
				var rows int64
				par := Parallel{Workers: 2, Views: true, NewPart: func() Part { return &countPart{rows: new(int64), into: &rows} }}
				if _, err := ScanParallel([]string{tc.path}, Options{Stdin: bytes.NewReader(data)}, par); err != nil {
					b.Fatal(err)
				}
				if rows != 100_000 {
					b.Fatalf("rows = %d", rows)
				}
			}
			b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N*100_000), "cpu-ns/row")
		})
	}
}

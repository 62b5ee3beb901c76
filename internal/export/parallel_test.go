package export

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/spoke-status/spoke-status/internal/synth"
)

type countPart struct {
	rows, into *int64
}

func (p *countPart) Add(*Record) { *p.rows++ }
func (p *countPart) Merge()      { *p.into += *p.rows }

// Small chunks split a regular file, standard input and a gzip file into
// many parts whose rows add up to the sequential count.
func TestScanParallelSplitsRegularFiles(t *testing.T) {
	var b bytes.Buffer
	truth, err := synth.Write(&b, synth.Options{Rows: 3000, Seed: 3, Dialect: "rewired"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(b.Bytes())
	zw.Close()
	gzPath := filepath.Join(t.TempDir(), "x.csv.gz")
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		path      string
		workers   int
		wantParts int64 // at least
	}{
		{"file, 4 workers", path, 4, 20},
		{"file, 1 worker", path, 1, 1},
		{"stdin", StdinPath, 4, 20},
		{"gzip", gzPath, 4, 20},
	} {
		var parts, total int64
		par := Parallel{Workers: tc.workers, ChunkSize: 16 << 10, NewPart: func() Part {
			atomic.AddInt64(&parts, 1)
			return &countPart{rows: new(int64), into: &total}
		}}
		srcs, err := ScanParallel([]string{tc.path}, Options{Stdin: bytes.NewReader(b.Bytes())}, par)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if total != int64(truth.Rows) || srcs[0].Rows != int64(truth.Rows) {
			t.Errorf("%s: %d rows merged, source says %d, want %d", tc.name, total, srcs[0].Rows, truth.Rows)
		}
		if parts < tc.wantParts || (tc.wantParts == 1 && parts != 1) {
			t.Errorf("%s: %d parts, want %d or more", tc.name, parts, tc.wantParts)
		}
	}
}

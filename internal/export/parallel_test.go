package export

import (
	"bytes"
	"compress/gzip"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"unsafe"

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

// codesPart collects the distinct strings (by address) a part's rows
// gave for each code cell.
type codesPart struct {
	seen map[string]map[*byte]bool
	into map[string]map[*byte]bool
}

func (p *codesPart) Add(r *Record) {
	if r.Codes == "" {
		return
	}
	if p.seen[r.Codes] == nil {
		p.seen[strings.Clone(r.Codes)] = map[*byte]bool{}
	}
	p.seen[r.Codes][unsafe.StringData(r.Codes)] = true
}

func (p *codesPart) Merge() {
	for code, ptrs := range p.seen {
		if p.into[code] == nil {
			p.into[code] = map[*byte]bool{}
		}
		maps.Copy(p.into[code], ptrs)
	}
}

// TestCodeCellsKeptByWorkers: chunks decoded by the same worker share the
// code cells it interned, so a code has at most one string per worker,
// not one per chunk.
func TestCodeCellsKeptByWorkers(t *testing.T) {
	var b bytes.Buffer
	if _, err := synth.Write(&b, synth.Options{Rows: 3000, Seed: 3, Dialect: "rewired"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	const workers = 2
	var parts atomic.Int64
	all := map[string]map[*byte]bool{}
	par := Parallel{Workers: workers, ChunkSize: 16 << 10, Views: true, NewPart: func() Part {
		parts.Add(1)
		return &codesPart{seen: map[string]map[*byte]bool{}, into: all}
	}}
	if _, err := ScanParallel([]string{path}, Options{}, par); err != nil {
		t.Fatal(err)
	}
	if parts.Load() < 20 || len(all) == 0 {
		t.Fatalf("%d parts, %d codes: want 20 or more parts and some codes", parts.Load(), len(all))
	}
	for code, ptrs := range all {
		if len(ptrs) > workers {
			t.Errorf("code cell %q: %d strings in %d parts, want at most %d", code, len(ptrs), parts.Load(), workers)
		}
	}
}

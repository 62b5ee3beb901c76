package engine

import (
	"os"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/cputime"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// BenchmarkRunFile times a whole summary with every analysis on, of the
// export named by SPOKE_BENCH_FILE (skipped when unset): the command's hot
// path without the process start-up, for CPU and allocation profiles
// (go test -run '^$' -bench RunFile -benchtime 1x -cpuprofile cpu.out).
func BenchmarkRunFile(b *testing.B) {
	path := os.Getenv("SPOKE_BENCH_FILE")
	if path == "" {
		b.Skip("SPOKE_BENCH_FILE names no export")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	reg, err := registry.Load()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	cpu := cputime.Used()
	for b.Loop() {
		req := Request{Inputs: []string{path}, Summary: summary.Options{Registry: reg, Stuck: classify.StuckClock{After: 2 * time.Hour}},
			Analyses: Analyses{Links: true, Replies: true, Segments: true, Signals: true}}
		if _, err := Run(req); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Used()-cpu)/1e9/float64(b.N), "cpu-s/op")
}

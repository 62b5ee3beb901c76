package contacts

import (
	"bytes"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/cputime"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// BenchmarkMemoryPerContact reports the live heap one contact costs after
// every row is read (B/contact), for the README's one-million figure:
//
//	go test ./internal/contacts -run '^$' -bench MemoryPerContact -benchtime 1000000x
//
// Each contact gets three rows (a delivered text, a reply, an error), and
// every cell string comes from a longer line, as the CSV reader's do.
func BenchmarkMemoryPerContact(b *testing.B) {
	a := newAggregator(b, Options{})
	before := liveHeap()
	rec := &export.Record{CampaignID: "112", HasTime: true}
	for i := 0; i < b.N; i++ {
		line := "+1" + strconv.Itoa(2000000000+i) + ",some text that makes the CSV line longer than the number"
		rec.ContactNumber = line[:12]
		rec.AttemptedAt = t0.Add(time.Duration(i) * time.Second)
		rec.Inbound, rec.Status, rec.PrimaryCode, rec.Text = false, export.StatusDelivered, "", "Hi"
		a.Add(rec)
		rec.Inbound, rec.Text = true, "STOP"
		a.Add(rec)
		rec.Inbound, rec.Status, rec.PrimaryCode = false, export.StatusError, "30003"
		a.Add(rec)
	}
	after := liveHeap()
	runtime.KeepAlive(a)
	b.ReportMetric(float64(after-before)/float64(b.N), "B/contact")
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkAggregate measures contacts --list all without the reading:
// every row of a 200,000-row export added, then every contact listed.
func BenchmarkAggregate(b *testing.B) {
	recs := synthRecords(b, 200_000)
	b.ReportAllocs()
	for b.Loop() {
		a := newAggregator(b, Options{})
		for i := range recs {
			a.Add(&recs[i])
		}
		a.Finish()
		n := 0
		if err := a.Each(All, func(*Contact) error { n++; return nil }); err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/row")
}

// BenchmarkMerge measures the merge of prepared rows (Batch.Merge, the
// part of a parallel read on one goroutine) on its own, in batches of
// 4,096 rows of a 200,000-row synthetic export (ns/row, wall time;
// cpu-ns/row, CPU time, which holds better on a shared machine):
//
//	go test ./internal/contacts -run '^$' -bench Merge -benchmem
func BenchmarkMerge(b *testing.B) {
	recs := synthRecords(b, 200_000)
	b.ReportAllocs()
	rows, cpu := 0, int64(0)
	for b.Loop() {
		b.StopTimer()
		a := newAggregator(b, Options{InputBytes: int64(len(recs)) * 320})
		var batches []*Batch
		for len(batches)*4096 < len(recs) {
			batch := a.Batch()
			for i := len(batches) * 4096; i < min(len(recs), (len(batches)+1)*4096); i++ {
				batch.Add(&recs[i])
			}
			batches = append(batches, batch)
		}
		runtime.GC() // the collection of the last round's table is not the merge's
		b.StartTimer()
		at := cputime.Used()
		for _, batch := range batches {
			batch.Merge()
		}
		cpu += cputime.Used() - at
		rows += len(recs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
	b.ReportMetric(float64(cpu)/float64(rows), "cpu-ns/row")
}

// BenchmarkBatchAdd measures the readers' side of a parallel read:
// rows of a 200,000-row synthetic export prepared into batches of 4,096
// (Batch.Add), the batches' memory reused as after a merge (cpu-ns/row,
// CPU time):
//
//	go test ./internal/contacts -run '^$' -bench BatchAdd -benchmem
func BenchmarkBatchAdd(b *testing.B) {
	recs := synthRecords(b, 200_000)
	a := newAggregator(b, Options{InputBytes: int64(len(recs)) * 320})
	b.ReportAllocs()
	rows, cpu := 0, int64(0)
	for b.Loop() {
		at := cputime.Used()
		for from := 0; from < len(recs); from += 4096 {
			batch := a.Batch()
			for i := from; i < min(len(recs), from+4096); i++ {
				batch.Add(&recs[i])
			}
			batch.rows = batch.rows[:0] // as Merge leaves them, without merging
			batch.into.freeRows <- freeBatch{rows: batch.rows, arena: batch.arena[:0]}
		}
		cpu += cputime.Used() - at
		rows += len(recs)
	}
	b.ReportMetric(float64(cpu)/float64(rows), "cpu-ns/row")
}

// synthRecords returns the records of a synthetic Rewired export of n rows.
func synthRecords(b *testing.B, n int) []export.Record {
	var buf bytes.Buffer
	if _, err := synth.Write(&buf, synth.Options{Rows: n, Seed: 7, Dialect: synth.DialectRewired}); err != nil {
		b.Fatal(err)
	}
	var recs []export.Record
	if _, err := export.Scan([]string{export.StdinPath}, export.Options{Stdin: &buf}, func(r *export.Record) error {
		recs = append(recs, *r)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	return recs
}

// BenchmarkOrder measures the output's sort on its own: 500,000 contacts
// split into parts, each sorted and its outcomes built, on one goroutine
// and on every core (ns/contact, wall time; cpu-ns/contact, CPU time):
//
//	go test ./internal/contacts -run '^$' -bench Order -benchmem
func BenchmarkOrder(b *testing.B) {
	a := newAggregator(b, Options{})
	rec := &export.Record{HasTime: true, Status: export.StatusDelivered}
	const n = 500_000
	for i := range n {
		rec.CampaignID = strconv.Itoa(100 + i%7)
		rec.ContactNumber = "+1" + strconv.Itoa(2000000000+(i*7919)%(3*n))
		rec.AttemptedAt = t0.Add(time.Duration(i) * time.Second)
		a.Add(rec)
	}
	a.Finish()
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(strconv.Itoa(workers)+"-goroutines", func(b *testing.B) {
			b.ReportAllocs()
			cpu := cputime.Used()
			for b.Loop() {
				o := a.Order(workers)
				var wg sync.WaitGroup
				next := atomic.Int64{}
				for range workers {
					wg.Go(func() {
						l := o.Lister() // as each worker of the output does
						for p := int(next.Add(1) - 1); p < o.Parts(); p = int(next.Add(1) - 1) {
							if err := l.EachIn(p, All, func(*Contact) error { return nil }); err != nil {
								b.Error(err)
							}
						}
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*a.Len()), "ns/contact")
			b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N*a.Len()), "cpu-ns/contact")
		})
	}
}

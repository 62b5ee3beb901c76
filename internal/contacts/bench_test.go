package contacts

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
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

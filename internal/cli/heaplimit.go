package cli

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// softMemoryLimit is the floor of the Go heap limit while summarize, check
// and report read (debug.SetMemoryLimit). Reading makes about one
// short-lived string per row, and with GOGC's default the heap grows to
// twice what is live before a collection: on a 594 MB export peak RSS went
// from 95 MB to 65 MB with this limit, for about 7% more wall time on two
// cores. The rest of the process (code, tables, stacks) takes about 16 MB,
// so 48 MiB keeps the whole near 64 MB while what is live stays small.
const softMemoryLimit = 48 << 20

// heapLimitFor is the limit for a live heap of live bytes: the floor, or
// what is live plus room to allocate (half as much again, at least 16 MiB).
// A fixed limit below the live heap would make the collector run back to
// back (reply tracking of millions of contacts is live memory: 6.35 M
// contacts ran 9.6 s instead of about 5 s under a fixed 48 MiB), so the
// limit follows the live heap up instead.
func heapLimitFor(live int64) int64 {
	return max(softMemoryLimit, live+max(16<<20, live/2))
}

// tableHeadroom is the room to allocate that contacts leaves above its
// live heap. What is live there is mostly the contact table, pointer-free
// pages that a collection marks without scanning, so collecting often
// costs little; half the live heap again, as heapLimitFor leaves, would
// let 1.85 M contacts (about 150 MB live) take 75 MB more than they need.
const tableHeadroom = 32 << 20

// tableHeapLimitFor is the limit for a live heap of live bytes that is
// mostly pointer-free tables: the floor, or what is live plus
// tableHeadroom.
func tableHeapLimitFor(live int64) int64 {
	return max(softMemoryLimit, live+tableHeadroom)
}

// heapLimitInterval is how often the live heap is sampled. While per-
// contact tables grow, what is live can catch up with a limit set from a
// sample 100 ms old: the collector then ran back to back (10 cycles in
// 40 ms on the 2.5 M-row export, 23 in all against 13 at 10 ms), with the
// write barrier on for the readers. Reading the metric costs microseconds.
const heapLimitInterval = 10 * time.Millisecond

// limitHeapWhileReading sets the soft memory limit for a read and keeps it
// ahead of the live heap until stop is called, which restores the previous
// limit. GOMEMLIMIT in the environment wins: then nothing is changed.
func limitHeapWhileReading(env Env) (stop func()) {
	return limitHeap(env, heapLimitFor)
}

// limitHeap is limitHeapWhileReading with the limit for a live heap given
// by limitFor.
func limitHeap(env Env, limitFor func(live int64) int64) (stop func()) {
	if env.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(softMemoryLimit)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		followLiveHeap(done, limitFor)
	}()
	return func() {
		close(done)
		wg.Wait()
		debug.SetMemoryLimit(prev)
	}
}

func followLiveHeap(done <-chan struct{}, limitFor func(int64) int64) {
	tick := time.NewTicker(heapLimitInterval)
	defer tick.Stop()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return // metric unsupported: keep the floor
		}
		debug.SetMemoryLimit(limitFor(int64(sample[0].Value.Uint64())))
	}
}

package hashpart

import (
	"math/rand/v2"
	"testing"
)

// entry is a test entry: the smallest value of a key is kept, and its
// flags or-ed, as the signals keep the earliest initial text and a reply.
type entry struct {
	key   uint64
	value int
	flags uint8
}

func newEntries() *Partitions[entry] {
	return New(func(e *entry) uint64 { return e.key }, func(into, from *entry) {
		if from.value < into.value {
			into.value = from.value
		}
		into.flags |= from.flags
	})
}

// TestMergesEachKeyOnce: entries added in any order, with partitions
// compacted as they fill and at Settle, leave one entry per key holding
// the merge of all of that key's, for keys in one partition or spread over
// all, with one worker or several.
func TestMergesEachKeyOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		name       string
		keys, adds int
		onePart    bool
		workers    int
		// sorted adds the entries in batches through SortByPartition
		// and AddSorted, as parts read in parallel do.
		sorted bool
	}{
		{name: "one key", keys: 1, adds: 5000, onePart: true, workers: 1},
		{name: "few keys, one partition", keys: 600, adds: 9000, onePart: true, workers: 2},
		{name: "one partition past compactions", keys: 5000, adds: 40_000, onePart: true, workers: 3},
		{name: "every partition", keys: 100_000, adds: 400_000, workers: 2},
		{name: "every partition, one worker", keys: 3000, adds: 10_000, workers: 1},
		{name: "sorted, one partition past compactions", keys: 5000, adds: 40_000, onePart: true, workers: 3, sorted: true},
		{name: "sorted, every partition", keys: 100_000, adds: 400_000, workers: 2, sorted: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := map[uint64]entry{}
			p := newEntries()
			var batch, sorted []entry
			var starts Starts
			flush := func() {
				sorted = SortByPartition(sorted, batch, func(e *entry) uint64 { return e.key }, &starts)
				p.AddSorted(sorted, &starts)
				batch = batch[:0]
			}
			for i := 0; i < tc.adds; i++ {
				k := rng.Uint64N(uint64(tc.keys)) + 1
				key := k * 0x9E3779B97F4A7C15
				if tc.onePart {
					key = 0xAB<<56 | k
				}
				e := entry{key: key, value: rng.IntN(1000), flags: uint8(1) << rng.IntN(3)}
				w, ok := want[key]
				if !ok {
					w = e
				}
				w.value = min(w.value, e.value)
				w.flags |= e.flags
				want[key] = w
				if !tc.sorted {
					p.Add(key, &e)
					continue
				}
				if batch = append(batch, e); len(batch) == 1+rng.IntN(4000) {
					flush()
				}
			}
			flush()
			p.Settle(tc.workers)
			if p.Len() != len(want) {
				t.Fatalf("%d entries after Settle, want %d", p.Len(), len(want))
			}
			for i := range p.parts {
				pt := &p.parts[i]
				if len(pt.blocks) != (pt.n+p.blockLen-1)/p.blockLen {
					t.Errorf("partition %d keeps %d blocks for %d entries", i, len(pt.blocks), pt.n)
				}
			}
			last := -1
			p.Each(func(e *entry) {
				if part := int(e.key >> (64 - Bits)); part < last {
					t.Fatalf("Each: partition %d after %d", part, last)
				} else {
					last = part
				}
				if *e != want[e.key] {
					t.Fatalf("entry %+v, want %+v", *e, want[e.key])
				}
			})
		})
	}
}

// TestEntriesStayWithinTwiceTheKeys: while adding, a partition never holds
// more than about twice its keys (the cost per contact the docs give).
func TestEntriesStayWithinTwiceTheKeys(t *testing.T) {
	p := newEntries()
	const keys = 3000
	for round := 0; round < 20; round++ {
		for k := uint64(1); k <= keys; k++ {
			p.Add(0x12<<56|k, &entry{key: 0x12<<56 | k})
		}
		if n := p.Len(); n > 2*max(keys, minCompact) {
			t.Fatalf("round %d: %d entries for %d keys", round, n, keys)
		}
	}
}

// TestSortByPartition: the entries are those of src, by partition, in the
// order of src within each, and the starts bound the runs.
func TestSortByPartition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 5, 3000} {
		src := make([]entry, n)
		for i := range src {
			src[i] = entry{key: rng.Uint64() | 1, value: i}
		}
		var starts Starts
		got := SortByPartition(make([]entry, 7), src, func(e *entry) uint64 { return e.key }, &starts)
		if len(got) != n || starts[0] != 0 || int(starts[len(starts)-1]) != n {
			t.Fatalf("%d entries: %d sorted, starts %d..%d", n, len(got), starts[0], starts[len(starts)-1])
		}
		for pi := 0; pi < len(starts)-1; pi++ {
			last := -1
			for _, e := range got[starts[pi]:starts[pi+1]] {
				if int(e.key>>(64-Bits)) != pi || e.value <= last {
					t.Fatalf("%d entries: partition %d holds %+v after value %d", n, pi, e, last)
				}
				last = e.value
			}
		}
	}
}

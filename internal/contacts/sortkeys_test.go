package contacts

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestSortKeysMatchesSortFunc holds sortKeys to slices.SortFunc with
// compareKeys on inputs that are random, sorted, reversed, of few
// distinct keys and of one, long enough to reach the heapsort.
func TestSortKeysMatchesSortFunc(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	random := func(n, distinct int) []sortKey {
		k := make([]sortKey, n)
		for i := range k {
			v := uint64(r.IntN(distinct))
			k[i] = sortKey{rank: uint32(v % 3), index: uint32(i), hi: v / 3 % 5, lo: v / 15, n: uint32(v % 2)}
		}
		return k
	}
	tests := map[string][]sortKey{
		"empty":    nil,
		"short":    random(7, 100),
		"random":   random(10000, 1<<30),
		"few":      random(10000, 4),
		"one":      random(5000, 1),
		"sorted":   random(10000, 1<<30),
		"reversed": random(10000, 1<<30),
	}
	var tb table
	slices.SortFunc(tests["sorted"], tb.compareKeys)
	slices.SortFunc(tests["reversed"], func(x, y sortKey) int { return tb.compareKeys(y, x) })
	for name, keys := range tests {
		want := slices.Clone(keys)
		slices.SortFunc(want, tb.compareKeys)
		got := slices.Clone(keys)
		tb.sortKeys(got)
		for i := range got {
			if tb.compareKeys(got[i], want[i]) != 0 {
				t.Fatalf("%s: key %d is %+v, want %+v", name, i, got[i], want[i])
			}
		}
		// Every key is still there once.
		slices.SortFunc(got, func(x, y sortKey) int { return int(x.index) - int(y.index) })
		slices.SortFunc(want, func(x, y sortKey) int { return int(x.index) - int(y.index) })
		if !slices.Equal(got, want) {
			t.Fatalf("%s: keys lost or duplicated", name)
		}
	}
	// Depth 0 goes straight to the heapsort.
	keys := random(1000, 1<<30)
	want := slices.Clone(keys)
	slices.SortFunc(want, tb.compareKeys)
	quickSortKeys(keys, 0)
	for i := range keys {
		if tb.compareKeys(keys[i], want[i]) != 0 {
			t.Fatalf("heapsort: key %d is %+v, want %+v", i, keys[i], want[i])
		}
	}
}

// BenchmarkSortKeys sorts a part of random keys (partContacts of them),
// with sortKeys and with slices.SortFunc:
//
//	go test ./internal/contacts -run '^$' -bench SortKeys -benchmem
func BenchmarkSortKeys(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	keys := make([]sortKey, partContacts)
	for i := range keys {
		keys[i] = sortKey{rank: 1, index: uint32(i), hi: 0x2b31353535000000 | r.Uint64N(1<<24), lo: r.Uint64() &^ (1<<32 - 1), n: 12}
	}
	work := make([]sortKey, len(keys))
	var t table
	b.Run("sortKeys", func(b *testing.B) {
		for b.Loop() {
			copy(work, keys)
			t.sortKeys(work)
		}
	})
	b.Run("SortFunc", func(b *testing.B) {
		for b.Loop() {
			copy(work, keys)
			slices.SortFunc(work, t.compareKeys)
		}
	})
}

// TestSearchBoundsMatchesSearch holds searchBounds to sort.Search with
// compareKeys, for keys before, between, on and after the bounds.
func TestSearchBoundsMatchesSearch(t *testing.T) {
	var tb table
	bounds := []sortKey{{rank: 0, hi: 5}, {rank: 1, hi: 2, lo: 7, n: 12}, {rank: 1, hi: 2, lo: 7, n: 13}, {rank: 3}}
	for _, k := range []sortKey{{}, {rank: 0, hi: 5}, {rank: 0, hi: 6}, {rank: 1, hi: 2, lo: 7, n: 12}, {rank: 1, hi: 2, lo: 7, n: 14}, {rank: 3}, {rank: 9}} {
		want := sort.Search(len(bounds), func(j int) bool { return tb.compareKeys(bounds[j], k) > 0 })
		if got := tb.searchBounds(bounds, &k); got != want {
			t.Errorf("searchBounds(%+v) = %d, want %d", k, got, want)
		}
	}
}

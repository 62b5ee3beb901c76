package contacts

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/spoke-status/spoke-status/internal/cputime"
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
// with sortKeys and with slices.SortFunc, and a part of E.164 numbers
// with sortKeys and the compact sort (which Lister.EachIn tries first):
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
	// A part of E.164 numbers of one campaign, as in an export: the keys
	// differ in 4 bits a digit, and the compact sort takes them.
	digits := make([]sortKey, partContacts)
	for i := range digits {
		var cell [cellInline]byte
		copy(cell[:], "+1"+strconv.Itoa(2_000_000_000+r.IntN(8_000_000_000)))
		digits[i] = sortKey{rank: 1, index: uint32(i), hi: binary.BigEndian.Uint64(cell[:8]), lo: binary.BigEndian.Uint64(cell[8:]), n: 12}
	}
	// cpu-ns/op is CPU time (getrusage), which holds better than wall
	// time on a shared machine.
	b.Run("digits/sortKeys", func(b *testing.B) {
		cpu := cputime.Used()
		for b.Loop() {
			copy(work, digits)
			t.sortKeys(work)
		}
		b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N), "cpu-ns/op")
	})
	b.Run("digits/compact", func(b *testing.B) {
		var c compactSorter
		b.ReportAllocs()
		cpu := cputime.Used()
		for b.Loop() {
			if _, _, ok := c.sort(digits); !ok {
				b.Fatal("not compact")
			}
		}
		b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N), "cpu-ns/op")
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

// TestCompactSortMatchesSortKeys holds the compact sort to sortKeys: on
// keys of E.164 cells (digits), of few ranks and lengths, on keys whose
// differing bits reach bit 0 and bit 63 of their words, with repeated
// keys, and it declines keys that do not fit a word or have a long cell.
func TestCompactSortMatchesSortKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cellKey := func(rank uint32, cell string) sortKey {
		var b [cellInline]byte
		copy(b[:], cell)
		return sortKey{rank: rank, hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:]), n: uint32(len(cell))}
	}
	digits := func(n int, ranks int, prefix string) []sortKey {
		k := make([]sortKey, n)
		for i := range k {
			cell := prefix + strconv.Itoa(1_000_000_000 + r.IntN(1_000_000_000))[1+len(prefix)-2:]
			k[i] = cellKey(uint32(r.IntN(ranks)), cell)
		}
		return k
	}
	bitsAt := func(n int, mask [4]uint64) []sortKey {
		k := make([]sortKey, n)
		for i := range k {
			k[i] = sortKey{rank: uint32(r.Uint64() & mask[0]), hi: r.Uint64() & mask[1], lo: r.Uint64() & mask[2], n: uint32(r.Uint64() & mask[3])}
		}
		return k
	}
	tests := []struct {
		name string
		keys []sortKey
		ok   bool
	}{
		{"E.164, one campaign", digits(partContacts, 1, "+1"), true},
		{"E.164, three campaigns", digits(3000, 3, "+1415"), true},
		{"E.164, short part", digits(minCompact, 2, "+44"), true},
		{"too few", digits(minCompact-1, 1, "+1"), false},
		{"ends of words", bitsAt(5000, [4]uint64{1<<31 | 1, 1<<63 | 3, 1 | 1<<40, 1 << 31}), true},
		{"repeated", bitsAt(4000, [4]uint64{0, 7, 0, 1}), true},
		{"too many bits", bitsAt(1000, [4]uint64{0, 1<<60 - 1, 0, 0}), false},
	}
	long := digits(1000, 1, "+1")
	long[500].n = longCell
	tests = append(tests, struct {
		name string
		keys []sortKey
		ok   bool
	}{"long cell", long, false})
	var tb table
	for _, tc := range tests {
		for i := range tc.keys {
			tc.keys[i].index = uint32(i)
		}
		var c compactSorter
		sorted, posBits, ok := c.sort(tc.keys)
		if ok != tc.ok {
			t.Fatalf("%s: ok %v, want %v", tc.name, ok, tc.ok)
		}
		if !ok {
			continue
		}
		want := slices.Clone(tc.keys)
		tb.sortKeys(want)
		seen := make([]bool, len(tc.keys))
		for i, w := range sorted {
			pos := w & (1<<posBits - 1)
			if seen[pos] {
				t.Fatalf("%s: position %d twice", tc.name, pos)
			}
			seen[pos] = true
			if got := tc.keys[pos]; tb.compareKeys(got, want[i]) != 0 {
				t.Fatalf("%s: key %d is %+v, want %+v", tc.name, i, got, want[i])
			}
		}
	}
}

package contacts

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// TestTableMatchesMap holds the pointer-free contact table to a Go map
// through growths, with long cells (kept apart), cells that are prefixes
// of others and cells holding zero bytes (the sort keys pad with zeros),
// and its output order to a sort of the strings.
func TestTableMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tab := newTable()
	want := map[key]int32{}
	cells := []string{"", "+1", "+1\x00", "+15555550123", "+155555501234567", "+1555555012345678", "x\x00\x00",
		"a-very-long-cell-that-is-not-a-number", "a-very-long-cell-that-is-not-a-number-2"}
	for range 60000 {
		var cell string
		if rng.IntN(4) == 0 {
			cell = cells[rng.IntN(len(cells))]
		} else {
			cell = fmt.Sprintf("+1%010d", rng.IntN(20000))
			if rng.IntN(50) == 0 {
				cell += "-and-a-long-tail"
			}
		}
		k := key{campaign: symbol(rng.IntN(5)), cell: cell}
		tab.state(k.campaign, k.cell, tab.hashCell(k.cell)).outbound++
		want[k]++
	}
	if tab.len() != len(want) {
		t.Fatalf("%d contacts, want %d", tab.len(), len(want))
	}
	for k, n := range want {
		if got := tab.state(k.campaign, k.cell, tab.hashCell(k.cell)).outbound; got != n {
			t.Errorf("%q: %d rows, want %d", k.cell, got, n)
		}
	}
	if tab.len() != len(want) {
		t.Fatalf("looking up added contacts")
	}
	// The index is dropped when the output is sorted; a lookup after it
	// rebuilds it (one growth to the size of every contact).
	tab.dropIndex()
	for k, n := range want {
		if got := tab.state(k.campaign, k.cell, tab.hashCell(k.cell)).outbound; got != n {
			t.Fatalf("%q after the index was dropped: %d rows, want %d", k.cell, got, n)
		}
	}
	if tab.len() != len(want) {
		t.Fatalf("looking up added contacts after the index was dropped: %d contacts, want %d", tab.len(), len(want))
	}
	rank := []int{4, 2, 0, 1, 3}
	keys := make([]sortKey, tab.len())
	for i := range keys {
		keys[i] = tab.sortKey(uint32(i), rank)
	}
	slices.SortFunc(keys, tab.compareKeys)
	sorted := make([]key, 0, len(want))
	for k := range want {
		sorted = append(sorted, k)
	}
	slices.SortFunc(sorted, func(x, y key) int {
		return cmp.Or(cmp.Compare(rank[x.campaign], rank[y.campaign]), cmp.Compare(x.cell, y.cell))
	})
	for i, k := range keys {
		r := tab.at(k.index)
		if got := (key{campaign: r.campaign, cell: string(tab.cellOf(r))}); got != sorted[i] {
			t.Fatalf("position %d: %q in campaign %d, want %q in %d", i, got.cell, got.campaign, sorted[i].cell, sorted[i].campaign)
		}
	}
}

// TestRecordSize holds a record to one cache line: 64 bytes, so that a
// page of records, allocated whole (and so aligned), has none that spans
// two lines. A field added to state has to find room.
func TestRecordSize(t *testing.T) {
	if got := unsafe.Sizeof(record{}); got != 64 {
		t.Errorf("a record is %d bytes, want 64", got)
	}
	if got := unsafe.Sizeof(record{}) * pageSize; got != 1<<20 {
		t.Errorf("a page is %d bytes, want 1 MiB", got)
	}
}

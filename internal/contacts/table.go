package contacts

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"unsafe"
)

// table holds one state per contact without a Go pointer per contact: the
// records (key and state, 64 bytes) live in fixed pages that never move,
// found through an open-addressing index of 4-byte record numbers. A map
// of pointers cost about 3 times the memory, and the garbage collector
// walked every contact on every cycle (a quarter of the CPU time of
// contacts --list all on a million contacts); here it sees a few hundred
// pointer-free blocks.
type table struct {
	seed  maphash.Seed // the index's hash; output order never depends on it
	pages [][]record
	spare []record // allocated pages not yet in pages (addPages)
	n     int
	slots []uint32 // record number + 1; 0 is empty
	long  []byte   // cells longer than cellInline, back to back
	// campaigns marks, by symbol, the campaigns that have a record: the
	// output ranks them without a pass over every record.
	campaigns []bool
	// touched is written by touch so that its loads are kept; it means
	// nothing.
	touched symbol
}

// record is a contact: its state, which holds the key's campaign and
// cell length (state.tableKey), and its cell. It is 64 bytes
// (TestRecordSize), and pages are allocated whole, so a record is one
// cache line.
type record struct {
	state
	cell [cellInline]byte
}

const (
	cellInline = 16 // "+" and 15 digits: every E.164 number
	longCell   = 0xFF
	pageBits   = 14 // 16,384 records (1 MiB) a page
	pageSize   = 1 << pageBits
)

func newTable() table { return table{seed: maphash.MakeSeed()} }

func (t *table) len() int { return t.n }

// at returns record i.
func (t *table) at(i uint32) *record { return &t.pages[i>>pageBits][i&(pageSize-1)] }

// cellOf returns the record's cell; it is a view into the table for a long
// cell, a copy otherwise.
func (t *table) cellOf(r *record) []byte {
	if r.cellLen != longCell {
		return r.cell[:r.cellLen]
	}
	off, n := binary.LittleEndian.Uint64(r.cell[:8]), binary.LittleEndian.Uint64(r.cell[8:])
	return t.long[off : off+n]
}

// cellView returns the record's cell as a string that views the table, not
// a copy (a copy per contact was a tenth of the output's CPU time): it is
// valid as long as the table, since records never move and are written
// only while reading.
func (t *table) cellView(r *record) string {
	c := t.cellOf(r)
	if len(c) == 0 {
		return ""
	}
	return unsafe.String(&c[0], len(c))
}

// hashCell is the part of a contact's hash that its cell gives: the
// readers compute it on their goroutines (the seed is only read).
func (t *table) hashCell(cell string) uint64 { return maphash.String(t.seed, cell) }

// hash is the contact's place in the index, from hashCell of its cell.
func hash(campaign symbol, cellHash uint64) uint64 {
	return cellHash ^ uint64(campaign)*0x9E3779B97F4A7C15
}

// state returns the state of (campaign, cell), adding an empty one;
// cellHash is hashCell(cell).
func (t *table) state(campaign symbol, cell string, cellHash uint64) *state {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow(t.n + 1)
	}
	mask := uint64(len(t.slots) - 1)
	for i := hash(campaign, cellHash) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			t.slots[i] = uint32(t.add(campaign, cell)) + 1
			return &t.at(uint32(t.n - 1)).state
		}
		r := t.at(s - 1)
		if r.campaign == campaign && string(t.cellOf(r)) == cell {
			return &r.state
		}
	}
}

// touchGroup is how many rows touch loads ahead of their merge.
const touchGroup = 16

// touch loads the index slots, then the records, that the rows' contacts
// are likely at, guessing that their campaign is campaign (rows of a
// campaign mostly come together): the loads of a group are independent,
// so their cache misses overlap, where the lookups of the merge (state)
// wait for one miss after another, a row at a time. Most of the merge's
// time was these misses. It only reads: a wrong guess costs a load.
func (t *table) touch(rows []prepared, campaign symbol) {
	if len(t.slots) == 0 {
		return
	}
	var slots [touchGroup]uint32
	mask := uint64(len(t.slots) - 1)
	for i := range rows {
		if rows[i].cell != "" {
			slots[i] = t.slots[hash(campaign, rows[i].hash)&mask]
		}
	}
	var sum symbol
	for _, s := range slots[:len(rows)] {
		if s != 0 {
			sum += t.at(s - 1).campaign
		}
	}
	t.touched += sum // so that the loads are not left out
}

// add appends a record and returns its number.
func (t *table) add(campaign symbol, cell string) int {
	if t.n&(pageSize-1) == 0 && t.n>>pageBits == len(t.pages) {
		t.addPages()
	}
	r := t.at(uint32(t.n))
	r.campaign = campaign
	if int(campaign) >= len(t.campaigns) {
		t.campaigns = append(t.campaigns, make([]bool, int(campaign)+1-len(t.campaigns))...)
	}
	t.campaigns[campaign] = true
	if len(cell) <= cellInline {
		r.cellLen = uint8(copy(r.cell[:], cell))
	} else {
		r.cellLen = longCell
		binary.LittleEndian.PutUint64(r.cell[:8], uint64(len(t.long)))
		binary.LittleEndian.PutUint64(r.cell[8:], uint64(len(cell)))
		t.long = append(t.long, cell...)
	}
	t.n++
	return t.n - 1
}

// chunkPages is how many pages are allocated at once, at most: a huge
// page (2 MiB) needs an aligned 2 MiB inside one allocation, and a page
// is 1 MiB (8 pages hold at least 3 aligned huge pages). The first chunks are smaller (one page, then as many as
// there are), so a small input takes no more than before.
const chunkPages = 8

// addPages allocates the pages of the next records, a chunk at a time.
func (t *table) addPages() {
	if len(t.spare) == 0 {
		k := max(1, min(chunkPages, len(t.pages)))
		chunk := make([]record, k*pageSize)
		adviseHugePages(chunk)
		t.spare = chunk
	}
	t.pages = append(t.pages, t.spare[:pageSize:pageSize])
	t.spare = t.spare[pageSize:]
}

// reserve makes room for n contacts without growing the index: growing
// a few times over a read costs the rehashing of every contact so far and
// the page faults of each new index, on the goroutine that merges.
func (t *table) reserve(n int) {
	if n*4 > len(t.slots)*3 {
		t.grow(n)
	}
}

// dropIndex frees the index once every contact is in (when the output is
// sorted); a contact added after rebuilds it.
func (t *table) dropIndex() { t.slots = nil }

// grow makes the index at least twice as large and large enough for n
// contacts at most three quarters full, and places every record again.
func (t *table) grow(n int) {
	size := max(1024, 2*len(t.slots))
	for n*4 > size*3 {
		size *= 2
	}
	t.slots = make([]uint32, size)
	adviseHugePages(t.slots)
	mask := uint64(len(t.slots) - 1)
	for n := range t.n {
		r := t.at(uint32(n))
		i := hash(r.campaign, maphash.Bytes(t.seed, t.cellOf(r))) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = uint32(n) + 1
	}
}

// sortKey is a contact's place in output order, compared without looking
// at the record: its campaign's rank, then its cell, whose first 16 bytes
// (zero-padded) are two big-endian words, then its length.
type sortKey struct {
	rank   uint32
	index  uint32 // the record
	hi, lo uint64
	n      uint32 // the cell's length; longCell for a cell in table.long
}

// sortKey returns record i's sort key. An inline cell is read in place:
// its bytes after its length are zero (add writes a record once, in
// memory that was zero), so it is the zero-padded cell already.
func (t *table) sortKey(i uint32, rank []int) sortKey {
	r := t.at(i)
	k := sortKey{rank: uint32(rank[r.campaign]), index: i, n: uint32(r.cellLen)}
	cell := &r.cell
	if r.cellLen == longCell {
		var long [cellInline]byte
		copy(long[:], t.cellOf(r))
		cell = &long
	}
	k.hi, k.lo = binary.BigEndian.Uint64(cell[:8]), binary.BigEndian.Uint64(cell[8:])
	return k
}

// compareKeys orders as (campaign rank, cell as a string) would.
func (t *table) compareKeys(x, y sortKey) int {
	if c := cmp.Compare(x.rank, y.rank); c != 0 {
		return c
	}
	if x.n == longCell || y.n == longCell {
		return bytes.Compare(t.cellOf(t.at(x.index)), t.cellOf(t.at(y.index)))
	}
	if c := cmp.Compare(x.hi, y.hi); c != 0 {
		return c
	}
	if c := cmp.Compare(x.lo, y.lo); c != 0 {
		return c
	}
	return cmp.Compare(x.n, y.n)
}

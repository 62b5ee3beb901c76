package keycap

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestKeyFoldsPastTheCap(t *testing.T) {
	tests := []struct {
		name        string
		max         int
		keys        []string
		wantKept    []string
		wantOther   int64
		wantFolded  int
		wantWarning string
	}{
		{"under the cap", 3, []string{"a", "b", "a"}, []string{"a", "b"}, 0, 0, ""},
		{"at the cap", 2, []string{"a", "b", "b", "a"}, []string{"a", "b"}, 0, 0, ""},
		{"past the cap", 2, []string{"a", "b", "c", "d", "c", "a"}, []string{"a", "b"}, 3, 2,
			"more than 2 distinct codes: 2 more counted as (other) (raise the cap with --max-keys)"},
		{"a value named (other) is not folded", 1, []string{"a", Other, "b"}, []string{"a"}, 2, 1,
			"more than 1 distinct codes: 1 more counted as (other) (raise the cap with --max-keys)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New("codes", tt.max)
			m := map[string]int64{}
			for _, k := range tt.keys {
				m[Key(l, m, k)]++
			}
			for _, k := range tt.wantKept {
				if m[k] == 0 {
					t.Errorf("%q was not kept: %v", k, m)
				}
			}
			if len(m)-boolInt(m[Other] > 0) != len(tt.wantKept) {
				t.Errorf("kept %v, want %v", m, tt.wantKept)
			}
			if m[Other] != tt.wantOther {
				t.Errorf("(other) = %d, want %d", m[Other], tt.wantOther)
			}
			if foldedOf(l) != tt.wantFolded {
				t.Errorf("Folded() = %d, want %d", foldedOf(l), tt.wantFolded)
			}
			if got := l.Warning(); got != tt.wantWarning {
				t.Errorf("Warning() = %q, want %q", got, tt.wantWarning)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestFoldedCountsDistinctValuesAcrossCompactions(t *testing.T) {
	l := New("codes", 1)
	m := map[string]int64{"kept": 1}
	for round := 0; round < 3; round++ { // the same values again and again
		for i := 0; i < 5000; i++ {
			m[Key(l, m, fmt.Sprint(i))]++
		}
	}
	if got := foldedOf(l); got != 5000 {
		t.Errorf("Folded() = %d, want 5000", got)
	}
	if m[Other] != 15000 {
		t.Errorf("(other) = %d, want 15000", m[Other])
	}
}

func TestNilAndUnlimitedKeepEveryKey(t *testing.T) {
	for _, l := range []*Limit{nil, Unlimited("codes")} {
		m := map[string]int64{}
		for i := 0; i < 50; i++ {
			m[Key(l, m, fmt.Sprint(i))]++
		}
		if len(m) != 50 || foldedOf(l) != 0 || l.Warning() != "" {
			t.Errorf("limit %+v: kept %d keys, folded %d", l, len(m), foldedOf(l))
		}
	}
}

func TestMergeCountsFoldsInSourceOrder(t *testing.T) {
	l := New("codes", 3)
	dst := map[string]int64{"a": 1}
	src := map[string]int64{"z": 1, "y": 2, "x": 3, "a": 4}
	MergeCounts(l, dst, src, []string{"z", "a", "y", "x"})
	want := map[string]int64{"a": 5, "z": 1, "y": 2, Other: 3}
	if fmt.Sprint(dst) != fmt.Sprint(want) {
		t.Errorf("merged %v, want %v", dst, want)
	}
	if foldedOf(l) != 1 {
		t.Errorf("Folded() = %d, want 1", foldedOf(l))
	}
}

// TestEntry: a new key is copied and its first-seen order kept when the
// limit tracks it; a known key is not new; past the cap the key is Other.
func TestEntry(t *testing.T) {
	l := Unlimited("codes")
	m := map[string]int64{}
	var order []string
	row := []byte("30007,30008")
	for _, k := range []string{string(row[:5]), "30008", string(row[:5])} {
		key, isNew := Entry(l, m, &order, k)
		m[key]++
		if isNew != (m[key] == 1) {
			t.Errorf("Entry(%q) new = %v with count %d", k, isNew, m[key])
		}
	}
	if fmt.Sprint(order) != "[30007 30008]" || m["30007"] != 2 || m["30008"] != 1 {
		t.Fatalf("order %v counts %v", order, m)
	}
	capped := New("codes", 1)
	mc := map[string]int64{"a": 1}
	if k, isNew := Entry(capped, mc, &order, "b"); k != Other || !isNew {
		t.Errorf("past the cap: %q new %v, want %q new", k, isNew, Other)
	}
}

func TestAbsorbCountsEachValueOnce(t *testing.T) {
	root := New("codes", 2)
	var forks []*Limit
	for f := 0; f < 3; f++ {
		fork := root.ForFork()
		frozen := Freeze(root, map[string]int{"a": 1, "b": 1}, Other)
		for i := 0; i < 3000; i++ { // values shared between forks and repeated
			v := fmt.Sprint("v", (i*7+f*1000)%2500)
			if got := frozen.Admit(fork, v, Other); got != Other {
				t.Fatalf("Admit(%q) = %q, want %q", v, got, Other)
			}
		}
		if got := frozen.Admit(fork, "a", Other); got != "a" {
			t.Fatalf("Admit(a) = %q", got)
		}
		forks = append(forks, fork)
	}
	for _, f := range forks {
		root.Absorb(f)
	}
	if got := foldedOf(root); got != 2500 {
		t.Errorf("Folded() = %d, want 2500 distinct values", got)
	}
}

func TestFreezeOnlyWhenFull(t *testing.T) {
	l := New("codes", 3)
	if f := Freeze(l, map[string]int{"a": 1, "b": 1, Other: 9}, Other); f != nil {
		t.Error("froze a map with 2 keys besides Other under a cap of 3")
	}
	f := Freeze(l, map[string]int{"a": 1, "b": 1, "c": 1, Other: 9}, Other)
	if f == nil {
		t.Fatal("did not freeze a full map")
	}
	fork := l.ForFork()
	for _, k := range []string{"a", "b", "c", Other} {
		if got := f.Admit(fork, k, Other); got != k {
			t.Errorf("Admit(%q) = %q, want it kept", k, got)
		}
	}
	if got := f.Admit(fork, "d", Other); got != Other {
		t.Errorf("Admit(d) = %q, want %q", got, Other)
	}
	if Freeze(nil, map[string]int{"a": 1}, Other) != nil || Freeze(Unlimited("x"), map[string]int{"a": 1}, Other) != nil {
		t.Error("froze an uncapped map")
	}
	var z Freezer
	Update(&z, l, map[string]int{"a": 1}, Other)
	if z.Load() != nil {
		t.Error("published a map that is not full")
	}
	Update(&z, l, map[string]int{"a": 1, "b": 1, "c": 1}, Other)
	if z.Load() == nil {
		t.Error("did not publish a full map")
	}
}

// foldedOf is l.Folded() of a limit that counted every value exactly.
func foldedOf(l *Limit) int {
	n, _ := l.Folded()
	return n
}

func TestFoldSetCountsDistinct(t *testing.T) {
	// Values repeat within and across the parts, some parts are absorbed
	// into others first, and the total passes many tails and runs.
	var parts []*foldSet
	distinct := map[uint64]bool{}
	for p := range 7 {
		s := &foldSet{}
		for i := range 20_000 {
			h := uint64((i*13+p*5000)%60_000) + 1
			s.add(h)
			distinct[h] = true
		}
		parts = append(parts, s)
	}
	parts[1].absorb(parts[2])
	root := &foldSet{}
	for i, s := range parts {
		if i != 2 {
			root.absorb(s)
		}
	}
	if n, exact := root.count(); n != len(distinct) || !exact {
		t.Errorf("count() = %d, %v; want %d exactly", n, exact, len(distinct))
	}
}

// TestFoldSetCompactsRepeats: hashes full of repeats compact to fewer
// than maxFolded and the count goes on, exact, across compactions and an
// absorbed set.
func TestFoldSetCompactsRepeats(t *testing.T) {
	s := &foldSet{}
	distinct := 0
	for round := range 3 {
		for i := range compactAt {
			s.add(uint64(i%(maxFolded/4)+round*maxFolded/8) + 1)
		}
		distinct = maxFolded/4 + round*maxFolded/8
		if s.sketch != nil || len(s.blocks[0]) > distinct || s.size >= compactAt {
			t.Fatalf("round %d: estimating %v, %d hashes compacted, room for %d; want up to %d", round, s.sketch != nil, len(s.blocks[0]), s.size, distinct)
		}
	}
	o := &foldSet{}
	for i := range 1000 {
		o.add(uint64(maxFolded + i))
	}
	s.absorb(o)
	if n, exact := s.count(); n != distinct+1000 || !exact {
		t.Errorf("count() = %d, %v; want %d exactly", n, exact, distinct+1000)
	}
}

// TestFoldSetCountsOnce checks that a count is kept: the warnings of a
// broken export count 390,000 folded hashes, and a second count (of the
// same set, nothing added since) must not sort them out again, while a
// value added after it is counted.
func TestFoldSetCountsOnce(t *testing.T) {
	tests := []struct {
		name      string
		n, repeat int
	}{
		{"distinct", 5000, 1},
		{"repeated", 5000, 3},
		{"one block", foldBlock - 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &foldSet{}
			for range tt.repeat {
				for i := range tt.n {
					s.add(uint64(i) * 0x9E3779B97F4A7C15)
				}
			}
			first, _ := s.count()
			counted := s.blocks[0]
			again, _ := s.count()
			if first != tt.n || again != tt.n {
				t.Fatalf("count() = %d then %d, want %d", first, again, tt.n)
			}
			if !s.compact || len(s.blocks) != 1 || &s.blocks[0][0] != &counted[0] {
				t.Fatalf("second count rebuilt the set (compact %v, %d blocks)", s.compact, len(s.blocks))
			}
			s.add(uint64(tt.n) * 0x9E3779B97F4A7C15)
			if n, _ := s.count(); n != tt.n+1 {
				t.Errorf("count() after an add = %d, want %d", n, tt.n+1)
			}
		})
	}
}

// BenchmarkFoldSetCountAgain counts a broken export's 390,000 folded
// hashes a second time, as a second warning of the same limit would:
// an estimate, from the registers of the sketch.
func BenchmarkFoldSetCountAgain(b *testing.B) {
	var s foldSet
	for i := range 390_000 {
		s.add(spread(uint64(i + 1)))
	}
	s.count()
	b.ReportAllocs()
	for b.Loop() {
		if n, _ := s.count(); relErr(n, 390_000) > 0.04 {
			b.Fatalf("count %d", n)
		}
	}
}

// TestDistinct holds distinct to slices.Sort and slices.Compact, on
// blocks that repeat each other, with values that share bytes, that do
// not, that are 0, and that collide in its tables.
func TestDistinct(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		n    int
		mask uint64
	}{
		{"empty", 0, ^uint64(0)}, {"short", 10, ^uint64(0)}, {"random", 100_000, ^uint64(0)},
		{"low bytes", 5000, 0xffff}, {"middle bytes", 5000, 0x00ff_ff00_0000_ff00},
		{"top and low bits", 5000, 0xff00_0000_0000_000f}, {"zero", 1000, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := make([]uint64, tc.n)
			for i := range a {
				a[i] = rng.Uint64() & tc.mask
			}
			want := slices.Compact(slices.Sorted(slices.Values(a)))
			got := distinct([][]uint64{a[:len(a)/3], a[len(a)/3:], a, nil})
			if slices.Sort(got); !slices.Equal(got, want) {
				t.Errorf("distinct: %d values, want %d", len(got), len(want))
			}
		})
	}
}

// TestFrozenHas holds a Frozen set's lookups to a map of its hashes, for
// hashes spread evenly, crowded into a few home slots, and crowded at the
// end of the table (pushed past it).
func TestFrozenHas(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name string
		n    int
		gen  func() uint64
	}{
		{"spread", 5000, rng.Uint64},
		{"crowded", 5000, func() uint64 { return rng.Uint64()>>8 | uint64(rng.IntN(4))<<60 }},
		{"at the end", 3000, func() uint64 { return ^uint64(0) - rng.Uint64()>>50 }},
		{"one", 1, rng.Uint64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := map[uint64]bool{}
			hs := make([]uint64, 0, tc.n)
			for len(in) < tc.n {
				if h := stored(tc.gen()); !in[h] {
					in[h] = true
					hs = append(hs, h)
				}
			}
			f := freezeHashes(slices.Clone(hs), len(hs))
			for _, h := range hs {
				if !f.has(h) {
					t.Fatalf("has(%#x) = false for a hash of the set", h)
				}
			}
			for range 10 * tc.n {
				h := stored(tc.gen())
				if f.has(h) != in[h] {
					t.Fatalf("has(%#x) = %v, want %v", h, f.has(h), in[h])
				}
				if h := stored(h ^ 1); f.has(h) != in[h] { // next to a hash of the set
					t.Fatalf("has(%#x) = %v, want %v", h, f.has(h), in[h])
				}
			}
		})
	}
}

// TestFrozenFilter: the filter before a Frozen set's tables lets through
// every key of the set and every always key, whatever their number, and
// stops most values they lack, so that Admit keeps exactly what the map
// and KeepAlways hold.
func TestFrozenFilter(t *testing.T) {
	for _, tc := range []struct{ keys, always int }{{1, 0}, {1, 50}, {63, 0}, {1000, 300}, {10_000, 300}} {
		t.Run(fmt.Sprintf("%d keys, %d always", tc.keys, tc.always), func(t *testing.T) {
			l := New("codes", tc.keys)
			var always []string
			for i := range tc.always {
				always = append(always, fmt.Sprint("known", i))
			}
			l.KeepAlways(always)
			m := map[string]int{}
			for i := range tc.keys {
				m[fmt.Sprint("key", i)] = 1
			}
			f := Freeze(l, m, Other)
			if f == nil {
				t.Fatal("Freeze: nil for a full map")
			}
			for k := range m {
				if !f.mayHold(stored(hashKey(k))) {
					t.Fatalf("the filter stops %q, a key of the set", k)
				}
			}
			for _, k := range always {
				if !f.mayHold(stored(hashKey(k))) {
					t.Fatalf("the filter stops %q, an always key", k)
				}
				if got := f.Admit(l.ForFork(), k, Other); got != k {
					t.Fatalf("Admit(%q) = %q, want it kept", k, got)
				}
			}
			through := 0
			const tries = 100_000
			for i := range tries {
				k := fmt.Sprint("absent", i)
				if f.mayHold(stored(hashKey(k))) {
					through++
				}
				if got := f.Admit(l.ForFork(), k, Other); got != Other {
					t.Fatalf("Admit(%q) = %q, want %q", k, got, Other)
				}
			}
			// Two bits of 64 in a word of about 8 bits a key: about 1 in
			// 20 of the values absent get through; 1 in 8 would mean the
			// filter is too small or its bits collide.
			if through > tries/8 {
				t.Errorf("%d of %d absent values got through the filter", through, tries)
			}
		})
	}
}

// TestFoldedEstimateIsTheSameEveryRun: past the exact count, the estimate
// of the values folded is the same in every run of one file and however
// the values are split between forks (the workers and chunks of a run):
// the warning never changes from run to run.
func TestFoldedEstimateIsTheSameEveryRun(t *testing.T) {
	values := make([]string, 150_000)
	for i := range values {
		values[i] = fmt.Sprint(500000 + i)
	}
	count := func(split int) (int, bool) {
		l := New("codes", 1)
		f := Freeze(l, map[string]int{"kept": 1}, Other)
		for lo := 0; lo < len(values); lo += split {
			fork := l.ForFork()
			for _, v := range values[lo:min(lo+split, len(values))] {
				f.Admit(fork, v, Other)
			}
			l.Absorb(fork)
		}
		return l.Folded()
	}
	want, exact := count(len(values))
	if exact || relErr(want, len(values)) > 0.04 {
		t.Fatalf("Folded() = %d, %v; want an estimate of %d", want, exact, len(values))
	}
	for _, split := range []int{len(values), 1000, 7919, 70_000} {
		if got, _ := count(split); got != want {
			t.Errorf("parts of %d values: Folded() = %d, want %d as in the first run", split, got, want)
		}
	}
}

// TestAdd: Add counts as Entry and an addition do, under a cap and in a
// fork that tracks order, and says the key counted under and when it (Other
// too) is new.
func TestAdd(t *testing.T) {
	tests := []struct {
		name      string
		limit     *Limit
		keys      []string
		want      map[string]int64
		wantNew   []bool
		wantKeys  []string
		wantOrder []string
	}{
		{"capped", New("codes", 2), []string{"a", "b", "a", "c", "d", "b", Other},
			map[string]int64{"a": 2, "b": 2, Other: 3}, []bool{true, true, false, true, false, false, false},
			[]string{"a", "b", "a", Other, Other, "b", Other}, nil},
		{"fork", Unlimited("codes"), []string{"a", Other, "b", Other, "a"},
			map[string]int64{"a": 2, "b": 1, Other: 2}, []bool{true, true, true, false, false},
			[]string{"a", Other, "b", Other, "a"}, []string{"a", Other, "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := map[string]int64{}
			var order []string
			for i, k := range tc.keys {
				key, isNew := Add(tc.limit, m, &order, k, 1)
				if key != tc.wantKeys[i] || isNew != tc.wantNew[i] {
					t.Errorf("Add(%q) #%d = %q, %v, want %q, %v", k, i, key, isNew, tc.wantKeys[i], tc.wantNew[i])
				}
			}
			if fmt.Sprint(m) != fmt.Sprint(tc.want) || !slices.Equal(order, tc.wantOrder) {
				t.Errorf("counts %v order %q, want %v %q", m, order, tc.want, tc.wantOrder)
			}
		})
	}
}

// TestKeepAlways: past the cap, the keys given to KeepAlways are still
// counted one by one, in the merged map (Key) and by a fork asking the
// map's frozen set (Admit), and only the others are folded and counted
// in the warning.
func TestKeepAlways(t *testing.T) {
	l := New("codes", 2).KeepAlways([]string{"21610", ""})
	m := map[string]int64{}
	for _, k := range []string{"a", "b", "c", "21610", "d", "", "21610", "c"} {
		m[Key(l, m, k)]++
	}
	want := map[string]int64{"a": 1, "b": 1, "21610": 2, "": 1, Other: 3}
	if fmt.Sprint(m) != fmt.Sprint(want) {
		t.Errorf("merged map %v, want %v", m, want)
	}
	f := Freeze(l, m, Other)
	if f == nil {
		t.Fatal("a full map did not freeze")
	}
	fork := l.ForFork()
	for key, want := range map[string]string{"a": "a", "21610": "21610", "": "", "e": Other, "30007": Other} {
		if got := f.Admit(fork, key, Other); got != want {
			t.Errorf("Admit(%q) = %q, want %q", key, got, want)
		}
	}
	l.Absorb(fork)
	if n, exact := l.Folded(); n != 4 || !exact { // c, d, e, 30007
		t.Errorf("folded %d (exact %v), want 4", n, exact)
	}
	if New("x", 1).KeepAlways(nil).keepsAlways("a") {
		t.Error("KeepAlways(nil) keeps a key")
	}
}

package keycap

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// hashes returns n random 64-bit hashes, the same for the same seed
// (hashKey's xxhash bits are as random).
func hashes(seed uint64, n int) []uint64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	hs := make([]uint64, n)
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	return hs
}

// TestFoldSetExactUpToMax: a set counts exactly up to and at maxFolded
// distinct values, whether the count compacts them or they were
// compacted as they came (repeats filling the blocks), and estimates
// past it, holding no hashes.
func TestFoldSetExactUpToMax(t *testing.T) {
	tests := []struct {
		name      string
		n, repeat int
		wantExact bool
	}{
		{"one", 1, 1, true},
		{"a few thousand", 5000, 1, true},
		{"one short of the max", maxFolded - 1, 1, true},
		{"at the max", maxFolded, 1, true},
		{"at the max, compacted while noted", maxFolded, 3, true},
		{"one past the max, counted", maxFolded + 1, 1, false},
		{"one past the max, compacted while noted", maxFolded + 1, 3, false},
		{"twice the max", 2 * maxFolded, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := hashes(1, tt.n)
			s := &foldSet{}
			for range tt.repeat {
				for _, h := range hs {
					s.add(h)
				}
			}
			n, exact := s.count()
			if exact != tt.wantExact {
				t.Fatalf("count() = %d, %v; want exact %v", n, exact, tt.wantExact)
			}
			if exact && n != tt.n {
				t.Errorf("count() = %d, want %d exactly", n, tt.n)
			}
			if !exact {
				if s.blocks != nil || s.size != 0 {
					t.Errorf("estimating with %d blocks of room %d kept", len(s.blocks), s.size)
				}
				if d := relErr(n, tt.n); d > 0.04 {
					t.Errorf("estimate %d of %d distinct: off by %.1f%%", n, tt.n, 100*d)
				}
			}
		})
	}
}

func relErr(got, want int) float64 {
	d := float64(got-want) / float64(want)
	if d < 0 {
		return -d
	}
	return d
}

// TestSketchEstimates: past maxFolded the count is within 4% (about 2.5
// standard errors) of the truth, and repeats, in a row or spread out, do
// not inflate it: a register keeps a maximum.
func TestSketchEstimates(t *testing.T) {
	for _, n := range []int{100_000, 400_000, 2_000_000} {
		for _, repeat := range []int{1, 3} {
			t.Run(fmt.Sprintf("%d distinct, each %d times", n, repeat), func(t *testing.T) {
				hs := hashes(uint64(n), n)
				s := &foldSet{}
				for r := range repeat {
					for i := range hs {
						h := hs[(i*(r+1))%len(hs)] // another order each round
						s.add(h)
						if r == 1 {
							s.add(h) // and in a row
						}
					}
				}
				got, exact := s.count()
				if exact || s.sketch == nil {
					t.Fatalf("count() = %d, exact %v: want an estimate", got, exact)
				}
				t.Logf("estimate %d of %d distinct", got, n)
				if d := relErr(got, n); d > 0.04 {
					t.Errorf("estimate %d of %d distinct: off by %.1f%%", got, n, 100*d)
				}
				once := &foldSet{}
				for _, h := range hs {
					once.add(h)
				}
				once.count()
				if *once.sketch != *s.sketch {
					t.Error("repeats changed the sketch")
				}
			})
		}
	}
}

// TestSketchRank: a register keeps the leading zeros of the hash below
// its index, plus one, bounded by the guard bit.
func TestSketchRank(t *testing.T) {
	tests := []struct {
		h     uint64
		index int
		rank  uint8
	}{
		{0, 0, 64 - sketchBits + 1},
		{^uint64(0), 1<<sketchBits - 1, 1},
		{0xABC<<(64-sketchBits) | 1, 0xABC, 64 - sketchBits},
		{1<<(64-sketchBits) | 1<<(63-sketchBits), 1, 1},
		{1<<(64-sketchBits) | 1<<(62-sketchBits), 1, 2},
	}
	for _, tt := range tests {
		var k sketch
		k.add(tt.h)
		if k[tt.index] != tt.rank {
			t.Errorf("add(%#x): register %#x = %d, want %d", tt.h, tt.index, k[tt.index], tt.rank)
		}
	}
}

// TestAbsorbMixedSets: exact and estimating sets absorbed in any order
// end as the sketch of their union, estimating.
func TestAbsorbMixedSets(t *testing.T) {
	// Two sets past maxFolded (estimating), three under it (exact), the
	// values of one part shared with the next.
	// (past compactAt hashes noted, a set compacts and switches).
	sizes := []int{compactAt + 5000, 30_000, 2 * compactAt, 20_000, 1000}
	all := hashes(9, 500_000)
	var want sketch
	for _, h := range all[:sum(sizes)-(len(sizes)-1)*500] {
		want.add(h)
	}
	parts := func() []*foldSet {
		var out []*foldSet
		at := 0
		for _, n := range sizes {
			s := &foldSet{}
			for _, h := range all[at : at+n] {
				s.add(h)
			}
			at += n - 500
			out = append(out, s)
		}
		return out
	}
	orders := [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {1, 3, 4, 0, 2}, {3, 0, 4, 2, 1}}
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			ps := parts()
			if ps[0].sketch == nil || ps[1].sketch != nil {
				t.Fatal("the parts do not mix exact and estimating sets")
			}
			root := &foldSet{}
			for _, i := range order {
				root.absorb(ps[i])
			}
			n, exact := root.count()
			if exact || root.sketch == nil || *root.sketch != want {
				t.Errorf("count() = %d, %v: not the sketch of the union", n, exact)
			}
		})
	}
	t.Run("exact sets passing the max", func(t *testing.T) {
		root := &foldSet{}
		for i := range 3 {
			s := &foldSet{}
			for _, h := range all[i*30_000 : (i+1)*30_000] {
				s.add(h)
			}
			root.absorb(s)
			n, exact := root.count()
			if wantExact := (i+1)*30_000 <= maxFolded; exact != wantExact || exact && n != (i+1)*30_000 {
				t.Errorf("after %d sets: count() = %d, %v", i+1, n, exact)
			}
		}
	})
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// TestForkAfterSwitch: once a limit estimates, a fork made after starts
// with a sketch, holds no hashes and folds with no allocation; forks
// made before keep theirs, and all merge into the estimate. Forks are
// made on other goroutines while the limit absorbs (go test -race).
func TestForkAfterSwitch(t *testing.T) {
	l := New("codes", 1)
	before := l.ForFork()
	if before.folded.sketch != nil {
		t.Fatal("a fork of an exact limit estimates")
	}
	hs := hashes(5, 400_000)
	for _, h := range hs[:1000] {
		before.folded.add(h)
	}
	var wg sync.WaitGroup
	forks := make(chan *Limit)
	wg.Add(1)
	go func() { // the forks the reader makes, while the merges go on
		defer wg.Done()
		for range 20 {
			forks <- l.ForFork()
		}
		close(forks)
	}()
	i := 0
	for f := range forks {
		for _, h := range hs[i : i+10_000] {
			f.folded.add(h)
		}
		i += 10_000
		l.Absorb(f)
	}
	wg.Wait()
	if !l.estimating.Load() {
		t.Fatalf("a limit of %d values folded does not estimate", i)
	}
	after := l.ForFork()
	if after.folded.sketch == nil || after.folded.blocks != nil {
		t.Fatal("a fork made after the switch holds hashes")
	}
	rest := hs[i:]
	if allocs := testing.AllocsPerRun(1, func() {
		for _, h := range rest[:100_000] {
			after.folded.add(h)
		}
	}); allocs != 0 {
		t.Errorf("a fork made after the switch: %v allocations for 100,000 values", allocs)
	}
	if after.folded.blocks != nil {
		t.Error("a fork made after the switch keeps hashes")
	}
	for _, h := range rest[100_000:] {
		after.folded.add(h)
	}
	l.Absorb(after)
	l.Absorb(before)
	n, exact := l.Folded()
	if exact || relErr(n, len(hs)) > 0.04 {
		t.Errorf("Folded() = %d, %v; want about %d", n, exact, len(hs))
	}
}

// TestWarningAbout: an exact count is said as it is, an estimate as
// "about" and rounded to two significant digits.
func TestWarningAbout(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"exact", 61_234, "more than 1 distinct codes: 61234 more counted as (other) (raise the cap with --max-keys)"},
		{"exact at the max", maxFolded, fmt.Sprintf("more than 1 distinct codes: %d more counted as (other) (raise the cap with --max-keys)", maxFolded)},
		{"estimate", 400_000, "more than 1 distinct codes: about 400000 more counted as (other) (raise the cap with --max-keys)"},
		{"estimate of 2M", 2_000_000, "more than 1 distinct codes: about 2000000 more counted as (other) (raise the cap with --max-keys)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New("codes", 1)
			for _, h := range hashes(11, tt.n) {
				l.folded.add(h)
			}
			if got := l.Warning(); got != tt.want {
				t.Errorf("Warning() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTwoDigits(t *testing.T) {
	for _, tt := range []struct{ n, want int }{
		{0, 0}, {7, 7}, {99, 99}, {100, 100}, {104, 100}, {105, 110}, {65_537, 66_000},
		{398_731, 400_000}, {1_949_999, 1_900_000}, {1_950_000, 2_000_000}, {2_031_000, 2_000_000},
	} {
		if got := twoDigits(tt.n); got != tt.want {
			t.Errorf("twoDigits(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

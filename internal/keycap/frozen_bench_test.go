package keycap

import (
	"fmt"
	"testing"
)

func BenchmarkFrozenAdmitMiss(b *testing.B) {
	l, f := fullFrozen()
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = fmt.Sprint(300000 + i*7)
	}
	fork := l.ForFork()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f.Admit(fork, keys[i&(len(keys)-1)], Other)
		if fork.folded.size > 1<<20 {
			fork.folded = foldSet{}
		}
	}
}

func BenchmarkFrozenHasMiss(b *testing.B) {
	_, f := fullFrozen()
	hs := make([]uint64, 1<<16)
	for i := range hs {
		hs[i] = stored(uint64(i) * 0x9E3779B97F4A7C15)
	}
	n := 0
	for i := 0; b.Loop(); i++ {
		if f.has(hs[i&(len(hs)-1)]) {
			n++
		}
	}
	_ = n
}

// fullFrozen returns a limit of 100,000 codes and the Frozen set of a map
// it caps, full.
func fullFrozen() (*Limit, *Frozen) {
	l := New("codes", 100_000)
	m := make(map[string]int, 100_000)
	for i := range 100_000 {
		m[fmt.Sprint(100000+i)] = 1
	}
	return l, Freeze(l, m, Other)
}

// BenchmarkFoldSet notes 400,000 distinct hashes as a broken export's
// parts do (10,000 in each of 40 forks, each value noted twice in turn,
// as the maps of a row fold it), absorbs the forks and counts.
func BenchmarkFoldSet(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var root foldSet
		for p := range 40 {
			var s foldSet
			for i := range 10_000 {
				h := spread(uint64(p*10_000 + i))
				s.add(h)
				s.add(h)
			}
			root.absorb(&s)
		}
		if n, _ := root.count(); relErr(n, 400_000) > 0.04 {
			b.Fatalf("count %d", n)
		}
	}
}

// BenchmarkLimitFolds is BenchmarkFoldSet through a Limit, as summarize
// runs on a broken export: 40 forks (ForFork) each fold 10,000 values,
// twice, the limit absorbs each, and the warning counts them. Forks made
// after the limit switched to estimating keep no hashes.
func BenchmarkLimitFolds(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		l := New("codes", 1)
		for p := range 40 {
			f := l.ForFork()
			for i := range 10_000 {
				h := spread(uint64(p*10_000 + i))
				f.folded.add(h)
				f.folded.add(h)
			}
			l.Absorb(f)
		}
		if l.Warning() == "" {
			b.Fatal("no warning")
		}
	}
}

// spread returns a hash of x as random as maphash's (splitmix64's
// finalizer): a sketch assumes random bits below its index, which a
// product of x and a constant does not give.
func spread(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

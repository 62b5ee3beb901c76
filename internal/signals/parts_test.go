package signals

import (
	"math/rand/v2"
	"testing"

	"github.com/spoke-status/spoke-status/internal/steps"
)

// TestPartitionCompact: a partition compacted at any points, with a
// contact's entries spread over blocks and compactions, keeps one entry
// per contact: its earliest initial text, replied if any entry replied.
func TestPartitionCompact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, keys := range []int{1, 3, 600, 5000} {
		type want struct {
			c     contact
			found bool
		}
		ref := map[uint64]*want{}
		var p partition
		var idx []uint32
		for i := 0; i < 3*blockLen+keys*3; i++ {
			key := uint64(rng.IntN(keys)+1) | 0xAB<<56
			c := contact{key: key}
			if rng.IntN(3) == 0 {
				c.meta = contactReplied
			} else {
				c.meta = hasInitial | uint32(rng.IntN(50))
				c.at = steps.Moment{Time: int64(rng.IntN(20)), Pos: uint64(i)}
				c.number = uint32(i)
			}
			w := ref[key]
			if w == nil {
				w = &want{c: contact{key: key}}
				ref[key] = w
			}
			if c.meta&hasInitial != 0 && (!w.found || c.at.Before(w.c.at)) {
				w.c.at, w.c.number, w.found = c.at, c.number, true
				w.c.meta = w.c.meta&contactReplied | c.meta
			}
			w.c.meta |= c.meta & contactReplied
			p.add(&c)
			if rng.IntN(700) == 0 || p.full() {
				idx = p.compact(idx)
			}
		}
		idx = p.compact(idx)
		if p.n != len(ref) {
			t.Fatalf("%d keys: %d entries after compact, want %d", keys, p.n, len(ref))
		}
		if len(p.blocks) != (p.n+blockLen-1)/blockLen {
			t.Errorf("%d keys: %d blocks kept for %d entries", keys, len(p.blocks), p.n)
		}
		for i := 0; i < p.n; i++ {
			got := *p.at(i)
			if w := ref[got.key]; w == nil || got != w.c {
				t.Fatalf("%d keys: entry %+v, want %+v", keys, got, w)
			}
		}
	}
}

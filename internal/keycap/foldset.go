package keycap

import "slices"

// maxFolded is the number of distinct folded values a Limit counts
// exactly (8 MB of hashes); past it the warning says "at least", so that
// a broken export of tens of millions of distinct values keeps memory
// flat.
const maxFolded = 1 << 20

// foldTail is the number of hashes appended before they are sorted into
// a run: small enough to sort in the cache.
const foldTail = 4096

// foldSet counts distinct values by their 64-bit hashes (two values
// sharing one are a negligible miscount). Hashes are appended to a tail,
// sorted into runs of distinct hashes, and runs of similar length merged
// (a binary counter: each hash is merged O(log n) times, in sequential
// passes). A fork's set is mostly merged on its own goroutine; absorbing
// it costs a few merges.
type foldSet struct {
	tail  []uint64
	runs  [][]uint64 // sorted, without repeats, each longer than the next
	total int        // hashes in runs
	// atLeast, when not 0, is how many distinct values were counted when
	// the count stopped at maxFolded.
	atLeast int
}

func (s *foldSet) add(h uint64) {
	if s.atLeast > 0 {
		return
	}
	if n := len(s.tail); n > 0 && s.tail[n-1] == h {
		return // the maps of one row fold the same value in turn
	}
	s.tail = append(s.tail, h)
	if len(s.tail) >= foldTail {
		s.flush()
	}
}

// flush sorts the tail into a run.
func (s *foldSet) flush() {
	if len(s.tail) == 0 {
		return
	}
	run := slices.Clone(s.tail)
	s.tail = s.tail[:0]
	slices.Sort(run)
	s.push(slices.Compact(run))
}

// push adds a sorted run without repeats, merging the runs no longer
// than it, and stops counting once the runs hold twice maxFolded.
func (s *foldSet) push(run []uint64) {
	for n := len(s.runs); n > 0 && len(s.runs[n-1]) <= len(run); n-- {
		s.total -= len(s.runs[n-1])
		run = mergeRuns(s.runs[n-1], run)
		s.runs = s.runs[:n-1]
	}
	s.runs = append(s.runs, run)
	s.total += len(run)
	if s.total > 2*maxFolded {
		if n := s.collapse(); n >= maxFolded {
			s.stop(n)
		}
	}
}

// collapse merges every run into one and returns its length.
func (s *foldSet) collapse() int {
	s.flush()
	for len(s.runs) > 1 {
		n := len(s.runs)
		s.runs = append(s.runs[:n-2], mergeRuns(s.runs[n-2], s.runs[n-1]))
	}
	if len(s.runs) == 0 {
		s.total = 0
		return 0
	}
	s.total = len(s.runs[0]) // the repeats between runs are gone
	return s.total
}

func (s *foldSet) stop(n int) {
	s.atLeast = n
	s.tail, s.runs, s.total = nil, nil, 0
}

// absorb adds the hashes of o, which must not be used afterwards.
func (s *foldSet) absorb(o *foldSet) {
	switch {
	case s.atLeast > 0:
		return
	case o.atLeast > 0:
		n := s.collapse() // which may stop the count itself
		s.stop(max(o.atLeast, n, s.atLeast))
		return
	}
	o.flush()
	for _, run := range o.runs {
		if s.atLeast > 0 {
			return
		}
		s.push(run)
	}
	*o = foldSet{}
}

// count returns the number of distinct hashes, and false when counting
// stopped at maxFolded (there were at least that many).
func (s *foldSet) count() (int, bool) {
	if s.atLeast == 0 {
		// Collapsing flushes the tail, which may itself stop the count.
		n := s.collapse()
		if s.atLeast == 0 {
			if n < maxFolded {
				return n, true
			}
			s.stop(n)
		}
	}
	return s.atLeast, false
}

// mergeRuns returns the union of a and b, both sorted without repeats,
// sorted without repeats, in new memory.
func mergeRuns(a, b []uint64) []uint64 {
	out := make([]uint64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch x, y := a[i], b[j]; {
		case x < y:
			out = append(out, x)
			i++
		case x > y:
			out = append(out, y)
			j++
		default:
			out = append(out, x)
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

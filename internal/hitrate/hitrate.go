// Package hitrate switches a cache off for a while when it stops paying:
// a cache of values that repeat in real exports (the tails of a
// campaign's script, the code cells of its errors) costs a lookup per
// row and finds nothing on input whose values never repeat (free-form
// replies, a broken export's codes).
package hitrate

// Window counts the lookups of one cache: when fewer than a quarter of a
// window's Size lookups found their value, the cache rests (is not
// looked in) for the next Rest values, then is tried again.
type Window struct{ lookups, hits, rest int }

const (
	// Size is the number of lookups a window counts.
	Size = 1024
	// Rest is the number of values a cache that stopped paying skips.
	Rest = 64 << 10
)

// Resting reports whether the cache rests for this value, counting it.
func (w *Window) Resting() bool {
	if w.rest > 0 {
		w.rest--
		return true
	}
	return false
}

// Looked counts a lookup, found or not.
func (w *Window) Looked(found bool) {
	w.lookups++
	if found {
		w.hits++
	}
	if w.lookups < Size {
		return
	}
	if 4*w.hits < w.lookups {
		w.rest = Rest
	}
	w.lookups, w.hits = 0, 0
}

// RestNow makes the cache rest for the next Rest values, as a window of
// misses does, for a caller that saw enough misses before a window ended.
func (w *Window) RestNow() {
	w.rest = Rest
	w.lookups, w.hits = 0, 0
}

// Hits is the number of lookups that found their value in the current
// window.
func (w *Window) Hits() int { return w.hits }

// Lookups is the number of lookups counted in the current window.
func (w *Window) Lookups() int { return w.lookups }

// Left is the number of values the cache still skips.
func (w *Window) Left() int { return w.rest }

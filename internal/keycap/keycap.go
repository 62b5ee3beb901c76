// Package keycap bounds the maps whose keys come from the data (error
// codes, group keys, link domains): a hostile or shifted export with a
// distinct value on every row must not grow memory with the rows. A map
// keeps the first Max distinct keys in input order; the values past them
// are counted under Other, and the distinct values folded are counted so
// that one warning can say how many there were.
package keycap

import (
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strings"
)

// Other is the key the values past the cap are counted under. The
// parentheses keep it apart from any code or campaign id.
const Other = "(other)"

// DefaultMax is the number of distinct keys a map keeps by default:
// far more than real exports hold (a few hundred codes, a few thousand
// campaigns), few enough to stay within a few hundred MB.
const DefaultMax = 100_000

// Limit is the cap shared by the maps of one kind (e.g. the error codes of
// every group), with the distinct values they folded.
type Limit struct {
	// What names the values in the warning ("error codes").
	What string
	// Max is the number of keys a map keeps besides Other; 0 or less keeps
	// every key (the forks of a parallel reader, whose maps are bounded by
	// their chunk and capped when merged).
	Max int
	// Track records each map's keys in the order first seen, so a fork can
	// be merged in input order (see Order).
	Track bool

	seed maphash.Seed
	// folded holds the hashes of the values folded, sorted and without
	// repeats up to sorted, appended past it: 8 bytes a value, where a
	// set would take about three times as much.
	folded []uint64
	sorted int
}

// New returns a Limit of max keys per map (0: DefaultMax).
func New(what string, max int) *Limit {
	if max <= 0 {
		max = DefaultMax
	}
	return &Limit{What: what, Max: max, seed: maphash.MakeSeed()}
}

// Unlimited returns a Limit that keeps every key and records their order,
// for a fork whose maps are capped when merged.
func Unlimited(what string) *Limit { return &Limit{What: what, Track: true} }

// Key returns the key under which key is counted in m: key itself when m
// has it or has room for it, else Other, noting the fold. A nil Limit
// keeps every key.
func Key[V any](l *Limit, m map[string]V, key string) string {
	return KeyOr(l, m, key, Other)
}

// KeyOr is Key for a map whose values past the cap go under other (a
// nested group key, Other for each part).
func KeyOr[V any](l *Limit, m map[string]V, key, other string) string {
	if l == nil || l.Max <= 0 || key == other {
		return key
	}
	if _, ok := m[key]; ok {
		return key
	}
	n := len(m)
	if _, ok := m[other]; ok {
		n--
	}
	if n < l.Max {
		return key
	}
	l.fold(key)
	return other
}

// Entry returns the key under which key counts in m, under l's cap, and
// whether m has no entry for it yet (the caller then adds one). A new key
// is copied, so that m never keeps alive the row it came from, and, when
// l tracks first-seen order, appended to *order.
func Entry[V any](l *Limit, m map[string]V, order *[]string, key string) (string, bool) {
	k := Key(l, m, key)
	if _, ok := m[k]; ok {
		return k, false
	}
	k = strings.Clone(k)
	if l.NewKey() {
		*order = append(*order, k)
	}
	return k, true
}

// NewKey reports whether key, absent from m so far, is one to record in
// an order (a tracking Limit); call it after Key returned key.
func (l *Limit) NewKey() bool { return l != nil && l.Track }

func (l *Limit) fold(key string) {
	if l.seed == (maphash.Seed{}) {
		l.seed = maphash.MakeSeed()
	}
	// A hash, not the value: 8 bytes per distinct value folded, however
	// long; two values sharing a 64-bit hash are a negligible miscount.
	l.folded = append(l.folded, maphash.String(l.seed, key))
	if len(l.folded) >= 2*max(l.sorted, 1024) {
		l.compact()
	}
}

// compact sorts the hashes and drops the repeats.
func (l *Limit) compact() {
	slices.Sort(l.folded)
	l.folded = slices.Compact(l.folded)
	l.sorted = len(l.folded)
}

// Folded is the number of distinct values folded into Other so far.
func (l *Limit) Folded() int {
	if l == nil {
		return 0
	}
	l.compact()
	return len(l.folded)
}

// Warning is the one line that tells the user about the values folded, or
// "" when there were none.
func (l *Limit) Warning() string {
	if l.Folded() == 0 {
		return ""
	}
	return fmt.Sprintf("more than %d distinct %s: %d more counted as %s (raise the cap with --max-keys)", l.Max, l.What, l.Folded(), Other)
}

// Warnings returns the warnings of limits, in order, leaving out those
// that folded nothing.
func Warnings(limits ...*Limit) []string {
	var out []string
	for _, l := range limits {
		if w := l.Warning(); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// InOrder returns the keys of m: order (keys in the order first seen) when
// it holds every key of m, else m's keys sorted, so that a map that was
// not tracked still merges reproducibly.
func InOrder[V any](m map[string]V, order []string) []string {
	if len(order) == len(m) {
		return order
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MergeCounts adds src's counts into dst in the order of srcOrder (see
// InOrder), under the cap of l.
func MergeCounts(l *Limit, dst, src map[string]int64, srcOrder []string) {
	if l == nil || l.Max <= 0 || len(dst)+len(src) <= l.Max {
		for k, v := range src { // nothing can fold: the order does not matter
			dst[k] += v
		}
		return
	}
	for _, k := range InOrder(src, srcOrder) {
		dst[Key(l, dst, k)] += src[k]
	}
}

// Package keycap bounds the maps whose keys come from the data (error
// codes, group keys, link domains): a hostile or shifted export with a
// distinct value on every row must not grow memory with the rows. A map
// keeps the first Max distinct keys in input order; the values past them
// are counted under Other, and the distinct values folded are counted so
// that one warning can say how many there were.
package keycap

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/cespare/xxhash/v2"
)

// Other is the key the values past the cap are counted under. The
// parentheses keep it apart from any code or campaign id.
const Other = "(other)"

// DefaultMax is the number of distinct keys a map keeps by default:
// far more than real exports hold (a few hundred codes, a few thousand
// campaigns), few enough to stay within a few hundred MB.
const DefaultMax = 100_000

// DefaultMaxCodes is the number of distinct error codes a map keeps by
// default, besides those the registry knows, which are always kept. The
// registry holds a few hundred codes of Twilio, Telnyx, Bandwidth and
// Spoke and a real export a few dozen, so more than 1,000 distinct codes
// it does not know only come from a broken export (a shifted column puts
// a phone number or an id in the code cell). Every distinct code kept
// costs the parts read before the cap fills an entry in each map of codes
// (a tally of --by code among them), and the result and output a row
// nobody can use: with 10,000, summarize --by code on a broken
// 400,000-row file took 180 ms against 167 ms with 1,000 (bench/ab.sh,
// docs/performance.md, stop 24).
const DefaultMaxCodes = 1_000

// Limit is the cap shared by the maps of one kind (e.g. every row's error
// codes, the groups of one --by dimension), with the distinct values they
// folded.
type Limit struct {
	// What names the values in the warning ("error codes").
	What string
	// Max is the number of keys a map keeps besides Other; 0 or less keeps
	// every key (the forks of a parallel reader, whose maps are bounded by
	// their chunk and capped when merged).
	Max int
	// Track records each map's keys in the order first seen, so a fork can
	// be merged in input order (see InOrder).
	Track bool

	// folded counts the distinct values folded, by hash: 8 bytes a
	// value, however long, up to maxFolded values, then a sketch of 16 KB.
	folded foldSet
	// estimating is set, by the goroutine that absorbs forks, once folded
	// estimates: the forks made after then estimate from the start
	// (ForFork), allocating nothing a value folded.
	estimating atomic.Bool

	// always holds the keys counted one by one whatever
	// the cap (KeepAlways); nil for none.
	always *Frozen
}

// New returns a Limit of max keys per map (0: DefaultMax).
func New(what string, max int) *Limit {
	if max <= 0 {
		max = DefaultMax
	}
	return &Limit{What: what, Max: max}
}

// KeepAlways makes l count each of keys one by one even past its cap,
// and returns l: a map under l then holds at most Max keys and these.
// The maps of error codes keep the codes the registry knows so: a broken
// file's first junk codes must not push a later real one (an opt-out,
// 21610) into (other), whose category is unknown, where the opt-out
// rejections, the categories and check's gates would not see it. Keys
// are told by their 64-bit hash: a value sharing one with a key is kept
// too, a negligible excess.
func (l *Limit) KeepAlways(keys []string) *Limit {
	if l == nil || len(keys) == 0 {
		return l
	}
	hs := make([]uint64, len(keys))
	for i, k := range keys {
		hs[i] = hashKey(k)
	}
	l.always = freezeHashes(hs, len(keys))
	return l
}

// keepsAlways reports whether key is one of KeepAlways'.
func (l *Limit) keepsAlways(key string) bool {
	return l.always != nil && l.always.has(stored(hashKey(key)))
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
	if !full(l, m, other) || l.keepsAlways(key) {
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

// Add adds n to the count of key in m under l's cap, as Entry and an
// addition do, and returns the key counted under (key or Other) and
// whether m had no entry for it. A key folded into Other, the common
// case of a broken export, costs one map access instead of two: Other is
// a constant, stored as it is.
func Add(l *Limit, m map[string]int64, order *[]string, key string, n int64) (string, bool) {
	if k := Key(l, m, key); k == Other {
		before := len(m)
		m[Other] += n
		if len(m) == before {
			return Other, false
		}
		if l.NewKey() {
			*order = append(*order, Other)
		}
		return Other, true
	}
	k, isNew := Entry(l, m, order, key)
	m[k] += n
	return k, isNew
}

// full reports whether m holds l.Max keys besides other, the key of the
// values past the cap (l caps: Max > 0).
func full[V any](l *Limit, m map[string]V, other string) bool {
	n := len(m)
	if _, ok := m[other]; ok {
		n--
	}
	return n >= l.Max
}

// NewKey reports whether key, absent from m so far, is one to record in
// an order (a tracking Limit); call it after Key returned key.
func (l *Limit) NewKey() bool { return l != nil && l.Track }

// fold notes a value folded into Other. A hash, not the value: 8 bytes
// per distinct value folded, however long; two values sharing a 64-bit
// hash are a negligible miscount.
func (l *Limit) fold(key string) { l.folded.add(hashKey(key)) }

// hashKey is the hash of a key in every set of hashes here (the folded
// values', Frozen's, KeepAlways'): xxhash, the same in every Limit and
// every run. Past maxFolded the count of the values folded is an estimate
// from their hashes (a sketch), so with a hash seeded at random (maphash)
// two runs, or the same file split between workers differently, could
// give different warnings; xxhash's bits are as random as the sketch
// needs, and a union of sketches is the same however the values were
// split. One hash then serves a part's lookup in a Frozen set and the
// fold it notes.
func hashKey(key string) uint64 { return xxhash.Sum64String(key) }

// Folded is the number of distinct values folded into Other so far, and
// false when there were more than are counted exactly (maxFolded): then
// an estimate, within a few percent.
func (l *Limit) Folded() (int, bool) {
	if l == nil {
		return 0, true
	}
	return l.folded.count()
}

// Warning is the one line that tells the user about the values folded, or
// "" when there were none.
func (l *Limit) Warning() string {
	n, exact := l.Folded()
	switch {
	case n == 0:
		return ""
	case !exact:
		return fmt.Sprintf("more than %d distinct %s: about %d more counted as %s (raise the cap with --max-keys)", l.Max, l.What, twoDigits(n), Other)
	}
	return fmt.Sprintf("more than %d distinct %s: %d more counted as %s (raise the cap with --max-keys)", l.Max, l.What, n, Other)
}

// twoDigits is n rounded to two significant digits (398,731: 400,000),
// as much as an estimate within a few percent tells.
func twoDigits(n int) int {
	p := 1
	for n/p >= 100 {
		p *= 10
	}
	return (n + p/2) / p * p
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

// ForFork returns the Limit of a fork whose maps are merged into maps
// under l: it keeps every key and records their order, and it counts the
// values it folds (against a Frozen key set) by hashKey, as l does, so
// that Absorb counts each distinct value once.
func (l *Limit) ForFork() *Limit {
	if l == nil {
		return Unlimited("")
	}
	// l.always is set before any fork is made and never changed after:
	// reading it from another goroutine is safe. (An Unlimited l folds
	// nothing.)
	f := Unlimited(l.What)
	f.always = l.always
	if l.estimating.Load() {
		// l's count is an estimate already: the fork's is, from the
		// start, with no hashes kept.
		f.folded.sketch = new(sketch)
	}
	return f
}

// Absorb adds the values a fork of l (ForFork) folded to l's. A fork's
// limit may serve several maps merged in turn: the first merge takes its
// values.
func (l *Limit) Absorb(fork *Limit) {
	if l == nil || fork == nil {
		return
	}
	l.folded.absorb(&fork.folded)
	// A switch while l itself folded (a merge) is seen here too: an
	// Absorb follows the merges of each fork.
	if l.folded.sketch != nil && !l.estimating.Load() {
		l.estimating.Store(true)
	}
}

// Frozen is the key set of a capped map that is full: from then on the
// map gains no key, so a fork read on another goroutine can count a value
// the set lacks under Other at once, instead of keeping it in a map of
// its own only for the merge to fold it. On a broken export with a
// distinct code on every row, that is most rows. A Frozen is never
// written after Freeze, so any goroutine may read it.
//
// It holds 64-bit hashes, not the keys: a flat table without pointers
// is a fraction of the size of a Go map of the strings, costs the
// collector nothing and answers with one cache miss instead of two. A
// value whose hash matches a key's by chance is kept by the fork, and
// folded when the fork is merged: never counted wrongly.
//
// The hashes are sorted, each at the slot of its top bits or, when that
// is taken, the next free one (ordered linear probing): a lookup stops at
// the first larger hash, so a value the set lacks, a broken export's
// common case, costs about as little as one it holds, and the table can
// be fuller: 1.25 to 2.5 slots a key, where open linear probing kept 2 to
// 4 to keep misses short. On a broken export a fork asks the set of codes
// for every row, a likely cache miss: a smaller set misses less.
//
// Before the table, a filter of about a byte a key (a blocked Bloom
// filter: two bits of one 64-bit word a hash) answers most values the set
// and its always keys lack: one word, likely cached (16 KB for 10,000
// keys against 128 KB of table), where they took a probe of each table:
// go test ./internal/keycap -bench FrozenAdmitMiss, 29–30 ns a value
// before, 11–20 ns after (docs/performance.md, stop 24).
type Frozen struct {
	shift uint // a hash's home slot is h >> shift
	// slots holds the hashes, ascending, empty for an empty slot (a hash
	// of empty is stored as empty-1); the last ones are past the home
	// slots, for the hashes pushed past the end, and one empty slot
	// ends them.
	slots []uint64
	n     int // keys
	// always are the keys the Limit keeps whatever the cap (KeepAlways),
	// Admit never folds them.
	always *Frozen
	// filter holds two bits of one word for each hash of the set and of
	// always (filterBits), set by Freeze; nil in a set of always keys.
	filter      []uint64
	filterShift uint // a hash's word is h >> filterShift
}

// empty marks an empty slot: larger than any hash stored, it ends a
// lookup as a larger hash does.
const empty = math.MaxUint64

// Freeze returns the key set of m when l caps it and m is full (Max keys
// besides other, the key of the values past the cap), else nil.
func Freeze[V any](l *Limit, m map[string]V, other string) *Frozen {
	if l == nil || l.Max <= 0 || !full(l, m, other) {
		return nil
	}
	hs := make([]uint64, 0, len(m))
	for k := range m {
		hs = append(hs, hashKey(k))
	}
	f := freezeHashes(hs, len(m))
	f.always = l.always
	f.buildFilter()
	return f
}

// buildFilter sets the filter of f over its hashes and f.always's: about
// 8 bits a key, which two bits a hash leave about 1 in 20 misses through.
func (f *Frozen) buildFilter() {
	n := f.n
	if f.always != nil {
		n += f.always.n
	}
	bits := uint(6) // a word at least
	for 1<<bits < 8*n {
		bits++
	}
	f.filter = make([]uint64, 1<<(bits-6))
	f.filterShift = 64 - (bits - 6)
	for _, set := range []*Frozen{f, f.always} {
		if set == nil {
			continue
		}
		for _, h := range set.slots {
			if h != empty {
				f.filter[h>>f.filterShift] |= filterBits(h)
			}
		}
	}
}

// filterBits are the bits of a hash in its word of a filter: two of 64,
// from bits the word's index (the top ones) does not use.
func filterBits(h uint64) uint64 { return 1<<(h&63) | 1<<(h>>6&63) }

// mayHold reports whether f or f.always may hold a hash (stored): false
// means neither does.
func (f *Frozen) mayHold(h uint64) bool {
	b := filterBits(h)
	return f.filter[h>>f.filterShift]&b == b
}

// freezeHashes returns the set of the hashes hs (sorted in place) of n
// keys.
func freezeHashes(hs []uint64, n int) *Frozen {
	bits := uint(1)
	for 1<<bits < n+n/4 { // at most 80% full
		bits++
	}
	for i, h := range hs {
		hs[i] = stored(h)
	}
	slices.Sort(hs)
	hs = slices.Compact(hs) // two keys of one hash: one entry
	f := &Frozen{shift: 64 - bits, n: n}
	f.slots = make([]uint64, 1<<bits+1, 1<<bits+1+len(hs))
	for i := range f.slots {
		f.slots[i] = empty
	}
	next := 0 // the first slot not taken
	for _, h := range hs {
		i := max(int(h>>f.shift), next)
		if i == len(f.slots)-1 { // keep an empty slot at the end
			f.slots = append(f.slots, empty)
		}
		f.slots[i] = h
		next = i + 1
	}
	return f
}

// stored is the hash a Frozen set stores for h: h, but never empty.
func stored(h uint64) uint64 {
	if h == empty {
		return empty - 1
	}
	return h
}

// has reports whether f holds a hash (stored).
func (f *Frozen) has(h uint64) bool {
	// Every slot from h's home to h's own is taken, by smaller hashes;
	// an empty slot or a larger hash ends the search, and the last slot
	// is empty.
	i := int(h >> f.shift)
	for f.slots[i] < h {
		i++
	}
	return f.slots[i] == h
}

// Admit returns the key under which a fork counts key: key itself when f
// is nil (the map it merges into is not full), holds key or keeps it
// always (KeepAlways), else other, noting the fold in fork (a Limit from
// ForFork).
func (f *Frozen) Admit(fork *Limit, key, other string) string {
	if f == nil || key == other {
		return key
	}
	h := hashKey(key)
	if sh := stored(h); f.mayHold(sh) && (f.has(sh) || f.always != nil && f.always.has(sh)) {
		return key
	}
	fork.folded.add(h)
	return other
}

// Freezer publishes the Frozen key set of one map of the merged result
// to the forks made after it filled up.
type Freezer struct{ p atomic.Pointer[Frozen] }

// Update freezes m once it is full under l (other as in Freeze); call it
// after each merge into m, on the goroutine that merges.
func Update[V any](z *Freezer, l *Limit, m map[string]V, other string) {
	if z.p.Load() != nil {
		return
	}
	f := Freeze(l, m, other)
	if f == nil {
		return
	}
	z.p.Store(f)
}

// Load returns the published key set, nil until the map is full.
func (z *Freezer) Load() *Frozen {
	if z == nil {
		return nil
	}
	return z.p.Load()
}

// Hint carries the size of a fork's map, noted when the fork is merged,
// to the forks made after, which make theirs that size at once: a Go map
// of strings rehashes every key each time it grows, and the parts of one
// input have about as many keys each (10,000 values of 10,000 rows on a
// broken export until the merged maps are full, one after).
type Hint struct{ n atomic.Int64 }

// minHint is the size below which Size says nothing: a map grows to a
// few dozen keys cheaply, and stays small without a table behind it.
const minHint = 64

// Note records the size of a map merged, on the goroutine that merges.
func (h *Hint) Note(n int) { h.n.Store(int64(n)) }

// Size is the size to make a fork's map with: the last noted, or 0 when
// that is small.
func (h *Hint) Size() int {
	if n := h.n.Load(); n >= minHint {
		return int(n)
	}
	return 0
}

package summary

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/signals"
	"github.com/spoke-status/spoke-status/internal/stats"
)

// Breakdowns are the parts of a Summary that summarize adds on request:
// group rows by dimension, and the link, reply and segment analyses. Each
// is absent from JSON when it was not computed.
type Breakdowns struct {
	// Groups holds the group rows of each --by dimension, by its name
	// ("campaign", or "campaign,sending-number" when nested).
	Groups map[string][]GroupRow `json:"groups,omitempty"`
	// GroupOrder lists the names of Groups in the order asked for.
	GroupOrder []string  `json:"-"`
	Links      *Links    `json:"links,omitempty"`
	Replies    *Replies  `json:"replies,omitempty"`
	Segments   *Segments `json:"segments,omitempty"`
	// Signals lists the groups suspected of silent filtering (package
	// signals): empty, not nil, when the analysis ran and found nothing,
	// nil (absent from JSON) when it did not run.
	Signals []signals.Signal `json:"signals,omitzero"`
}

// OtherKey is the key of the row that folds the groups past --top-groups.
const OtherKey = "other"

// GroupKey is the key of a group: one value per nested dimension. In JSON
// a simple dimension's key is a string ("112"), a nested one's a list
// (["112", "+15555550100"]).
type GroupKey []string

// String joins the parts with " / ".
func (k GroupKey) String() string { return strings.Join(k, " / ") }

// MarshalJSON writes one part as a string, several as a list.
func (k GroupKey) MarshalJSON() ([]byte, error) {
	if len(k) == 1 {
		return json.Marshal(k[0])
	}
	return json.Marshal([]string(k))
}

// UnmarshalJSON reads a string or a list of strings.
func (k *GroupKey) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*k = GroupKey{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("group key must be a string or a list of strings: %w", err)
	}
	*k = many
	return nil
}

// GroupRow is the deliverability of one group of a breakdown, over its
// outbound rows.
type GroupRow struct {
	Key                 GroupKey `json:"key"`
	Outbound            int64    `json:"outbound"`
	Delivered           int64    `json:"delivered"`
	Errored             int64    `json:"errored"`
	ErrorRate           float64  `json:"error_rate"`
	DeliveryRate        float64  `json:"delivery_rate"`
	SentStuck           int64    `json:"sent_stuck"`
	StuckSentRate       float64  `json:"stuck_sent_rate"`
	OptOutRejections    int64    `json:"opt_out_rejections"`
	OptOutRejectionRate float64  `json:"opt_out_rejection_rate"`
	// The rates' 95% Wilson score intervals (ConfidenceLevel), over the
	// group's outbound texts: how far a small group's rate may be from
	// the rate it would show on many more texts. [0, 1] when the group
	// has no outbound text.
	ErrorRateCI           Interval `json:"error_rate_ci"`
	DeliveryRateCI        Interval `json:"delivery_rate_ci"`
	StuckSentRateCI       Interval `json:"stuck_sent_rate_ci"`
	OptOutRejectionRateCI Interval `json:"opt_out_rejection_rate_ci"`
	Inbound               int64    `json:"inbound"`
	// TopCode is the most frequent primary code of the group's ERROR rows
	// ("" when that is no code, or when nothing errored: then TopCategory
	// is "" too).
	TopCode      string            `json:"top_code"`
	TopCodeCount int64             `json:"top_code_count"`
	TopCategory  registry.Category `json:"top_category"`
	// FoldedGroups is, on the OtherKey row, how many groups it folds.
	FoldedGroups int `json:"folded_groups,omitempty"`
	// Tally holds the group's raw counters, for callers that need more
	// than the row (e.g. thresholds on other figures). It may be the
	// aggregator's own: read it, do not change it.
	Tally *Tally `json:"-"`
}

// ConfidenceLevel is the level of the intervals of group rows.
const ConfidenceLevel = 0.95

// Interval is a confidence interval of a rate, [low, high], as fractions
// rounded to 4 decimals like the rates.
type Interval [2]float64

// WilsonInterval is the ConfidenceLevel Wilson score interval of k in n
// (stats.Wilson), rounded like the rates: rounding is monotone, so the
// rounded interval still holds the rounded rate.
func WilsonInterval(k, n int64) Interval {
	return wilsonIntervalZ(k, n, stats.ZForConfidence(ConfidenceLevel))
}

// wilsonIntervalZ is WilsonInterval with the level's critical value z
// given: a row has four intervals, and z is an inverse error function.
func wilsonIntervalZ(k, n int64, z float64) Interval {
	lo, hi := stats.WilsonZ(k, n, z)
	return Interval{Round4(lo), Round4(hi)}
}

// IsOther reports whether the row folds the groups past the top ones.
func (r GroupRow) IsOther() bool { return r.FoldedGroups > 0 }

// GroupSort orders group rows.
type GroupSort string

// Group orders. Counts and rates sort descending, keys ascending; ties
// go to the larger outbound, then the smaller key.
const (
	SortDefault   GroupSort = ""           // SortKey for day and hour, else SortOutbound
	SortOutbound  GroupSort = "outbound"   // most texts first
	SortErrorRate GroupSort = "error_rate" // worst first
	SortErrored   GroupSort = "errored"    // most errors first
	SortKey       GroupSort = "key"        // by key: numbers by value, times in order
)

// GroupSorts lists the --sort values.
func GroupSorts() []GroupSort {
	return []GroupSort{SortOutbound, SortErrorRate, SortErrored, SortKey}
}

// ParseGroupSort reads a --sort value; "" is SortDefault.
func ParseGroupSort(s string) (GroupSort, error) {
	if s == "" {
		return SortDefault, nil
	}
	for _, g := range GroupSorts() {
		if string(g) == s {
			return g, nil
		}
	}
	names := make([]string, 0, 4)
	for _, g := range GroupSorts() {
		names = append(names, string(g))
	}
	return "", fmt.Errorf("unknown sort %q (known: %s)", s, strings.Join(names, ", "))
}

// GroupRows returns the rows of the named dimension (as given to the
// Aggregator's options), sorted, with the rows past top (if top > 0)
// folded into one OtherKey row at the end. Call after Finish. It returns
// an error when the aggregator did not tally that dimension.
func (a *Aggregator) GroupRows(name string, sortBy GroupSort, top int) ([]GroupRow, error) {
	g := a.Groups(name)
	if g == nil {
		return nil, fmt.Errorf("summary: dimension %q was not tallied", name)
	}
	return g.Rows(a.Classifier(), sortBy, top), nil
}

// Rows builds the group rows: keys resolved (codes folded into categories
// and the like), sorted, the rest past top folded into OtherKey.
func (g *Groups) Rows(cls *classify.Classifier, sortBy GroupSort, top int) []GroupRow {
	tallies := g.resolved(cls)
	if sortBy == SortDefault {
		sortBy = defaultSort(g.Dimension.Name)
	}
	if rows, ok := plainRows(tallies, g.Dimension, sortBy, top, cls); ok {
		return rows
	}
	rows := make([]GroupRow, 0, len(tallies))
	// The keys of one part share one array: a slice of its own for each
	// of a broken export's 100,000 groups was as many objects to
	// allocate and for the collector to mark.
	plain := make([]string, 0, len(tallies))
	for key, t := range tallies {
		var k GroupKey
		if strings.Contains(key, keySep) {
			k = SplitKey(key)
		} else {
			plain = append(plain, key) // within its capacity: never moved
			k = plain[len(plain)-1 : len(plain) : len(plain)]
		}
		rows = append(rows, NewGroupRow(k, t, cls))
	}
	sortRows(rows, rowOrder(g.Dimension, sortBy))
	if top <= 0 || len(rows) <= top {
		return rows
	}
	return append(rows[:top:top], foldRows(rows[top:], cls))
}

// resolved merges the tallies whose keys resolve alike.
func (g *Groups) resolved(cls *classify.Classifier) map[string]*Tally {
	if g.Dimension.Resolve == nil {
		return g.Tallies
	}
	out := make(map[string]*Tally, len(g.Tallies))
	for key, t := range g.Tallies {
		k := g.Dimension.Resolve(key, cls)
		if have, ok := out[k]; ok {
			have.Merge(t)
		} else {
			out[k] = t.Clone()
		}
	}
	return out
}

// defaultSort lists dimensions whose keys have a natural order (times,
// steps) in that order, and the others busiest first.
func defaultSort(name string) GroupSort {
	if s, ok := SpecOf(name); ok && s.OrderedKeys {
		return SortKey
	}
	return SortOutbound
}

// sortRows sorts rows by order through a permutation of indices, applied
// in place at the end: a GroupRow is a few hundred bytes, and sorting 100,000
// of them (a broken export's groups) spent most of its time moving them.
func sortRows(rows []GroupRow, order func(a, b *GroupRow) int) {
	perm := make([]int32, len(rows))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(x, y int32) int { return order(&rows[x], &rows[y]) })
	permute(rows, perm)
}

// permute moves rows[perm[i]] to position i, in place, using perm as
// scratch: each cycle is followed once, the positions filled marked -1.
func permute(rows []GroupRow, perm []int32) {
	for start := range perm {
		if perm[start] < 0 || int(perm[start]) == start {
			continue
		}
		held := rows[start]
		at := start
		for {
			from := int(perm[at])
			perm[at] = -1
			if from == start {
				rows[at] = held
				break
			}
			rows[at] = rows[from]
			at = from
		}
	}
}

// plainKey is what the order of rows (rowOrder) compares of a group
// whose key has one part ordered by CompareKeys, read once from its tally
// and key, in 48 bytes without pointers: a sort of 100,000 groups (a
// broken export's) compares about 1.7 million pairs, and reading figures
// off tallies and texts where they lie, scattered over the heap, was most
// of its time.
type plainKey struct {
	// figure and out are the --sort figure (none for SortOutbound and
	// SortKey) and the outbound count (none for SortKey), made unsigned
	// integers whose ascending order is the figures' descending one.
	figure, out uint64
	// head is the key's number, sign-flipped, for a keyNumber key, and
	// the first 16 bytes of its text, big-endian and padded with zeros,
	// for a keyText one (textHead): most texts are told apart by it.
	head  [2]uint64
	n     uint32 // the text's length, up to 17 (more: read the text)
	i     int32  // the group's index in the caller's tables
	class uint8  // keyNumber, keyText or keyNone, CompareKeys' order
}

const (
	keyNumber = iota
	keyText
	keyNone
)

// compareHeads orders two heads of texts (textHead) as their texts'
// first 16 bytes order.
func compareHeads(a, b [2]uint64) int {
	return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
}

// textHead returns the head of a key's text.
func textHead(s string) [2]uint64 {
	var b [16]byte
	copy(b[:], s)
	return [2]uint64{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// descending maps v to an unsigned integer in reverse order.
func descending(v int64) uint64 { return ^(uint64(v) ^ 1<<63) }

// descendingFloat maps f, not NaN, to an unsigned integer in reverse
// order, -0 as 0.
func descendingFloat(f float64) uint64 {
	if f == 0 {
		f = 0 // -0 too
	}
	bits := math.Float64bits(f)
	if bits>>63 != 0 {
		bits = ^bits
	} else {
		bits |= 1 << 63
	}
	return ^bits
}

// newPlainKey reads the sort key of group i, of key text and tally t.
func newPlainKey(i int, text string, t *Tally, sortBy GroupSort) plainKey {
	k := plainKey{i: int32(i), class: keyText, n: uint32(min(len(text), 17))}
	if sortBy != SortKey {
		k.out = descending(t.Outbound)
		switch sortBy {
		case SortErrorRate:
			k.figure = descendingFloat(Rate(t.Errored(), t.Outbound))
		case SortErrored:
			k.figure = descending(t.Errored())
		}
	}
	switch n, ok := parseKeyInt(text); {
	case text == NoneKey:
		k.class = keyNone
	case ok:
		k.class, k.head[0] = keyNumber, uint64(n)^1<<63
	default:
		k.head = textHead(text)
	}
	return k
}

// comparePlainKeys is rowOrder's order on plain keys; texts are the keys'
// texts by index, read when heads tie and a text runs past its head, or
// when numbers tie (CompareKeys orders "07" and "7" by text).
func comparePlainKeys(a, b *plainKey, texts []string) int {
	switch {
	case a.figure != b.figure:
		return cmp.Compare(a.figure, b.figure)
	case a.out != b.out:
		return cmp.Compare(a.out, b.out)
	case a.class != b.class:
		return cmp.Compare(a.class, b.class)
	case a.head != b.head:
		return compareHeads(a.head, b.head)
	case a.class == keyNone: // there is one NoneKey
		return 0
	case a.class == keyNumber:
		return strings.Compare(texts[a.i], texts[b.i])
	case a.n <= 16 && b.n <= 16:
		// Equal heads of texts that fit: one is the other and zeros.
		return cmp.Compare(a.n, b.n)
	}
	return strings.Compare(texts[a.i], texts[b.i])
}

// compareHeaded is strings.Compare(a, b), ha and hb being their
// textHead: the texts are read only when their heads are equal and one
// of them runs past its head.
func compareHeaded(ha, hb [2]uint64, a, b string) int {
	switch {
	case ha[0] != hb[0]:
		return cmp.Compare(ha[0], hb[0])
	case ha[1] != hb[1]:
		return cmp.Compare(ha[1], hb[1])
	case len(a) <= 16 && len(b) <= 16:
		// Equal heads of texts that fit: one is the other and zeros.
		return cmp.Compare(len(a), len(b))
	}
	return strings.Compare(a, b)
}

// plainRows is Rows for a dimension whose keys are ordered by
// CompareKeys, when no key has several parts: the groups are sorted by
// plain keys, and the rows built once, in order, only down to top (if
// top > 0), the rest folded from their tallies. On a broken export's
// 100,000 groups this spares building rows of a few hundred bytes to sort
// them and then moving each to its place. It reports false, having built
// nothing, for the other dimensions.
func plainRows(tallies map[string]*Tally, d Dimension, sortBy GroupSort, top int, cls *classify.Classifier) ([]GroupRow, bool) {
	if d.Compare != nil {
		return nil, false
	}
	// Each row's key is a window of one element on texts (never grown
	// past its capacity, so never moved): a slice of its own for each of
	// 100,000 groups was as many objects to allocate and for the
	// collector to mark.
	texts := make([]string, 0, len(tallies))
	ts := make([]*Tally, 0, len(tallies))
	keys := make([]plainKey, 0, len(tallies))
	for key, t := range tallies {
		if strings.Contains(key, keySep) {
			return nil, false
		}
		keys = append(keys, newPlainKey(len(keys), key, t, sortBy))
		texts = append(texts, key)
		ts = append(ts, t)
	}
	slices.SortFunc(keys, func(a, b plainKey) int { return comparePlainKeys(&a, &b, texts) })
	shown, rest := SplitTop(keys, top)
	rows := make([]GroupRow, len(shown), len(shown)+min(len(rest), 1))
	z := stats.ZForConfidence(ConfidenceLevel)
	for i, k := range shown {
		fillGroupRow(&rows[i], texts[k.i:k.i+1:k.i+1], ts[k.i], cls, z)
	}
	if len(rest) > 0 {
		t := NewTally()
		for _, k := range rest {
			t.Merge(ts[k.i])
		}
		row := NewGroupRow(GroupKey{OtherKey}, t, cls)
		row.FoldedGroups = len(rest)
		rows = append(rows, row)
	}
	return rows, true
}

func rowOrder(d Dimension, sortBy GroupSort) func(a, b *GroupRow) int {
	byKey := func(a, b *GroupRow) int {
		return compareWith(d, strings.Join(a.Key, keySep), strings.Join(b.Key, keySep))
	}
	return orderBy(sortBy, func(r *GroupRow) (float64, int64, int64) { return r.ErrorRate, r.Errored, r.Outbound }, byKey)
}

// orderBy is the order of --sort on rows or on their sort keys: figures
// reads a row's error rate, errored and outbound; byKey compares keys.
// Busiest, most errored or highest rate first, then by key.
func orderBy[T any](sortBy GroupSort, figures func(*T) (rate float64, errored, outbound int64), byKey func(a, b *T) int) func(a, b *T) int {
	return func(a, b *T) int {
		if sortBy == SortKey {
			return byKey(a, b)
		}
		rateA, erroredA, outA := figures(a)
		rateB, erroredB, outB := figures(b)
		var c int
		switch sortBy {
		case SortErrorRate:
			c = cmp.Compare(rateB, rateA)
		case SortErrored:
			c = cmp.Compare(erroredB, erroredA)
		}
		if c == 0 {
			c = cmp.Compare(outB, outA)
		}
		if c == 0 {
			c = byKey(a, b)
		}
		return c
	}
}

// foldRows merges rows into the OtherKey row.
func foldRows(rows []GroupRow, cls *classify.Classifier) GroupRow {
	t := NewTally()
	for _, r := range rows {
		t.Merge(r.Tally)
	}
	key := make(GroupKey, len(rows[0].Key))
	for i := range key {
		key[i] = OtherKey
	}
	row := NewGroupRow(key, t, cls)
	row.FoldedGroups = len(rows)
	return row
}

// NewGroupRow computes a group row from a tally.
func NewGroupRow(key GroupKey, t *Tally, cls *classify.Classifier) GroupRow {
	var row GroupRow
	fillGroupRow(&row, key, t, cls, stats.ZForConfidence(ConfidenceLevel))
	return row
}

// fillGroupRow sets *row to NewGroupRow(key, t, cls), z being the
// critical value of ConfidenceLevel. Rows builds 100,000 rows in place.
func fillGroupRow(row *GroupRow, key GroupKey, t *Tally, cls *classify.Classifier, z float64) {
	o := outboundFigures(t, cls)
	*row = GroupRow{
		Key: key, Outbound: t.Outbound, Delivered: o.Delivered, Errored: o.Errored,
		ErrorRate: o.ErrorRate, DeliveryRate: o.DeliveryRate,
		SentStuck: o.SentStuck, StuckSentRate: o.StuckSentRate,
		OptOutRejections: o.OptOutRejections, OptOutRejectionRate: o.OptOutRejectionRate,
		ErrorRateCI:           wilsonIntervalZ(o.Errored, t.Outbound, z),
		DeliveryRateCI:        wilsonIntervalZ(o.Delivered, t.Outbound, z),
		StuckSentRateCI:       wilsonIntervalZ(o.SentStuck, t.Outbound, z),
		OptOutRejectionRateCI: wilsonIntervalZ(o.OptOutRejections, t.Outbound, z),
		Inbound:               t.Inbound, Tally: t,
	}
	if code, n, ok := TopCode(t.Codes()); ok {
		row.TopCode, row.TopCodeCount = code, n
		row.TopCategory = cls.Category(code)
	}
}

// TopCode returns the most frequent code of counts (the smallest code on
// a tie, so results are reproducible); ok is false when counts is empty.
func TopCode(counts iter.Seq2[string, int64]) (code string, n int64, ok bool) {
	for c, k := range counts {
		if !ok || k > n || k == n && c < code {
			code, n, ok = c, k, true
		}
	}
	return code, n, ok
}

// Analyses are the optional per-row analyses of summarize; a nil counter
// is switched off (they cost time on every row, which benchmarks of the
// core pipeline leave out).
type Analyses struct {
	Links    *LinkCounter
	Replies  *ReplyCounter
	Segments *SegmentCounter
	Signals  *SignalCounter
	// PricePerSegment, when positive, adds a cost estimate to Segments.
	PricePerSegment float64

	// refresh, in a fork, takes the key sets of the merged maps
	// published since the fork was made, every few rows.
	refresh refresher
}

// Cap caps the maps of the analyses switched on: link domains past
// maxKeys (0: keycap.DefaultMax), and the codes as agg admits them (one
// warning covers every map of codes): the rows must have been counted
// by agg.AddRow, which sets a code it folds to keycap.Other in the row.
func (an *Analyses) Cap(maxKeys int, agg *Aggregator) {
	if an.Links != nil {
		an.Links.Capped(maxKeys, agg)
	}
	if an.Segments != nil {
		an.Segments.Capped(agg)
	}
	if an.Signals != nil {
		an.Signals.Capped(maxKeys)
	}
}

// Warnings returns one line for each kind of map of the analyses that
// folded values into keycap.Other (the codes' are the aggregator's).
func (an *Analyses) Warnings() []string {
	if an == nil {
		return nil
	}
	var w []string
	if an.Links != nil {
		w = an.Links.Warnings()
	}
	if an.Signals != nil {
		w = append(w, an.Signals.Warnings()...)
	}
	return w
}

// Add counts one row in every analysis switched on.
func (an *Analyses) Add(rec *export.Record) {
	rule := classify.NotOptOut
	if an.Replies != nil {
		rule = optOutRule(rec)
	}
	an.AddRule(rec, rule)
}

// AddRule is Add for a row counted by an aggregator (Aggregator.AddRow),
// after it: rec holds the code as admitted, rule is what AddRow returned.
func (an *Analyses) AddRule(rec *export.Record, rule classify.OptOutRule) {
	an.refresh.due()
	if an.Links != nil {
		an.Links.Add(rec)
	}
	if an.Replies != nil {
		an.Replies.addRule(rec, rule)
	}
	if an.Segments != nil {
		an.Segments.Add(rec)
	}
	if an.Signals != nil {
		an.Signals.addAfterLinks(rec, an.Links) // after Links: shares its domains
	}
}

// Fill sets the results of the analyses switched on, classifying codes
// with cls.
func (an *Analyses) Fill(b *Breakdowns, cls *classify.Classifier) {
	if an.Links != nil {
		b.Links = an.Links.Result(cls)
	}
	if an.Replies != nil {
		b.Replies = an.Replies.Result()
	}
	if an.Segments != nil {
		b.Segments = an.Segments.Result(cls, an.PricePerSegment)
	}
	if an.Signals != nil {
		b.Signals = an.Signals.Result()
	}
}

// FillGroups sets the group rows of the named dimensions, in that order.
func (a *Aggregator) FillGroups(b *Breakdowns, names []string, sortBy GroupSort, top int) error {
	for _, name := range names {
		rows, err := a.GroupRows(name, sortBy, top)
		if err != nil {
			return err
		}
		if b.Groups == nil {
			b.Groups = map[string][]GroupRow{}
		}
		b.Groups[name] = rows
		b.GroupOrder = append(b.GroupOrder, name)
	}
	return nil
}

// Package steps splits outbound texts into the steps of a conversation, as
// Spoke Rewired's initial-messages-only statistics do:
//
//   - initial: a contact's first outbound text in the campaign;
//   - follow-up: a later outbound text before the contact's first reply
//     (second passes, bumps);
//   - conversation: an outbound text after the contact's first reply.
//
// A row's step depends on rows that may come later in the export
// (StateVoices' export query has no ORDER BY), so steps are decided in two
// passes: an Index is built from every row first (Observe), then each
// outbound row is classified against it (Of). The Index keeps 40 bytes per
// contact in tables kept 53% to 80% full: about 50 to 75 bytes per contact
// (BenchmarkIndex measures it).
package steps

import (
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/spoke-status/spoke-status/internal/export"
)

// Step is the step of an outbound text.
type Step string

// The steps, in conversation order.
const (
	Initial      Step = "initial"
	FollowUp     Step = "follow-up"
	Conversation Step = "conversation"
)

// All lists the steps in conversation order.
func All() []Step { return []Step{Initial, FollowUp, Conversation} }

// Parse reads a step name, case-insensitively.
func Parse(s string) (Step, error) {
	for _, st := range All() {
		if strings.EqualFold(strings.TrimSpace(s), string(st)) {
			return st, nil
		}
	}
	return "", fmt.Errorf("unknown step %q (known: initial, follow-up, conversation)", s)
}

// Order returns a step's place in conversation order (-1 if unknown), so
// tables list initial texts first.
func Order(s string) int {
	for i, st := range All() {
		if string(st) == s {
			return i
		}
	}
	return -1
}

// Contact identifies a row's contact: campaign_contact_id where the dialect
// has it, else the campaign and the contact's number. It is a 64-bit hash;
// 0 means the row names no contact.
func Contact(rec *export.Record) uint64 {
	var h uint64
	if rec.CampaignContactID != "" {
		h = hash(hashOffset, "ccid:")
		h = hash(h, rec.CampaignContactID)
	} else {
		if rec.ContactNumber == "" {
			return 0
		}
		h = hash(hashOffset, rec.CampaignID)
		h = hash(h, "\x00")
		h = hash(h, rec.ContactNumber)
	}
	if h == 0 {
		h = 1 // 0 marks an empty slot
	}
	return h
}

const (
	hashOffset = 14695981039346656037
	hashPrime  = 1099511628211
)

// hash continues 64-bit FNV-1a: deterministic across runs, no allocation.
func hash(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= hashPrime
	}
	return h
}

// Moment orders a contact's rows: by attempted-at, then by row order (the
// file's place among the inputs, then the line). A row without a timestamp
// comes after every row with one: exports are written by contact and then
// creation time, so row order is the best guess left. Moments form a
// total order, so the earliest of a set does not depend on the order the
// set was read in, sequentially or by parallel parts.
//
// A row read from Spoke's database carries its message id, and its moment
// is the id alone: Spoke Rewired's own initial-text statistics
// (getDeliverabilityStats: distinct on (campaign_contact_id) … order by
// campaign_contact_id, message.id) take a contact's lowest id, which also
// orders texts created in the same millisecond, where the export's
// attempted-at ties. One read never mixes database and file rows. Such a
// moment still carries the row's time (for the day of a text, or how long
// ago it was sent): only the order ignores it.
type Moment struct {
	Time int64  // Unix nanoseconds; math.MaxInt64 when the row has no time
	Pos  uint64 // input index << 40 | line; byMessageID | the message id
}

// byMessageID marks the Pos of a moment ordered by message id alone.
const byMessageID = 1 << 63

// MomentOf returns a row's moment.
func MomentOf(rec *export.Record) Moment {
	m := Moment{Time: math.MaxInt64, Pos: uint64(rec.Source.Index)<<40 | uint64(rec.Line)&(1<<40-1)}
	if rec.MessageID > 0 {
		m.Pos = byMessageID | uint64(rec.MessageID)
	}
	if rec.HasTime {
		m.Time = rec.AttemptedAt.UnixNano()
	}
	return m
}

// Timed reports whether the moment's row had an attempted-at.
func (m Moment) Timed() bool { return m.Time != math.MaxInt64 }

// Before reports whether m comes before o.
func (m Moment) Before(o Moment) bool {
	if m.Pos&o.Pos&byMessageID != 0 { // both from the database
		return m.Pos < o.Pos
	}
	if m.Time != o.Time {
		return m.Time < o.Time
	}
	return m.Pos < o.Pos
}

// none is the moment of a contact's reply before any is seen.
var none = Moment{Time: math.MaxInt64, Pos: math.MaxUint64}

// entry is what the Index keeps about one contact.
type entry struct {
	key     uint64
	initial Moment // earliest outbound row
	reply   Moment // earliest inbound row
}

// Index knows, for every contact, its first outbound text and its first
// reply. Fill it with Observe (or Fork, Observe and Merge in parallel);
// then Of is safe for concurrent use.
type Index struct {
	shards [shardCount]shard
	n      int
}

const (
	shardCount    = 256
	minShardSlots = 16
	loadNum       = 4 // grow past 4/5 full
	loadDenom     = 5
	fibonacci     = 0x9E3779B97F4A7C15
)

type shard struct {
	slots []entry
	n     int
}

// NewIndex returns an empty Index.
func NewIndex() *Index { return &Index{} }

// Len returns the number of contacts.
func (x *Index) Len() int { return x.n }

// Observe records one row.
func (x *Index) Observe(rec *export.Record) {
	key := Contact(rec)
	if key == 0 {
		return
	}
	m := MomentOf(rec)
	if rec.Inbound {
		x.update(key, none, m)
	} else {
		x.update(key, m, none)
	}
}

// update keeps the earlier of each moment for key.
func (x *Index) update(key uint64, initial, reply Moment) {
	sh := &x.shards[key>>56]
	if sh.slots == nil {
		sh.slots = make([]entry, minShardSlots)
	}
	e, added := sh.find(key, true)
	if added {
		e.initial, e.reply = initial, reply
		x.n++
		if sh.n*loadDenom > len(sh.slots)*loadNum {
			sh.grow()
		}
		return
	}
	if initial.Before(e.initial) {
		e.initial = initial
	}
	if reply.Before(e.reply) {
		e.reply = reply
	}
}

// find returns key's entry; with add, a new one when key is absent.
func (sh *shard) find(key uint64, add bool) (*entry, bool) {
	if len(sh.slots) == 0 {
		return nil, false
	}
	// The first slot is the mixed key scaled to the table size (the high
	// word of a 64x64 product), which needs no power-of-two size.
	i, _ := bits.Mul64(key*fibonacci, uint64(len(sh.slots)))
	for ; ; i++ {
		if i == uint64(len(sh.slots)) {
			i = 0
		}
		e := &sh.slots[i]
		switch {
		case e.key == key:
			return e, false
		case e.key == 0 && add:
			e.key = key
			sh.n++
			return e, true
		case e.key == 0:
			return nil, false
		}
	}
}

func (sh *shard) grow() {
	old := sh.slots
	sh.slots, sh.n = make([]entry, len(old)+len(old)/2), 0
	for _, o := range old {
		if o.key != 0 {
			e, _ := sh.find(o.key, true)
			*e = o
		}
	}
}

// Merge adds o's contacts into x; o must not be used afterwards.
func (x *Index) Merge(o *Index) {
	if x.n == 0 {
		*x, *o = *o, Index{}
		return
	}
	for i := range o.shards {
		for _, e := range o.shards[i].slots {
			if e.key != 0 {
				x.update(e.key, e.initial, e.reply)
			}
		}
	}
}

// Of returns the step of an outbound row, and false for inbound rows and
// rows that name no contact or a contact the Index never saw.
func (x *Index) Of(rec *export.Record) (Step, bool) {
	if rec.Inbound {
		return "", false
	}
	key := Contact(rec)
	if key == 0 {
		return "", false
	}
	e, _ := x.shards[key>>56].find(key, false)
	if e == nil {
		return "", false
	}
	m := MomentOf(rec)
	switch {
	case m == e.initial:
		return Initial, true
	case e.reply.Before(m):
		return Conversation, true
	default:
		return FollowUp, true
	}
}

// Bytes returns the memory the Index's tables hold.
func (x *Index) Bytes() int {
	n := 0
	for i := range x.shards {
		n += len(x.shards[i].slots) * 40
	}
	return n
}

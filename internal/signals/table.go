package signals

import (
	"math/bits"

	"github.com/spoke-status/spoke-status/internal/steps"
)

// contact is what the tracker keeps per contact: 32 bytes, kept in an
// open-addressing table (a Go map of the same entries takes about twice
// the memory and a hash of the key per access).
type contact struct {
	key uint64       // steps.Contact; 0 marks an empty slot
	at  steps.Moment // the initial text's moment
	// meta holds the flags (top bits) and the interned domain list of the
	// initial text (low bits, 0 = none).
	meta   uint32
	number uint32 // interned sending number, 0 = unknown
}

const (
	hasInitial       uint32 = 1 << 31
	initialDelivered uint32 = 1 << 30
	contactReplied   uint32 = 1 << 29
	flagBits                = hasInitial | initialDelivered | contactReplied
	// maxID is the largest id the low bits of meta hold; interning stops
	// there whatever MaxInterned says.
	maxID = 1<<29 - 1
)

func (c *contact) domain() uint32 { return c.meta &^ flagBits }

// contactTable is a hash table of contacts split into shards, so that it
// grows a shard at a time (no doubling of the whole table at once): the
// contacts of rows added to a tracker itself, on one goroutine (parts read
// in parallel keep theirs as parts.go says).
type contactTable struct {
	shards [tableShards]contactShard
	n      int
	// last is the entry of the last key looked up (exports list a
	// contact's rows together), nil after a shard grows.
	last *contact
}

const (
	tableShards   = 64
	minShardSlots = 64
	loadNum       = 4 // grow past 4/5 full
	loadDenom     = 5
	fibonacci     = 0x9E3779B97F4A7C15
)

type contactShard struct {
	slots []contact
	n     int
}

func shardOf(key uint64) int { return int(key >> 58) }

// upsert returns key's entry, a zero one (but for the key) when new.
func (t *contactTable) upsert(key uint64) *contact {
	if t.last != nil && t.last.key == key {
		return t.last
	}
	sh := &t.shards[shardOf(key)]
	if sh.slots == nil {
		sh.slots = make([]contact, minShardSlots)
	}
	if (sh.n+1)*loadDenom > len(sh.slots)*loadNum {
		sh.grow()
	}
	c, added := sh.find(key)
	if added {
		t.n++
	}
	t.last = c
	return c
}

// find returns key's entry, adding it to a free slot when absent; the
// shard must have one.
func (sh *contactShard) find(key uint64) (*contact, bool) {
	// The first slot is the mixed key scaled to the table size (the high
	// word of a 64x64 product), which needs no power-of-two size.
	i, _ := bits.Mul64(key*fibonacci, uint64(len(sh.slots)))
	for ; ; i++ {
		if i == uint64(len(sh.slots)) {
			i = 0
		}
		c := &sh.slots[i]
		switch c.key {
		case key:
			return c, false
		case 0:
			c.key = key
			sh.n++
			return c, true
		}
	}
}

func (sh *contactShard) grow() {
	old := sh.slots
	sh.slots, sh.n = make([]contact, len(old)+len(old)/2), 0
	for i := range old {
		if old[i].key != 0 {
			c, _ := sh.find(old[i].key)
			*c = old[i]
		}
	}
}

// each calls f with every contact, in table order.
func (t *contactTable) each(f func(*contact)) {
	for s := range t.shards {
		slots := t.shards[s].slots
		for i := range slots {
			if slots[i].key != 0 {
				f(&slots[i])
			}
		}
	}
}

// bytes returns the memory the table's slots hold.
func (t *contactTable) bytes() int {
	n := 0
	for s := range t.shards {
		n += len(t.shards[s].slots) * 32
	}
	return n
}

package summary

import (
	"math/bits"
	"runtime"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/hashpart"
)

// Replies describes how contacts answered: who was messaged, who replied,
// who opted out.
type Replies struct {
	// ContactsMessaged counts distinct contact numbers with an outbound row.
	ContactsMessaged int64 `json:"contacts_messaged"`
	// ContactsReplied counts those of them with an inbound row.
	ContactsReplied int64   `json:"contacts_replied"`
	ReplyRate       float64 `json:"reply_rate"`
	// ContactsOptedOut counts messaged contacts with an opt-out reply.
	ContactsOptedOut int64   `json:"contacts_opted_out"`
	OptOutRate       float64 `json:"opt_out_rate"`
	// Inbound rows: opt-out replies (classify.OptOutRuleOf), by rule, and
	// the rest.
	InboundReplies   int64            `json:"inbound_replies"`
	OptOutReplies    int64            `json:"opt_out_replies"`
	OtherReplies     int64            `json:"other_replies"`
	OptOutReplyShare float64          `json:"opt_out_reply_share"`
	OptOutRules      OptOutRuleCounts `json:"opt_out_rules"`
}

// ReplyCounter counts distinct contacts: the facts known about each
// (messaged, replied, opted out) are three bits packed into the low bits
// of the 64-bit hash of its number, so memory grows with the contacts, not
// with the rows: kept in a hash set (contactSet) for rows added to the
// counter itself, about 10 to 15 bytes each, and for parts read in
// parallel in hash partitions (package hashpart) holding at most about two
// 8-byte entries per contact, one once Result merged them
// (BenchmarkRepliesBytesPerContact). Two numbers whose 61-bit hashes
// collide would count once: with 10 million contacts the chance that any
// pair collides is about 1 in 50,000.
type ReplyCounter struct {
	contacts contactSet
	// pending, in a fork (a part read in parallel), holds the entries
	// (key | facts) added, handed to the result's merged at Merge: a
	// part's own set would insert every entry twice.
	pending []uint64
	// sorted holds pending by hash partition, with the bounds starts,
	// once finishPart sorted them on the part's worker (sortedOK): the
	// merge then copies runs into merged.
	sorted   []uint64
	starts   hashpart.Starts
	sortedOK bool
	// merged holds the entries of merged forks, by hash partition
	// (package hashpart), rather than inserted into contacts: one table
	// of every contact misses the caches on each insert, on the goroutine
	// that merges the parts in order.
	merged *hashpart.Partitions[uint64]
	// spares are the pending lists of merged forks, for the next forks.
	spares *hashpart.Spares[[]uint64]
	fork   bool
	// last is the last contact and facts added to contacts: exports list
	// a contact's rows together, so most rows add nothing new.
	last    uint64
	inbound int64
	optOuts int64
	rules   OptOutRuleCounts
}

// Facts kept about a contact, as bits.
const (
	contactMessaged uint64 = 1 << iota
	contactReplied
	contactOptedOut
	factBits = contactMessaged | contactReplied | contactOptedOut
)

// NewReplyCounter returns an empty ReplyCounter.
func NewReplyCounter() *ReplyCounter {
	return &ReplyCounter{merged: newMergedContacts(), spares: &hashpart.Spares[[]uint64]{Max: maxSpareLists}}
}

func newMergedContacts() *hashpart.Partitions[uint64] {
	return hashpart.New(replyKey, func(into, from *uint64) { *into |= *from })
}

// Add counts one row. Rows without a contact number count as replies but
// not as contacts.
func (c *ReplyCounter) Add(rec *export.Record) { c.addRule(rec, optOutRule(rec)) }

// addRule is Add for a row whose optOutRule is known.
func (c *ReplyCounter) addRule(rec *export.Record, rule classify.OptOutRule) {
	optOut := false
	if rec.Inbound {
		c.inbound++
		if rule != classify.NotOptOut {
			optOut = true
			c.optOuts++
			c.rules.add(rule)
		}
	}
	if rec.ContactNumber == "" {
		return
	}
	key := hashString(rec.ContactNumber) &^ factBits
	if key == 0 {
		key = factBits + 1 // 0 marks an empty slot
	}
	var facts uint64
	switch {
	case !rec.Inbound:
		facts = contactMessaged
	case optOut:
		facts = contactReplied | contactOptedOut
	default:
		facts = contactReplied
	}
	if c.fork {
		// A contact's rows come together (an outbound text, its reply,
		// a follow-up): one entry per run of them, its facts or-ed in,
		// rather than one per change of facts, is fewer entries for the
		// merge to append and the partitions to compact.
		if n := len(c.pending); n > 0 && c.pending[n-1]&^factBits == key {
			c.pending[n-1] |= facts
			return
		}
		c.pending = append(c.pending, key|facts)
		return
	}
	if c.last == key|facts {
		return
	}
	c.last = key | facts
	c.contacts.add(key, facts)
}

// Fork returns an empty counter for a part read in parallel, merged into
// c with Merge.
func (c *ReplyCounter) Fork() *ReplyCounter {
	return &ReplyCounter{fork: true, pending: c.spareList(), merged: newMergedContacts(), spares: c.spares}
}

// finishPart, in a fork whose last row was added, sorts its pending
// entries by hash partition, on the part's goroutine, for Merge to copy a
// run at a time (as signals.ContactTracker.FinishPart does).
func (c *ReplyCounter) finishPart() {
	if !c.fork || c.sortedOK {
		return
	}
	if c.sorted == nil {
		c.sorted = c.spareList()
	}
	c.sorted = hashpart.SortByPartition(c.sorted, c.pending, replyKey, &c.starts)
	c.sortedOK = true
}

func replyKey(e *uint64) uint64 { return *e &^ factBits }

// maxSpareLists bounds the lists of merged forks kept for the next forks
// (a 1 MiB chunk holds about 3,000 contacts): about two (pending and
// sorted) per part in flight.
const maxSpareLists = 32

// spareList returns a kept list of a merged fork, emptied, or nil.
func (c *ReplyCounter) spareList() []uint64 {
	l, _ := c.spares.Get()
	return l[:0]
}

// Merge adds the contacts and replies of o into c; o must not be used
// afterwards.
func (c *ReplyCounter) Merge(o *ReplyCounter) {
	c.inbound += o.inbound
	c.optOuts += o.optOuts
	c.rules.merge(o.rules)
	if o.sortedOK {
		c.merged.AddSorted(o.sorted, &o.starts)
	} else {
		for i := range o.pending {
			c.merged.Add(o.pending[i], &o.pending[i])
		}
	}
	if o.pending != nil {
		c.spares.Put(o.pending)
	}
	if o.sorted != nil {
		c.spares.Put(o.sorted)
	}
	o.pending, o.sorted, o.sortedOK = nil, nil, false
	o.contacts.each(func(e uint64) { c.merged.Add(e, &e) })
	if o.merged != nil {
		o.merged.Each(func(e *uint64) { c.merged.Add(*e, e) })
	}
}

// settle leaves one entry per contact: the set's (rows added to c itself)
// join the merged parts' when there are any, and every partition merges
// its entries of one contact, on every core.
func (c *ReplyCounter) settle() {
	if !c.merged.Used() {
		return
	}
	if c.contacts.n > 0 {
		c.contacts.each(func(e uint64) { c.merged.Add(e, &e) })
		c.contacts = contactSet{}
	}
	c.merged.Settle(runtime.GOMAXPROCS(0))
}

// contactSet is an open-addressing hash set of contact keys (hashes whose
// low bits are clear) with their fact bits or-ed in. It is split into
// shards by the key's top bits, each grown on its own, so a growth copies
// 1/256 of the set: memory stays close to the live size, without the
// transient double of one big table. Tables are not powers of two and grow
// by half, so they run 53% to 80% full: with doubling a whole export's
// shards could sit at 44% (1.85 M contacts took 32 MB instead of 19 MB).
type contactSet struct {
	shards [contactShards]contactShard
	n      int
}

const (
	contactShards   = 256
	minShardSlots   = 16
	shardLoadNum    = 4 // grow past 4/5 full
	shardLoadDenom  = 5
	fibonacciFactor = 0x9E3779B97F4A7C15
)

type contactShard struct {
	slots []uint64
	n     int
}

// add or-s facts into key's entry, adding it if new.
func (s *contactSet) add(key, facts uint64) {
	sh := &s.shards[key>>56]
	if sh.slots == nil {
		sh.slots = make([]uint64, minShardSlots)
	}
	if sh.insert(key, facts) {
		s.n++
		if sh.n*shardLoadDenom > len(sh.slots)*shardLoadNum {
			sh.grow()
		}
	}
}

// insert reports whether key is new.
func (sh *contactShard) insert(key, facts uint64) bool {
	// The first slot is the mixed key scaled to the table's size (the high
	// word of a 64x64 product), which needs no power-of-two size.
	i, _ := bits.Mul64(key*fibonacciFactor, uint64(len(sh.slots)))
	for ; ; i++ {
		if i == uint64(len(sh.slots)) {
			i = 0
		}
		e := sh.slots[i]
		if e == 0 {
			sh.slots[i] = key | facts
			sh.n++
			return true
		}
		if e&^factBits == key {
			sh.slots[i] = e | facts
			return false
		}
	}
}

func (sh *contactShard) grow() {
	old := sh.slots
	sh.slots, sh.n = make([]uint64, len(old)+len(old)/2), 0
	for _, e := range old {
		if e != 0 {
			sh.insert(e&^factBits, e&factBits)
		}
	}
}

// each calls fn with every entry: a key with its fact bits.
func (s *contactSet) each(fn func(entry uint64)) {
	for i := range s.shards {
		for _, e := range s.shards[i].slots {
			if e != 0 {
				fn(e)
			}
		}
	}
}

// hashString hashes s eight bytes at a time (a multiply-fold per word,
// as wyhash does, then a murmur3 finalizer so every bit of the result
// depends on every byte): deterministic, so results do not vary from run
// to run, free of allocations, and about four times faster than the
// byte-at-a-time FNV-1a it replaced on 12-byte phone numbers.
func hashString(s string) uint64 {
	const (
		k0 = 0xa0761d6478bd642f
		k1 = 0xe7037ed1a0b428db
	)
	h := uint64(len(s)) ^ k0
	for ; len(s) >= 8; s = s[8:] {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = mulFold(h^w, k1)
	}
	if len(s) > 0 {
		var w uint64
		for i := len(s) - 1; i >= 0; i-- {
			w = w<<8 | uint64(s[i])
		}
		h = mulFold(h^w, k1^uint64(len(s)))
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// mulFold is the xor of the two halves of the 128-bit product a*b.
func mulFold(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// Result builds the figures.
func (c *ReplyCounter) Result() *Replies {
	r := &Replies{InboundReplies: c.inbound, OptOutReplies: c.optOuts, OptOutRules: c.rules, OtherReplies: c.inbound - c.optOuts}
	c.settle()
	count := func(e uint64) {
		if e&contactMessaged == 0 {
			return // replies from contacts never messaged in these inputs
		}
		r.ContactsMessaged++
		if e&contactReplied != 0 {
			r.ContactsReplied++
		}
		if e&contactOptedOut != 0 {
			r.ContactsOptedOut++
		}
	}
	c.contacts.each(count)
	c.merged.Each(func(e *uint64) { count(*e) })
	r.ReplyRate = Rate(r.ContactsReplied, r.ContactsMessaged)
	r.OptOutRate = Rate(r.ContactsOptedOut, r.ContactsMessaged)
	r.OptOutReplyShare = Rate(r.OptOutReplies, r.InboundReplies)
	return r
}

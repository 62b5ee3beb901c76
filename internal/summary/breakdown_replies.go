package summary

import (
	"slices"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
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
	// Inbound rows: opt-out replies (-133 or an opt-out keyword as the
	// whole text) and the rest.
	InboundReplies   int64   `json:"inbound_replies"`
	OptOutReplies    int64   `json:"opt_out_replies"`
	OtherReplies     int64   `json:"other_replies"`
	OptOutReplyShare float64 `json:"opt_out_reply_share"`
}

// Facts kept about a contact: each is one 64-bit entry, the contact's
// hash with its two low bits replaced by the fact, so that sorted entries
// put a contact's facts side by side.
const (
	contactMessaged uint64 = iota
	contactReplied
	contactOptedOut
	factBits = 3
)

// ReplyCounter counts distinct contacts. It keeps a list of facts
// (messaged, replied, opted out: 8 bytes each) and sorts out duplicates
// whenever the list has doubled, so memory grows with the contacts, at
// most about 16 bytes per fact, not with the rows. Two numbers whose
// 62-bit hashes collide would count once: with 10 million contacts the
// chance that any pair collides is about 1 in 100,000.
type ReplyCounter struct {
	facts     []uint64
	last      uint64 // the last fact added: exports list a contact's rows together
	compactAt int
	inbound   int64
	optOuts   int64
}

const minFactCompact = 1 << 16

// NewReplyCounter returns an empty ReplyCounter.
func NewReplyCounter() *ReplyCounter {
	return &ReplyCounter{compactAt: minFactCompact, last: ^uint64(0)}
}

// Add counts one row. Rows without a contact number count as replies but
// not as contacts.
func (c *ReplyCounter) Add(rec *export.Record) {
	optOut := false
	if rec.Inbound {
		c.inbound++
		if optOut = classify.IsOptOutReply(rec.Text, rec.PrimaryCode); optOut {
			c.optOuts++
		}
	}
	if rec.ContactNumber == "" {
		return
	}
	h := hashString(rec.ContactNumber) &^ factBits
	switch {
	case !rec.Inbound:
		c.add(h | contactMessaged)
	case optOut:
		c.add(h | contactOptedOut)
		c.add(h | contactReplied)
	default:
		c.add(h | contactReplied)
	}
}

func (c *ReplyCounter) add(fact uint64) {
	if fact == c.last {
		return
	}
	c.last = fact
	c.facts = append(c.facts, fact)
	if len(c.facts) >= c.compactAt {
		c.compact()
		c.compactAt = max(minFactCompact, 2*len(c.facts))
	}
}

// Merge adds the contacts and replies of o into c.
func (c *ReplyCounter) Merge(o *ReplyCounter) {
	c.inbound += o.inbound
	c.optOuts += o.optOuts
	if len(c.facts) == 0 {
		c.facts, c.compactAt = o.facts, o.compactAt
		return
	}
	for _, f := range o.facts {
		c.last = f
		c.facts = append(c.facts, f)
		if len(c.facts) >= c.compactAt {
			c.compact()
			c.compactAt = max(minFactCompact, 2*len(c.facts))
		}
	}
}

// compact sorts the facts and drops duplicates.
func (c *ReplyCounter) compact() {
	slices.Sort(c.facts)
	c.facts = slices.Compact(c.facts)
}

// hashString is 64-bit FNV-1a: deterministic, so results do not vary
// from run to run, and free of allocations.
func hashString(s string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// Result builds the figures.
func (c *ReplyCounter) Result() *Replies {
	r := &Replies{InboundReplies: c.inbound, OptOutReplies: c.optOuts, OtherReplies: c.inbound - c.optOuts}
	c.compact()
	// A contact's facts are adjacent, messaged first.
	messaged := false
	for i, f := range c.facts {
		if i == 0 || f&^factBits != c.facts[i-1]&^factBits {
			messaged = false
		}
		switch f & factBits {
		case contactMessaged:
			messaged = true
			r.ContactsMessaged++
		case contactReplied:
			if messaged {
				r.ContactsReplied++
			}
		case contactOptedOut:
			if messaged {
				r.ContactsOptedOut++
			}
		}
	}
	r.ReplyRate = Rate(r.ContactsReplied, r.ContactsMessaged)
	r.OptOutRate = Rate(r.ContactsOptedOut, r.ContactsMessaged)
	r.OptOutReplyShare = Rate(r.OptOutReplies, r.InboundReplies)
	return r
}

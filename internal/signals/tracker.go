package signals

import (
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/links"
	"github.com/spoke-status/spoke-status/internal/steps"
)

// TrackerOptions tune a ContactTracker.
type TrackerOptions struct {
	// Location sets the day of a text (time.UTC when nil).
	Location *time.Location
	// ReplyWindow leaves out contacts whose initial text is less than this
	// older than the newest attempted-at of the export: they may not have
	// had time to answer yet, and would make the last hours look filtered.
	// 0 keeps every contact.
	ReplyWindow time.Duration
	// MaxInterned caps the distinct domain lists and sending numbers kept;
	// past it, an initial text's domains or number count as unknown
	// (TrackerStats.Uninterned). 0 means 100,000.
	MaxInterned int
}

// DefaultReplyWindow: replies mostly come within hours (docs/signals.md).
const DefaultReplyWindow = 3 * time.Hour

// ContactTracker follows each contact of an export, row by row, and knows
// at the end its initial text (domains, sending number, day, delivered)
// and whether it replied: the Observations a Detector needs.
//
// Contacts and initial texts are those of package steps, so that the
// signals and --by step agree: a contact is steps.Contact (its
// campaign_contact_id where the dialect has one, else its campaign and
// contact number, as a 64-bit hash; two contacts collide with odds of
// about 1 in 3.7 million for 10 million contacts), and its initial text is
// its outbound row with the earliest steps.Moment: the earliest
// attempted-at, rows without a timestamp after every timed one, ties by
// row order across the inputs (Source.Index, then the line). This order is
// total, so parts read in parallel merge to the sequential answer.
//
// Memory: one map entry per contact, about 60 bytes (BenchmarkTracker),
// plus the distinct domain lists and sending numbers, interned once.
type ContactTracker struct {
	opts     TrackerOptions
	contacts map[uint64]contactState
	// interned domain lists ("a.org\x00b.org") and sending numbers; id 0 is
	// "none", so ids are index+1.
	domainIDs map[string]uint32
	domains   []string
	numberIDs map[string]uint32
	numbers   []string
	newest    int64 // newest attempted-at, Unix ns
	hasNewest bool
	stats     TrackerStats
	scratch   []string
}

// contactState is what is kept per contact: 32 bytes.
type contactState struct {
	at     steps.Moment // the initial text's moment
	domain uint32       // interned domain list of the initial text, 0 = none
	number uint32       // interned sending number, 0 = unknown
	flags  uint8
}

const (
	hasInitial uint8 = 1 << iota
	initialDelivered
	contactReplied
)

// TrackerStats counts what the tracker saw.
type TrackerStats struct {
	Contacts   int64 // distinct contacts with any row
	NoInitial  int64 // contacts with replies but no outbound row
	TooRecent  int64 // contacts left out by ReplyWindow
	NoKey      int64 // rows with neither a campaign contact id nor a number
	Uninterned int64 // initial texts whose domains or number passed MaxInterned
}

// NewContactTracker returns an empty tracker.
func NewContactTracker(o TrackerOptions) *ContactTracker {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.MaxInterned <= 0 {
		o.MaxInterned = 100_000
	}
	return &ContactTracker{
		opts: o, contacts: map[uint64]contactState{},
		domainIDs: map[string]uint32{}, numberIDs: map[string]uint32{},
	}
}

// Fork returns an empty tracker with the same options, for a worker.
func (t *ContactTracker) Fork() *ContactTracker { return NewContactTracker(t.opts) }

// Add takes the next row.
func (t *ContactTracker) Add(rec *export.Record) {
	key := steps.Contact(rec)
	if key == 0 {
		t.stats.NoKey++
		return
	}
	if rec.HasTime {
		ns := rec.AttemptedAt.UnixNano()
		if !t.hasNewest || ns > t.newest {
			t.newest, t.hasNewest = ns, true
		}
	}
	st := t.contacts[key]
	if rec.Inbound {
		st.flags |= contactReplied
		t.contacts[key] = st
		return
	}
	at := steps.MomentOf(rec)
	if st.flags&hasInitial != 0 && !at.Before(st.at) {
		return // a later text: a follow-up or a conversation
	}
	st.at = at
	st.flags = st.flags&contactReplied | hasInitial
	if rec.Status == export.StatusDelivered {
		st.flags |= initialDelivered
	}
	st.domain = t.internDomains(rec.Text)
	st.number = t.intern(rec.UserNumber, t.numberIDs, &t.numbers)
	t.contacts[key] = st
}

// timed reports whether the moment has an attempted-at.
func timed(m steps.Moment) bool { return m.Time != math.MaxInt64 }

func (t *ContactTracker) internDomains(text string) uint32 {
	t.scratch = links.Domains(t.scratch[:0], text)
	if len(t.scratch) == 0 {
		return 0
	}
	return t.intern(strings.Join(t.scratch, "\x00"), t.domainIDs, &t.domains)
}

// intern returns s's id, adding it while under the cap; "" is 0.
func (t *ContactTracker) intern(s string, ids map[string]uint32, list *[]string) uint32 {
	if s == "" {
		return 0
	}
	if id, ok := ids[s]; ok {
		return id
	}
	if len(*list) >= t.opts.MaxInterned {
		t.stats.Uninterned++
		return 0
	}
	s = strings.Clone(s) // the record's strings may share a reused buffer
	*list = append(*list, s)
	id := uint32(len(*list))
	ids[s] = id
	return id
}

// Merge adds the contacts of o, which read rows after t's, into t; o must
// not be used afterwards.
func (t *ContactTracker) Merge(o *ContactTracker) {
	if o.hasNewest && (!t.hasNewest || o.newest > t.newest) {
		t.newest, t.hasNewest = o.newest, true
	}
	t.stats.NoKey += o.stats.NoKey
	t.stats.Uninterned += o.stats.Uninterned
	// o's ids point into o's tables: translate them to t's, in o's id
	// order, so which strings a full table keeps does not depend on map
	// order.
	domainIDs := t.reintern(o.domains, t.domainIDs, &t.domains)
	numberIDs := t.reintern(o.numbers, t.numberIDs, &t.numbers)
	for key, ost := range o.contacts {
		ost.domain = domainIDs[ost.domain]
		ost.number = numberIDs[ost.number]
		st, seen := t.contacts[key]
		switch {
		case !seen:
			st = ost
		case ost.flags&hasInitial != 0 && (st.flags&hasInitial == 0 || ost.at.Before(st.at)):
			ost.flags |= st.flags & contactReplied
			st = ost
		default:
			st.flags |= ost.flags & contactReplied
		}
		t.contacts[key] = st
	}
}

// reintern interns another tracker's table list and returns the
// translation from its ids to t's (index 0, "none", stays 0).
func (t *ContactTracker) reintern(list []string, ids map[string]uint32, own *[]string) []uint32 {
	out := make([]uint32, len(list)+1)
	for i, s := range list {
		out[i+1] = t.intern(s, ids, own)
	}
	return out
}

// Stats counts what the tracker saw; TooRecent is known after Feed.
func (t *ContactTracker) Stats() TrackerStats {
	s := t.stats
	s.Contacts = int64(len(t.contacts))
	return s
}

// Feed passes one Observation per contact with an initial text to d and
// returns the tracker's stats. Contacts go in the order of their keys, so
// which groups a full detector keeps is the same on every run.
func (t *ContactTracker) Feed(d *Detector) TrackerStats {
	t.feed(d.Observe)
	return t.Stats()
}

func (t *ContactTracker) feed(observe func(Observation)) {
	t.stats.NoInitial, t.stats.TooRecent = 0, 0
	window := t.opts.ReplyWindow.Nanoseconds()
	lists := make([][]string, len(t.domains)+1)
	for i, s := range t.domains {
		lists[i+1] = strings.Split(s, "\x00")
	}
	keys := slices.Sorted(maps.Keys(t.contacts))
	for _, key := range keys {
		st := t.contacts[key]
		if st.flags&hasInitial == 0 {
			t.stats.NoInitial++
			continue
		}
		hasTime := timed(st.at)
		if window > 0 && hasTime && t.newest-st.at.Time < window {
			t.stats.TooRecent++
			continue
		}
		o := Observation{
			Domains:   lists[st.domain],
			Delivered: st.flags&initialDelivered != 0,
			Replied:   st.flags&contactReplied != 0,
		}
		if st.number != 0 {
			o.SendingNumber = t.numbers[st.number-1]
		}
		if hasTime {
			o.Day = time.Unix(0, st.at.Time).In(t.opts.Location).Format(time.DateOnly)
		}
		observe(o)
	}
}

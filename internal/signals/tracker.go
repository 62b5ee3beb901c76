package signals

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/hashpart"
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
// Memory: a 32-byte entry per contact, plus the distinct domain lists and
// sending numbers, interned once. Rows added to the tracker itself go to a
// table kept 53% to 80% full (BenchmarkTrackerBytesPerContact); parts read
// in parallel (Fork) are merged into hash partitions (package hashpart)
// holding at most about two entries per contact, one after Stats or Feed
// (BenchmarkTrackerParts).
type ContactTracker struct {
	opts     TrackerOptions
	contacts contactTable
	// interned domain lists ("a.org\x00b.org") and sending numbers; id 0 is
	// "none", so ids are index+1.
	domainIDs map[string]uint32
	domains   []string
	numberIDs map[string]uint32
	numbers   []string
	// recentNumbers and recentDomains remember sending numbers and single
	// link domains interned, with their ids: rows interleave the initial
	// texts of a few texters, with a campaign's few links.
	recentNumbers, recentDomains recent
	newest                       int64 // newest attempted-at, Unix ns
	hasNewest                    bool
	stats                        TrackerStats
	scratch                      []string
	finder                       links.Finder // lowercase forms of hosts with capitals
	joined                       []byte
	// part, in a tracker from Fork, holds the part's contacts instead of
	// contacts.
	part *partTable
	// merged holds the contacts of merged parts (parts.go).
	merged *hashpart.Partitions[contact]
	// spares are the tables of merged parts, for the next forks.
	spares *hashpart.Spares[*partTable]
}

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
		opts:      o,
		domainIDs: map[string]uint32{}, numberIDs: map[string]uint32{},
		spares: &hashpart.Spares[*partTable]{Max: maxSpareTables}, merged: newMerged(),
	}
}

// Fork returns an empty tracker with the same options, for a part read on
// a worker and merged back with Merge. It keeps every domain list and
// sending number: the merge applies the cap.
func (t *ContactTracker) Fork() *ContactTracker {
	o := t.opts
	o.MaxInterned = maxID
	f := NewContactTracker(o)
	f.part = newPartTable(t.spares)
	return f
}

// Add takes the next row.
func (t *ContactTracker) Add(rec *export.Record) { t.add(rec, nil, false) }

// AddWithDomains is Add for a row whose text's link domains are known
// already (summarize's link analysis finds them for every outbound row):
// domains must be what links.Domains gives for rec.Text. It saves parsing
// the text a second time.
func (t *ContactTracker) AddWithDomains(rec *export.Record, domains []string) {
	t.add(rec, domains, true)
}

func (t *ContactTracker) add(rec *export.Record, domains []string, parsed bool) {
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
	var c *contact
	if t.part != nil {
		c = t.part.upsert(key)
	} else {
		c = t.contacts.upsert(key)
	}
	if rec.Inbound {
		c.meta |= contactReplied
		return
	}
	at := steps.MomentOf(rec)
	if c.meta&hasInitial != 0 && !at.Before(c.at) {
		return // a later text: a follow-up or a conversation
	}
	meta := c.meta&contactReplied | hasInitial
	if rec.Status == export.StatusDelivered {
		meta |= initialDelivered
	}
	// Interning never touches the table, so c stays valid.
	c.at = at
	if !parsed {
		t.scratch = t.finder.Domains(t.scratch[:0], rec.Text)
		domains = t.scratch
	}
	c.meta = meta | t.internDomains(domains)
	c.number = t.internNumber(rec.UserNumber)
}

// internDomains returns the id of a text's list of link domains.
func (t *ContactTracker) internDomains(domains []string) uint32 {
	switch len(domains) {
	case 0:
		return 0
	case 1:
		return t.internRecent(domains[0], &t.recentDomains, t.domainIDs, &t.domains)
	}
	t.joined = t.joined[:0]
	for i, d := range domains {
		if i > 0 {
			t.joined = append(t.joined, 0)
		}
		t.joined = append(t.joined, d...)
	}
	if id, ok := t.domainIDs[string(t.joined)]; ok { // no allocation
		return id
	}
	return t.intern(string(t.joined), t.domainIDs, &t.domains)
}

func (t *ContactTracker) internNumber(s string) uint32 {
	return t.internRecent(s, &t.recentNumbers, t.numberIDs, &t.numbers)
}

// internRecent is intern, looking in r first.
func (t *ContactTracker) internRecent(s string, r *recent, ids map[string]uint32, list *[]string) uint32 {
	if id := r.find(s); id != 0 {
		return id
	}
	id := t.intern(s, ids, list)
	if id != 0 {
		r.put((*list)[id-1], id)
	}
	return id
}

// recent holds interned strings (the tracker's copies) with their ids in
// a small direct-mapped cache: a string has one place, chosen by its
// length and last bytes, and replaces what was there; an id of 0 is an
// empty place. A string's id never changes, so a place stays right until
// it is replaced. Rows interleave the initial texts of a few texters (6
// sending numbers in the 2.5M-row synthetic export, which a list of the
// last 4 missed on most rows) with a campaign's few links.
type recent struct {
	s  [recentSlots]string
	id [recentSlots]uint32
}

const (
	recentBits  = 6
	recentSlots = 1 << recentBits
)

// recentSlot returns s's place: phone numbers and host names differ most
// in their last bytes.
func recentSlot(s string) int {
	h := uint64(len(s))
	if len(s) >= 8 {
		t := s[len(s)-8:]
		h ^= uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
	} else {
		for i := 0; i < len(s); i++ {
			h = h<<8 | uint64(s[i])
		}
	}
	return int((h * fibonacci) >> (64 - recentBits))
}

// find returns s's id, or 0 if s is not here.
func (r *recent) find(s string) uint32 {
	i := recentSlot(s)
	if r.id[i] != 0 && r.s[i] == s {
		return r.id[i]
	}
	return 0
}

func (r *recent) put(s string, id uint32) {
	i := recentSlot(s)
	r.s[i], r.id[i] = s, id
}

// intern returns s's id, adding it while under the cap; "" is 0.
func (t *ContactTracker) intern(s string, ids map[string]uint32, list *[]string) uint32 {
	if s == "" {
		return 0
	}
	if id, ok := ids[s]; ok {
		return id
	}
	if len(*list) >= min(t.opts.MaxInterned, maxID) {
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
	if p := o.part; p != nil && p.sortedOK && o.contacts.n == 0 && !o.merged.Used() {
		// Sorted by FinishPart: the same entries, by partition.
		for i := range p.sorted {
			oc := &p.sorted[i]
			oc.meta = oc.meta&flagBits | domainIDs[oc.domain()]
			oc.number = numberIDs[oc.number]
		}
		t.merged.AddSorted(p.sorted, &p.starts)
	} else {
		o.eachEntry(func(oc *contact) {
			oc.meta = oc.meta&flagBits | domainIDs[oc.domain()]
			oc.number = numberIDs[oc.number]
			t.merged.Add(oc.key, oc)
		})
	}
	if o.part != nil {
		keepPartTable(t.spares, o.part)
		o.part = nil
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
	t.settle()
	s := t.stats
	s.Contacts = int64(t.count())
	return s
}

// Feed gives d what one Observation per contact with an initial text
// would, and returns the tracker's stats. When d's group cap could be
// reached, the contacts go one by one in the order of their keys, so which
// groups a full detector keeps is the same on every run; otherwise their
// counts are summed by group, in any order.
func (t *ContactTracker) Feed(d *Detector) TrackerStats {
	if !t.feedCounts(d) {
		t.feed(d.Observe)
	}
	return t.Stats()
}

// observable reports whether a contact is observed: it had an initial
// text, and that text is not within window (ns) of the newest row, where
// a reply may still be on its way. It counts the contacts left out.
func (t *ContactTracker) observable(c *contact, window int64) bool {
	switch {
	case c.meta&hasInitial == 0:
		t.stats.NoInitial++
		return false
	case window > 0 && c.at.Timed() && t.newest-c.at.Time < window:
		t.stats.TooRecent++
		return false
	}
	return true
}

func (t *ContactTracker) feed(observe func(Observation)) {
	t.settle()
	t.stats.NoInitial, t.stats.TooRecent = 0, 0
	window := t.opts.ReplyWindow.Nanoseconds()
	lists := make([][]string, len(t.domains)+1)
	for i, s := range t.domains {
		lists[i+1] = strings.Split(s, "\x00")
	}
	all := make([]contact, 0, t.count())
	t.eachEntry(func(c *contact) { all = append(all, *c) })
	slices.SortFunc(all, func(a, b contact) int { return cmp.Compare(a.key, b.key) })
	for i := range all {
		st := &all[i]
		if !t.observable(st, window) {
			continue
		}
		o := Observation{
			Domains:   lists[st.domain()],
			Delivered: st.meta&initialDelivered != 0,
			Replied:   st.meta&contactReplied != 0,
		}
		if st.number != 0 {
			o.SendingNumber = t.numbers[st.number-1]
		}
		if st.at.Timed() {
			o.Day = time.Unix(0, st.at.Time).In(t.opts.Location).Format(time.DateOnly)
		}
		observe(o)
	}
}

// Package contacts turns the rows of a messages export into one outcome per
// contact, and the follow-up lists admins act on after a campaign: numbers
// to suppress for good, numbers worth texting again, and opt-outs.
//
// A contact is a contact number within a campaign. Its rows may come in any
// order (MoveOn/StateVoices exports have no ORDER BY), so "last" and
// "first" go by attempted-at; rows without one, and rows with equal ones,
// are placed by their order in the input. Memory grows with the number of
// distinct contacts, never with the number of rows.
package contacts

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
)

// Options configure an Aggregator.
type Options struct {
	// Classifier resolves each row's primary code as the row is read.
	Classifier *classify.Classifier
	// Stuck says when a SENT text is stuck.
	Stuck classify.StuckClock
	// InputBytes is the size of the input when it is known (0 if not): the
	// contact table is sized for it up front rather than grown.
	InputBytes int64
}

// key identifies a contact: its campaign (a symbol) and its number.
type key struct {
	campaign symbol
	cell     string
}

// state is what one contact's rows add up to while reading. It is the only
// thing that grows with the input, so it is kept small: values that repeat
// across contacts (statuses, codes, opt-out words) are symbols.
type state struct {
	lastAt   int64 // attempted-at of the last outbound row, Unix ns
	optOutAt int64 // attempted-at of the first opt-out event, Unix ns

	outbound  int32
	delivered int32

	lastStatus symbol // send status of the last outbound row; none without outbound rows
	lastCode   symbol // primary code of the last outbound row
	optOutCode symbol // code of the first opt-out event
	optOutText symbol // text of the opt-out reply (none for a rejection)

	flags flags

	// campaign and cellLen are the table's, of the record that holds the
	// state (see record): here they take bytes that would otherwise pad
	// state to 48, so that a record (state and cell) is 64 bytes, one
	// cache line, where it was 72 and most records spanned two.
	cellLen  uint8 // longCell: the cell is in table.long
	campaign symbol
}

type flags uint8

const (
	hasLastTime flags = 1 << iota
	hasOptOut
	hasOptOutTime
	optOutByReply
	replied
)

// Aggregator reads rows and keeps one state per contact.
type Aggregator struct {
	opts     Options
	contacts table
	symbols  symbols

	newest    int64
	hasNewest bool
	finished  bool
	asOf      int64
	hasAsOf   bool

	withoutNumber int64
	// lastCampaign is the campaign of the last row, lastCampaignSym its
	// symbol (none before the first row: the empty campaign is looked up).
	lastCampaign    string
	lastCampaignSym symbol
	// sentAt holds the send time of a contact's last outbound text where
	// the database gave one that differs from its attempted-at (nil for
	// export files): records never move, so their address is the key.
	sentAt map[*state]int64
	// statuses and codes remember the last few values looked up for
	// outbound rows: a few statuses and codes make most rows, and the
	// symbol table's map cost the merge more than comparing them.
	statuses, codes recent
	// freeRows keeps merged batches' rows for the next batches.
	freeRows chan freeBatch
}

// New returns an empty Aggregator.
func New(opts Options) *Aggregator {
	opts.Stuck.After = opts.Stuck.Threshold()
	a := &Aggregator{opts: opts, contacts: newTable(), symbols: newSymbols(), freeRows: make(chan freeBatch, freeBatches)}
	a.contacts.reserve(contactsIn(opts.InputBytes))
	return a
}

// Add counts one row. Rows without a contact number cannot be followed up
// and are only counted (see WithoutNumber).
func (a *Aggregator) Add(rec *export.Record) {
	var p prepared
	a.prepare(rec, &p)
	a.apply(&p)
}

func (a *Aggregator) addOutbound(s *state, p *prepared) {
	s.outbound++
	if p.status == export.StatusDelivered {
		s.delivered++
	}
	if s.lastStatus == none || !before(p.at, p.hasTime, s.lastAt, s.flags&hasLastTime != 0) {
		s.lastStatus = a.recentSymbol(&a.statuses, p.status)
		s.lastCode = a.recentSymbol(&a.codes, p.code)
		s.lastAt = p.at
		s.flags = setFlag(s.flags, hasLastTime, p.hasTime)
		a.noteSentAt(s, p)
	}
	if p.status == export.StatusError && a.opts.Classifier.IsOptedOut(p.code) {
		a.optOut(s, p.at, p.hasTime, p.code, "", false)
	}
}

// noteSentAt keeps the send time of s's last outbound text, p, when it is
// not its attempted-at.
func (a *Aggregator) noteSentAt(s *state, p *prepared) {
	switch {
	case p.hasSentAt:
		if a.sentAt == nil {
			a.sentAt = map[*state]int64{}
		}
		a.sentAt[s] = p.sentAt
	case a.sentAt != nil:
		delete(a.sentAt, s)
	}
}

// stuckSince is when the age of s's last outbound text starts: its send
// time where the database gave one, else its attempted-at.
func (a *Aggregator) stuckSince(s *state) (int64, bool) {
	if at, ok := a.sentAt[s]; ok {
		return at, true
	}
	return s.lastAt, s.flags&hasLastTime != 0
}

// optOut records an opt-out event if it is the contact's first.
func (a *Aggregator) optOut(s *state, at int64, hasTime bool, code, text string, byReply bool) {
	if s.flags&hasOptOut != 0 && !before(at, hasTime, s.optOutAt, s.flags&hasOptOutTime != 0) {
		return
	}
	s.flags |= hasOptOut
	s.flags = setFlag(s.flags, hasOptOutTime, hasTime)
	s.flags = setFlag(s.flags, optOutByReply, byReply)
	s.optOutAt = at
	s.optOutCode = a.symbols.of(code)
	s.optOutText = a.symbols.of(text)
}

// before reports whether a row at (at, hasTime) comes before one at
// (ref, refHasTime) that was read earlier: only when both have a time and
// its time is earlier; otherwise input order decides, and it comes after.
func before(at int64, hasTime bool, ref int64, refHasTime bool) bool {
	return hasTime && refHasTime && at < ref
}

func setFlag(f, bit flags, on bool) flags {
	if on {
		return f | bit
	}
	return f &^ bit
}

// bytesPerContact is about the fewest bytes of export a contact takes
// (Rewired exports from spoke-synth: about 320), so that sizing the table
// from the input's size seldom leaves it to grow.
const bytesPerContact = 256

// maxReserved bounds the contacts reserved up front, so that a huge input
// with few contacts does not take a huge index (4 bytes a slot).
const maxReserved = 1 << 26

// contactsIn is how many contacts to reserve room for in an input of n
// bytes.
func contactsIn(n int64) int { return int(min(n/bytesPerContact, maxReserved)) }

// campaignOf returns the campaign's symbol. Rows of a campaign mostly come
// together, so the last one is kept to skip the symbol table's lookup.
func (a *Aggregator) campaignOf(campaign string) symbol {
	if campaign != a.lastCampaign || a.lastCampaignSym == none {
		// The symbol's own copy is kept: campaign may view memory the
		// reader or a batch's arena reuses.
		a.lastCampaignSym = a.symbols.of(campaign)
		a.lastCampaign = a.symbols.name(a.lastCampaignSym)
	}
	return a.lastCampaignSym
}

func (a *Aggregator) observe(at int64) {
	if !a.hasNewest || at > a.newest {
		a.newest, a.hasNewest = at, true
	}
}

// Finish fixes the as-of time; call it once after the last Add.
func (a *Aggregator) Finish() {
	a.finished = true
	switch {
	case a.opts.Stuck.HasAsOf:
		a.asOf, a.hasAsOf = a.opts.Stuck.AsOf.UnixNano(), true
	case a.hasNewest:
		a.asOf, a.hasAsOf = a.newest, true
	}
}

// AsOf is the reference time for stuck SENT texts: the one given, else the
// newest attempted-at of the input; false when there is neither.
func (a *Aggregator) AsOf() (time.Time, bool) {
	if !a.hasAsOf {
		return time.Time{}, false
	}
	return time.Unix(0, a.asOf).UTC(), true
}

// Len is the number of distinct contacts.
func (a *Aggregator) Len() int { return a.contacts.len() }

// WithoutNumber is the number of rows left out for lack of a contact number.
func (a *Aggregator) WithoutNumber() int64 { return a.withoutNumber }

// Each calls fn with the outcome of every contact in list, sorted by
// campaign (numerically when both ids are numbers) and then cell. Outcomes
// are built one at a time, so listing a million contacts costs only the
// sort. Call Finish first. fn must not keep the Contact. Order lists the
// same contacts in parts that can be built in parallel.
func (a *Aggregator) Each(list List, fn func(*Contact) error) error {
	o := a.Order(1)
	l := o.Lister()
	for p := range o.Parts() {
		if err := l.EachIn(p, list, fn); err != nil {
			return err
		}
	}
	return nil
}

type entry struct {
	key key
	s   *state
}

// campaignRanks gives each campaign symbol its position in output order,
// so the sort of a million contacts compares integers, not campaign ids.
func (a *Aggregator) campaignRanks() []int {
	var keys []campaignKey
	for id, ok := range a.contacts.campaigns {
		if ok {
			keys = append(keys, newCampaignKey(symbol(id), a.symbols.name(symbol(id))))
		}
	}
	// Each id is parsed once, not at each comparison: a broken export of
	// 400,000 campaigns named like "camp7" made 7 million failed parses,
	// each allocating its error (1.8 of 4.4 CPU s of contacts --list all).
	slices.SortFunc(keys, func(x, y campaignKey) int { return compareCampaignKeys(x, y, a.symbols.name) })
	rank := make([]int, a.symbols.len())
	for i, k := range keys {
		rank[k.id] = i
	}
	return rank
}

// campaignKey is a campaign id read for ordering: its value when it is a
// number, and its symbol for its text. Without the text itself it is 16
// bytes and no pointer, for the collector to skip (400,000 of them on a
// broken export).
type campaignKey struct {
	n       int64
	id      symbol
	numeric bool
}

func newCampaignKey(id symbol, name string) campaignKey {
	n, err := strconv.ParseInt(name, 10, 64)
	return campaignKey{n: n, id: id, numeric: err == nil}
}

// compareCampaignKeys orders campaigns by id: numeric ids by value ("9"
// before "10", "07" before "7"), anything else as text after them; name
// gives the keys' texts.
func compareCampaignKeys(x, y campaignKey, name func(symbol) string) int {
	switch {
	case x.numeric && y.numeric:
		return cmp.Or(cmp.Compare(x.n, y.n), cmp.Compare(name(x.id), name(y.id)))
	case x.numeric:
		return -1
	case y.numeric:
		return 1
	}
	return cmp.Compare(name(x.id), name(y.id))
}

// recent holds the last values looked up through it, with their symbols.
type recent struct {
	names [recentSymbols]string // symbols' own copies; "" is empty
	ids   [recentSymbols]symbol
	next  int
}

const recentSymbols = 4

// recentSymbol returns s's symbol, from r when s is one of its values.
func (a *Aggregator) recentSymbol(r *recent, s string) symbol {
	if s == "" {
		return none
	}
	for i := range r.names {
		if r.names[i] == s {
			return r.ids[i]
		}
	}
	id := a.symbols.of(s)
	r.names[r.next], r.ids[r.next] = a.symbols.name(id), id
	r.next = (r.next + 1) % recentSymbols
	return id
}

// symbol stands for a string that repeats across contacts.
type symbol uint32

// none is the empty string's symbol.
const none symbol = 0

// symbols interns strings: each distinct value is stored once.
type symbols struct {
	ids   map[string]symbol
	names []string
}

func newSymbols() symbols {
	return symbols{ids: map[string]symbol{"": none}, names: []string{""}}
}

func (t *symbols) of(s string) symbol {
	if id, ok := t.ids[s]; ok {
		return id
	}
	s = strings.Clone(s) // do not keep the CSV line s may be part of
	id := symbol(len(t.names))
	t.ids[s] = id
	t.names = append(t.names, s)
	return id
}

func (t *symbols) name(id symbol) string { return t.names[id] }

func (t *symbols) len() int { return len(t.names) }

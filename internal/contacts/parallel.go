package contacts

import (
	"slices"
	"unsafe"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/phone"
)

// Batch is a part of the input read in parallel: the rows' work that does
// not depend on the other rows (normalizing the number, reading an
// opt-out reply's words) is done as the rows are added, on the reading
// goroutine; Merge then applies the prepared rows to the Aggregator in
// input order, so the outcome is the sequential one by construction
// (which row is a contact's "last" or "first" depends on the order rows
// came in, when times are missing or equal).
type Batch struct {
	into *Aggregator
	rows []prepared
	// arena holds the bytes of the rows' strings (see keep); a full
	// block is replaced, never grown, so the strings stay put (and keep
	// their block alive).
	arena []byte
	// lastCampaign is the campaign of the last row with a number.
	lastCampaign string
	hasCampaign  bool
}

// prepared is what Add needs of a row. In a Batch, its strings are copies
// in the batch's arena (the Record's view the reader's buffer,
// export.Parallel.Views); read sequentially, they are the Record's.
type prepared struct {
	campaign, cell  string
	hash            uint64 // of cell, in the contact table
	status, code    string
	text            string // an opt-out reply's text, else ""
	at              int64
	hasTime         bool
	inbound, optOut bool // optOut: an inbound opt-out reply
	// sameCampaign: the row before it with a number, in its batch, has
	// the same campaign. The reader compares the two while the row is in
	// its cache; the merge, on another core, then reads neither.
	sameCampaign bool
	// sentAt is when a row read from the database was sent (sent_at),
	// when it differs from its attempted-at: a SENT text's age runs from
	// it, as in summarize --db.
	sentAt    int64
	hasSentAt bool
}

// Batch returns an empty part of the input, merged into a by Merge. It
// may be called on any goroutine.
func (a *Aggregator) Batch() *Batch {
	b := &Batch{into: a}
	select {
	case f := <-a.freeRows:
		b.rows, b.arena = f.rows, f.arena
	default:
	}
	return b
}

// freeBatch is what a merged batch leaves for a later one.
type freeBatch struct {
	rows  []prepared
	arena []byte
}

// arenaBlock is the size of a batch's arena blocks: a chunk's cells and
// campaigns (about 20 bytes a row) fit in one or two.
const arenaBlock = 64 << 10

// freeBatches is how many merged batches' rows are kept for the next
// batches: about the chunks in flight (about six on two cores).
const freeBatches = 8

// Add prepares one row. The Record's strings may view the reader's
// buffer (export.Parallel.Views): the strings the row keeps are copied to
// the batch's arena, a campaign once for its run of rows in the batch.
func (b *Batch) Add(rec *export.Record) {
	// The row is prepared in place: a prepared row is 120 bytes, and its
	// copy into rows was a fifth of Add.
	if len(b.rows) == cap(b.rows) {
		b.rows = slices.Grow(b.rows, 1)
	}
	b.rows = b.rows[:len(b.rows)+1]
	p := &b.rows[len(b.rows)-1]
	b.into.prepare(rec, p)
	if p.cell != "" {
		p.sameCampaign = b.hasCampaign && p.campaign == b.lastCampaign
		if p.sameCampaign {
			p.campaign = b.lastCampaign
		} else {
			p.campaign = b.keep(p.campaign)
		}
		b.lastCampaign, b.hasCampaign = p.campaign, true
		p.cell = b.keep(p.cell)
		p.text = b.keep(p.text)
	}
}

// keep returns a copy of s in the batch's arena: one allocation per
// block instead of one per row, in memory without pointers. The copy is
// valid until the batch is merged (the arena then goes to a later
// batch): the table and the symbols copy what they keep.
func (b *Batch) keep(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > cap(b.arena)-len(b.arena) {
		b.arena = make([]byte, 0, max(arenaBlock, len(s)))
	}
	at := len(b.arena)
	b.arena = append(b.arena, s...)
	return unsafe.String(&b.arena[at], len(s))
}

// Merge applies the rows to the Aggregator, in the order they were added.
func (b *Batch) Merge() {
	a := b.into
	for rows := b.rows; len(rows) > 0; {
		g := rows[:min(touchGroup, len(rows))]
		a.contacts.touch(g, a.lastCampaignSym)
		for i := range g {
			a.apply(&g[i])
		}
		rows = rows[len(g):]
	}
	// The rows go to a later batch: growing a slice of a chunk's rows
	// again for every chunk made a third of the garbage of a read, and
	// its copies ran the write barriers of the collections it caused.
	clear(b.rows) // their strings view the arena
	f := freeBatch{rows: b.rows[:0], arena: b.arena[:0]}
	// Only the last block goes on: a chunk's strings seldom outgrow one.
	select {
	case b.into.freeRows <- f:
	default:
	}
	b.rows, b.arena, b.lastCampaign, b.hasCampaign = nil, nil, "", false
}

// prepare reads what apply needs of a row into p. It only reads the
// Aggregator (the table's hash seed), so batches call it concurrently.
func (a *Aggregator) prepare(rec *export.Record, p *prepared) {
	*p = prepared{at: rec.AttemptedAt.UnixNano(), hasTime: rec.HasTime, inbound: rec.Inbound}
	p.cell, _ = phone.Normalize(rec.ContactNumber)
	if p.cell == "" {
		return
	}
	p.hash = a.contacts.hashCell(p.cell)
	p.campaign, p.status, p.code = rec.CampaignID, rec.Status, rec.PrimaryCode
	if sent, ok := rec.SendTime(); ok && (!rec.HasTime || !sent.Equal(rec.AttemptedAt)) {
		p.sentAt, p.hasSentAt = sent.UnixNano(), true
	}
	if rec.Inbound && classify.IsOptOutReply(rec.Text, rec.PrimaryCode, rec.Rewired()) {
		p.optOut, p.text = true, rec.Text
	}
}

// apply counts one prepared row.
func (a *Aggregator) apply(p *prepared) {
	if p.hasTime {
		a.observe(p.at)
	}
	if p.cell == "" {
		a.withoutNumber++
		return
	}
	campaign := a.lastCampaignSym // the previous row's, applied just before
	if !p.sameCampaign {
		campaign = a.campaignOf(p.campaign)
	}
	s := a.contacts.state(campaign, p.cell, p.hash)
	if p.inbound {
		s.flags |= replied
		if p.optOut {
			a.optOut(s, p.at, p.hasTime, p.code, p.text, true)
		}
		return
	}
	a.addOutbound(s, p)
}

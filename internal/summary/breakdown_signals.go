package summary

import (
	"fmt"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/signals"
)

// SignalCounter finds suspected silent filtering (package signals): it
// follows every contact's initial text and replies, row by row, and at the
// end tests each link domain, sending number and day. Memory grows with
// the contacts, about 53 bytes each in the table (docs/signals.md).
type SignalCounter struct {
	tracker *signals.ContactTracker
	topts   signals.TrackerOptions
	dopts   signals.Options
	// seen is what the last Result saw, for Warnings.
	trackerStats signals.TrackerStats
	detector     signals.Stats
}

// NewSignalCounter returns an empty SignalCounter whose days are in loc
// (time.UTC when nil), with the documented defaults: contacts texted less
// than signals.DefaultReplyWindow before the newest row are left out.
func NewSignalCounter(loc *time.Location) *SignalCounter {
	return newSignalCounter(signals.TrackerOptions{Location: loc, ReplyWindow: signals.DefaultReplyWindow}, signals.DefaultOptions())
}

func newSignalCounter(topts signals.TrackerOptions, dopts signals.Options) *SignalCounter {
	return &SignalCounter{tracker: signals.NewContactTracker(topts), topts: topts, dopts: dopts}
}

// Capped caps the distinct domain lists and sending numbers kept, and the
// groups tested, at maxKeys (0: the signals package's defaults). Call it
// before the first row.
func (c *SignalCounter) Capped(maxKeys int) {
	c.topts.MaxInterned, c.dopts.MaxGroups = maxKeys, maxKeys
	c.tracker = signals.NewContactTracker(c.topts)
}

// fork returns an empty counter for a part read on another goroutine: it
// keeps every domain and number, and the merge applies the cap.
func (c *SignalCounter) fork() *SignalCounter {
	return &SignalCounter{tracker: c.tracker.Fork(), topts: c.topts, dopts: c.dopts}
}

// Add takes the next row.
func (c *SignalCounter) Add(rec *export.Record) { c.tracker.Add(rec) }

// addAfterLinks takes the next row after links, when not nil, counted it:
// the link counter's domains of the row's text (its buf, set for every
// outbound row, empty for a text without a dot) are taken instead of
// parsing the text again, the larger part of the signals' cost per row.
// TestSignalsShareLinkDomains fails if the link counter stops setting
// them.
func (c *SignalCounter) addAfterLinks(rec *export.Record, links *LinkCounter) {
	if links == nil || rec.Inbound {
		c.tracker.Add(rec)
		return
	}
	c.tracker.AddWithDomains(rec, links.buf)
}

// Merge adds the contacts of o, which read rows after c's, into c; o must
// not be used afterwards.
func (c *SignalCounter) Merge(o *SignalCounter) { c.tracker.Merge(o.tracker) }

// Result tests every group and returns the signals, never nil; rates are
// rounded to 4 decimals like the summary's others.
func (c *SignalCounter) Result() []signals.Signal {
	d := signals.NewDetector(c.dopts)
	c.trackerStats = c.tracker.Feed(d)
	c.detector = d.Stats()
	out := d.Signals()
	for i := range out {
		out[i].ReplyRate = Round4(out[i].ReplyRate)
		out[i].BaselineReplyRate = Round4(out[i].BaselineReplyRate)
	}
	return out
}

// Warnings says what the caps left out of the last Result. The first
// line gives no count: parts read in parallel may try to keep a few more
// values than a sequential pass (rows that are initial texts within their
// part only), so only whether the cap was reached is the same.
func (c *SignalCounter) Warnings() []string {
	var w []string
	if c.trackerStats.Uninterned > 0 {
		w = append(w, fmt.Sprintf("signals: more than %d distinct link domain lists or sending numbers in initial texts: the texts past them were judged without them (raise the cap with --max-keys)", capOf(c.topts.MaxInterned)))
	}
	if n := c.detector.GroupsDropped; n > 0 {
		w = append(w, fmt.Sprintf("signals: more than %d groups to test: %d contacts in the groups past them were not tested there (raise the cap with --max-keys)", capOf(c.dopts.MaxGroups), n))
	}
	return w
}

// capOf is the cap in effect for a MaxInterned or MaxGroups option.
func capOf(max int) int {
	if max <= 0 {
		return keycap.DefaultMax
	}
	return max
}

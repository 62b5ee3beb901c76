package contacts

import (
	"fmt"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

// Reason is why a contact is on a list; every contact has exactly one.
type Reason string

// Reasons, in the order they are decided: the first that applies wins.
const (
	// OptOutReply: the contact replied STOP (or Spoke marked the reply -133).
	OptOutReply Reason = "opt_out_reply"
	// OptOutRejection: a send failed because the contact had opted out
	// (21610, 40300, 4775).
	OptOutRejection Reason = "opt_out_rejection"
	// PermanentError: the last send failed with a permanent code (invalid
	// number, landline or unsupported, recipient block).
	PermanentError Reason = "permanent_error"
	// TransientError: nothing was delivered and the last send failed with a
	// transient code (rate limit, carrier failure, unreachable handset).
	TransientError Reason = "transient_error"
	// StuckSent: nothing was delivered and the last send is stuck in SENT.
	StuckSent Reason = "stuck_sent"
	// Delivered: at least one text was delivered, and none of the above.
	Delivered Reason = "delivered"
	// Other: none of the above (still queued or pending, an error that needs
	// the sender or the content fixed first, an unknown code, no outbound).
	Other Reason = "other"
)

// Contact is one contact's outcome.
type Contact struct {
	Cell     string // E.164 when the number is a plausible one, else as written
	Campaign string

	Outbound  int
	Delivered int

	// LastStatus is the send status of the last outbound text ("" when the
	// contact only has inbound rows); LastCode its primary code and
	// LastEntry that code's classification when the text failed.
	LastStatus string
	LastCode   string
	LastEntry  *registry.Entry
	LastAt     time.Time
	HasLastAt  bool
	// Stuck: the last outbound text is SENT and older than the stuck
	// threshold before the as-of time.
	Stuck bool

	Replied bool

	OptedOut bool
	// OptOutByReply tells how the first opt-out happened: a reply (its text
	// is OptOutText) or a rejected send (its code is OptOutCode).
	OptOutByReply bool
	OptOutCode    string
	OptOutText    string
	OptOutAt      time.Time
	HasOptOutAt   bool

	Reason Reason
}

// Code is the code that explains the reason: the opt-out's code (-133, a
// rejection code, or "" for a keyword reply without one), else the primary
// code of the last text when it failed; "" otherwise.
func (c *Contact) Code() string {
	switch {
	case c.OptedOut:
		return c.OptOutCode
	case c.LastEntry != nil:
		return c.LastCode
	}
	return ""
}

// Category is the category of Code: opted_out for an opt-out.
func (c *Contact) Category() registry.Category {
	switch {
	case c.OptedOut:
		return registry.OptedOut
	case c.LastEntry != nil:
		return c.LastEntry.Category
	}
	return ""
}

// outcome fills c from one contact's state.
func (a *Aggregator) outcome(e entry, c *Contact) {
	s := e.s
	*c = Contact{
		Cell: e.key.cell, Campaign: a.symbols.name(e.key.campaign),
		Outbound: int(s.outbound), Delivered: int(s.delivered),
		LastStatus: a.symbols.name(s.lastStatus), LastCode: a.symbols.name(s.lastCode),
		Replied:  s.flags&replied != 0,
		OptedOut: s.flags&hasOptOut != 0,
	}
	if s.flags&hasLastTime != 0 {
		c.LastAt, c.HasLastAt = time.Unix(0, s.lastAt).UTC(), true
	}
	if c.LastStatus == export.StatusError {
		entry := a.opts.Classifier.Entry(c.LastCode)
		c.LastEntry = &entry
	}
	c.Stuck = c.LastStatus == export.StatusSent && c.HasLastAt && a.hasAsOf &&
		classify.IsStuck(s.lastAt, a.asOf, a.opts.StuckAfter)
	if c.OptedOut {
		c.OptOutByReply = s.flags&optOutByReply != 0
		c.OptOutCode, c.OptOutText = a.symbols.name(s.optOutCode), a.symbols.name(s.optOutText)
		if s.flags&hasOptOutTime != 0 {
			c.OptOutAt, c.HasOptOutAt = time.Unix(0, s.optOutAt).UTC(), true
		}
	}
	c.Reason = reasonOf(c)
}

// reasonOf applies the list rules in order.
func reasonOf(c *Contact) Reason {
	retry := ""
	if c.LastEntry != nil {
		retry = c.LastEntry.Retry
	}
	switch {
	case c.OptedOut && c.OptOutByReply:
		return OptOutReply
	case c.OptedOut:
		return OptOutRejection
	case retry == "permanent":
		return PermanentError
	case c.Delivered > 0:
		return Delivered
	case retry == "transient":
		return TransientError
	case c.Stuck:
		return StuckSent
	}
	return Other
}

// List names a follow-up list.
type List string

// The lists.
const (
	// Suppress: contacts never to text again (opted out, or whose last text
	// failed with a permanent code).
	Suppress List = "suppress"
	// Retry: contacts worth texting again (nothing delivered, last text
	// failed with a transient code or stuck in SENT, not opted out).
	Retry List = "retry"
	// OptedOut: every contact who opted out.
	OptedOut List = "opted-out"
	// All: every contact.
	All List = "all"
)

// Lists returns every list name.
func Lists() []List { return []List{Suppress, Retry, OptedOut, All} }

// ParseList reads a list name given by a user.
func ParseList(s string) (List, error) {
	want := List(strings.ToLower(strings.TrimSpace(s)))
	for _, l := range Lists() {
		if l == want {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown list %q: valid values are suppress, retry, opted-out, all", s)
}

// Has reports whether a contact belongs on the list.
func (l List) Has(c *Contact) bool {
	switch l {
	case Suppress:
		return c.Reason == OptOutReply || c.Reason == OptOutRejection || c.Reason == PermanentError
	case Retry:
		return c.Reason == TransientError || c.Reason == StuckSent
	case OptedOut:
		return c.OptedOut
	case All:
		return true
	}
	return false
}

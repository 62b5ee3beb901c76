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
// The lists follow the category of the last text's code, not its retry
// advice: the category says whose fault the failure was.
const (
	// OptOutReply: the contact replied with an opt-out (see
	// classify.OptOutRule).
	OptOutReply Reason = "opt_out_reply"
	// OptOutRejection: a send failed because the contact had opted out
	// (21610, 40300, 4775).
	OptOutRejection Reason = "opt_out_rejection"
	// NumberError: the last text failed because of the number itself
	// (invalid_number, landline_or_unsupported, recipient_blocked).
	NumberError Reason = "number_error"
	// Delivered: at least one text was delivered, and none of the above.
	Delivered Reason = "delivered"
	// RetryableError: nothing was delivered and the last text failed for a
	// reason a later send may not meet (unreachable, carrier_failure,
	// rate_limited, or a Spoke send failure -1 to -6).
	RetryableError Reason = "retryable_error"
	// FixContent: nothing was delivered and the last text was blocked as
	// spam or for its content (spam_blocked, content_problem, Spoke's
	// -166): change the message before sending again.
	FixContent Reason = "fix_content"
	// FixSender: nothing was delivered and the last text failed on the
	// sender's setup (sender_config, or a spam block of the sending
	// number): fix the number, account or registration first.
	FixSender Reason = "fix_sender"
	// StuckSent: nothing was delivered and the last send is stuck in SENT.
	StuckSent Reason = "stuck_sent"
	// Other: none of the above (still queued or pending, an unknown code,
	// a code that is not a failure, no outbound).
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

// entries holds the registry entries of the codes met while listing a
// part, by the code's symbol: contacts with the same last code share one,
// where each used to take a copy of its own on the heap.
type entries struct {
	known map[symbol]*registry.Entry
	// scratch holds the entry of a code past maxKnownEntries, valid until
	// the next contact (fn must not keep the Contact).
	scratch registry.Entry
}

// maxKnownEntries bounds the entries kept while listing a part. A real
// export has a few dozen codes; a broken one can have a distinct code on
// every contact, and keeping each entry (160 bytes with pointers) was as
// many objects for the collector as contacts listed.
const maxKnownEntries = 1024

func newEntries() *entries { return &entries{known: map[symbol]*registry.Entry{}} }

// of returns the entry of code, whose symbol is sym.
func (e *entries) of(cls *classify.Classifier, sym symbol, code string) *registry.Entry {
	if entry, ok := e.known[sym]; ok {
		return entry
	}
	if len(e.known) >= maxKnownEntries {
		e.scratch = cls.Entry(code)
		return &e.scratch
	}
	entry := new(cls.Entry(code))
	e.known[sym] = entry
	return entry
}

// outcome fills c from one contact's state.
func (a *Aggregator) outcome(e entry, c *Contact, known *entries) {
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
		c.LastEntry = known.of(a.opts.Classifier, s.lastCode, c.LastCode)
	}
	if since, ok := a.stuckSince(s); ok && c.LastStatus == export.StatusSent && a.hasAsOf {
		c.Stuck = classify.IsStuck(since, a.asOf, a.opts.Stuck.After)
	}
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
	failed := failureOf(c.LastEntry)
	switch {
	case c.OptedOut && c.OptOutByReply:
		return OptOutReply
	case c.OptedOut:
		return OptOutRejection
	case failed == NumberError:
		return NumberError
	case c.Delivered > 0:
		return Delivered
	case failed != "":
		return failed
	case c.Stuck:
		return StuckSent
	}
	return Other
}

// failureOf maps the last text's failure to the reason it gives, by
// category ("" when the text did not fail, or failed for no known reason).
func failureOf(e *registry.Entry) Reason {
	if e == nil || e.Kind != registry.Failure {
		return ""
	}
	switch e.Category {
	case registry.InvalidNumber, registry.LandlineOrUnsupported, registry.RecipientBlocked, registry.OptedOut:
		return NumberError
	case registry.Unreachable, registry.CarrierFailure, registry.RateLimited:
		return RetryableError
	case registry.ContentProblem:
		return FixContent
	case registry.SenderConfig:
		return FixSender
	case registry.SpamBlocked:
		if e.Retry == registry.SenderFix {
			return FixSender // the sending number itself is blocked (4481, 40003)
		}
		return FixContent
	case registry.SpokeInternal:
		return spokeFailure(e.Code)
	}
	return ""
}

// spokeFailure sorts Spoke's own codes: -1 to -6 are failed sends that
// Spoke (or a later campaign) may retry; -166 is a text Spoke's
// profanity tagger blocked for its content.
func spokeFailure(code string) Reason {
	switch code {
	case "-1", "-2", "-3", "-4", "-5", "-6":
		return RetryableError
	case "-166":
		return FixContent
	}
	return ""
}

// List names a follow-up list.
type List string

// The lists.
const (
	// Suppress: contacts never to text again (opted out, or whose last text
	// failed because of the number itself).
	Suppress List = "suppress"
	// Retry: contacts worth texting again (not opted out, nothing
	// delivered, last text failed for a reason a later send may not meet,
	// or stuck in SENT).
	Retry List = "retry"
	// FixFirst: contacts whose last text was blocked as spam, for its
	// content or for the sender's setup; sending the same text again would
	// meet the same filter. The reason says what to fix.
	FixFirst List = "fix-first"
	// OptedOut: every contact who opted out.
	OptedOut List = "opted-out"
	// All: every contact.
	All List = "all"
)

// Lists returns every list name.
func Lists() []List { return []List{Suppress, Retry, FixFirst, OptedOut, All} }

// ParseList reads a list name given by a user.
func ParseList(s string) (List, error) {
	want := List(strings.ToLower(strings.TrimSpace(s)))
	for _, l := range Lists() {
		if l == want {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown list %q: valid values are suppress, retry, fix-first, opted-out, all", s)
}

// Has reports whether a contact belongs on the list.
func (l List) Has(c *Contact) bool {
	switch l {
	case Suppress:
		return c.Reason == OptOutReply || c.Reason == OptOutRejection || c.Reason == NumberError
	case Retry:
		return c.Reason == RetryableError || c.Reason == StuckSent
	case FixFirst:
		return c.Reason == FixContent || c.Reason == FixSender
	case OptedOut:
		return c.OptedOut
	case All:
		return true
	}
	return false
}

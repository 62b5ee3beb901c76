// Package classify turns raw export values into meaning: an error code into
// its registry entry under the export's provider, a set of codes into the
// provider behind the export, an inbound text into an opt-out or not, and
// a SENT text's age into stuck or pending (StuckClock).
package classify

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spoke-status/spoke-status/internal/registry"
)

// Classifier resolves error codes against the registry for one provider.
type Classifier struct {
	reg      *registry.Registry
	provider registry.Provider
	// optedOut are the normalized codes Entry classifies as
	// registry.OptedOut (OptedOutCodes).
	optedOut []string
}

// New returns a Classifier for the export's provider (Unknown or Mixed
// when it could not be told; codes are then resolved by their ranges).
func New(reg *registry.Registry, provider registry.Provider) *Classifier {
	c := &Classifier{reg: reg, provider: provider}
	if reg == nil {
		return c
	}
	// Entry returns a registry entry or one of category unknown, so
	// the codes it calls opted out are among the registry's.
	for _, e := range reg.All() {
		code := registry.NormalizeCode(e.Code)
		if e.Category == registry.OptedOut && !slices.Contains(c.optedOut, code) && c.Entry(code).Category == registry.OptedOut {
			c.optedOut = append(c.optedOut, code)
		}
	}
	return c
}

// OptedOutCodes returns the normalized codes whose Entry is of category
// registry.OptedOut under c's provider: a handful, so that the opt-out
// rejections of a tally of 100,000 codes (a broken export) are the
// counts of these rather than a lookup of every code. Do not change it.
func (c *Classifier) OptedOutCodes() []string {
	if c == nil {
		return nil
	}
	return c.optedOut
}

// IsOptedOut reports whether Entry(code) is of category
// registry.OptedOut, without building the entry: contacts asks it of
// every ERROR row.
func (c *Classifier) IsOptedOut(code string) bool {
	if c == nil || code == "" {
		return false
	}
	return slices.Contains(c.optedOut, registry.NormalizeCode(code))
}

// KnownCodes lists, normalized, the codes whose meaning is known: every
// code of the registry, under any provider, and ZeroCode. The maps of
// codes never fold them into (other) (summary's knownCodes), and check
// judges a gate on one by its own count (Classifier.Knows).
func KnownCodes(reg *registry.Registry) []string {
	if reg == nil {
		return nil
	}
	all := reg.All()
	codes := make([]string, 0, len(all)+1)
	for _, e := range all {
		codes = append(codes, registry.NormalizeCode(e.Code))
	}
	return append(codes, ZeroCode)
}

// Knows reports whether code is one of KnownCodes.
func (c *Classifier) Knows(code string) bool {
	return c != nil && (c.reg.Knows(code) || registry.NormalizeCode(code) == ZeroCode)
}

// Provider is the provider codes are resolved for.
func (c *Classifier) Provider() registry.Provider { return c.provider }

// Entry classifies a primary error code. The empty code is the no_code
// pseudo-entry (an ERROR row without a code). A code the registry does not
// know is kept, with category unknown, never dropped; "0" is such a code:
// MoveOn/StateVoices Spoke stores it when a failed delivery report carried
// no code, which its title says.
func (c *Classifier) Entry(code string) registry.Entry {
	if code == "" {
		return NoCodeEntry()
	}
	if e, ok := c.reg.Lookup(code, c.hint()); ok {
		return e
	}
	e := c.reg.Unknown(code, c.hint())
	if code == ZeroCode {
		e.Title = "0: the failed delivery report carried no code"
	}
	return e
}

// Category is Entry(code).Category without building the entry: a code
// the registry lacks is of category unknown whatever its provider, so the
// provider is not inferred. The top code of each of a broken export's
// 100,000 groups is classified for its category alone.
func (c *Classifier) Category(code string) registry.Category {
	if code == "" {
		return registry.NoCode
	}
	if e, ok := c.reg.Lookup(code, c.hint()); ok {
		return e.Category
	}
	return registry.UnknownCategory
}

// ZeroCode is what MoveOn/StateVoices Spoke stores as the error code of a
// failed delivery report that had none.
const ZeroCode = "0"

// hint is the provider lookups prefer: the export's, when it is one SMS
// vendor (not Spoke, Unknown or Mixed).
func (c *Classifier) hint() registry.Provider {
	if registry.IsVendor(c.provider) {
		return c.provider
	}
	return ""
}

// NoCodeEntry describes an ERROR row whose code cell is empty, as Spoke
// Rewired writes for every error on Twilio-backed instances.
func NoCodeEntry() registry.Entry {
	return registry.Entry{
		Code: "", Title: "No error code recorded", Category: registry.NoCode,
		Retry: registry.RetryUnknown, Charged: registry.ChargedUnknown, Kind: registry.Failure,
	}
}

// isSwitchboardCode reports the Twilio-style codes Spoke Rewired's number service
// writes whatever the carrier (it rewrites Telnyx 40300 to 21610, 40322 to
// 63026, and writes 30001 when a send window passes). They say nothing about
// the provider unless no other code does.
func isSwitchboardCode(code string) bool {
	switch code {
	case "21610", "63026", "21211", "30001":
		return true
	}
	return false
}

// ResolveProvider names the provider behind an export from the counts of
// every code seen on its rows. Codes whose range two providers share
// (10xxx, 20xxx) and Spoke's own negative codes do not vote; an export with
// only Spoke codes is "spoke", one with none is "unknown", and one whose
// codes point at several providers is "mixed".
func ResolveProvider(codeCounts map[string]int64) registry.Provider {
	votes := map[registry.Provider]bool{}
	switchboard, spoke := false, false
	for code := range codeCounts {
		p, ambiguous := registry.InferProvider(code)
		switch {
		case ambiguous || p == registry.Unknown || p == "":
		case p == registry.Spoke:
			spoke = true
		case isSwitchboardCode(code):
			switchboard = true
		default:
			votes[p] = true
		}
	}
	switch {
	case len(votes) == 1:
		for p := range votes {
			return p
		}
	case len(votes) > 1:
		return registry.Mixed
	case switchboard:
		return registry.Twilio
	case spoke:
		return registry.Spoke
	}
	return registry.Unknown
}

// isOptOutKeyword reports the replies that opt a contact out: the CTIA core set
// (STOP, END, CANCEL, UNSUBSCRIBE, QUIT) plus Twilio's and Telnyx's
// defaults (STOPALL, STOP ALL, REVOKE, OPTOUT).
func isOptOutKeyword(s string) bool {
	switch s {
	case "STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT":
		return true
	}
	return false
}

// OptOutCode is the code MoveOn/StateVoices Spoke puts on the inbound reply
// that its auto-optout handler matched.
const OptOutCode = "-133"

// OptOutRule names the rule by which an inbound reply counts as an opt-out.
type OptOutRule string

// The opt-out rules, tried in this order; the first that applies names the
// reply's rule, so each opt-out counts once.
const (
	// NotOptOut: no rule applies.
	NotOptOut OptOutRule = ""
	// SpokeMarker: the reply carries -133, which StateVoices/MoveOn Spoke
	// (v9+) writes when its auto-optout handler matched it
	// (src/extensions/message-handlers/auto-optout/index.js).
	SpokeMarker OptOutRule = "spoke_marker"
	// SpokeTrigger: in a Spoke Rewired export, the reply, lower-cased and
	// trimmed, is one of Rewired's OPT_OUT_TRIGGERS.
	SpokeTrigger OptOutRule = "spoke_trigger"
	// CarrierKeyword: the whole reply is a carrier opt-out keyword.
	CarrierKeyword OptOutRule = "carrier_keyword"
)

// isRewiredOptOutTrigger reports OPT_OUT_TRIGGERS of Spoke Rewired,
// politics-rewired/Spoke@b8761c73 src/server/api/lib/message-sending.js:
// a reply whose text, lower-cased and trimmed, equals one of them closes
// the conversation and opts the contact out. No code is written.
func isRewiredOptOutTrigger(s string) bool {
	switch s {
	case "stop", "stop all", "stopall", "unsub", "unsubscribe", "cancel", "end", "quit",
		"stop2quit", "stop 2 quit", "stop=quit", "stop = quit", "stop to quit", "stoptoquit":
		return true
	}
	return false
}

// OptOutRuleOf reports by which rule an inbound row opted the contact out:
// Spoke's -133 marker; in a Spoke Rewired export (rewired), one of
// Rewired's own triggers; or a carrier keyword: the whole text, trimmed,
// in any case and without trailing '.', '!' or '?'.
func OptOutRuleOf(text, primaryCode string, rewired bool) OptOutRule {
	if primaryCode == OptOutCode {
		return SpokeMarker
	}
	var buf [maxKeywordLen]byte
	trimmed := strings.TrimSpace(text)
	if rewired && trimmed != "" && startsRewiredTrigger(trimmed[0]) {
		if lower, ok := mapASCII(&buf, trimmed, unicode.ToLower); ok && isRewiredOptOutTrigger(string(lower)) {
			return SpokeTrigger
		}
	}
	t := strings.TrimRight(trimmed, ".!?")
	t = strings.TrimSpace(t)
	if len(t) < 3 || len(t) > len("UNSUBSCRIBE") {
		return NotOptOut
	}
	if upper, ok := mapASCII(&buf, t, unicode.ToUpper); ok && isOptOutKeyword(string(upper)) {
		return CarrierKeyword
	}
	return NotOptOut
}

// startsRewiredTrigger reports whether a text starting with byte b may
// lower-case to one of Rewired's triggers: they start with s, u, c, e or q,
// and a text starting with any other byte does not, so most replies skip
// the case mapping. Only ASCII S, U, C, E and Q lower-case to those
// letters: of the runes beyond ASCII, only U+0130 and U+212A lower-case to
// ASCII at all, to 'i' and 'k' (TestStartsRewiredTrigger checks every
// rune).
func startsRewiredTrigger(b byte) bool {
	switch b | 0x20 { // ASCII lower case for letters; no other byte maps to these
	case 's', 'u', 'c', 'e', 'q':
		return true
	}
	return false
}

// maxKeywordLen is the length of the longest opt-out trigger or keyword
// ("stop to quit").
const maxKeywordLen = 12

// mapASCII maps s rune by rune with f into buf, as strings.Map(f, s)
// (and so strings.ToLower and ToUpper) would, when the result is ASCII
// and fits buf; otherwise ok is false, and the result is none of the
// triggers and keywords, which are ASCII and short. Inbound texts are
// read twice per row (the totals and the reply analysis): lower-casing
// them with strings.ToLower allocated for every text with a capital.
func mapASCII(buf *[maxKeywordLen]byte, s string, f func(rune) rune) (mapped []byte, ok bool) {
	n := 0
	for _, r := range s { // an invalid byte is utf8.RuneError, as for strings.Map
		m := f(r)
		switch {
		case m < 0: // strings.Map drops it
			continue
		case m >= utf8.RuneSelf || n == len(buf):
			return nil, false
		}
		buf[n] = byte(m)
		n++
	}
	return buf[:n], true
}

// IsOptOutReply reports whether an inbound row opted the contact out by
// any rule (see OptOutRuleOf).
func IsOptOutReply(text, primaryCode string, rewired bool) bool {
	return OptOutRuleOf(text, primaryCode, rewired) != NotOptOut
}

// DefaultStuckAfter is how long a SENT text may wait for its delivery
// report before it counts as stuck: Bandwidth itself gives up after two
// hours (error 9902).
const DefaultStuckAfter = 2 * time.Hour

// StuckClock is the one stuck-time setting, built once from --as-of and
// --stuck-after and shared by summary, contacts and rowfilter: a SENT
// text is stuck when it was attempted more than After before the as-of
// time.
type StuckClock struct {
	// AsOf is the reference time when HasAsOf is set; otherwise the newest
	// attempted-at of the input is used, where it can be known.
	AsOf    time.Time
	HasAsOf bool
	// After is the age past which a SENT text is stuck; 0 or less means
	// DefaultStuckAfter.
	After time.Duration
}

// Threshold is the age past which a SENT text is stuck.
func (c StuckClock) Threshold() time.Duration {
	if c.After <= 0 {
		return DefaultStuckAfter
	}
	return c.After
}

// IsStuck reports whether a SENT text attempted at at (Unix nanoseconds)
// is stuck as of asOf: attempted more than after before it. Exactly after
// before is still pending.
func IsStuck(at, asOf int64, after time.Duration) bool {
	return asOf-at > int64(after)
}

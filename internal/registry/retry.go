package registry

// Retry is the advice for a text that failed with a code: whether sending
// again can help, and what must change first.
type Retry string

// Retry values, as codes.csv spells them.
const (
	// Permanent: the same send fails the same way (the number, or the
	// provider's documented rule for the code).
	Permanent Retry = "permanent"
	// Transient: a later send may succeed.
	Transient Retry = "transient"
	// SenderFix: the sending number, account or registration must be fixed.
	SenderFix Retry = "sender-fix"
	// ContentFix: the message must change.
	ContentFix Retry = "content-fix"
	// RetryNone: the code is not a failure (a warning, a flag on a text that
	// was sent, or an inbound-only code): nothing to retry.
	RetryNone Retry = "none"
	// RetryUnknown: causes are mixed or undocumented.
	RetryUnknown Retry = "unknown"
)

func (r Retry) valid() bool {
	switch r {
	case Permanent, Transient, SenderFix, ContentFix, RetryNone, RetryUnknown:
		return true
	}
	return false
}

// Kind says whether a code reports a failed outbound text.
type Kind string

// Kind values, as codes.csv spells them.
const (
	// Failure: the text was not delivered.
	Failure Kind = "failure"
	// Warning: the provider warns (e.g. a usage threshold); the text still
	// goes out.
	Warning Kind = "warning"
	// Flag: Spoke marks a text without failing it: -167 on an initial text
	// it altered and still sent, -133 on the reply that opted a contact out.
	Flag Kind = "flag"
	// Inbound: the code occurs only on inbound messages.
	Inbound Kind = "inbound"
)

func (k Kind) valid() bool {
	switch k {
	case Failure, Warning, Flag, Inbound:
		return true
	}
	return false
}

// retryPhrases name the retry values for people.
var retryPhrases = map[Retry]string{
	Permanent:    "Don't text again",
	Transient:    "Retry later",
	SenderFix:    "Fix the sender first",
	ContentFix:   "Change the message first",
	RetryNone:    "Nothing to resend",
	RetryUnknown: "No advice known",
}

// Phrase names r in a few words for people, e.g. "Don't text again"; a
// value not in the list is shown as is.
func (r Retry) Phrase() string {
	if p, ok := retryPhrases[r]; ok {
		return p
	}
	return string(r)
}

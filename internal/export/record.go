package export

import (
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/registry"
)

// Record is one data row of an export, normalized across dialects. The
// reader reuses one Record for every row: a consumer that keeps values past
// its callback must copy them. Strings are safe to keep, except when read
// with Parallel.Views: then they view the reader's buffer (but Status and
// the codes, which are strings of their own unless CodesViewed) and a
// consumer must clone what it keeps, map keys included.
type Record struct {
	Source *Source // the input this row came from
	Line   int     // 1-based line where the row starts

	CampaignID        string
	CampaignContactID string
	AssignmentID      string
	UserNumber        string // the sending number; often empty on failed sends
	ContactNumber     string
	Inbound           bool   // is-from-contact
	Status            string // send status, upper case for known values
	Text              string

	// AttemptedAt is the row's creation time; zero when HasTime is false.
	AttemptedAt time.Time
	HasTime     bool

	// Codes is the raw error code cell: one signed integer, or Rewired's
	// pipe-joined list. PrimaryCode is its first code, normalized.
	// CodesViewed says they view the reader's buffer (Parallel.CodeViews).
	Codes       string
	PrimaryCode string
	CodesViewed bool

	NumSegments int // -1 when the export has no value
	NumMedia    int // -1 when the export has no value

	TexterFirstName string
	TexterLastName  string
	TexterEmail     string
	TexterCell      string

	// What only Spoke's database knows (internal/dbsource); zero values
	// when the row comes from an export file.
	//
	// MessageID is message.id: Spoke Rewired's own statistics take a
	// contact's initial text as its lowest id, which also orders texts
	// created in the same millisecond. 0 when unknown.
	MessageID int64
	// SentAt is message.sent_at, the time the text was handed to the
	// provider; ResponseAt is message.service_response_at, the time of
	// its last delivery report. Zero when unknown.
	SentAt     time.Time
	ResponseAt time.Time
}

// Rewired reports whether the row comes from a Spoke Rewired export, whose
// own opt-out rules differ from the other dialects'.
func (r *Record) Rewired() bool { return r.Source != nil && r.Source.Dialect == Rewired }

// Outbound reports whether the row is a text sent to the contact.
func (r *Record) Outbound() bool { return !r.Inbound }

// TexterName is the texter's display name: "First Last <email>", or the
// parts that exist.
func (r *Record) TexterName() string {
	name := strings.TrimSpace(r.TexterFirstName + " " + r.TexterLastName)
	switch {
	case r.TexterEmail == "":
		return name
	case name == "":
		return r.TexterEmail
	default:
		return name + " <" + r.TexterEmail + ">"
	}
}

// AllCodes returns every code in the raw code cell, normalized, in order.
func (r *Record) AllCodes() []string {
	if r.Codes == "" {
		return nil
	}
	parts := strings.Split(r.Codes, "|")
	out := parts[:0]
	for _, p := range parts {
		if c := registry.NormalizeCode(p); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// PrimaryCodeOf returns the first code of a raw code cell, normalized.
// Spoke Rewired's own stats group by the first code of the list.
func PrimaryCodeOf(raw string) string {
	if raw == "" {
		return ""
	}
	first, _, _ := strings.Cut(raw, "|")
	return registry.NormalizeCode(first)
}

// SendTime is the time a SENT text's age runs from: its real send time
// (SentAt) when the row was read with send times (Spoke's database), else
// its attempted-at. ok is false when the row has neither.
func (r *Record) SendTime() (t time.Time, ok bool) {
	if r.Source != nil && r.Source.SendTimes && !r.SentAt.IsZero() {
		return r.SentAt, true
	}
	return r.AttemptedAt, r.HasTime
}

// Package rowfilter classifies export rows one at a time, as they are read,
// and selects those that match an admin's filters (spoke-status rows). It
// keeps nothing from one row to the next, so memory stays flat.
//
// Rows are classified before the whole input has been read, so the
// provider behind the export is not known yet: codes are resolved with the
// provider the user gave, else by the code's own range (the registry's
// lookup without a hint). Likewise a SENT row is stuck only against an
// as-of time known in advance.
package rowfilter

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

// Directions of a row.
const (
	Outbound = "outbound"
	Inbound  = "inbound"
)

// Row is one classified export row; its columns are listed in
// rowout.Rows. Classification fields (Provider, Title, Category, Retry)
// describe why an outbound ERROR row failed and are empty on every other
// row; PrimaryCode is the first code of any row that carries one.
type Row struct {
	CampaignID        string
	CampaignContactID string
	AssignmentID      string
	ContactNumber     string
	UserNumber        string
	Direction         string
	SendStatus        string
	AttemptedAt       time.Time
	HasAttemptedAt    bool
	ErrorCodes        string
	PrimaryCode       string
	Provider          string
	Title             string
	Category          string
	Retry             string
	// Stuck is nil when it cannot be told: an outbound SENT row without
	// attempted-at, or any outbound SENT row when no as-of time is known.
	Stuck *bool
	// NumSegments and NumMedia are -1 when not exported.
	NumSegments     int
	NumMedia        int
	TexterFirstName string
	TexterLastName  string
	TexterEmail     string
	TexterCell      string
	Text            string
	File            string
	Line            int
}

// Options configure a Classifier.
type Options struct {
	Classifier *classify.Classifier
	// Stuck says when a SENT row is stuck; without an as-of time
	// (HasAsOf), stuck is unknown: rows are classified as they stream.
	Stuck classify.StuckClock
}

// Classifier turns records into Rows.
type Classifier struct {
	opts Options
	asOf int64
	// entries caches each code's classification: a campaign has few codes.
	entries map[string]registry.Entry
}

// maxCachedCodes bounds the cache, so that an input of a million distinct
// codes cannot make memory grow.
const maxCachedCodes = 4096

// New returns a Classifier.
func New(opts Options) *Classifier {
	opts.Stuck.After = opts.Stuck.Threshold()
	return &Classifier{opts: opts, asOf: opts.Stuck.AsOf.UnixNano(), entries: map[string]registry.Entry{}}
}

// Fork returns a Classifier with c's options and a cache of its own, for
// another goroutine: a Classifier is not safe for concurrent use.
func (c *Classifier) Fork() *Classifier {
	return &Classifier{opts: c.opts, asOf: c.asOf, entries: map[string]registry.Entry{}}
}

// Stuck reports whether rec is a stuck outbound SENT row, by its send time
// (sent_at when read from the database, else attempted-at, as the summary
// judges it); ok is false when that cannot be told (no time, or no as-of
// time).
func (c *Classifier) Stuck(rec *export.Record) (stuck, ok bool) {
	if rec.Inbound || rec.Status != export.StatusSent {
		return false, true
	}
	at, has := rec.SendTime()
	if !has || !c.opts.Stuck.HasAsOf {
		return false, false
	}
	return classify.IsStuck(at.UnixNano(), c.asOf, c.opts.Stuck.After), true
}

// Entry classifies an outbound ERROR row's primary code; ok is false for
// every other row.
func (c *Classifier) Entry(rec *export.Record) (registry.Entry, bool) {
	if rec.Inbound || rec.Status != export.StatusError {
		return registry.Entry{}, false
	}
	e, ok := c.entries[rec.PrimaryCode]
	if !ok {
		e = c.opts.Classifier.Entry(rec.PrimaryCode)
		if len(c.entries) < maxCachedCodes {
			c.entries[strings.Clone(rec.PrimaryCode)] = e
		}
	}
	return e, true
}

// Fill writes the classified form of rec into r.
func (c *Classifier) Fill(rec *export.Record, r *Row) {
	*r = Row{
		CampaignID: rec.CampaignID, CampaignContactID: rec.CampaignContactID, AssignmentID: rec.AssignmentID,
		ContactNumber: rec.ContactNumber, UserNumber: rec.UserNumber,
		Direction: Outbound, SendStatus: rec.Status,
		ErrorCodes: rec.Codes, PrimaryCode: rec.PrimaryCode,
		TexterFirstName: rec.TexterFirstName, TexterLastName: rec.TexterLastName,
		TexterEmail: rec.TexterEmail, TexterCell: rec.TexterCell,
		Text: rec.Text, Line: rec.Line,
	}
	if rec.Inbound {
		r.Direction = Inbound
	}
	if rec.Source != nil {
		r.File = rec.Source.Path
	}
	if rec.HasTime {
		r.AttemptedAt, r.HasAttemptedAt = rec.AttemptedAt.UTC(), true
	}
	if e, ok := c.Entry(rec); ok {
		r.Provider, r.Title, r.Category, r.Retry = string(e.Provider), e.Title, string(e.Category), string(e.Retry)
	}
	if stuck, ok := c.Stuck(rec); ok {
		r.Stuck = &stuck
	}
	r.NumSegments, r.NumMedia = max(rec.NumSegments, -1), max(rec.NumMedia, -1)
}

// Filter selects rows. Values of one field are alternatives (any may
// match); different fields must all match. Empty fields match everything.
type Filter struct {
	Statuses   []string            // send statuses, upper case
	Categories []registry.Category // of outbound ERROR rows
	Codes      []string            // primary codes, normalized
	Direction  string              // Outbound, Inbound or ""
	Campaigns  []string
	Stuck      bool // only stuck outbound SENT rows
}

// FilterFlags are the filters as a user gives them (spoke-status rows'
// flags), before NewFilter validates them.
type FilterFlags struct {
	Statuses   []string
	Categories []string
	Codes      []string
	Direction  string
	Campaigns  []string
	Stuck      bool
}

// NewFilter validates user-given filter values.
func NewFilter(in FilterFlags) (*Filter, error) {
	f := &Filter{Stuck: in.Stuck, Campaigns: trimAll(in.Campaigns)}
	for _, s := range trimAll(in.Statuses) {
		st := strings.ToUpper(s)
		if !slices.Contains(Statuses(), st) {
			return nil, fmt.Errorf("--status: unknown send status %q: valid values are %s", s, strings.Join(Statuses(), ", "))
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, s := range trimAll(in.Categories) {
		cat, err := registry.ParseCategory(s)
		if err != nil {
			return nil, fmt.Errorf("--category: %w", err)
		}
		f.Categories = append(f.Categories, cat)
	}
	for _, s := range trimAll(in.Codes) {
		code := registry.NormalizeCode(s)
		if !registry.IsInteger(code) {
			return nil, fmt.Errorf("--code: %q is not an error code (a whole number such as 30007 or -133)", s)
		}
		f.Codes = append(f.Codes, code)
	}
	switch d := strings.ToLower(strings.TrimSpace(in.Direction)); d {
	case "", Outbound, Inbound:
		f.Direction = d
	default:
		return nil, fmt.Errorf("--direction must be outbound or inbound, got %q", in.Direction)
	}
	return f, nil
}

// Directions are the values of --direction.
func Directions() []string { return []string{Outbound, Inbound} }

// Statuses are the send statuses a filter accepts.
func Statuses() []string {
	return []string{export.StatusQueued, export.StatusSending, export.StatusSent, export.StatusDelivered,
		export.StatusError, export.StatusPaused, export.StatusNotAttempted}
}

// Match reports whether rec passes the filter. Stuck rows and categories
// are decided with c; a row whose stuck state cannot be told never matches
// --stuck.
func (f *Filter) Match(rec *export.Record, c *Classifier) bool {
	switch {
	case f.Direction == Outbound && rec.Inbound, f.Direction == Inbound && !rec.Inbound:
		return false
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, rec.Status):
		return false
	case len(f.Campaigns) > 0 && !slices.Contains(f.Campaigns, rec.CampaignID):
		return false
	case len(f.Codes) > 0 && !slices.Contains(f.Codes, rec.PrimaryCode):
		return false
	}
	if len(f.Categories) > 0 {
		e, ok := c.Entry(rec)
		if !ok || !slices.Contains(f.Categories, e.Category) {
			return false
		}
	}
	if f.Stuck {
		if stuck, ok := c.Stuck(rec); !ok || !stuck {
			return false
		}
	}
	return true
}

func trimAll(values []string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

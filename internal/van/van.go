// Package van joins the outcome of each texted contact with its VAN id, for
// a VAN bulk upload. The messages export has no VAN id: the campaign's
// contacts export does (external_id), joined on the campaign contact id
// (StateVoices/MoveOn v10+) or on campaign and cell (Rewired, MoveOn
// before v10).
//
// Memory: one small entry per contact of the contacts export (its VAN id)
// and one per texted contact (delivered or not, last text, its time); never
// the rows.
package van

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/registry"
)

// Directory maps contacts to VAN ids, read from a contacts export.
type Directory struct {
	// byID is set for exports with a contact id (StateVoices/MoveOn v10+).
	byID   map[string]string
	byCell map[cellKey]string
}

type cellKey struct{ campaign, cell string }

// The spellings of the columns the join needs, by contacts-export dialect.
var (
	idColumns       = []string{"id"}
	externalColumns = []string{"external_id", "contact[external_id]"}
	campaignColumns = export.FieldCampaignID.Columns() // as in the messages export
	cellColumns     = []string{"cell", "contact[cell]"}
)

// ReadDirectory reads a contacts export of any dialect.
func ReadDirectory(r io.Reader, path string) (*Directory, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the header: %w", path, err)
	}
	col := func(names []string) int {
		for i, h := range header {
			h = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), "\ufeff"))
			for _, n := range names {
				if h == n {
					return i
				}
			}
		}
		return -1
	}
	ext, id, campaign, cell := col(externalColumns), col(idColumns), col(campaignColumns), col(cellColumns)
	if ext < 0 || (id < 0 && (campaign < 0 || cell < 0)) {
		return nil, fmt.Errorf("%s: not a Spoke contacts export: it needs external_id (or contact[external_id]) and id, or campaign and cell columns", path)
	}
	d := NewDirectory(id >= 0)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return d, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		get := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		d.Add(get(id), get(campaign), get(cell), get(ext))
	}
}

// NewDirectory returns an empty Directory; byID says whether contacts are
// known by their campaign contact id (else only by campaign and cell).
func NewDirectory(byID bool) *Directory {
	d := &Directory{byCell: map[cellKey]string{}}
	if byID {
		d.byID = map[string]string{}
	}
	return d
}

// Add records one contact's VAN id under its contact id (when the
// Directory keys by id) and under its campaign and cell (when both are
// given). Spoke's database fills a Directory this way (van --db).
func (d *Directory) Add(contactID, campaign, cell, vanID string) {
	if d.byID != nil && contactID != "" {
		d.byID[contactID] = vanID
	}
	if campaign != "" && cell != "" {
		d.byCell[cellKey{campaign, normalCell(cell)}] = vanID
	}
}

func normalCell(s string) string {
	if e, ok := phone.Normalize(s); ok {
		return e
	}
	return s
}

// lookup finds the VAN id of a messages row's contact ("" when none).
func (d *Directory) lookup(contactID, campaign, cell string) string {
	if d.byID != nil && contactID != "" {
		return d.byID[contactID]
	}
	return d.byCell[cellKey{campaign, cell}]
}

// Outcome is one texted contact.
type Outcome struct {
	VANID     string
	Phone     string
	Campaign  string
	LastAt    time.Time
	HasLastAt bool
	Delivered bool
	// WrongNumber: nothing delivered and the last text failed with
	// invalid_number or landline_or_unsupported.
	WrongNumber bool
}

type state struct {
	Outcome
	lastStatus, lastCode string
}

// Joiner collects the outcomes of one messages export against one
// directory.
type Joiner struct {
	dir      *Directory
	cls      *classify.Classifier
	contacts map[string]*state
	order    []string
}

// NewJoiner returns a Joiner.
func NewJoiner(dir *Directory, cls *classify.Classifier) *Joiner {
	return &Joiner{dir: dir, cls: cls, contacts: map[string]*state{}}
}

// Add counts one messages row; inbound rows are ignored.
func (j *Joiner) Add(rec *export.Record) {
	if rec.Inbound {
		return
	}
	cell := normalCell(rec.ContactNumber)
	key := rec.CampaignContactID + "\x00" + rec.CampaignID + "\x00" + cell
	if j.dir.byID == nil || rec.CampaignContactID == "" {
		key = "\x00" + rec.CampaignID + "\x00" + cell
	}
	s, ok := j.contacts[key]
	if !ok {
		s = &state{Outcome: Outcome{VANID: j.dir.lookup(rec.CampaignContactID, rec.CampaignID, cell),
			Phone: strings.Clone(cell), Campaign: strings.Clone(rec.CampaignID)}}
		j.contacts[key] = s
		j.order = append(j.order, key)
	}
	if rec.Status == export.StatusDelivered {
		s.Delivered = true
	}
	// Last goes by attempted-at; rows without one count in input order.
	if !rec.HasTime || !s.HasLastAt || !rec.AttemptedAt.Before(s.LastAt) {
		s.lastStatus, s.lastCode = strings.Clone(rec.Status), strings.Clone(rec.PrimaryCode)
		if rec.HasTime {
			s.LastAt, s.HasLastAt = rec.AttemptedAt, true
		}
	}
}

// Each calls fn with every texted contact, in the order first seen.
func (j *Joiner) Each(fn func(*Outcome) error) error {
	for _, key := range j.order {
		s := j.contacts[key]
		if !s.Delivered && s.lastStatus == export.StatusError {
			switch j.cls.Entry(s.lastCode).Category {
			case registry.InvalidNumber, registry.LandlineOrUnsupported:
				s.WrongNumber = true
			}
		}
		if err := fn(&s.Outcome); err != nil {
			return err
		}
	}
	return nil
}

// Package report writes the one-page HTML deliverability report: headline
// figures, charts (inline SVG drawn with gonum/plot) and, below each chart,
// a table with the same numbers. The page is one self-contained file: no
// script, and no font, style or image from elsewhere.
package report

import (
	"fmt"
	"html/template"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/render"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// Dimensions the report needs in the summary's Groups.
const (
	DimCampaign      = summary.DimCampaign
	DimSendingNumber = summary.DimSendingNumber
	DimDay           = summary.DimDay
	DimHour          = summary.DimHour
	DimStep          = summary.DimStep
	DimTexter        = summary.DimTexter
)

// Options shape a report.
type Options struct {
	// Title heads the page; DefaultTitle when empty.
	Title string
	// Redact masks phone-like runs in campaign ids and file names
	// (contact numbers never appear otherwise; sending numbers are the
	// organization's own and stay).
	Redact bool
	// Location is the time zone of the day and hour groups (UTC when
	// nil); it must be the one they were tallied in.
	Location *time.Location
	// Top is how many error codes and link domains are charted.
	Top int
	// TopGroups is how many campaigns, sending numbers and texters are
	// charted (worst first) and tabled (busiest first).
	TopGroups int
	// MinOutbound is the fewest outbound texts a group (campaign, number,
	// texter, link domain) needs to be ranked by its error rate, and a
	// period to have its error rate drawn on the line: a rate over a
	// handful of texts swings from 0% to 50% by chance.
	MinOutbound int64
	// Texters adds the per-texter section (its names are personal: off
	// unless asked for, and numbered rather than named under Redact).
	Texters bool
}

// DefaultMinOutbound is Options.MinOutbound when it is not set.
const DefaultMinOutbound = 100

// longTable is the number of rows past which a table scrolls in a box.
const longTable = 16

// DefaultTitle is the page title when Options.Title is empty.
const DefaultTitle = "Spoke deliverability report"

// HourlyUnder is the time span under which the volume chart is drawn
// by hour rather than by day.
const HourlyUnder = 72 * time.Hour

// Page is everything the template shows.
type Page struct {
	Title       string
	GeneratedBy string
	AsOf        string // in the report's time zone, for people
	AsOfUTC     string // the same instant in UTC, for the tooltip
	AsOfNote    bool   // the time zone is not UTC: AsOfUTC is shown too
	AsOfRaw     string // as the summary has it (RFC 3339), for <time datetime>
	Provider    string
	StuckAfter  string
	TimeZone    string
	Redacted    bool
	InputsLine  string // the inputs in a few words, for the page's header
	Inputs      Table
	Headline    []Figure
	Sections    []Section
	CSS         template.CSS
}

// Figure is one headline number.
type Figure struct {
	Label  string
	Value  string
	Detail string
	Tone   string // "good", "bad" or "" (neutral): a CSS class
	// Chars is the length of Value, which the stylesheet sizes the figure
	// by so that any count fits its tile without clipping.
	Chars int
}

// Section is one chart with its table, or a note when there is nothing to
// draw.
type Section struct {
	ID      string
	Heading string
	Intro   string
	Chart   *Chart
	Note    string
	// Cards are findings told in sentences (the signals), before the tables.
	Cards  []Card
	Tables []Table
}

// Card is one finding: a heading, its figures in a line, and what it
// means.
type Card struct {
	Heading string
	Figures string
	Text    string
}

// Table is a data table, headed by its caption (a heading outside the
// table, so that it wraps on a phone while the table scrolls sideways).
type Table struct {
	ID      string // of the caption, unique within the page
	Caption string
	// Long tables scroll within a box on screen (not in print).
	Long    bool
	Columns []Column
	Rows    [][]Cell
}

// Column is a table heading; numeric columns are right-aligned.
type Column struct {
	Title   string
	Numeric bool
	// Wide columns hold sentences: they keep a readable width, and the
	// table scrolls sideways rather than squeeze them to a word a line.
	Wide bool
}

// Cell is one table cell: text, optionally a link or a badge.
type Cell struct {
	Text  string
	Href  string // a link to documentation
	Badge string // a short flag shown after the text, e.g. "shortener"
	// BadgeClass picks the badge's color ("permanent", "shortener"...);
	// Badge when empty.
	BadgeClass string
	Strong     bool // an "other" or total row
	Numeric    bool // right-aligned
}

// Build makes the page of s.
func Build(s *summary.Summary, opts Options) (*Page, error) {
	if opts.Title == "" {
		opts.Title = DefaultTitle
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Top <= 0 {
		opts.Top = 10
	}
	if opts.TopGroups <= 0 {
		opts.TopGroups = 15
	}
	if opts.MinOutbound <= 0 {
		opts.MinOutbound = DefaultMinOutbound
	}
	b := &builder{s: s, opts: opts}
	page := &Page{
		Title:       opts.Title,
		GeneratedBy: s.GeneratedBy,
		AsOf:        "no timestamps in the input",
		Provider:    string(s.Provider),
		StuckAfter:  durationText(s.StuckAfterSeconds),
		TimeZone:    opts.Location.String(),
		Redacted:    opts.Redact,
		Inputs:      b.inputs(),
		InputsLine:  b.inputsLine(),
		Headline:    b.headline(),
		CSS:         styleCSS,
	}
	if s.AsOf != nil {
		page.AsOfRaw = *s.AsOf
		page.AsOf, page.AsOfUTC = asOfTexts(*s.AsOf, opts.Location)
		page.AsOfNote = page.AsOfUTC != "" && opts.Location != time.UTC
	}
	sections := []func() (Section, error){
		b.signals, b.volume, b.outcomes, b.steps, b.categories, b.codes, b.segments, b.campaigns, b.sendingNumbers, b.links,
	}
	if opts.Texters {
		sections = append(sections, b.texters)
	}
	for _, section := range sections {
		sec, err := section()
		if err != nil {
			return nil, err
		}
		for i := range sec.Tables {
			sec.Tables[i].ID = fmt.Sprintf("%s-table-%d", sec.ID, i+1)
			sec.Tables[i].Long = len(sec.Tables[i].Rows) > longTable
		}
		page.Sections = append(page.Sections, sec)
	}
	page.Inputs.ID = "inputs-table"
	return page, nil
}

// asOfTexts writes the as-of time in loc for people ("Oct 2, 2024, 9:59
// PM EDT") and in UTC; a time it cannot read is shown as it is.
func asOfTexts(raw string, loc *time.Location) (local, utc string) {
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return raw, ""
	}
	const layout = "Jan 2, 2006, 3:04 PM"
	return t.In(loc).Format(layout + " MST"), t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// builder builds the parts of a page.
type builder struct {
	s    *summary.Summary
	opts Options
}

// private masks the phone-like runs of export text when redacting, by
// the rule every command shares (phone.MaskLike).
func (b *builder) private(s string) string {
	if b.opts.Redact {
		return phone.MaskLike(s)
	}
	return s
}

func (b *builder) inputs() Table {
	t := Table{
		Caption: "Inputs read",
		Columns: []Column{{Title: "File"}, {Title: "Dialect"}, {Title: "Rows", Numeric: true}, {Title: "Skipped rows", Numeric: true}},
	}
	for _, in := range b.s.Inputs {
		name := in.Path
		if name == export.StdinPath {
			name = "(standard input)"
		}
		t.Rows = append(t.Rows, []Cell{{Text: b.private(name)}, {Text: string(in.Dialect)}, count(in.Rows), count(in.SkippedRows)})
	}
	return t
}

// inputsLine names the inputs (at most three, by file name) and counts
// their rows.
func (b *builder) inputsLine() string {
	const named = 3
	var names []string
	var rows int64
	for _, in := range b.s.Inputs {
		rows += in.Rows
	}
	for i, in := range b.s.Inputs {
		if i == named {
			names = append(names, fmt.Sprintf("%d more", len(b.s.Inputs)-named))
			break
		}
		name := export.DisplayName(in.Path)
		if in.Path != export.StdinPath {
			name = b.private(filepath.Base(in.Path))
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return "no input"
	}
	return fmt.Sprintf("%s (%s rows)", strings.Join(names, ", "), render.Count(rows))
}

func (b *builder) headline() []Figure {
	s := b.s
	o := s.Outbound
	out := s.Totals.Outbound
	figs := []Figure{
		{Label: "Outbound texts", Value: render.Count(out), Detail: fmt.Sprintf("%s rows read", render.Count(s.Totals.Rows))},
		{Label: "Delivered", Value: render.Percent(o.DeliveryRate), Detail: render.Count(o.Delivered) + " texts"},
		{Label: "Error rate", Value: render.Percent(o.ErrorRate), Detail: render.Count(o.Errored) + " texts errored", Tone: toneBad(o.Errored)},
		{Label: "Stuck in SENT", Value: render.Count(o.SentStuck), Detail: render.Percent(o.StuckSentRate) + " of outbound: no delivery report after " + durationText(s.StuckAfterSeconds), Tone: toneBad(o.SentStuck)},
		{Label: "Opt-out rejections", Value: render.Count(o.OptOutRejections), Detail: render.Percent(o.OptOutRejectionRate) + " of outbound: sent to contacts who had opted out", Tone: toneBad(o.OptOutRejections)},
		{Label: "Replies", Value: render.Count(s.Inbound.Replies), Detail: fmt.Sprintf("%s opt-out replies (%s)", render.Count(s.Inbound.OptOutReplies), render.Percent(summary.Rate(s.Inbound.OptOutReplies, s.Inbound.Replies)))},
	}
	if r := s.Replies; r != nil && r.ContactsMessaged > 0 {
		figs[len(figs)-1].Detail += fmt.Sprintf("; %s of %s contacts replied", render.Count(r.ContactsReplied), render.Count(r.ContactsMessaged))
	}
	if seg := s.Segments; seg != nil && seg.Cost != nil {
		figs = append(figs, Figure{Label: "Estimated cost", Value: render.Money(seg.Cost.Estimated),
			Detail: fmt.Sprintf("%s charged segments at %s each", render.Count(seg.Cost.ChargedSegments), strconv.FormatFloat(seg.Cost.PricePerSegment, 'f', -1, 64))})
	}
	if out > 0 {
		figs[1].Tone = "good"
	}
	for i := range figs {
		figs[i].Chars = utf8.RuneCountInString(figs[i].Value)
	}
	return figs
}

func toneBad(n int64) string {
	if n > 0 {
		return "bad"
	}
	return ""
}

func count(n int64) Cell        { return Cell{Text: render.Count(n), Numeric: true} }
func percent(rate float64) Cell { return Cell{Text: render.Percent(rate), Numeric: true} }

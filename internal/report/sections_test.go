package report

import (
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/signals"
	"github.com/spoke-status/spoke-status/internal/summary"
)

func grow(key string, out, errored int64) summary.GroupRow {
	return summary.GroupRow{Key: summary.GroupKey{key}, Outbound: out, Errored: errored, ErrorRate: summary.Rate(errored, out),
		TopCategory: registry.LandlineOrUnsupported}
}

// The chart ranks groups above the minimum volume worst first; the table
// lists the busiest and folds the rest.
func TestGroupSectionWorstFirst(t *testing.T) {
	s := &summary.Summary{}
	s.Totals.Outbound = 2000
	s.Groups = map[string][]summary.GroupRow{DimCampaign: {
		grow("busy", 1000, 10), grow("bad", 500, 100), grow("tiny", 5, 5), grow("mid", 495, 20),
	}}
	p, err := Build(s, Options{TopGroups: 2, MinOutbound: 100})
	if err != nil {
		t.Fatal(err)
	}
	sec := section(t, p, "campaigns")
	if sec.Chart == nil || !strings.Contains(sec.Chart.Desc, "worst is bad at 20.00%") {
		t.Fatalf("chart %+v", sec.Chart)
	}
	for _, want := range []string{"worst 2 of 3", "1 campaign with fewer texts is left out of it: its rate is mostly chance"} {
		if !strings.Contains(sec.Note, want) {
			t.Errorf("note %q lacks %q", sec.Note, want)
		}
	}
	rows := sec.Tables[0].Rows
	if len(rows) != 3 || rows[0][0].Text != "busy" || rows[1][0].Text != "bad" || rows[2][0].Text != "other (2 campaigns)" || rows[2][1].Text != "500" {
		t.Errorf("table rows %v", rows)
	}
	if rows[0][8].Text != "Landline or unsupported" {
		t.Errorf("category shown as %q", rows[0][8].Text)
	}

	// No group has enough texts: no chart, a note, the table still.
	p, err = Build(s, Options{MinOutbound: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	sec = section(t, p, "campaigns")
	if sec.Chart != nil || !strings.Contains(sec.Note, "none is ranked") || len(sec.Tables) != 1 {
		t.Errorf("chart %v, note %q", sec.Chart != nil, sec.Note)
	}
}

// Under Redact texters are numbered by volume, never named.
func TestTextersRedacted(t *testing.T) {
	s := &summary.Summary{}
	s.Groups = map[string][]summary.GroupRow{DimTexter: {grow("Sam Rivera <sam@example.org>", 300, 3), grow("Ana Diaz <ana@example.org>", 900, 90)}}
	for _, redact := range []bool{false, true} {
		p, err := Build(s, Options{Texters: true, Redact: redact})
		if err != nil {
			t.Fatal(err)
		}
		sec := section(t, p, "texters")
		var b strings.Builder
		if err := p.Write(&b); err != nil {
			t.Fatal(err)
		}
		named := strings.Contains(b.String(), "Sam Rivera")
		if named == redact {
			t.Errorf("redact %v: names shown %v", redact, named)
		}
		if redact && (sec.Tables[0].Rows[0][0].Text != "texter 1" || !strings.Contains(sec.Chart.Desc, "worst is texter 1")) {
			t.Errorf("redacted rows %v", sec.Tables[0].Rows)
		}
	}
	p, err := Build(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range p.Sections {
		if sec.ID == "texters" {
			t.Error("texters shown without Options.Texters")
		}
	}
}

func TestSignalsSection(t *testing.T) {
	s := &summary.Summary{}
	p, err := Build(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sec := section(t, p, "signals"); !strings.HasPrefix(sec.Note, "No suspect found") || len(sec.Cards) != 0 {
		t.Errorf("empty signals: note %q, %d cards", sec.Note, len(sec.Cards))
	}
	s.Signals = []signals.Signal{{Kind: signals.KindSilentFiltering, Dimension: signals.DimensionLinkDomain, Key: "x5555550123.example",
		DeliveredContacts: 1000, Replied: 10, ReplyRate: 0.01, BaselineReplyRate: 0.08, Explanation: "Move the link."}}
	p, err = Build(s, Options{Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	sec := section(t, p, "signals")
	if len(sec.Cards) != 1 || sec.Note != "" || sec.Cards[0].Text != "Move the link." || strings.Contains(sec.Cards[0].Heading, "5555550123") ||
		!strings.HasPrefix(sec.Cards[0].Heading, "Link domain ") || !strings.Contains(sec.Cards[0].Figures, "1.00% of 1,000 contacts replied, against 8.00%") {
		t.Errorf("cards %+v", sec.Cards)
	}
}

func TestSegmentsSection(t *testing.T) {
	s := &summary.Summary{}
	s.Totals.Outbound = 10
	if sec := section(t, mustBuild(t, s), "segments"); sec.Note != "Segments were not counted." {
		t.Errorf("no segments: %q", sec.Note)
	}
	s.Segments = &summary.Segments{Messages: 10, Total: 15, PerMessage: 1.5}
	if sec := section(t, mustBuild(t, s), "segments"); len(sec.Tables) != 1 || !strings.Contains(sec.Note, "--price-per-segment") {
		t.Errorf("no price: %d tables, note %q", len(sec.Tables), sec.Note)
	}
	s.Segments.Cost = &summary.Cost{PricePerSegment: 0.01, Estimated: 1234.5, ChargedSegments: 123450, LeftOutMessages: 2, LeftOutSegments: 3}
	p := mustBuild(t, s)
	if sec := section(t, p, "segments"); len(sec.Tables) != 2 || !strings.Contains(sec.Note, "Estimated cost 1,234.50") {
		t.Errorf("cost: %d tables, note %q", len(sec.Tables), sec.Note)
	}
	last := p.Headline[len(p.Headline)-1]
	if last.Label != "Estimated cost" || last.Value != "1,234.50" || last.Chars != 8 {
		t.Errorf("headline %+v", last)
	}
}

func TestStepsSection(t *testing.T) {
	s := &summary.Summary{}
	if sec := section(t, mustBuild(t, s), "steps"); sec.Note == "" || sec.Chart != nil {
		t.Errorf("no step split: %+v", sec)
	}
	s.Groups = map[string][]summary.GroupRow{DimStep: {grow("initial", 100, 10), grow("follow-up", 50, 1), grow(summary.NoneKey, 3, 0)}}
	sec := section(t, mustBuild(t, s), "steps")
	if sec.Chart == nil || sec.Tables[0].Rows[0][0].Text != "Initial texts" || sec.Tables[0].Rows[1][0].Text != "Follow-ups" ||
		sec.Tables[0].Rows[2][0].Text != "No contact known" || !strings.Contains(sec.Chart.Desc, "Initial texts 10.00%, Follow-ups 2.00% and No contact known 0.00%") {
		t.Errorf("steps %+v", sec.Tables)
	}
}

func TestAsOfTexts(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	for _, c := range []struct {
		raw        string
		loc        *time.Location
		local, utc string
	}{
		{"2024-10-03T01:59:12.407Z", ny, "Oct 2, 2024, 9:59 PM EDT", "2024-10-03 01:59:12 UTC"},
		{"2024-10-03T01:59:12Z", time.UTC, "Oct 3, 2024, 1:59 AM UTC", "2024-10-03 01:59:12 UTC"},
		{"not a time", ny, "not a time", ""},
	} {
		local, utc := asOfTexts(c.raw, c.loc)
		if local != c.local || utc != c.utc {
			t.Errorf("asOfTexts(%q) = %q, %q; want %q, %q", c.raw, local, utc, c.local, c.utc)
		}
	}
}

// Outcomes get a color each, and errored bars are hatched.
func TestOutcomeColors(t *testing.T) {
	s := &summary.Summary{}
	s.Totals.Outbound = 100
	s.Outbound = summary.Outbound{Delivered: 80, Errored: 15, SentStuck: 5}
	sec := section(t, mustBuild(t, s), "outcomes")
	svg := string(sec.Chart.SVG)
	for _, want := range []string{"var(--chart-delivered)", "url(#chart-outcomes-hatch)", "var(--chart-stuck)", `<pattern id="chart-outcomes-hatch"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("outcomes chart lacks %s", want)
		}
	}
	if strings.Contains(svg, "var(--chart-bar)") {
		t.Error("an outcome is drawn in the plain bar color")
	}
}

// Periods under the minimum volume are greyed, off the line.
func TestThinPeriods(t *testing.T) {
	bs := []bucket{{errorRate: 0.1}, {errorRate: 0.5, thin: true}, {errorRate: 0.05, thin: true}, {errorRate: 0.12}}
	c, err := volumeChart("chart-v", "T", "D", "hour", bs)
	if err != nil {
		t.Fatal(err)
	}
	svg := string(c.SVG)
	if n := strings.Count(svg, "var(--chart-thin)"); n != 1 {
		t.Errorf("%d thin points drawn, want 1 (the other is above the line's range)", n)
	}
}

func mustBuild(t *testing.T, s *summary.Summary) *Page {
	t.Helper()
	p, err := Build(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func section(t *testing.T, p *Page, id string) Section {
	t.Helper()
	for _, s := range p.Sections {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no section %s", id)
	return Section{}
}

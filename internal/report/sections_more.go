package report

import (
	"fmt"
	"strconv"

	"github.com/spoke-status/spoke-status/internal/render"
	"github.com/spoke-status/spoke-status/internal/signals"
	"github.com/spoke-status/spoke-status/internal/steps"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// signalDimensions name the signals' dimensions for people.
var signalDimensions = map[string]string{
	signals.DimensionLinkDomain:    "Link domain",
	signals.DimensionSendingNumber: "Sending number",
	signals.DimensionDay:           "Day",
}

func (b *builder) signals() (Section, error) {
	sec := Section{ID: "signals", Heading: "Signals: texts that may never have arrived",
		Intro: "A carrier can report a text DELIVERED and still drop it (silent filtering). A contact who never got the text does not reply, " +
			"so spoke-status compares the reply rate of the contacts whose initial text was DELIVERED, link domain by link domain, " +
			"sending number by sending number and day by day, with the rest of the export. A group is a suspect when it replies at half the usual rate or less, " +
			"and the gap is too large to be chance. It is a lead to check with the provider, not a proof: a dull script also draws few replies."}
	sigs := b.s.Signals
	if len(sigs) == 0 {
		sec.Note = "No suspect found: no link domain, sending number or day replied far below the rest."
		return sec, nil
	}
	tbl := Table{Caption: "Suspects of silent filtering", Columns: []Column{
		{Title: "Group"}, {Title: "Kind"}, {Title: "Delivered contacts", Numeric: true}, {Title: "Replied", Numeric: true},
		{Title: "Reply rate", Numeric: true}, {Title: "Rest of export", Numeric: true},
	}}
	for _, sg := range sigs {
		key := b.signalKey(sg)
		kind := signalDimensions[sg.Dimension]
		if kind == "" {
			kind = sg.Dimension
		}
		sec.Cards = append(sec.Cards, Card{
			Heading: kind + " " + key,
			Figures: fmt.Sprintf("%s of %s contacts replied, against %s for the rest of the export.",
				render.Percent(sg.ReplyRate), render.Count(sg.DeliveredContacts), render.Percent(sg.BaselineReplyRate)),
			Text: sg.Explanation,
		})
		tbl.Rows = append(tbl.Rows, []Cell{{Text: key}, {Text: kind}, count(sg.DeliveredContacts), count(sg.Replied),
			percent(sg.ReplyRate), percent(sg.BaselineReplyRate)})
	}
	sec.Tables = []Table{tbl}
	return sec, nil
}

// signalKey shows a signal's group: sending numbers and days as they are,
// link domains masked like every export text under Redact.
func (b *builder) signalKey(sg signals.Signal) string {
	if sg.Dimension == signals.DimensionLinkDomain {
		return b.private(sg.Key)
	}
	return sg.Key
}

// stepPhrases name the steps for people.
var stepPhrases = map[string]string{
	string(steps.Initial):      "Initial texts",
	string(steps.FollowUp):     "Follow-ups",
	string(steps.Conversation): "Conversation",
	summary.NoneKey:            "No contact known",
}

func stepPhrase(key string) string {
	if p, ok := stepPhrases[key]; ok {
		return p
	}
	return key
}

func (b *builder) steps() (Section, error) {
	sec := Section{ID: "steps", Heading: "Initial texts vs follow-ups",
		Intro: "Initial texts are each contact's first text of a campaign; follow-ups are later texts to contacts who had not replied yet; " +
			"conversation texts answer a contact who replied. A gap between initial texts and the rest points at the opening script, the contact list or the sending numbers."}
	rows, ok := b.s.Groups[DimStep]
	if !ok {
		sec.Note = "The step split was not computed."
		return sec, nil
	}
	var charted []summary.GroupRow
	for _, r := range rows {
		if r.Outbound > 0 && !r.IsOther() {
			charted = append(charted, r)
		}
	}
	if len(charted) == 0 {
		sec.Note = "No outbound texts."
		return sec, nil
	}
	bs := bars{axis: "error rate", percent: true}
	tbl := Table{Caption: "Outbound texts by step", Columns: []Column{
		{Title: "Step"}, {Title: "Outbound", Numeric: true}, {Title: "Delivered", Numeric: true}, {Title: "Delivery rate", Numeric: true},
		{Title: "Errored", Numeric: true}, {Title: "Error rate", Numeric: true}, {Title: "Stuck SENT", Numeric: true}, {Title: "Top category"},
	}}
	var parts []string
	for _, r := range charted {
		name := stepPhrase(r.Key.String())
		bs.labels = append(bs.labels, name)
		bs.values = append(bs.values, r.ErrorRate)
		tbl.Rows = append(tbl.Rows, []Cell{{Text: name}, count(r.Outbound), count(r.Delivered), percent(r.DeliveryRate),
			count(r.Errored), percent(r.ErrorRate), count(r.SentStuck), {Text: r.TopCategory.Phrase()}})
		parts = append(parts, fmt.Sprintf("%s %s", name, render.Percent(r.ErrorRate)))
	}
	desc := fmt.Sprintf("Bar chart of the error rate by step: %s. The table below gives the same numbers with delivery rates.", joinAnd(parts))
	chart, err := barChart("chart-steps", "Error rate by step", desc, bs)
	if err != nil {
		return sec, err
	}
	sec.Chart, sec.Tables = &chart, []Table{tbl}
	return sec, nil
}

// joinAnd writes "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		out += ", " + p
	}
	return out + " and " + parts[len(parts)-1]
}

func (b *builder) segments() (Section, error) {
	sec := Section{ID: "segments", Heading: "Segments and cost",
		Intro: "Providers bill by segment: 160 plain characters (153 each when a text is split), 70 with an emoji or a non-Latin letter (67 when split). " +
			"Texts the provider refused before sending (per the code registry) are left out of the cost."}
	g := b.s.Segments
	if g == nil {
		sec.Note = "Segments were not counted."
		return sec, nil
	}
	if g.Messages == 0 {
		sec.Note = "No outbound texts."
		return sec, nil
	}
	share := func(n int64) Cell { return percent(summary.Rate(n, g.Messages)) }
	tbl := Table{Caption: "Segments of outbound texts", Columns: []Column{{Title: "Measure"}, {Title: "Count", Numeric: true}, {Title: "Share or note", Numeric: true}}}
	tbl.Rows = [][]Cell{
		{{Text: "Outbound texts"}, count(g.Messages), {}},
		{{Text: "of two segments or more"}, count(g.MultiSegment), share(g.MultiSegment)},
		{{Text: "counted by the export (numSegments)"}, count(g.FromExport), share(g.FromExport)},
		{{Text: "computed from the text"}, count(g.Computed), share(g.Computed)},
		{{Text: "Segments", Strong: true}, count(g.Total), {Text: strconv.FormatFloat(g.PerMessage, 'f', 2, 64) + " per text", Numeric: true}},
		{{Text: "of errored texts"}, count(g.Errored), percent(summary.Rate(g.Errored, g.Total))},
	}
	c := g.Cost
	if c == nil {
		sec.Note = "No price given: spoke-status report --price-per-segment 0.0079 adds a cost estimate."
		sec.Tables = []Table{tbl}
		return sec, nil
	}
	cost := Table{Caption: "Estimated cost", Columns: []Column{{Title: "Measure"}, {Title: "Texts", Numeric: true}, {Title: "Segments", Numeric: true}}}
	cost.Rows = [][]Cell{
		{{Text: "Price per segment"}, {}, {Text: strconv.FormatFloat(c.PricePerSegment, 'f', -1, 64), Numeric: true}},
		{{Text: "Segments charged"}, {}, count(c.ChargedSegments)},
		{{Text: "left out: not charged"}, count(c.LeftOutMessages), count(c.LeftOutSegments)},
		{{Text: "included, billing unknown"}, count(c.UnknownMessages), count(c.UnknownSegments)},
		{{Text: "Estimated cost", Strong: true}, {}, {Text: render.Money(c.Estimated), Numeric: true}},
	}
	sec.Note = fmt.Sprintf("Estimated cost %s: %s charged segments at %s. No currency: the price given sets it.",
		render.Money(c.Estimated), render.Count(c.ChargedSegments), strconv.FormatFloat(c.PricePerSegment, 'f', -1, 64))
	sec.Tables = []Table{tbl, cost}
	return sec, nil
}

package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/spoke-status/spoke-status/internal/render"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// groupSection charts the error rate of a breakdown's groups, worst
// first among those with enough texts to rank, and tables the busiest.
type groupSection struct {
	id, heading, intro, noun, dim string
	// private keys are masked under Redact (phone.MaskLike); sending
	// numbers are the organization's own and stay.
	private bool
	// personal keys (texter names) are numbered under Redact rather than
	// shown.
	personal bool
}

func (b *builder) campaigns() (Section, error) {
	return b.groupSection(groupSection{
		id: "campaigns", heading: "Error rate by campaign", noun: "campaign", dim: DimCampaign, private: true,
		intro: "One campaign whose script carries a flagged link or word can drive most of the errors.",
	})
}

func (b *builder) sendingNumbers() (Section, error) {
	return b.groupSection(groupSection{
		id: "sending-numbers", heading: "Error rate by sending number", noun: "sending number", dim: DimSendingNumber,
		intro: "Carriers flag numbers one by one: a number far above the others may be filtered or misregistered. Failed sends often have no number and are grouped as (none).",
	})
}

func (b *builder) texters() (Section, error) {
	intro := "Texters send from their own browser sessions: one texter far above the others may be pasting a flagged link, sending too fast or texting numbers that opted out."
	if b.opts.Redact {
		intro += " Names are redacted: texters are numbered by the texts they sent, busiest first."
	}
	return b.groupSection(groupSection{
		id: "texters", heading: "Error rate by texter", noun: "texter", dim: DimTexter, private: true, personal: true, intro: intro,
	})
}

// labeler names the groups of a section; under Redact a personal key
// becomes "texter 3", numbered by its place among the busiest.
func (b *builder) labeler(g groupSection, rows []summary.GroupRow) func(summary.GroupRow) string {
	rank := map[string]int{}
	if g.personal && b.opts.Redact {
		for i, r := range rows {
			rank[r.Key.String()] = i + 1
		}
	}
	return func(r summary.GroupRow) string {
		key := r.Key.String()
		switch {
		case g.personal && b.opts.Redact && key != summary.NoneKey:
			return fmt.Sprintf("%s %d", g.noun, rank[key])
		case g.private:
			return b.private(key)
		}
		return key
	}
}

func (b *builder) groupSection(g groupSection) (Section, error) {
	sec := Section{ID: g.id, Heading: g.heading, Intro: g.intro}
	if b.lacksColumn(g.dim) {
		sec.Note = fmt.Sprintf("The inputs have no %s column.", g.noun)
		if g.dim == DimTexter {
			sec.Note += " Only Spoke Rewired's messages export names texters."
		}
		return sec, nil
	}
	rows := busiestFirst(b.s.Groups[g.dim])
	if len(rows) == 0 {
		sec.Note = "No outbound texts."
		return sec, nil
	}
	label := b.labeler(g, rows)
	ranked := worstGroups(rows, b.opts.MinOutbound, b.opts.TopGroups)
	eligible := 0
	for _, r := range rows {
		if r.Outbound >= b.opts.MinOutbound && !r.IsOther() {
			eligible++
		}
	}
	if len(ranked) == 0 {
		sec.Note = fmt.Sprintf("No %s has %s outbound texts or more, so none is ranked by its error rate: a rate over a few texts is mostly chance. The table lists them.", g.noun, render.Count(b.opts.MinOutbound))
	} else {
		bs := bars{axis: "error rate", percent: true}
		for _, r := range ranked {
			bs.labels = append(bs.labels, label(r))
			bs.values = append(bs.values, r.ErrorRate)
		}
		desc := fmt.Sprintf("Bar chart of the error rate of %s, worst first, among those with at least %s outbound texts; the worst is %s at %s. The table below lists the busiest.",
			plural(len(ranked), g.noun), render.Count(b.opts.MinOutbound), label(ranked[0]), render.Percent(ranked[0].ErrorRate))
		chart, err := barChart("chart-"+g.id, capital(g.noun)+"s by error rate, worst first", desc, bs)
		if err != nil {
			return sec, err
		}
		sec.Chart = &chart
		sec.Note = rankedNote(len(ranked), eligible, len(rows), g.noun, b.opts.MinOutbound)
	}
	sec.Tables = []Table{b.groupTable(g, rows, label)}
	return sec, nil
}

// rankedNote says which groups a worst-first chart shows.
func rankedNote(shown, eligible, all int, noun string, minOutbound int64) string {
	note := fmt.Sprintf("The chart ranks the %ss with at least %s outbound texts by error rate, worst first", noun, render.Count(minOutbound))
	if shown < eligible {
		note += fmt.Sprintf(", and shows the worst %d of %d", shown, eligible)
	}
	note += "."
	if small := all - eligible; small > 0 {
		rates := "their rates are"
		if small == 1 {
			rates = "its rate is"
		}
		note += fmt.Sprintf(" %s with fewer texts %s left out of it: %s mostly chance.", capital(plural(small, noun)), verb(small), rates)
	}
	return note + " The table lists the busiest."
}

func verb(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// busiestFirst orders rows by outbound texts, most first (ties by key),
// with the texts of no group counted too; the folded row last.
func busiestFirst(rows []summary.GroupRow) []summary.GroupRow {
	var out []summary.GroupRow
	for _, r := range rows {
		if r.Outbound > 0 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, c summary.GroupRow) int {
		if a.IsOther() != c.IsOther() {
			if a.IsOther() {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(c.Outbound, a.Outbound), cmp.Compare(a.Key.String(), c.Key.String()))
	})
	return out
}

// worstGroups returns the top groups by error rate among those with at
// least minOutbound texts (ties to the busier).
func worstGroups(rows []summary.GroupRow, minOutbound int64, top int) []summary.GroupRow {
	var out []summary.GroupRow
	for _, r := range rows {
		if r.Outbound >= minOutbound && !r.IsOther() {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, c summary.GroupRow) int {
		return cmp.Or(cmp.Compare(c.ErrorRate, a.ErrorRate), cmp.Compare(c.Outbound, a.Outbound))
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

// worstDomains is worstGroups for link domains.
func worstDomains(ds []summary.DomainStat, minOutbound int64, top int) []summary.DomainStat {
	var out []summary.DomainStat
	for _, d := range ds {
		if d.Outbound >= minOutbound {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, c summary.DomainStat) int {
		return cmp.Or(cmp.Compare(c.ErrorRate, a.ErrorRate), cmp.Compare(c.Outbound, a.Outbound))
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

func countDomains(ds []summary.DomainStat, minOutbound int64) int {
	n := 0
	for _, d := range ds {
		if d.Outbound >= minOutbound {
			n++
		}
	}
	return n
}

// groupTable lists the busiest TopGroups rows, the rest folded into one.
func (b *builder) groupTable(g groupSection, rows []summary.GroupRow, label func(summary.GroupRow) string) Table {
	title := capital(g.noun)
	tbl := Table{Caption: title + "s, busiest first", Columns: []Column{
		{Title: title}, {Title: "Outbound", Numeric: true}, {Title: "Delivered", Numeric: true}, {Title: "Errored", Numeric: true},
		{Title: "Error rate", Numeric: true}, {Title: "Stuck SENT", Numeric: true}, {Title: "Opt-out rej.", Numeric: true}, {Title: "Top code"}, {Title: "Top category"},
	}}
	shown, rest := rows, []summary.GroupRow(nil)
	if len(rows) > b.opts.TopGroups {
		shown, rest = rows[:b.opts.TopGroups], rows[b.opts.TopGroups:]
	}
	for _, r := range shown {
		key := Cell{Text: label(r)}
		if r.IsOther() {
			key = Cell{Text: fmt.Sprintf("other (%s)", plural(r.FoldedGroups, g.noun)), Strong: true}
		}
		tbl.Rows = append(tbl.Rows, []Cell{key, count(r.Outbound), count(r.Delivered), count(r.Errored), percent(r.ErrorRate),
			count(r.SentStuck), count(r.OptOutRejections), {Text: r.TopCode}, {Text: r.TopCategory.Phrase()}})
	}
	if len(rest) > 0 {
		o := foldRows(rest)
		tbl.Rows = append(tbl.Rows, []Cell{{Text: fmt.Sprintf("other (%s)", plural(o.FoldedGroups, g.noun)), Strong: true},
			count(o.Outbound), count(o.Delivered), count(o.Errored), percent(o.ErrorRate), count(o.SentStuck), count(o.OptOutRejections), {}, {}})
	}
	return tbl
}

// foldRows adds up rows into one "other" row.
func foldRows(rows []summary.GroupRow) summary.GroupRow {
	var o summary.GroupRow
	for _, r := range rows {
		o.Outbound += r.Outbound
		o.Delivered += r.Delivered
		o.Errored += r.Errored
		o.SentStuck += r.SentStuck
		o.OptOutRejections += r.OptOutRejections
		o.FoldedGroups += max(r.FoldedGroups, 1)
	}
	o.ErrorRate = summary.Rate(o.Errored, o.Outbound)
	return o
}

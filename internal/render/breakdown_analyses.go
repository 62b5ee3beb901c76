package render

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spoke-status/spoke-status/internal/summary"
)

func writeLinks(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Links in outbound texts")
	l := s.Links
	row := func(label string, c summary.LinkCount) []string {
		return []string{label, Count(c.Outbound), Count(c.Errored), Percent(c.ErrorRate)}
	}
	rows := [][]string{
		row("With links", l.WithLinks),
		row("  with a public shortener", l.WithShortener),
		row("Without links", l.WithoutLinks),
	}
	return Table(w, opts.Style, []Column{{Title: "Texts"}, {Title: "Outbound", Right: true}, {Title: "Errored", Right: true}, {Title: "Error rate", Right: true}}, rows)
}

func writeDomains(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Link domains")
	domains := s.Links.Domains
	if len(domains) == 0 {
		fmt.Fprintln(w, "No links in outbound texts.")
		return nil
	}
	shown, rest := summary.SplitTop(domains, opts.Top)
	rows := make([][]string, 0, len(shown)+1)
	for _, d := range shown {
		short := ""
		if d.Shortener {
			short = "yes"
		}
		rows = append(rows, []string{d.Domain, short, Count(d.Outbound), Count(d.Errored), Percent(d.ErrorRate),
			topCodeLabel(d.TopCode, string(d.TopCategory)), string(d.TopCategory)})
	}
	if len(rest) > 0 {
		var out, errored int64
		for _, d := range rest {
			out += d.Outbound
			errored += d.Errored
		}
		rows = append(rows, []string{fmt.Sprintf("other (%s domains)", Count(int64(len(rest)))), "", Count(out), Count(errored), Percent(summary.Rate(errored, out)), "", ""})
	}
	return Table(w, opts.Style, []Column{{Title: "Domain"}, {Title: "Shortener"}, {Title: "Outbound", Right: true}, {Title: "Errored", Right: true}, {Title: "Error rate", Right: true}, {Title: "Top code"}, {Title: "Top category"}}, rows)
}

func writeReplies(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Replies and opt-outs")
	r := s.Replies
	rows := [][]string{
		{"Contacts messaged", Count(r.ContactsMessaged), ""},
		{"Contacts who replied", Count(r.ContactsReplied), Percent(r.ReplyRate)},
		{"Contacts who opted out", Count(r.ContactsOptedOut), Percent(r.OptOutRate)},
		{"Inbound replies", Count(r.InboundReplies), ""},
		{"  opt-out replies", Count(r.OptOutReplies), Percent(r.OptOutReplyShare)},
		{"  other replies", Count(r.OtherReplies), Percent(summary.Rate(r.OtherReplies, r.InboundReplies))},
	}
	return Table(w, opts.Style, []Column{{Title: "Measure"}, {Title: "Count", Right: true}, {Title: "Share", Right: true}}, rows)
}

func writeSegments(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Segments and cost")
	g := s.Segments
	share := func(n int64) string { return Percent(summary.Rate(n, g.Messages)) }
	rows := [][]string{
		{"Outbound messages", Count(g.Messages), ""},
		{"  counted by the export (numSegments)", Count(g.FromExport), share(g.FromExport)},
		{"  computed from the text", Count(g.Computed), share(g.Computed)},
		{"  of two segments or more", Count(g.MultiSegment), share(g.MultiSegment)},
		{"Segments", Count(g.Total), strconv.FormatFloat(g.PerMessage, 'f', 2, 64) + " per message"},
		{"  of errored messages", Count(g.Errored), Percent(summary.Rate(g.Errored, g.Total))},
	}
	if c := g.Cost; c != nil {
		rows = append(rows,
			[]string{"Price per segment", strconv.FormatFloat(c.PricePerSegment, 'f', -1, 64), ""},
			[]string{"Segments charged", Count(c.ChargedSegments), ""},
			[]string{"  left out: not charged (messages)", Count(c.LeftOutMessages), Count(c.LeftOutSegments) + " segments"},
			[]string{"  included, billing unknown (messages)", Count(c.UnknownMessages), Count(c.UnknownSegments) + " segments"},
			[]string{"Estimated cost", Money(c.Estimated), ""},
		)
	}
	return Table(w, opts.Style, []Column{{Title: "Measure"}, {Title: "Count", Right: true}, {Title: "Note", Right: true}}, rows)
}

// Money formats an amount with two decimals and thousands separators:
// 1234.567 → "1,234.57". No currency: the price given sets it.
func Money(x float64) string {
	cents := int64(x*100 + 0.5)
	if x < 0 {
		cents = int64(x*100 - 0.5)
	}
	whole, frac := cents/100, cents%100
	sign := ""
	if cents < 0 {
		sign, whole, frac = "-", -whole, -frac
	}
	return fmt.Sprintf("%s%s.%02d", sign, Count(whole), frac)
}

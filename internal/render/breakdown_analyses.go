package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

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

// signalsNote says what the signals are and what to do; it is printed
// with every list of signals, since a signal is a lead, not a verdict.
const signalsNote = `A heuristic: a link domain, sending number or day whose DELIVERED initial texts drew
far fewer replies than the rest of the export (at most half, Holm-adjusted p <= 0.01).
Carriers sometimes report texts DELIVERED that they filtered; a weak script or list can
look the same. What to do: move the link to the organization's own domain, rotate the
sending number out, and ask the provider whether those texts were filtered.`

func writeSignals(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Signals: suspected silent filtering")
	if len(s.Signals) == 0 {
		fmt.Fprintln(w, "No signals: no link domain, sending number or day drew significantly fewer replies than the rest of the export.")
		return nil
	}
	rows := make([][]string, 0, len(s.Signals))
	for _, g := range s.Signals {
		rows = append(rows, []string{summary.Title(g.Dimension), g.Key, Count(g.DeliveredContacts), Count(g.Replied),
			Percent(g.ReplyRate), Percent(g.BaselineReplyRate), strconv.FormatFloat(g.PValue, 'g', 2, 64)})
	}
	err := Table(w, opts.Style, []Column{{Title: "Dimension"}, {Title: "Key"}, {Title: "Delivered contacts", Right: true},
		{Title: "Replied", Right: true}, {Title: "Reply rate", Right: true}, {Title: "Rest of export", Right: true},
		{Title: "Adjusted p", Right: true}}, rows)
	if err != nil {
		return err
	}
	note := signalsNote
	if opts.Style == Markdown {
		note = strings.ReplaceAll(note, "\n", " ")
		fmt.Fprintln(w)
	}
	_, err = fmt.Fprintln(w, note)
	return err
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

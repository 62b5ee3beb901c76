package render

import (
	"fmt"
	"io"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// SummaryOptions control the human views of a summary.
type SummaryOptions struct {
	Style Style
	// Top is how many error codes are listed before the rest are folded
	// into one "other" line.
	Top int
}

// Summary writes the overview, top error codes and categories tables.
func Summary(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	sections := []func(io.Writer, *summary.Summary, SummaryOptions) error{
		writeHeadline, writeInputs, writeOverview, writeCodes, writeCategories,
	}
	sections = append(sections, databaseSections(s)...)
	sections = append(sections, breakdownSections(s)...)
	for i, section := range sections {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := section(w, s, opts); err != nil {
			return err
		}
	}
	return nil
}

func heading(w io.Writer, style Style, title string) {
	if style == Markdown {
		fmt.Fprintf(w, "### %s\n\n", title)
		return
	}
	fmt.Fprintln(w, title)
}

func writeHeadline(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	o := s.Outbound
	asOf := "no timestamps"
	if s.AsOf != nil {
		asOf = *s.AsOf
	}
	line := fmt.Sprintf("%s texts sent: %s delivered, %s errored, %s stuck in SENT. Provider: %s. As of %s (stuck after %s).",
		Count(s.Totals.Outbound), Percent(o.DeliveryRate), Percent(o.ErrorRate), Percent(o.StuckSentRate),
		s.Provider, asOf, time.Duration(s.StuckAfterSeconds*float64(time.Second)))
	if opts.Style == Markdown {
		fmt.Fprintf(w, "## Spoke deliverability summary\n\n%s\n", line)
		return nil
	}
	fmt.Fprintln(w, line)
	return nil
}

func writeInputs(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Inputs")
	rows := make([][]string, 0, len(s.Inputs))
	for _, in := range s.Inputs {
		rows = append(rows, []string{displayPath(in.Path), string(in.Dialect), Count(in.Rows), Count(in.SkippedRows)})
	}
	return Table(w, opts.Style, []Column{{Title: "File"}, {Title: "Dialect"}, {Title: "Rows", Right: true}, {Title: "Skipped", Right: true}}, rows)
}

func displayPath(p string) string {
	if p == export.StdinPath {
		return "(stdin)"
	}
	return p
}

func writeOverview(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Outbound texts")
	o := s.Outbound
	out := s.Totals.Outbound
	share := func(n int64) string { return Percent(summary.Rate(n, out)) }
	rows := [][]string{
		{"Outbound texts", Count(out), ""},
		{"Delivered", Count(o.Delivered), Percent(o.DeliveryRate)},
		{"Errored", Count(o.Errored), Percent(o.ErrorRate)},
		{"  of which opt-out rejections", Count(o.OptOutRejections), Percent(o.OptOutRejectionRate)},
		{"Sent, stuck (no delivery report)", Count(o.SentStuck), Percent(o.StuckSentRate)},
		{"Sent, pending", Count(o.SentPending), share(o.SentPending)},
		{"Sent, age unknown", Count(o.SentAgeUnknown), share(o.SentAgeUnknown)},
	}
	for _, st := range summary.OtherStatuses(o.ByStatus) {
		rows = append(rows, []string{"Status " + st, Count(o.ByStatus[st]), share(o.ByStatus[st])})
	}
	rows = append(rows,
		[]string{"Inbound replies", Count(s.Inbound.Replies), ""},
		[]string{"  of which opt-out replies", Count(s.Inbound.OptOutReplies), Percent(summary.Rate(s.Inbound.OptOutReplies, s.Inbound.Replies))},
	)
	return Table(w, opts.Style, []Column{{Title: "Measure"}, {Title: "Count", Right: true}, {Title: "Share", Right: true}}, rows)
}

func writeCodes(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Top error codes")
	if len(s.ErrorCodes) == 0 {
		fmt.Fprintln(w, "No outbound errors.")
		return nil
	}
	shown, rest := summary.SplitTop(s.ErrorCodes, opts.Top)
	rows := make([][]string, 0, len(shown)+1)
	for _, c := range shown {
		rows = append(rows, []string{codeLabel(c.Code), string(c.Provider), string(c.Category), string(c.Retry), Count(c.Count), Percent(c.ShareOfErrors), c.Title})
	}
	if len(rest) > 0 {
		var n int64
		for _, c := range rest {
			n += c.Count
		}
		rows = append(rows, []string{"other", "", fmt.Sprintf("(%d codes)", len(rest)), "", Count(n), Percent(summary.Rate(n, s.Outbound.Errored)), ""})
	}
	return Table(w, opts.Style, []Column{{Title: "Code"}, {Title: "Provider"}, {Title: "Category"}, {Title: "Retry"}, {Title: "Count", Right: true}, {Title: "Of errors", Right: true}, {Title: "Title"}}, rows)
}

func codeLabel(code string) string {
	if code == "" {
		return "(none)"
	}
	return code
}

func writeCategories(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Error categories")
	if len(s.Categories) == 0 {
		fmt.Fprintln(w, "No outbound errors.")
		return nil
	}
	rows := make([][]string, 0, len(s.Categories))
	for _, c := range s.Categories {
		rows = append(rows, []string{string(c.Category), Count(c.Count), Percent(c.ShareOfErrors), Percent(summary.Rate(c.Count, s.Totals.Outbound))})
	}
	return Table(w, opts.Style, []Column{{Title: "Category"}, {Title: "Count", Right: true}, {Title: "Of errors", Right: true}, {Title: "Of outbound", Right: true}}, rows)
}

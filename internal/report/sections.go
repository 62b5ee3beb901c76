package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/render"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// outcome is one line of the outcomes chart.
type outcome struct {
	label string
	n     int64
	role  role
}

func (b *builder) outcomes() (Section, error) {
	sec := Section{ID: "outcomes", Heading: "Outcomes of outbound texts",
		Intro: "What happened to each text sent. A SENT text still without a delivery report " + b.stuckAfter() + " before the as-of time is stuck: the carrier may have dropped it silently."}
	o := b.s.Outbound
	lines := []outcome{
		{"Delivered", o.Delivered, roleDelivered}, {"Errored", o.Errored, roleErrored},
		{"Sent, stuck", o.SentStuck, roleStuck}, {"Sent, pending", o.SentPending, rolePending}, {"Sent, age unknown", o.SentAgeUnknown, roleOther},
	}
	for _, st := range summary.OtherStatuses(o.ByStatus) {
		lines = append(lines, outcome{"Status " + st, o.ByStatus[st], roleOther})
	}
	lines = slices.DeleteFunc(lines, func(l outcome) bool { return l.n == 0 && l.label != "Delivered" && l.label != "Errored" })
	out := b.s.Totals.Outbound
	if out == 0 {
		sec.Note = "No outbound texts."
		return sec, nil
	}
	bs := bars{axis: "texts"}
	tbl := Table{Caption: "Outbound texts by outcome", Columns: []Column{{Title: "Outcome"}, {Title: "Texts", Numeric: true}, {Title: "Share", Numeric: true}}}
	for _, l := range lines {
		bs.labels = append(bs.labels, l.label)
		bs.values = append(bs.values, float64(l.n))
		bs.roles = append(bs.roles, l.role)
		tbl.Rows = append(tbl.Rows, []Cell{{Text: l.label}, count(l.n), percent(summary.Rate(l.n, out))})
	}
	tbl.Rows = append(tbl.Rows, []Cell{{Text: "Outbound texts", Strong: true}, count(out), percent(1)})
	desc := fmt.Sprintf("Bar chart of %s outbound texts by outcome: %s delivered (%s), %s errored (%s), %s stuck in SENT. The table below gives the same numbers.",
		render.Count(out), render.Count(o.Delivered), render.Percent(o.DeliveryRate), render.Count(o.Errored), render.Percent(o.ErrorRate), render.Count(o.SentStuck))
	chart, err := barChart("chart-outcomes", "Outbound texts by outcome", desc, bs)
	if err != nil {
		return sec, err
	}
	sec.Chart, sec.Tables = &chart, []Table{tbl}
	return sec, nil
}

func (b *builder) stuckAfter() string { return durationText(b.s.StuckAfterSeconds) }

// durationText writes seconds as a short duration: "2h", "1h30m", "45s".
func durationText(seconds float64) string {
	s := time.Duration(seconds * float64(time.Second)).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// categoryMeaning says in words what each category of error means.
var categoryMeaning = map[registry.Category]string{
	registry.OptedOut:              "the contact had opted out (replied STOP earlier)",
	registry.SpamBlocked:           "a carrier's spam filter blocked the text",
	registry.RecipientBlocked:      "the recipient or their carrier blocks texts from this sender",
	registry.InvalidNumber:         "the number does not exist or is malformed",
	registry.LandlineOrUnsupported: "a landline, or a number that cannot receive texts",
	registry.Unreachable:           "the handset was off or out of reach",
	registry.RateLimited:           "sent faster than the number or account allows",
	registry.SenderConfig:          "a problem with the sending number, the account or the 10DLC registration",
	registry.ContentProblem:        "the carrier or provider refused the message content or media",
	registry.CarrierFailure:        "the carrier failed to deliver without saying why",
	registry.SpokeInternal:         "Spoke or the provider's API refused the send",
	registry.UnknownCategory:       "a code spoke-status does not know (look it up with the provider)",
	registry.NoCode:                "the send failed without an error code",
}

func (b *builder) categories() (Section, error) {
	sec := Section{ID: "categories", Heading: "Errors by category",
		Intro: "Why texts failed, with each provider error code put in a category."}
	cats := b.s.Categories
	if len(cats) == 0 {
		sec.Note = "No outbound text errored."
		return sec, nil
	}
	out := b.s.Totals.Outbound
	bs := bars{axis: "errored texts"}
	tbl := Table{Caption: "Errored texts by category", Columns: []Column{
		{Title: "Category"}, {Title: "Meaning", Wide: true}, {Title: "Texts", Numeric: true}, {Title: "Of errors", Numeric: true}, {Title: "Of outbound", Numeric: true},
	}}
	for _, c := range cats {
		bs.labels = append(bs.labels, c.Category.Phrase())
		bs.values = append(bs.values, float64(c.Count))
		tbl.Rows = append(tbl.Rows, []Cell{{Text: c.Category.Phrase()}, {Text: categoryMeaning[c.Category]}, count(c.Count), percent(c.ShareOfErrors), percent(summary.Rate(c.Count, out))})
	}
	desc := fmt.Sprintf("Bar chart of %s errored texts in %d categories; the largest is %s with %s (%s of errors). The table below gives the same numbers.",
		render.Count(b.s.Outbound.Errored), len(cats), cats[0].Category.Phrase(), render.Count(cats[0].Count), render.Percent(cats[0].ShareOfErrors))
	chart, err := barChart("chart-categories", "Errored texts by category", desc, bs)
	if err != nil {
		return sec, err
	}
	sec.Chart, sec.Tables = &chart, []Table{tbl}
	return sec, nil
}

// retryAdvice says in words what to do about a code, by its retry value.
var retryAdvice = map[string]string{
	"permanent":   "Don't text this number again: a retry fails the same way.",
	"transient":   "A later retry may succeed; if the code keeps coming back, slow down or review the message.",
	"sender-fix":  "Fix the sending number, account or 10DLC registration first, then resend.",
	"content-fix": "Change the message (text, link or media), then resend.",
	"none":        "Not a failure (a warning, a flag, or an inbound-only code): nothing to resend.",
	"unknown":     "No advice known: read the provider's documentation for this code.",
}

// plural writes "1 campaign", "2 campaigns".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// noCodeAdvice replaces the retry advice of an error without a code.
const noCodeAdvice = "The provider gave no reason: look the texts up in the provider's message logs."

func adviceFor(retry string) string {
	if a, ok := retryAdvice[retry]; ok {
		return a
	}
	return retryAdvice["unknown"]
}

func (b *builder) codes() (Section, error) {
	sec := Section{ID: "codes", Heading: "Top error codes",
		Intro: "The provider error codes behind the errors, with what each means and what to do about it."}
	codes := b.s.ErrorCodes
	if len(codes) == 0 {
		sec.Note = "No outbound text errored."
		return sec, nil
	}
	shown, rest := summary.SplitTop(codes, b.opts.Top)
	bs := bars{axis: "errored texts"}
	tbl := Table{Caption: "Top error codes", Columns: []Column{
		{Title: "Code"}, {Title: "Provider"}, {Title: "Title"}, {Title: "Category"}, {Title: "Texts", Numeric: true}, {Title: "Of errors", Numeric: true}, {Title: "What to do", Wide: true},
	}}
	for _, c := range shown {
		code := codeLabel(c.Code)
		bs.labels = append(bs.labels, code+" "+c.Title)
		bs.values = append(bs.values, float64(c.Count))
		tbl.Rows = append(tbl.Rows, []Cell{{Text: code, Href: c.URL}, {Text: string(c.Provider)}, {Text: c.Title}, {Text: c.Category.Phrase()},
			count(c.Count), percent(c.ShareOfErrors), adviceCell(c)})
	}
	if len(rest) > 0 {
		var n int64
		for _, c := range rest {
			n += c.Count
		}
		tbl.Rows = append(tbl.Rows, []Cell{{Text: "other", Strong: true}, {}, {Text: plural(len(rest), "more code")}, {}, count(n), percent(summary.Rate(n, b.s.Outbound.Errored)), {}})
	}
	top := shown[0]
	desc := fmt.Sprintf("Bar chart of the %d most frequent error codes; the first is %s (%s) with %s errored texts. The table below gives the same numbers with what to do about each code.",
		len(shown), codeLabel(top.Code), top.Title, render.Count(top.Count))
	chart, err := barChart("chart-codes", "Top error codes", desc, bs)
	if err != nil {
		return sec, err
	}
	sec.Chart, sec.Tables = &chart, []Table{tbl}
	return sec, nil
}

func adviceCell(c summary.CodeCount) Cell {
	if c.Category == registry.NoCode {
		return Cell{Text: noCodeAdvice}
	}
	return Cell{Text: adviceFor(string(c.Retry)), Badge: c.Retry.Phrase(), BadgeClass: string(c.Retry)}
}

func codeLabel(code string) string {
	if code == "" {
		return "(none)"
	}
	return code
}

// lacksColumn reports whether no input has the column dim needs (a 0-byte
// input lacks nothing, and says nothing).
func (b *builder) lacksColumn(dim string) bool {
	d, err := summary.NewDimension(dim, summary.Context{})
	if err != nil || len(b.s.Inputs) == 0 {
		return false
	}
	for _, src := range b.s.Inputs {
		if _, missing := d.MissingIn(src); !missing && src.Dialect != export.Empty {
			return false
		}
	}
	return true
}

func (b *builder) links() (Section, error) {
	sec := Section{ID: "links", Heading: "Links in outbound texts",
		Intro: "Carriers filter texts with links, public URL shorteners (bit.ly, tinyurl.com...) most of all: a branded domain of your own fares better."}
	l := b.s.Links
	if l == nil || l.WithLinks.Outbound == 0 {
		sec.Note = "No outbound text carries a link."
		if l == nil || b.s.Totals.Outbound == 0 {
			sec.Note = "No outbound texts."
		}
		return sec, nil
	}
	domains := l.Domains
	if len(domains) > b.opts.Top {
		domains = domains[:b.opts.Top]
	}
	ranked := worstDomains(l.Domains, b.opts.MinOutbound, b.opts.Top)
	if len(ranked) == 0 {
		sec.Note = fmt.Sprintf("No link domain has %s outbound texts or more, so none is ranked by its error rate; the table lists them all.", render.Count(b.opts.MinOutbound))
	} else {
		bs := bars{axis: "error rate", percent: true, highlight: []bool{}, legend: [2]string{"own or other domain", "public shortener"}}
		for _, d := range ranked {
			bs.labels = append(bs.labels, b.private(d.Domain))
			bs.values = append(bs.values, d.ErrorRate)
			bs.highlight = append(bs.highlight, d.Shortener)
		}
		desc := fmt.Sprintf("Bar chart of the error rate of texts linking to %s, worst first, among the domains with at least %s outbound texts; shorteners marked. Texts with links errored at %s, texts with a shortener at %s, texts without links at %s. The tables below give the numbers of the most linked domains.",
			plural(len(ranked), "domain"), render.Count(b.opts.MinOutbound), render.Percent(l.WithLinks.ErrorRate), render.Percent(l.WithShortener.ErrorRate), render.Percent(l.WithoutLinks.ErrorRate))
		chart, err := barChart("chart-links", "Link domains by error rate, worst first", desc, bs)
		if err != nil {
			return sec, err
		}
		sec.Chart = &chart
		sec.Note = rankedNote(len(ranked), countDomains(l.Domains, b.opts.MinOutbound), len(l.Domains), "link domain", b.opts.MinOutbound)
	}
	kinds := Table{Caption: "Texts with and without links", Columns: []Column{{Title: "Texts"}, {Title: "Outbound", Numeric: true}, {Title: "Errored", Numeric: true}, {Title: "Error rate", Numeric: true}}}
	for _, k := range []struct {
		name string
		c    summary.LinkCount
	}{{"With links", l.WithLinks}, {"with a public shortener", l.WithShortener}, {"Without links", l.WithoutLinks}} {
		kinds.Rows = append(kinds.Rows, []Cell{{Text: k.name}, count(k.c.Outbound), count(k.c.Errored), percent(k.c.ErrorRate)})
	}
	doms := Table{Caption: "Link domains", Columns: []Column{{Title: "Domain"}, {Title: "Outbound", Numeric: true}, {Title: "Errored", Numeric: true}, {Title: "Error rate", Numeric: true}, {Title: "Top code"}, {Title: "Top category"}}}
	for _, d := range domains {
		cell := Cell{Text: b.private(d.Domain)}
		if d.Shortener {
			cell.Badge = "shortener"
		}
		doms.Rows = append(doms.Rows, []Cell{cell, count(d.Outbound), count(d.Errored), percent(d.ErrorRate), {Text: d.TopCode}, {Text: d.TopCategory.Phrase()}})
	}
	if rest := len(l.Domains) - len(domains); rest > 0 {
		doms.Rows = append(doms.Rows, []Cell{{Text: plural(rest, "more domain"), Strong: true}, {}, {}, {}, {}, {}})
	}
	sec.Tables = []Table{kinds, doms}
	return sec, nil
}

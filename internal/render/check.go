package render

import (
	"bytes"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/spoke-status/spoke-status/internal/check"
	"github.com/spoke-status/spoke-status/internal/sanitize"
)

// maxMarkdownChecks caps the checks table of the Markdown report: GitHub
// refuses a job summary over 1 MiB, and --per campaign on a large instance
// can make thousands of checks. Failures come first, so none is hidden
// before a pass is.
const maxMarkdownChecks = 500

// maxSkippedListed caps the campaigns named in the skipped line.
const maxSkippedListed = 10

// checkColumns are the columns of the checks table: an interval column
// with --confidence and a baseline column with --baseline, else the same
// five columns as always.
func checkColumns(r *check.Report) []Column {
	cols := []Column{{Title: "Check"}, {Title: "Scope"}, {Title: "Actual", Right: true}}
	if r.Confidence > 0 {
		cols = append(cols, Column{Title: confidenceText(r.Confidence) + " interval", Right: true})
	}
	if r.Baseline != nil {
		cols = append(cols, Column{Title: "Baseline → now", Right: true})
	}
	return append(cols, Column{Title: "Limit", Right: true}, Column{Title: "Result"})
}

// confidenceText writes a confidence level as a percentage: 95%, 99.5%.
func confidenceText(c float64) string { return fmt.Sprintf("%.4g%%", c*100) }

// CheckTableOptions are the options of CheckTable.
type CheckTableOptions struct {
	// Color draws failed checks and a failed verdict in red, for a
	// terminal that shows colour.
	Color bool
}

// ANSI sequences that turn red and yellow on and all attributes off.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiReset  = "\x1b[0m"
)

// Result words of the checks table.
var (
	textResults     = resultWords{pass: "pass", warn: "WARN", fail: "FAIL"}
	markdownResults = resultWords{pass: "pass", warn: "⚠️ WARN", fail: "❌ FAIL"}
)

type resultWords struct{ pass, warn, fail string }

func (rw resultWords) of(c check.Result) string {
	switch c.Status {
	case check.StatusFail:
		return rw.fail
	case check.StatusWarn:
		return rw.warn
	}
	return rw.pass
}

// CheckTable writes the checks, failures first, then warnings, then one
// summary line ("2 of 7 checks failed.") and the notes: the confidence
// rule, the baseline's new and vanished groups, the groups skipped.
func CheckTable(w io.Writer, r *check.Report, opts CheckTableOptions) error {
	var table bytes.Buffer
	if err := Table(&table, Text, checkColumns(r), checkRows(r, r.FailuresFirst(), textResults)); err != nil {
		return err
	}
	verdict := CheckVerdict(r) + "\n"
	if opts.Color {
		colorRows(&table)
		switch {
		case !r.Passed:
			verdict = ansiRed + CheckVerdict(r) + ansiReset + "\n"
		case r.Warnings > 0:
			verdict = ansiYellow + CheckVerdict(r) + ansiReset + "\n"
		}
	}
	if _, err := io.Copy(w, &table); err != nil {
		return err
	}
	if _, err := io.WriteString(w, verdict); err != nil {
		return err
	}
	plain := func(s string) string { return s }
	writeNotes(w, r, plain)
	writeSkipped(w, r, plain)
	return nil
}

// colorRows paints red every row whose Result, the last column, is FAIL,
// and yellow every WARN row. The table is drawn first and painted after,
// so the escape sequences do not count in column widths (and cells from
// the export are sanitized before, colour is only added here). Only the
// last cell is looked at: a campaign id reading FAIL in the Scope column
// paints nothing.
func colorRows(table *bytes.Buffer) {
	lines := strings.SplitAfter(table.String(), "\n")
	table.Reset()
	for _, line := range lines {
		color := ""
		switch resultCell(line) {
		case textResults.fail:
			color = ansiRed
		case textResults.warn:
			color = ansiYellow
		}
		if color != "" {
			body := strings.TrimSuffix(line, "\n")
			line = color + body + ansiReset + line[len(body):]
		}
		table.WriteString(line)
	}
}

// resultCell is the last cell of a table row, or "" for a border line.
func resultCell(line string) string {
	body := strings.TrimRight(line, "\n")
	border := "│"
	if !strings.HasSuffix(body, border) {
		return ""
	}
	cells := strings.Split(strings.TrimSuffix(body, border), border)
	return strings.TrimSpace(cells[len(cells)-1])
}

// CheckMarkdown writes the Markdown report: a pass/fail headline, the
// checks table (failures first) and the skipped groups. It is also what is
// appended to GitHub's job summary.
func CheckMarkdown(w io.Writer, r *check.Report) error {
	headline := "✅ Spoke deliverability check passed"
	switch {
	case !r.Passed:
		headline = "❌ Spoke deliverability check failed"
	case r.Warnings > 0:
		headline = "⚠️ Spoke deliverability check passed with " + plural(int64(r.Warnings), "warning")
	}
	fmt.Fprintf(w, "## %s\n\n%s\n\n", headline, CheckVerdict(r))
	checks := r.FailuresFirst()
	rest := checks[min(len(checks), maxMarkdownChecks):]
	checks = checks[:len(checks)-len(rest)]
	if err := Table(w, Markdown, checkColumns(r), checkRows(r, checks, markdownResults)); err != nil {
		return err
	}
	if len(rest) > 0 {
		failed, warned := 0, 0
		for _, c := range rest {
			switch c.Status {
			case check.StatusFail:
				failed++
			case check.StatusWarn:
				warned++
			}
		}
		more := fmt.Sprintf("%s failed", Count(int64(failed)))
		if warned > 0 {
			more += fmt.Sprintf(", %s warned", Count(int64(warned)))
		}
		fmt.Fprintf(w, "\n… and %s more checks (%s) not listed.\n", Count(int64(len(rest))), more)
	}
	var notes bytes.Buffer
	writeNotes(&notes, r, EscapeMarkdown)
	writeSkipped(&notes, r, EscapeMarkdown)
	if notes.Len() > 0 {
		fmt.Fprintln(w)
		// One paragraph per note: Markdown would join adjacent lines.
		_, err := io.WriteString(w, strings.ReplaceAll(strings.TrimSuffix(notes.String(), "\n"), "\n", "\n\n")+"\n")
		return err
	}
	return nil
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return Count(n) + " " + word + "s"
}

// CheckVerdict is the one-line outcome: "2 of 7 checks failed.", "All 7
// checks passed.", "7 checks passed with 2 warnings."
func CheckVerdict(r *check.Report) string {
	scope := ""
	if r.Step != "" {
		scope = fmt.Sprintf(" (%s texts only)", r.Step)
	}
	n := len(r.Checks)
	warned := r.Warned()
	if failed := r.Failed(); failed > 0 {
		also := ""
		if warned > 0 {
			also = fmt.Sprintf(", and %s", plural(int64(warned), "warning"))
		}
		return fmt.Sprintf("%s of %s checks failed%s%s.", Count(int64(failed)), Count(int64(n)), scope, also)
	}
	switch {
	case warned > 0:
		return fmt.Sprintf("%s passed%s with %s.", plural(int64(n), "check"), scope, plural(int64(warned), "warning"))
	case n == 1:
		return fmt.Sprintf("The 1 check passed%s.", scope)
	}
	return fmt.Sprintf("All %s checks passed%s.", Count(int64(n)), scope)
}

func checkRows(r *check.Report, checks []check.Result, words resultWords) [][]string {
	rows := make([][]string, 0, len(checks))
	for _, c := range checks {
		actual, limit := CheckValues(c)
		name := c.Name
		if c.Level == check.LevelWarn {
			name += " (warn)"
		}
		row := []string{name, c.Scope, actual}
		if r.Confidence > 0 {
			row = append(row, intervalText(c))
		}
		if r.Baseline != nil {
			row = append(row, changeText(c))
		}
		rows = append(rows, append(row, c.Comparison+" "+limit, words.of(c)))
	}
	return rows
}

// intervalText is a rate's interval, "7.20–11.30%"; empty for a count or
// a change.
func intervalText(c check.Result) string {
	if c.CI == nil {
		return ""
	}
	return fmt.Sprintf("%.2f–%.2f%%", c.CI[0]*100, c.CI[1]*100)
}

// changeText is a change check's rates, "5.00% → 7.10%"; empty for the
// other checks.
func changeText(c check.Result) string {
	if c.Baseline == nil || c.Current == nil {
		return ""
	}
	return fmt.Sprintf("%.2f%% → %.2f%%", c.Baseline.Rate*100, c.Current.Rate*100)
}

// writeNotes says how --confidence judged, and which groups the baseline
// lacks or this input lost.
func writeNotes(w io.Writer, r *check.Report, escape func(string) string) {
	if r.Confidence > 0 {
		level := confidenceText(r.Confidence)
		saved := 0
		for _, c := range r.Checks {
			if c.PointPassed != nil && !*c.PointPassed && c.Passed {
				saved++
			}
		}
		fmt.Fprintf(w, "Rates judged on their %s Wilson interval (--confidence): a ceiling fails only when the whole interval is above it, a floor only when it is below; %s past the limit on the rate alone passed on the interval.\n",
			level, plural(int64(saved), "check"))
	}
	if b := r.Baseline; b != nil {
		fmt.Fprintf(w, "Changes are against the baseline %s.\n", escape(cleanScope(b.Path)))
		writeGroups(w, "New since the baseline (no change to compare)", b.NewGroups, "outbound", escape)
		writeGroups(w, "Gone since the baseline", b.VanishedGroups, "outbound in the baseline", escape)
	}
}

func writeGroups(w io.Writer, title string, groups []check.GroupChange, unit string, escape func(string) string) {
	if len(groups) == 0 {
		return
	}
	listed := groups[:min(len(groups), maxSkippedListed)]
	parts := make([]string, 0, len(listed)+1)
	for _, g := range listed {
		parts = append(parts, fmt.Sprintf("%s (%s %s)", escape(cleanScope(g.Scope)), Count(g.Outbound), unit))
	}
	if more := len(groups) - len(listed); more > 0 {
		parts = append(parts, fmt.Sprintf("and %s more", Count(int64(more))))
	}
	fmt.Fprintf(w, "%s: %s.\n", title, strings.Join(parts, ", "))
}

// writeSkipped lists the skipped groups; escape makes their scopes safe
// for the output's format.
func writeSkipped(w io.Writer, r *check.Report, escape func(string) string) {
	if len(r.SkippedGroups) == 0 {
		return
	}
	listed := r.SkippedGroups[:min(len(r.SkippedGroups), maxSkippedListed)]
	parts := make([]string, 0, len(listed)+1)
	for _, g := range listed {
		parts = append(parts, fmt.Sprintf("%s (%s outbound)", escape(cleanScope(g.Scope)), Count(g.Outbound)))
	}
	if more := len(r.SkippedGroups) - len(listed); more > 0 {
		parts = append(parts, fmt.Sprintf("and %s more", Count(int64(more))))
	}
	fmt.Fprintf(w, "Skipped, with fewer than %s outbound texts (--min-outbound): %s.\n", Count(r.SkippedGroups[0].MinOutbound), strings.Join(parts, ", "))
}

// cleanScope makes a scope, which holds a campaign id read from the
// export, safe to print outside a table.
func cleanScope(s string) string {
	return sanitize.Truncate(sanitize.Terminal(s), 60)
}

// CheckValues formats a check's actual value and limit for people. Counts
// are whole numbers. Rates are percentages with 2 decimals, or as many as
// the limit was written with; when two different values would still look
// the same (10.77% against a 10.77% limit, the actual being 10.7706%),
// decimals are added until they differ, so a failed check never shows an
// actual equal to its limit.
func CheckValues(c check.Result) (actual, limit string) {
	a, l := c.ExactActual(), c.ExactLimit()
	if c.IsCount() {
		return Count(ratInt(a)), Count(ratInt(l))
	}
	format := formatPercent
	if c.IsChange() {
		format = formatPoints
	}
	const maxDecimals = 10
	d := max(2, exactDecimals(percentOf(l), maxDecimals))
	for {
		actual, limit = format(a, d), format(l, d)
		if actual != limit || a.Cmp(l) == 0 || d >= maxDecimals {
			if c.IsChange() && a.Sign() > 0 {
				actual = "+" + actual
			}
			return actual, limit
		}
		d++
	}
}

// formatPoints writes a change in rate as percentage points: 2.10pp.
func formatPoints(r *big.Rat, decimals int) string {
	return percentOf(r).FloatString(decimals) + "pp"
}

func percentOf(r *big.Rat) *big.Rat { return new(big.Rat).Mul(r, big.NewRat(100, 1)) }

func formatPercent(r *big.Rat, decimals int) string {
	return percentOf(r).FloatString(decimals) + "%"
}

// exactDecimals is the number of decimals that writes r exactly, at most
// limit.
func exactDecimals(r *big.Rat, limit int) int {
	scaled := new(big.Rat).Set(r)
	ten := big.NewRat(10, 1)
	for d := 0; d < limit; d++ {
		if scaled.IsInt() {
			return d
		}
		scaled.Mul(scaled, ten)
	}
	return limit
}

func ratInt(r *big.Rat) int64 {
	if r == nil {
		return 0
	}
	return new(big.Int).Quo(r.Num(), r.Denom()).Int64()
}

// CheckFailure describes a failed check in one sentence, for annotations
// and JUnit: "error_rate is 10.77% (232 of 2,154 outbound texts) in the
// whole input, above the limit of 5.00%".
func CheckFailure(c check.Result) string {
	actual, limit := CheckValues(c)
	relation := "above the limit of"
	switch {
	case c.Level == check.LevelWarn && c.Comparison == ">=":
		relation = "below the warn level of"
	case c.Level == check.LevelWarn:
		relation = "above the warn level of"
	case c.Comparison == ">=":
		relation = "below the minimum of"
	}
	detail := ""
	switch {
	case c.IsChange():
		detail = " (" + changeText(c) + ")"
	case c.CI != nil:
		detail = fmt.Sprintf(" (%s interval %s, %s of %s outbound texts)", confidenceText(c.Confidence), intervalText(c), Count(c.Count), Count(c.Outbound))
	case !c.IsCount():
		detail = fmt.Sprintf(" (%s of %s outbound texts)", Count(c.Count), Count(c.Outbound))
	}
	where := "in the whole input"
	if c.Scope != check.ScopeAll {
		where = "in " + cleanScope(c.Scope)
	}
	return fmt.Sprintf("%s is %s%s %s, %s %s", c.Name, actual, detail, where, relation, limit)
}

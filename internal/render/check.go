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

func checkColumns() []Column {
	return []Column{{Title: "Check"}, {Title: "Scope"}, {Title: "Actual", Right: true}, {Title: "Limit", Right: true}, {Title: "Result"}}
}

// CheckTableOptions are the options of CheckTable.
type CheckTableOptions struct {
	// Color draws failed checks and a failed verdict in red, for a
	// terminal that shows colour.
	Color bool
}

// ANSI sequences that turn red on and all attributes off.
const (
	ansiRed   = "\x1b[31m"
	ansiReset = "\x1b[0m"
)

// CheckTable writes the checks, failures first, then one summary line
// ("2 of 7 checks failed.") and the groups that were skipped.
func CheckTable(w io.Writer, r *check.Report, opts CheckTableOptions) error {
	var table bytes.Buffer
	if err := Table(&table, Text, checkColumns(), checkRows(r.FailuresFirst(), "pass", "FAIL")); err != nil {
		return err
	}
	verdict := CheckVerdict(r) + "\n"
	if opts.Color {
		colorFailedRows(&table)
		if !r.Passed {
			verdict = ansiRed + CheckVerdict(r) + ansiReset + "\n"
		}
	}
	if _, err := io.Copy(w, &table); err != nil {
		return err
	}
	if _, err := io.WriteString(w, verdict); err != nil {
		return err
	}
	writeSkipped(w, r, func(s string) string { return s })
	return nil
}

// colorFailedRows paints red every row whose Result, the last column, is
// FAIL. The table is drawn first and painted after, so the escape
// sequences do not count in column widths (and cells from the export are
// sanitized before, colour is only added here). Only the last cell is
// looked at: a campaign id reading FAIL in the Scope column paints nothing.
func colorFailedRows(table *bytes.Buffer) {
	lines := strings.SplitAfter(table.String(), "\n")
	table.Reset()
	for _, line := range lines {
		if isFailedRow(line) {
			body := strings.TrimSuffix(line, "\n")
			line = ansiRed + body + ansiReset + line[len(body):]
		}
		table.WriteString(line)
	}
}

func isFailedRow(line string) bool {
	body := strings.TrimRight(line, "\n")
	border := "│"
	if !strings.HasSuffix(body, border) {
		return false
	}
	cells := strings.Split(strings.TrimSuffix(body, border), border)
	return strings.TrimSpace(cells[len(cells)-1]) == "FAIL"
}

// CheckMarkdown writes the Markdown report: a pass/fail headline, the
// checks table (failures first) and the skipped groups. It is also what is
// appended to GitHub's job summary.
func CheckMarkdown(w io.Writer, r *check.Report) error {
	headline := "✅ Spoke deliverability check passed"
	if !r.Passed {
		headline = "❌ Spoke deliverability check failed"
	}
	fmt.Fprintf(w, "## %s\n\n%s\n\n", headline, CheckVerdict(r))
	checks := r.FailuresFirst()
	rest := checks[min(len(checks), maxMarkdownChecks):]
	checks = checks[:len(checks)-len(rest)]
	if err := Table(w, Markdown, checkColumns(), checkRows(checks, "pass", "❌ FAIL")); err != nil {
		return err
	}
	if len(rest) > 0 {
		failed := 0
		for _, c := range rest {
			if !c.Passed {
				failed++
			}
		}
		fmt.Fprintf(w, "\n… and %s more checks (%s failed) not listed.\n", Count(int64(len(rest))), Count(int64(failed)))
	}
	if len(r.SkippedGroups) > 0 {
		fmt.Fprintln(w)
		writeSkipped(w, r, EscapeMarkdown)
	}
	return nil
}

// CheckVerdict is the one-line outcome: "2 of 7 checks failed." or
// "All 7 checks passed."
func CheckVerdict(r *check.Report) string {
	scope := ""
	if r.Step != "" {
		scope = fmt.Sprintf(" (%s texts only)", r.Step)
	}
	n := len(r.Checks)
	if failed := r.Failed(); failed > 0 {
		return fmt.Sprintf("%s of %s checks failed%s.", Count(int64(failed)), Count(int64(n)), scope)
	}
	if n == 1 {
		return fmt.Sprintf("The 1 check passed%s.", scope)
	}
	return fmt.Sprintf("All %s checks passed%s.", Count(int64(n)), scope)
}

func checkRows(checks []check.Result, pass, fail string) [][]string {
	rows := make([][]string, 0, len(checks))
	for _, c := range checks {
		actual, limit := CheckValues(c)
		result := pass
		if !c.Passed {
			result = fail
		}
		rows = append(rows, []string{c.Name, c.Scope, actual, c.Comparison + " " + limit, result})
	}
	return rows
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
	const maxDecimals = 10
	d := max(2, exactDecimals(percentOf(l), maxDecimals))
	for {
		actual, limit = formatPercent(a, d), formatPercent(l, d)
		if actual != limit || a.Cmp(l) == 0 || d >= maxDecimals {
			return actual, limit
		}
		d++
	}
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
	if c.Comparison == ">=" {
		relation = "below the minimum of"
	}
	detail := ""
	if !c.IsCount() {
		detail = fmt.Sprintf(" (%s of %s outbound texts)", Count(c.Count), Count(c.Outbound))
	}
	where := "in the whole input"
	if c.Scope != check.ScopeAll {
		where = "in " + cleanScope(c.Scope)
	}
	return fmt.Sprintf("%s is %s%s %s, %s %s", c.Name, actual, detail, where, relation, limit)
}

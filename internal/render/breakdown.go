package render

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spoke-status/spoke-status/internal/summary"
)

type section = func(io.Writer, *summary.Summary, SummaryOptions) error

// breakdownSections returns the sections for the breakdowns the summary
// holds: one per --by dimension, then links, replies, segments and
// signals.
func breakdownSections(s *summary.Summary) []section {
	var out []section
	for _, name := range s.GroupOrder {
		out = append(out, func(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
			return GroupTable(w, name, s.Groups[name], opts.Style)
		})
	}
	if s.Links != nil {
		out = append(out, writeLinks, writeDomains)
	}
	if s.Replies != nil {
		out = append(out, writeReplies)
	}
	if s.Segments != nil {
		out = append(out, writeSegments)
	}
	if s.Signals != nil {
		out = append(out, writeSignals)
	}
	return out
}

// dimensionTitle is the column title of a dimension's keys.
func dimensionTitle(name string) string { return summary.Title(name) }

// GroupTable writes the rows of one breakdown under a "By ..." heading.
// name is the dimension's name, "a,b" when nested. The error rate shows
// its 95% interval, which says how much a small group's rate means; in
// the Text style, day and hour breakdowns get bars of volume and error
// rate instead, which leave no room for it.
func GroupTable(w io.Writer, name string, rows []summary.GroupRow, style Style) error {
	parts := strings.Split(name, ",")
	titles := make([]string, len(parts))
	for i, p := range parts {
		titles[i] = dimensionTitle(p)
	}
	heading(w, style, "By "+strings.ToLower(strings.Join(titles, " and ")))
	if len(rows) == 0 {
		fmt.Fprintln(w, "No rows.")
		return nil
	}
	cols := make([]Column, 0, len(parts)+10)
	for _, t := range titles {
		cols = append(cols, Column{Title: t})
	}
	bars := style == Text && len(parts) == 1 && summary.IsTimeBucket(name)
	rateTitle := "Error rate (95% CI)" // the rate's cell: PercentWithInterval
	if bars {
		rateTitle = "Error rate" // Percent
	}
	cols = append(cols, Column{Title: "Outbound", Right: true, Figures: true}, Column{Title: "Delivered", Right: true, Figures: true},
		Column{Title: "Errored", Right: true, Figures: true}, Column{Title: rateTitle, Right: true, Figures: true},
		Column{Title: "Stuck", Right: true, Figures: true}, Column{Title: "Opt-out rej.", Right: true, Figures: true},
		Column{Title: "Top code"}, Column{Title: "Top category"})
	var scale barScale
	if bars {
		cols = append(cols, Column{Title: "Volume"}, Column{Title: "Errors"})
		scale = newBarScale(rows)
	}
	// Cells are made row by row: a broken export may have 100,000 groups.
	// The figures of a row are written into one buffer and made one
	// string (cut from a shared arena), cut into its cells, and the slice
	// of cells is reused (TableRows reads it before the next row).
	var (
		cells []string
		buf   []byte
		ends  [6]int
		arena stringArena
	)
	return TableRows(w, style, cols, len(rows), func(i int) []string {
		r := &rows[i]
		cells = keyCellsInto(cells[:0], parts, r)
		buf = appendCount(buf[:0], r.Outbound)
		ends[0] = len(buf)
		buf = appendCount(buf, r.Delivered)
		ends[1] = len(buf)
		buf = appendCount(buf, r.Errored)
		ends[2] = len(buf)
		if bars {
			buf = appendPercent(buf, r.ErrorRate)
		} else {
			buf = appendPercentWithInterval(buf, r.ErrorRate, r.ErrorRateCI)
		}
		ends[3] = len(buf)
		buf = appendCount(buf, r.SentStuck)
		ends[4] = len(buf)
		buf = appendCount(buf, r.OptOutRejections)
		ends[5] = len(buf)
		figures, from := arena.string(buf), 0
		for _, end := range ends {
			cells = append(cells, figures[from:end])
			from = end
		}
		cells = append(cells, topCodeLabel(r.TopCode, string(r.TopCategory)), string(r.TopCategory))
		if bars {
			cells = append(cells, scale.volume(*r), scale.errors(*r))
		}
		return cells
	})
}

// stringArena makes strings of bytes, copied into blocks of arenaBlock
// bytes shared by many strings: the figures of each row of a table of
// 100,000 groups, made twice (once to measure, once to write), were as
// many small objects to allocate. A strings.Builder only appends: a
// string cut from it is never written again, and a full block is left to
// the collector once no string of it is held.
type stringArena struct{ b strings.Builder }

// arenaBlock is the size of an arena's blocks (a few hundred rows).
const arenaBlock = 16 << 10

// string returns string(p).
func (a *stringArena) string(p []byte) string {
	if a.b.Cap()-a.b.Len() < len(p) {
		a.b.Reset()
		a.b.Grow(max(arenaBlock, len(p)))
	}
	at := a.b.Len()
	a.b.Write(p)
	return a.b.String()[at:]
}

// appendCount appends Count(n).
func appendCount(b []byte, n int64) []byte {
	if n < 0 {
		return append(b, Count(n)...)
	}
	var d [20]byte
	digits := strconv.AppendInt(d[:0], n, 10)
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return b
}

// appendPercent appends Percent(rate).
func appendPercent(b []byte, rate float64) []byte {
	return append(appendPercentDigits(b, rate), '%')
}

// appendPercentDigits appends Percent(rate) without its "%". A rate of 4
// decimals (summary.Round4, as every rate and interval is), k/10,000 for
// an integer k, is k/100 percent: its digits are written as integers.
// rate*100 is within a few units of the last place of k/100, far from
// where two decimals round otherwise while k is below 10^12; any other
// rate is formatted by strconv, as Percent does.
func appendPercentDigits(b []byte, rate float64) []byte {
	k := math.Round(rate * 1e4)
	if !(rate > 0 && k < 1e12 && k/1e4 == rate) {
		return strconv.AppendFloat(b, rate*100, 'f', 2, 64)
	}
	n := int64(k)
	b = strconv.AppendInt(b, n/100, 10)
	return append(b, '.', byte('0'+n/10%10), byte('0'+n%10))
}

// appendPercentWithInterval appends PercentWithInterval(rate, ci).
func appendPercentWithInterval(b []byte, rate float64, ci summary.Interval) []byte {
	b = appendPercent(b, rate)
	b = append(b, " ("...)
	b = appendPercentDigits(b, ci[0])
	b = append(b, "–"...)
	b = appendPercent(b, ci[1])
	return append(b, ')')
}

// PercentWithInterval formats a rate with its confidence interval:
// "9.64% (9.11–10.19%)".
func PercentWithInterval(rate float64, ci summary.Interval) string {
	return Percent(rate) + " (" + strings.TrimSuffix(Percent(ci[0]), "%") + "–" + Percent(ci[1]) + ")"
}

// keyCellsInto appends the key columns of a row to cells; the folded row
// says how many groups it holds.
func keyCellsInto(cells []string, parts []string, r *summary.GroupRow) []string {
	at := len(cells)
	cells = append(cells, make([]string, len(parts))...)
	if r.IsOther() {
		cells[at] = fmt.Sprintf("other (%s groups)", Count(int64(r.FoldedGroups)))
		return cells
	}
	key := cells[at:]
	for i := range parts {
		if i < len(r.Key) {
			key[i] = r.Key[i]
			if parts[i] == summary.DimFile {
				key[i] = displayPath(key[i])
			}
		}
	}
	return cells
}

// topCodeLabel shows the top code; "(none)" when the errors had no code,
// empty when nothing errored.
func topCodeLabel(code, category string) string {
	if category == "" {
		return ""
	}
	return codeLabel(code)
}

// barScale draws values as bars of eighth blocks, scaled to the largest
// value of the table so spikes stand out.
type barScale struct {
	maxOutbound int64
	maxRate     float64
}

const barWidth = 10

func newBarScale(rows []summary.GroupRow) barScale {
	var s barScale
	for _, r := range rows {
		if r.IsOther() {
			continue
		}
		s.maxOutbound = max(s.maxOutbound, r.Outbound)
		s.maxRate = max(s.maxRate, r.ErrorRate)
	}
	return s
}

func (s barScale) volume(r summary.GroupRow) string {
	if r.IsOther() || s.maxOutbound == 0 {
		return ""
	}
	return Bar(float64(r.Outbound)/float64(s.maxOutbound), barWidth)
}

func (s barScale) errors(r summary.GroupRow) string {
	if r.IsOther() || s.maxRate == 0 {
		return ""
	}
	return Bar(r.ErrorRate/s.maxRate, barWidth)
}

var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// Bar draws a fraction (0 to 1) as a bar of at most width cells in
// eighth blocks. A positive fraction always shows at least a sliver.
func Bar(frac float64, width int) string {
	if frac <= 0 {
		return ""
	}
	n := int(min(frac, 1)*float64(width*8) + 0.5)
	n = max(n, 1)
	return strings.Repeat("█", n/8) + eighths[n%8]
}

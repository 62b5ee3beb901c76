package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/render"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// Layouts of the day and hour group keys (summary's dimensions).
const (
	dayKeyLayout  = "2006-01-02"
	hourKeyLayout = "2006-01-02T15:00-07:00"
)

// maxFilledPeriods bounds the periods the volume chart draws, gaps
// included: a stray timestamp years off would otherwise ask for
// thousands of empty bars. Past it, only periods with texts are drawn.
const maxFilledPeriods = 400

// maxTickLabels is how many period labels fit under the chart.
const maxTickLabels = 6

// period is one group of the time dimension, its start parsed.
type period struct {
	start time.Time
	row   summary.GroupRow
}

// timeline is the day or hour breakdown chosen for the volume chart.
type timeline struct {
	hourly   bool
	periods  []period // with texts, in time order
	untimed  *summary.GroupRow
	loc      *time.Location
	unparsed int // keys that are not times (should not happen)
}

// chooseTimeline picks hours when the timestamps span less than
// HourlyUnder, else days.
func (b *builder) chooseTimeline() timeline {
	hours := b.parsePeriods(b.s.Groups[DimHour], hourKeyLayout)
	t := hours
	t.hourly = true
	if n := len(hours.periods); n > 0 && hours.periods[n-1].start.Sub(hours.periods[0].start) >= HourlyUnder {
		t = b.parsePeriods(b.s.Groups[DimDay], dayKeyLayout)
	}
	return t
}

func (b *builder) parsePeriods(rows []summary.GroupRow, layout string) timeline {
	t := timeline{loc: b.opts.Location}
	for i, r := range rows {
		key := r.Key.String()
		if key == summary.NoneKey {
			t.untimed = &rows[i]
			continue
		}
		start, err := time.ParseInLocation(layout, key, b.opts.Location)
		if err != nil {
			t.unparsed++
			continue
		}
		t.periods = append(t.periods, period{start: start, row: r})
	}
	return t
}

// next returns the start of the period after start.
func (t timeline) next(start time.Time) time.Time {
	if t.hourly {
		return start.Add(time.Hour)
	}
	y, m, d := start.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.loc)
}

// buckets lists the periods from the first to the last, those without
// texts included (so the time axis is even), unless there would be more
// than maxFilledPeriods.
func (t timeline) buckets(minOutbound int64) (bs []bucket, gapsFilled bool) {
	have := map[int64]summary.GroupRow{}
	for _, p := range t.periods {
		have[p.start.Unix()] = p.row
	}
	var starts []time.Time
	first, last := t.periods[0].start, t.periods[len(t.periods)-1].start
	for s := first; !s.After(last) && len(starts) <= maxFilledPeriods; s = t.next(s) {
		starts = append(starts, s)
	}
	gapsFilled = len(starts) <= maxFilledPeriods
	if !gapsFilled {
		starts = starts[:0]
		for _, p := range t.periods {
			starts = append(starts, p.start)
		}
	}
	step := (len(starts) + maxTickLabels - 1) / maxTickLabels
	for i, s := range starts {
		bk := bucket{empty: true}
		if r, ok := have[s.Unix()]; ok && r.Outbound > 0 {
			bk = bucket{
				delivered: float64(r.Delivered), errored: float64(r.Errored),
				other:     float64(r.Outbound - r.Delivered - r.Errored),
				errorRate: r.ErrorRate,
				thin:      r.Outbound < minOutbound,
			}
		}
		if i%step == 0 {
			bk.label = t.tickLabel(s)
		}
		bs = append(bs, bk)
	}
	return bs, gapsFilled
}

func (t timeline) tickLabel(s time.Time) string {
	if t.hourly {
		return s.Format("Jan 2\n15:04")
	}
	return s.Format("Jan 2")
}

// rowLabel names a period in the table.
func (t timeline) rowLabel(s time.Time) string {
	if !t.hourly {
		return s.Format("2006-01-02 (Mon)")
	}
	if t.loc == time.UTC {
		return s.Format("2006-01-02 15:04")
	}
	return s.Format("2006-01-02 15:04 -07:00")
}

func (t timeline) unit() string {
	if t.hourly {
		return "hour"
	}
	return "day"
}

func (b *builder) volume() (Section, error) {
	sec := Section{ID: "volume", Heading: "Volume and error rate over time"}
	t := b.chooseTimeline()
	if len(t.periods) == 0 {
		sec.Note = "The inputs carry no send times (Spoke Rewired v3.14 to v4.18 wrote none), so there is nothing to draw over time."
		if b.s.Totals.Rows == 0 {
			sec.Note = "The inputs hold no texts."
		}
		return sec, nil
	}
	unit := t.unit()
	sec.Intro = fmt.Sprintf("Outbound texts per %s by outcome, and the share that errored; times in %s. A spike in the error rate often points at one evening's carrier filtering or one bad batch.", unit, t.loc)
	bs, filled := t.buckets(b.opts.MinOutbound)
	var worst *period
	thin := 0
	for i, p := range t.periods {
		if p.row.Outbound > 0 && p.row.Outbound < b.opts.MinOutbound {
			thin++
			continue
		}
		if p.row.Outbound > 0 && (worst == nil || p.row.ErrorRate > worst.row.ErrorRate) {
			worst = &t.periods[i]
		}
	}
	desc := fmt.Sprintf("Two panels over %d %ss: texts sent per %s, stacked by outcome, and the error rate.", len(bs), unit, unit)
	if worst != nil {
		desc += fmt.Sprintf(" The highest error rate of %s with at least %s texts was %s, %s.", article(unit), render.Count(b.opts.MinOutbound), render.Percent(worst.row.ErrorRate), t.rowLabel(worst.start))
	}
	desc += " The table below gives the same numbers."
	chart, err := volumeChart("chart-volume", "Outbound texts and error rate per "+unit, desc, unit, bs)
	if err != nil {
		return sec, err
	}
	sec.Chart = &chart
	var notes []string
	if !filled {
		notes = append(notes, fmt.Sprintf("The texts span more than %d %ss, so only the %ss with texts are drawn.", maxFilledPeriods, unit, unit))
	}
	if thin > 0 {
		notes = append(notes, fmt.Sprintf("%s with fewer than %s texts %s their error rate drawn as a grey point off the line (hidden when above it): over a few texts the rate is mostly chance.",
			capital(plural(thin, unit)), render.Count(b.opts.MinOutbound), have(thin)))
	}
	if t.untimed != nil {
		notes = append(notes, fmt.Sprintf("%s rows have no send time and are left out of the chart (last row of the table).", render.Count(t.untimed.Tally.Rows)))
	}
	sec.Note = strings.Join(notes, " ")
	sec.Tables = []Table{b.volumeTable(t)}
	return sec, nil
}

func (b *builder) volumeTable(t timeline) Table {
	unit := t.unit()
	tbl := Table{
		Caption: fmt.Sprintf("Outbound texts per %s (%ss without texts left out)", unit, unit),
		Columns: []Column{
			{Title: strings.ToUpper(unit[:1]) + unit[1:]}, {Title: "Outbound", Numeric: true}, {Title: "Delivered", Numeric: true},
			{Title: "Errored", Numeric: true}, {Title: "Error rate", Numeric: true}, {Title: "Other", Numeric: true}, {Title: "Stuck SENT", Numeric: true},
		},
	}
	row := func(label string, r summary.GroupRow, strong bool) []Cell {
		return []Cell{{Text: label, Strong: strong}, count(r.Outbound), count(r.Delivered), count(r.Errored), percent(r.ErrorRate),
			count(r.Outbound - r.Delivered - r.Errored), count(r.SentStuck)}
	}
	for _, p := range t.periods {
		if p.row.Outbound > 0 {
			tbl.Rows = append(tbl.Rows, row(t.rowLabel(p.start), p.row, false))
		}
	}
	if t.untimed != nil && t.untimed.Outbound > 0 {
		tbl.Rows = append(tbl.Rows, row("(no send time)", *t.untimed, true))
	}
	return tbl
}

func have(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

// article writes "an hour", "a day".
func article(unit string) string {
	if unit == "hour" {
		return "an hour"
	}
	return "a " + unit
}

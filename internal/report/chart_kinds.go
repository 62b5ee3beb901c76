package report

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spoke-status/spoke-status/internal/render"
)

// bars describes a horizontal bar chart: one bar per label, top to
// bottom, each labeled with its value at its end.
type bars struct {
	labels []string
	values []float64
	// highlight marks bars drawn in the highlight color (e.g. link
	// shorteners), named in the legend by legend[1]; the others are
	// legend[0]. Nil: every bar in the bar color, no legend.
	highlight []bool
	legend    [2]string
	// roles colors each bar by what it stands for (outcomes); nil: the
	// bar color (or highlight). Each bar is labeled, so color is never the
	// only clue.
	roles   []role
	percent bool   // values are fractions, shown as percentages
	axis    string // the value axis label
}

// barChart draws b.
func barChart(id, title, desc string, b bars) (Chart, error) {
	n := len(b.labels)
	if n == 0 || n != len(b.values) {
		return Chart{}, fmt.Errorf("report: chart %q has %d labels and %d values", title, n, len(b.values))
	}
	p := newPlot()
	names := make([]string, n)
	maxValue := 0.0
	// One bar series per color, each with zeros at the others' bars.
	series := map[role]plotter.Values{}
	var order []role
	for i := range n {
		j := n - 1 - i // gonum puts the first category at the bottom
		names[j] = cut(b.labels[i])
		r := b.barRole(i)
		if _, ok := series[r]; !ok {
			series[r] = make(plotter.Values, n)
			order = append(order, r)
		}
		series[r][j] = b.values[i]
		maxValue = math.Max(maxValue, b.values[i])
	}
	p.Add(gridLines(true))
	if b.highlight != nil {
		// Both series are in the legend, in a fixed order, even if one
		// has no bar.
		order = []role{roleBar, roleHighlight}
		for _, r := range order {
			if series[r] == nil {
				series[r] = make(plotter.Values, n)
			}
		}
	}
	width := barPitch * 0.7
	for k, r := range order {
		bc, err := plotter.NewBarChart(series[r], width)
		if err != nil {
			return Chart{}, err
		}
		bc.Horizontal, bc.Color, bc.LineStyle.Width = true, r.color(), 0
		p.Add(bc)
		if b.highlight != nil {
			p.Legend.Add(b.legend[k], bc)
		}
	}
	if b.highlight != nil {
		p.Legend.Top = true
		p.Legend.YOffs = vg.Length(2)
	}
	if err := addValueLabels(p, b, maxValue); err != nil {
		return Chart{}, err
	}
	p.NominalY(names...)
	// One slot per bar; with a legend, two empty slots above the bars hold it.
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	if b.highlight != nil {
		p.Y.Max += legendSlots
	}
	p.X.Label.Text = b.axis
	p.X.Min = 0
	p.X.Max = niceMax(maxValue, b.percent) * labelRoom(names, b)
	p.X.Tick.Marker = valueTicks(b.percent)
	h := barFrame + barPitch*vg.Length(n)
	if b.highlight != nil {
		h += barPitch * legendSlots
	}
	return drawSVG(id, title, desc, chartWidth, h, func(c draw.Canvas) { p.Draw(c) })
}

// labelRoom is how much the value axis must reach past the longest bar
// for the value labels to fit in the chart: the widest label's share of
// the data area, which is the chart less the category labels and about
// 24 units of axis and margin.
func labelRoom(names []string, b bars) float64 {
	face := font.DefaultCache.Lookup(chartFont(tickSize), tickSize)
	var nameW, valueW vg.Length
	for _, n := range names {
		nameW = max(nameW, face.Width(n))
	}
	for _, v := range b.values {
		valueW = max(valueW, face.Width(barValue(v, b.percent)))
	}
	data := chartWidth - nameW - 24
	if data <= 0 {
		return 1.18
	}
	share := float64(valueW+8) / float64(data)
	return max(1.18, 1/(1-min(share, 0.6)))
}

// barRole is the color of bar i.
func (b bars) barRole(i int) role {
	switch {
	case b.roles != nil:
		return b.roles[i]
	case b.highlight != nil && b.highlight[i]:
		return roleHighlight
	}
	return roleBar
}

// legendSlots is the room, in bars, the legend takes above the bars.
const legendSlots = 2

// addValueLabels writes each bar's value just past its end.
func addValueLabels(p *plot.Plot, b bars, maxValue float64) error {
	n := len(b.values)
	xys := make(plotter.XYs, n)
	texts := make([]string, n)
	for i, v := range b.values {
		xys[i] = plotter.XY{X: v, Y: float64(n - 1 - i)}
		texts[i] = barValue(v, b.percent)
	}
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].Font = chartFont(tickSize)
		labels.TextStyle[i].Color = roleInk.color()
		labels.TextStyle[i].YAlign = draw.YCenter
	}
	labels.Offset = vg.Point{X: 3}
	p.Add(labels)
	return nil
}

// barValue writes a bar's value as the table below the chart does.
func barValue(v float64, percent bool) string {
	if percent {
		return render.Percent(v)
	}
	return render.Count(int64(v))
}

// niceMax is the top of a value axis: at least the largest value, and
// never zero (an axis from 0 to 0 cannot be drawn).
func niceMax(v float64, percent bool) float64 {
	switch {
	case v > 0:
		return v
	case percent:
		return 0.01
	}
	return 1
}

// bucket is one period of the volume chart.
type bucket struct {
	label                     string // axis label; "" for an unlabeled tick
	delivered, errored, other float64
	errorRate                 float64
	empty                     bool // no outbound text: no error rate point
	// thin: too few texts for the error rate to mean much; its point is
	// greyed, off the line, and hidden when above the line's range.
	thin bool
}

// volumeChart draws two aligned panels over the same periods: outbound
// texts stacked by outcome, and the error rate.
func volumeChart(id, title, desc, period string, bs []bucket) (Chart, error) {
	if len(bs) == 0 {
		return Chart{}, fmt.Errorf("report: chart %q has no periods", title)
	}
	volume, err := volumePanel(bs, period)
	if err != nil {
		return Chart{}, err
	}
	rate, err := ratePanel(bs)
	if err != nil {
		return Chart{}, err
	}
	const h = vg.Length(360)
	return drawSVG(id, title, desc, chartWidth, h, func(c draw.Canvas) {
		plots := [][]*plot.Plot{{volume}, {rate}}
		tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Length(8), PadTop: 2, PadBottom: 2, PadLeft: 2, PadRight: 6}
		canvases := plot.Align(plots, tiles, c)
		volume.Draw(canvases[0][0])
		rate.Draw(canvases[1][0])
	})
}

func periodTicks(bs []bucket) []string {
	names := make([]string, len(bs))
	for i, b := range bs {
		names[i] = b.label
	}
	return names
}

func volumePanel(bs []bucket, period string) (*plot.Plot, error) {
	p := newPlot()
	series := []struct {
		name  string
		r     role
		value func(bucket) float64
	}{
		{"delivered", roleDelivered, func(b bucket) float64 { return b.delivered }},
		{"errored", roleErrored, func(b bucket) float64 { return b.errored }},
		{"other (sent, queued...)", roleOther, func(b bucket) float64 { return b.other }},
	}
	// Bars fill 80% of their slot of the data area (the chart less its
	// axis, about 60pt), 1 to 14pt wide.
	width := vg.Length(math.Max(1, math.Min(14, float64(chartWidth-60)/float64(len(bs))*0.8)))
	var below *plotter.BarChart
	p.Add(gridLines(false))
	for _, s := range series {
		vs := make(plotter.Values, len(bs))
		for i, b := range bs {
			vs[i] = s.value(b)
		}
		bc, err := plotter.NewBarChart(vs, width)
		if err != nil {
			return nil, err
		}
		bc.Color, bc.LineStyle.Width = s.r.color(), 0
		if below != nil {
			bc.StackOn(below)
		}
		below = bc
		p.Add(bc)
		p.Legend.Add(s.name, bc)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = 4
	p.NominalX(periodTicks(bs)...)
	p.X.Min, p.X.Max = -0.5, float64(len(bs))-0.5
	p.Y.Label.Text = "texts per " + period
	p.Y.Min = 0
	// Room above the tallest bar for the legend.
	p.Y.Max *= 1.35
	if p.Y.Max <= 0 {
		p.Y.Max = 1
	}
	p.Y.Tick.Marker = valueTicks(false)
	return p, nil
}

func ratePanel(bs []bucket) (*plot.Plot, error) {
	p := newPlot()
	var solid, thin plotter.XYs
	maxRate := 0.0
	for i, b := range bs {
		switch {
		case b.empty:
		case b.thin:
			thin = append(thin, plotter.XY{X: float64(i), Y: b.errorRate})
		default:
			solid = append(solid, plotter.XY{X: float64(i), Y: b.errorRate})
			maxRate = math.Max(maxRate, b.errorRate)
		}
	}
	if len(solid) == 0 {
		// Every period is thin: draw them all, greyed, on their own scale.
		for _, pt := range thin {
			maxRate = math.Max(maxRate, pt.Y)
		}
	}
	top := niceMax(maxRate, true) * 1.1
	p.Add(gridLines(false))
	if len(solid) > 0 {
		line, points, err := plotter.NewLinePoints(solid)
		if err != nil {
			return nil, err
		}
		line.Color, line.Width = roleLine.color(), vg.Points(1.5)
		points.Color, points.Radius = roleLine.color(), vg.Points(1.8)
		p.Add(line, points)
	}
	thin = slices.DeleteFunc(thin, func(pt plotter.XY) bool { return pt.Y > top })
	if len(thin) > 0 {
		points, err := plotter.NewScatter(thin)
		if err != nil {
			return nil, err
		}
		points.Color, points.Radius = roleThin.color(), vg.Points(1.5)
		points.Shape = draw.CircleGlyph{}
		p.Add(points)
	}
	p.NominalX(periodTicks(bs)...)
	p.X.Min, p.X.Max = -0.5, float64(len(bs))-0.5
	p.Y.Label.Text = "error rate"
	p.Y.Min = 0
	p.Y.Max = top
	p.Y.Tick.Marker = valueTicks(true)
	return p, nil
}

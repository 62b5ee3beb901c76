package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"regexp"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/spoke-status/spoke-status/internal/render"
)

// Chart is one figure of the report: an inline SVG drawn by gonum/plot,
// with a title and a text alternative for screen readers.
type Chart struct {
	ID    string // unique within the page, e.g. "chart-volume"
	Title string
	Desc  string
	SVG   template.HTML
}

// role is what a color means in a chart. Charts are drawn with one
// sentinel color per role, which inline() swaps for a CSS variable, so
// the page's stylesheet picks the colors for light, dark and print.
type role int

const (
	roleInk role = iota
	roleGrid
	roleDelivered
	roleErrored
	roleOther
	roleBar
	roleHighlight
	roleLine
	roleStuck
	rolePending
	roleThin // error-rate points of periods with too few texts
)

// roles lists each role's sentinel color (never used for anything else)
// and the CSS variable that replaces it.
var roles = [...]struct {
	sentinel color.RGBA
	cssVar   string
}{
	roleInk:       {color.RGBA{0x01, 0x02, 0x03, 0xff}, "--chart-ink"},
	roleGrid:      {color.RGBA{0x01, 0x02, 0x04, 0xff}, "--chart-grid"},
	roleDelivered: {color.RGBA{0x01, 0x02, 0x05, 0xff}, "--chart-delivered"},
	roleErrored:   {color.RGBA{0x01, 0x02, 0x06, 0xff}, "--chart-errored"},
	roleOther:     {color.RGBA{0x01, 0x02, 0x07, 0xff}, "--chart-other"},
	roleBar:       {color.RGBA{0x01, 0x02, 0x08, 0xff}, "--chart-bar"},
	roleHighlight: {color.RGBA{0x01, 0x02, 0x09, 0xff}, "--chart-highlight"},
	roleLine:      {color.RGBA{0x01, 0x02, 0x0a, 0xff}, "--chart-line"},
	roleStuck:     {color.RGBA{0x01, 0x02, 0x0b, 0xff}, "--chart-stuck"},
	rolePending:   {color.RGBA{0x01, 0x02, 0x0c, 0xff}, "--chart-pending"},
	roleThin:      {color.RGBA{0x01, 0x02, 0x0d, 0xff}, "--chart-thin"},
}

func (r role) color() color.Color { return roles[r].sentinel }

// colorVars replaces every sentinel color, as vgsvg writes it, with its
// CSS variable.
var colorVars = func() *strings.Replacer {
	var pairs []string
	for _, r := range roles {
		pairs = append(pairs, svgColor(r.sentinel), "var("+r.cssVar+")")
	}
	return strings.NewReplacer(pairs...)
}()

// svgColor formats a color as vgsvg does ("#RRGGBB", upper case).
func svgColor(c color.Color) string {
	r, g, b, a16 := c.RGBA()
	a := 255.0 / float64(a16)
	return fmt.Sprintf("#%02X%02X%02X", int(float64(r)*a), int(float64(g)*a), int(float64(b)*a))
}

// Chart geometry, in SVG units (vgsvg writes points as user units). The
// SVG scales to its container, at most 480 CSS pixels wide (1.6 times)
// and on a 390-pixel phone about 358 (1.19 times), where 9-unit labels are
// still 10.7 pixels high.
const (
	chartWidth = vg.Length(300)
	barPitch   = vg.Length(17) // height per bar of a horizontal bar chart
	barFrame   = vg.Length(50) // axis and margins of a horizontal bar chart
	tickSize   = 9
	labelSize  = 10
	maxLabel   = 30 // characters of a category label before it is cut
)

// chartFont is Liberation Sans, bundled with gonum/plot (so text is
// measured offline) and metric-compatible with Arial and Helvetica, which
// the page names as fallbacks: the SVG embeds no font.
func chartFont(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// newPlot returns a plot styled for the report: no background (the page
// provides it), the report's font, ink-colored axes.
func newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Color = roleInk.color()
		ax.Label.TextStyle.Color = roleInk.color()
		ax.Label.TextStyle.Font = chartFont(labelSize)
		ax.Tick.Label.Color = roleInk.color()
		ax.Tick.Label.Font = chartFont(tickSize)
		ax.Tick.Color = roleInk.color()
	}
	p.Legend.TextStyle.Color = roleInk.color()
	p.Legend.TextStyle.Font = chartFont(labelSize)
	return p
}

// valueTicks labels a value axis as counts ("12,500") or percentages
// ("12.5%"), on gonum's default tick positions.
func valueTicks(percent bool) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		ticks := plot.DefaultTicks{}.Ticks(lo, hi)
		for i := range ticks {
			if ticks[i].Label == "" {
				continue
			}
			ticks[i].Label = formatValue(ticks[i].Value, percent)
		}
		return ticks
	})
}

// formatValue writes an axis or bar value: a fraction as a percentage
// (without needless decimals), else a count.
func formatValue(v float64, percent bool) string {
	if percent {
		s := fmt.Sprintf("%.2f", v*100)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		return s + "%"
	}
	if v == math.Trunc(v) {
		return render.Count(int64(v))
	}
	return fmt.Sprintf("%.2f", v)
}

// gridLines draws light lines at the value ticks, across the bars.
func gridLines(vertical bool) *plotter.Grid {
	g := plotter.NewGrid()
	g.Horizontal.Color = roleGrid.color()
	g.Vertical.Color = roleGrid.color()
	g.Horizontal.Width, g.Vertical.Width = vg.Points(0.5), vg.Points(0.5)
	if vertical {
		g.Horizontal.Color = nil
	} else {
		g.Vertical.Color = nil
	}
	return g
}

// svgOpen matches the root element vgsvg writes (after its XML prolog).
var (
	svgOpen = regexp.MustCompile(`(?s)<svg\s[^>]*>`)
	viewBox = regexp.MustCompile(`viewBox="([0-9. ]+)"`)
)

// drawSVG draws a chart of size w×h and returns it ready to inline in
// HTML. gonum/plot panics on some inputs; a panic becomes an error.
func drawSVG(id, title, desc string, w, h vg.Length, paint func(draw.Canvas)) (c Chart, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("report: drawing chart %q: %v", title, r)
		}
	}()
	canvas := vgsvg.NewWith(vgsvg.UseWH(w, h))
	paint(draw.New(canvas))
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return Chart{}, err
	}
	svg, err := inline(buf.String(), id, title, desc)
	if err != nil {
		return Chart{}, err
	}
	return Chart{ID: id, Title: title, Desc: desc, SVG: svg}, nil
}

// hatchDefs is the pattern errored texts are filled with (%s: the chart's
// id), so that they differ from delivered ones by more than color.
const hatchDefs = `<defs><pattern id="%s-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
	`<rect width="4" height="4" style="fill:var(--chart-errored)"/><rect width="1.4" height="4" style="fill:var(--chart-hatch)"/></pattern></defs>` + "\n"

// inline turns a standalone SVG document into an element for an HTML
// page: no XML prolog, a scalable root (viewBox only, sized by CSS) that
// is announced as one image with its title and description, and colors
// taken from CSS variables.
//
// The result is trusted HTML: vgsvg escapes every text it draws
// (html.EscapeString), and the title and description are escaped here.
func inline(doc, id, title, desc string) (template.HTML, error) {
	loc := svgOpen.FindStringIndex(doc)
	if loc == nil {
		return "", fmt.Errorf("report: chart %q: no <svg> element in the drawing", title)
	}
	box := viewBox.FindStringSubmatch(doc[loc[0]:loc[1]])
	if box == nil {
		return "", fmt.Errorf("report: chart %q: the drawing has no viewBox", title)
	}
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart-svg" viewBox="%s" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="%s-title" aria-describedby="%s-desc" focusable="false">`,
		box[1], id, id)
	fmt.Fprintf(&b, "\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, esc(title), id, esc(desc))
	fmt.Fprintf(&b, hatchDefs, id)
	body := colorVars.Replace(doc[loc[1]:])
	body = strings.ReplaceAll(body, "fill:var(--chart-errored)", "fill:url(#"+id+"-hatch)")
	b.WriteString(body)
	return template.HTML(strings.TrimSpace(b.String())), nil
}

// cut shortens a label for a chart axis; the table has it whole.
func cut(s string) string {
	r := []rune(s)
	if len(r) <= maxLabel {
		return s
	}
	return string(r[:maxLabel-1]) + "…"
}

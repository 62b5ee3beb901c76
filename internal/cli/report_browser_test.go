package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/spoke-status/spoke-status/internal/report"
	"github.com/spoke-status/spoke-status/internal/signals"
)

// measureReport is evaluated in the page after it loads: what the reader
// would see of each chart, and what the page loaded.
const measureReport = `JSON.stringify({
  charts: [...document.querySelectorAll('figure.chart > svg')].map(s => {
    const r = s.getBoundingClientRect();
    const title = document.getElementById(s.getAttribute('aria-labelledby'));
    const text = s.querySelector('text');
    return {
      id: s.parentElement.id, width: r.width, height: r.height,
      title: title ? title.textContent : '',
      desc: (document.getElementById(s.getAttribute('aria-describedby')) || {}).textContent || '',
      ink: text ? getComputedStyle(text).fill : '',
      font: text ? getComputedStyle(text).fontFamily : '',
      shapes: s.querySelectorAll('path').length,
    };
  }),
  // Blocks whose content is wider than their box, and that do not scroll
  // it into view: clipped or drawn over their neighbours.
  overflows: [...document.body.querySelectorAll('*')].filter(e => {
    if (e.closest('svg') || e.clientWidth === 0) return false;
    const ox = getComputedStyle(e).overflowX;
    return e.scrollWidth > e.clientWidth + 1 && ox !== 'auto' && ox !== 'scroll';
  }).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') +
    ' (' + e.scrollWidth + ' in ' + e.clientWidth + 'px): ' + e.textContent.trim().slice(0, 60)),
  // The smallest chart text as drawn on the screen, in CSS pixels.
  minChartText: Math.min(...[...document.querySelectorAll('figure.chart svg text')].map(t =>
    parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b))),
  sections: [...document.querySelectorAll('main > section')].map(s => s.id),
  background: getComputedStyle(document.body).backgroundColor,
  pageWidth: document.documentElement.scrollWidth,
  viewWidth: window.innerWidth,
  resources: performance.getEntriesByType('resource').length,
  scripts: document.scripts.length,
  text: document.body.innerText,
})`

type reportMeasure struct {
	Charts []struct {
		ID, Title, Desc, Ink, Font string
		Width, Height              float64
		Shapes                     int
	}
	Overflows    []string
	MinChartText float64
	Sections     []string
	Background   string
	PageWidth    float64
	ViewWidth    float64
	Resources    int
	Scripts      int
	Text         string
}

// TestReportInBrowser opens reports in headless Chromium, as a reader
// would, on a desktop in light and dark, on a phone and in print: the
// page must load nothing, log no error, draw every chart at a visible
// size with the scheme's colors, and fit the phone's width. Screenshots
// go to $SPOKE_STATUS_SCREENSHOTS when set (to look at them), else to a
// temporary directory.
func TestReportInBrowser(t *testing.T) {
	t.Parallel()
	chromium, err := findChromium()
	if err != nil {
		t.Skipf("Chromium is not installed, so the report cannot be checked in a browser (%v). Install Debian's chromium package (apt-get install chromium), as .ci/run does, or set SPOKE_STATUS_CHROMIUM.", err)
	}
	// Each page gets its own deadline: on a loaded machine, or under the
	// race detector, a dozen pages share no fixed budget well.
	ctx := func(t *testing.T) context.Context {
		c, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		t.Cleanup(cancel)
		return c
	}
	shots := os.Getenv("SPOKE_STATUS_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	example := reportPath(t, "--title", "Example campaign", repoFile("example-messages.csv"))
	hostile := reportPath(t, "--min-outbound", "1", writeTemp(t, "hostile.csv", hostileExport))
	b := startBrowser(t, chromium)

	t.Run("harness sees errors", func(t *testing.T) {
		// The checks below are only worth something if a broken page fails them.
		bad := writeTemp(t, "bad.html", `<!DOCTYPE html><title>bad</title><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>`)
		v, err := b.visit(ctx(t), "file://"+bad, pageView{width: 800, height: 600, scheme: "light"}, `JSON.stringify({})`)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(v.problems, "\n")
		if !strings.Contains(got, "console.error") || !strings.Contains(got, "http://127.0.0.1:9/x.png") {
			t.Errorf("a page with a console error and an outside image gave problems:\n%s", got)
		}
	})

	for _, view := range []pageView{
		{name: "desktop-light", width: 1280, height: 900, scheme: "light"},
		{name: "desktop-dark", width: 1280, height: 900, scheme: "dark"},
		{name: "laptop-light", width: 1024, height: 768, scheme: "light"},
		{name: "phone-light", width: 390, height: 844, mobile: true, scheme: "light"},
		{name: "phone-dark", width: 390, height: 844, mobile: true, scheme: "dark"},
		{name: "print", width: 794, height: 1123, scheme: "dark", media: "print"},
	} {
		t.Run(view.name, func(t *testing.T) {
			m, v := visitReport(ctx(t), t, b, example, view, filepath.Join(shots, "report-"+view.name+".png"))
			checkCharts(t, m, 8)
			wantBackground, wantInk := "rgb(255, 255, 255)", "rgb(48, 52, 58)"
			switch {
			case view.media == "print":
				wantInk = "rgb(0, 0, 0)" // print is black on white, whatever the scheme
			case view.scheme == "dark":
				wantBackground, wantInk = "rgb(18, 20, 23)", "rgb(207, 211, 217)"
			}
			if m.Background != wantBackground {
				t.Errorf("background %s, want %s", m.Background, wantBackground)
			}
			for _, c := range m.Charts {
				if c.Ink != wantInk {
					t.Errorf("%s: text drawn in %s, want %s", c.ID, c.Ink, wantInk)
				}
			}
			checkLayout(t, m, view)
			checkSections(t, m, "signals", "steps", "segments", "campaigns", "sending-numbers", "links")
			checkScreenshot(t, v.screenshot, view.width)
		})
	}

	// A page of large figures (ten-digit counts, a cost, signals, texters)
	// must fit every width from a small phone up.
	large := largeReport(t)
	for _, view := range []pageView{
		{name: "large-1280", width: 1280, height: 900, scheme: "light"},
		{name: "large-1024", width: 1024, height: 768, scheme: "light"},
		{name: "large-390", width: 390, height: 844, mobile: true, scheme: "light"},
		{name: "large-320", width: 320, height: 640, mobile: true, scheme: "dark"},
	} {
		t.Run(view.name, func(t *testing.T) {
			m, v := visitReport(ctx(t), t, b, large, view, filepath.Join(shots, "report-"+view.name+".png"))
			checkCharts(t, m, 9)
			checkLayout(t, m, view)
			checkSections(t, m, "signals", "steps", "segments", "texters")
			for _, shown := range []string{"1,032,627,000", "Link domain promo.example.net", "Landline or unsupported", "Don't text again", "texter 1"} {
				if !strings.Contains(m.Text, shown) {
					t.Errorf("the page does not show %q", shown)
				}
			}
			checkScreenshot(t, v.screenshot, view.width)
		})
	}

	t.Run("hostile export", func(t *testing.T) {
		m, _ := visitReport(ctx(t), t, b, hostile, pageView{width: 1280, height: 900, scheme: "light"}, filepath.Join(shots, "report-hostile.png"))
		checkCharts(t, m, 8)
		for _, shown := range []string{"<script>console.error('campaign')</script>", "<img src=x onerror=console.error('number')>"} {
			if !strings.Contains(m.Text, shown) {
				t.Errorf("the page does not show %q as text", shown)
			}
		}
	})
}

// checkLayout wants nothing wider than its box unless the box scrolls,
// the page no wider than the window, and on a phone chart text of 10
// pixels or more.
func checkLayout(t *testing.T, m reportMeasure, view pageView) {
	t.Helper()
	for _, o := range m.Overflows {
		if view.media != "print" {
			t.Errorf("at %dpx, content wider than its box: %s", view.width, o)
		}
	}
	if m.PageWidth > m.ViewWidth {
		t.Errorf("page is %vpx wide in a %vpx window: readers must scroll sideways", m.PageWidth, m.ViewWidth)
	}
	if view.width >= 390 && view.media != "print" && m.MinChartText < 10 {
		t.Errorf("at %dpx the smallest chart text is %.1fpx, want 10 or more", view.width, m.MinChartText)
	}
}

// checkSections wants each section present.
func checkSections(t *testing.T, m reportMeasure, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if !slices.Contains(m.Sections, id) {
			t.Errorf("no section %q in %v", id, m.Sections)
		}
	}
}

// largeReport writes the report of the rewired fixture with its figures
// scaled to a 900,000-contact campaign and two signals, as report --texters
// --redact --price-per-segment would.
func largeReport(t *testing.T) string {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Version: testVersion, Now: func() time.Time { return testNow }}.withDefaults()
	opts := &ReportOptions{Texters: true, PricePerSegment: 0.0079}
	opts.Read.AddFlags(nil, pflag.NewFlagSet("report", pflag.ContinueOnError)) // the flags' defaults
	s, err := reportSummary(env, opts, []string{repoFile("example-messages.csv")}, time.UTC)
	if err != nil {
		t.Fatalf("%v: %s", err, errb.String())
	}
	redactSummary(s)
	const scale = 1_000_000 / 2
	s.Totals.Rows *= scale
	s.Totals.Outbound = 1_032_627_000
	s.Outbound.Delivered, s.Outbound.Errored, s.Outbound.SentStuck = 987_654_321, 40_123_456, 4_849_223
	s.Outbound.OptOutRejections = 1_234_567
	s.Inbound.Replies, s.Inbound.OptOutReplies = 180_542_000, 9_876_543
	s.Segments.Cost.Estimated = 12_345_678.9
	s.Signals = []signals.Signal{
		{Kind: signals.KindSilentFiltering, Dimension: signals.DimensionLinkDomain, Key: "promo.example.net", DeliveredContacts: 123_456, Replied: 1_234,
			ReplyRate: 0.01, BaselineReplyRate: 0.081, PValue: 1e-12, Explanation: "123456 contacts whose initial text was DELIVERED replied at 1.0%, against 8.1% for the rest of the export (about 1 in 8 of the expected replies; adjusted p = 1e-12). This is a heuristic."},
		{Kind: signals.KindSilentFiltering, Dimension: signals.DimensionSendingNumber, Key: "+15555550100", DeliveredContacts: 98_765, Replied: 2_000,
			ReplyRate: 0.02, BaselineReplyRate: 0.081, PValue: 1e-9, Explanation: "Rotate this sending number out."},
	}
	page, err := report.Build(s, report.Options{Redact: true, Texters: true, MinOutbound: 10})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "large.html")
	var buf bytes.Buffer
	if err := page.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func reportPath(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.html")
	if r := run(t, nil, append([]string{"report", "-o", out}, args...)...); r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	return out
}

// visitReport opens a report, fails the test on any problem the browser
// reports, saves the screenshot and returns the measures.
func visitReport(ctx context.Context, t *testing.T, b *browser, path string, view pageView, shot string) (reportMeasure, *pageVisit) {
	t.Helper()
	v, err := b.visit(ctx, "file://"+path, view, measureReport)
	if err != nil {
		t.Fatalf("%v\nbrowser stderr:\n%s", err, b.stderr.String())
	}
	for _, p := range v.problems {
		t.Errorf("browser: %s", p)
	}
	if err := os.WriteFile(shot, v.screenshot, 0o644); err != nil {
		t.Fatal(err)
	}
	var m reportMeasure
	if err := json.Unmarshal(v.measure, &m); err != nil {
		t.Fatalf("measures %s: %v", v.measure, err)
	}
	if m.Resources != 0 || m.Scripts != 0 {
		t.Errorf("the page loaded %d resources and has %d scripts, want none", m.Resources, m.Scripts)
	}
	return m, v
}

// checkCharts wants n charts, each drawn at a readable size with shapes,
// a title and a description, in the report's font stack.
func checkCharts(t *testing.T, m reportMeasure, n int) {
	t.Helper()
	if len(m.Charts) != n {
		t.Errorf("%d charts, want %d", len(m.Charts), n)
	}
	for _, c := range m.Charts {
		if c.Width < 280 || c.Height < 50 {
			t.Errorf("%s is %vx%v px, too small to read", c.ID, c.Width, c.Height)
		}
		if c.Title == "" || c.Desc == "" || c.Shapes == 0 {
			t.Errorf("%s: title %q, description %q, %d shapes", c.ID, c.Title, c.Desc, c.Shapes)
		}
		if !strings.HasPrefix(c.Font, `"Liberation Sans", Arimo, Arial`) {
			t.Errorf("%s: font %s, want the report's stack", c.ID, c.Font)
		}
	}
}

// checkScreenshot wants a PNG as wide as the window with more than a few
// colors (a blank or failed rendering has one or two).
func checkScreenshot(t *testing.T, shot []byte, width int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	bounds := img.Bounds()
	if bounds.Dx() != width || bounds.Dy() < 1000 {
		t.Errorf("screenshot is %dx%d, want %d wide and the whole page long", bounds.Dx(), bounds.Dy(), width)
	}
	colors := map[uint32]bool{}
	for y := bounds.Min.Y; y < bounds.Max.Y && len(colors) <= 50; y += 7 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 7 {
			r, g, b, _ := img.At(x, y).RGBA()
			colors[r>>8<<16|g>>8<<8|b>>8] = true
		}
	}
	if len(colors) <= 50 {
		t.Errorf("screenshot has %d colors: blank?", len(colors))
	}
}

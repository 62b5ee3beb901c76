package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	Background string
	PageWidth  float64
	ViewWidth  float64
	Resources  int
	Scripts    int
	Text       string
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
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	shots := os.Getenv("SPOKE_STATUS_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	example := reportPath(t, "--title", "Example campaign", repoFile("example-messages.csv"))
	hostile := reportPath(t, writeTemp(t, "hostile.csv", hostileExport))
	b := startBrowser(t, chromium)

	t.Run("harness sees errors", func(t *testing.T) {
		// The checks below are only worth something if a broken page fails them.
		bad := writeTemp(t, "bad.html", `<!DOCTYPE html><title>bad</title><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>`)
		v, err := b.visit(ctx, "file://"+bad, pageView{width: 800, height: 600, scheme: "light"}, `JSON.stringify({})`)
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
		{name: "phone-light", width: 390, height: 844, mobile: true, scheme: "light"},
		{name: "phone-dark", width: 390, height: 844, mobile: true, scheme: "dark"},
		{name: "print", width: 794, height: 1123, scheme: "dark", media: "print"},
	} {
		t.Run(view.name, func(t *testing.T) {
			m, v := visitReport(ctx, t, b, example, view, filepath.Join(shots, "report-"+view.name+".png"))
			checkCharts(t, m, 7)
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
			if m.PageWidth > m.ViewWidth {
				t.Errorf("page is %vpx wide in a %vpx window: readers must scroll sideways", m.PageWidth, m.ViewWidth)
			}
			checkScreenshot(t, v.screenshot, view.width)
		})
	}

	t.Run("hostile export", func(t *testing.T) {
		m, _ := visitReport(ctx, t, b, hostile, pageView{width: 1280, height: 900, scheme: "light"}, filepath.Join(shots, "report-hostile.png"))
		checkCharts(t, m, 7)
		for _, shown := range []string{"<script>console.error('campaign')</script>", "<img src=x onerror=console.error('number')>"} {
			if !strings.Contains(m.Text, shown) {
				t.Errorf("the page does not show %q as text", shown)
			}
		}
	})
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
		if c.Width < 300 || c.Height < 50 {
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

package cli

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/render"
)

// hostileExport is a StateVoices export whose campaign ids, sending number
// and texts carry markup: the report must show it as text. Hand counts:
// 4 outbound (2 delivered, 2 errored: 30007 and 21610), 1 reply (STOP).
const hostileExport = `campaign_contact_id,campaign_id,user_number,contact_number,is_from_contact,send_status,attempted_at,text,error_code
1,<script>console.error('campaign')</script>,+15555550100,+15555550123,false,DELIVERED,2024-10-01T18:02:11Z,"Hi <script>console.error('text')</script> vote at bit.ly/x",
2,<script>console.error('campaign')</script>,"<img src=x onerror=console.error('number')>",+15555550124,false,ERROR,2024-10-01T18:05:11Z,Hi </textarea><b>bold</b>,30007
3,15555550177,+15555550100,+15555550125,false,ERROR,2024-10-01T19:05:11Z,Hi there,21610
4,15555550177,+15555550100,+15555550126,false,DELIVERED,2024-10-01T19:06:11Z,"Hi ""quoted"" & <amp>",
5,15555550177,+15555550100,+15555550126,true,DELIVERED,2024-10-01T19:07:11Z,STOP,
`

// reportHTML runs report on the inputs and returns the page.
func reportHTML(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.html")
	r := run(t, nil, append([]string{"report", "-o", out}, args...)...)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("report: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// node is an element of a parsed page (or a text, with Text set).
type node struct {
	Data     string // element name
	Text     string
	IsText   bool
	Attr     []xml.Attr
	Parent   *node
	Children []*node
}

// parsePage parses the report's HTML with encoding/xml's lenient HTML
// mode, which the template's output (void elements, entities) suits.
func parsePage(t *testing.T, page string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	root := &node{}
	cur := root
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root
		}
		if err != nil {
			t.Fatalf("parsing the page: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Data: tok.Name.Local, Attr: tok.Attr, Parent: cur}
			cur.Children = append(cur.Children, n)
			cur = n
		case xml.EndElement:
			if cur.Parent != nil {
				cur = cur.Parent
			}
		case xml.CharData:
			cur.Children = append(cur.Children, &node{IsText: true, Text: string(tok), Parent: cur})
		}
	}
}

// outline reduces a page to its structure, one line per landmark: the
// headings, each chart's title and description and size, each table's
// caption, columns and rows. Chart drawings are left out: gonum/plot's
// SVG is not ours to pin byte for byte.
func outline(t *testing.T, page string) string {
	t.Helper()
	var b strings.Builder
	var walk func(n *node)
	walk = func(n *node) {
		if !n.IsText {
			switch n.Data {
			case "title", "h1", "h2", "h3":
				fmt.Fprintf(&b, "%s: %s\n", n.Data, textOf(n))
				return
			case "p":
				fmt.Fprintf(&b, "p.%s: %s\n", attr(n, "class"), textOf(n))
				return
			case "dl":
				if attr(n, "class") == "figures" {
					for _, c := range n.Children {
						if !c.IsText {
							fmt.Fprintf(&b, "figure %s: %s\n", attr(c, "class"), cellsOf(c))
						}
					}
					return
				}
			case "svg":
				fmt.Fprintf(&b, "svg %s role=%s labelledby=%s describedby=%s\n", attr(n, "viewBox"), attr(n, "role"), attr(n, "aria-labelledby"), attr(n, "aria-describedby"))
				for _, c := range n.Children {
					if c.Data == "title" || c.Data == "desc" {
						fmt.Fprintf(&b, "  svg %s#%s: %s\n", c.Data, attr(c, "id"), textOf(c))
					}
				}
				return
			case "tr":
				fmt.Fprintf(&b, "  | %s\n", cellsOf(n))
				return
			case "style":
				return
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(parsePage(t, page))
	return b.String()
}

func attr(n *node, key string) string {
	for _, a := range n.Attr {
		if a.Name.Local == key {
			return a.Value
		}
	}
	return ""
}

func textOf(n *node) string {
	var b strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		if n.IsText {
			b.WriteString(n.Text)
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func cellsOf(n *node) string {
	var cells []string
	for _, c := range n.Children {
		if !c.IsText {
			cells = append(cells, textOf(c))
		}
	}
	return strings.Join(cells, " | ")
}

// TestReportGolden pins the structure of the example export's report
// (every heading, chart title and description, table cell) and checks
// what the outline does not show: one chart per section, each with an
// accessible name, drawn with the report's colors and fonts only.
func TestReportGolden(t *testing.T) {
	t.Parallel()
	// --min-outbound 20: the example's hours (about 45 texts each) are on
	// the error-rate line, its one small sending number left out of the ranking.
	page := reportHTML(t, "--title", "Example & co", "--min-outbound", "20", repoFile("example-messages.csv"))
	checkGolden(t, "report.example.outline", outline(t, page))
	checkSelfContained(t, page)
	for _, v := range []string{"var(--chart-ink)", "var(--chart-bar)", "var(--chart-delivered)", "var(--chart-errored)", "var(--chart-highlight)", "var(--chart-line)", "var(--chart-stuck)", "url(#chart-outcomes-hatch)"} {
		if !strings.Contains(page, v) {
			t.Errorf("charts do not use %s", v)
		}
	}
	charts := regexp.MustCompile(`<figure class="chart" id="(chart-[a-z-]+)">\s*<svg class="chart-svg" viewBox="0 0 300 [0-9.]+" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="(chart-[a-z-]+)-title"`).FindAllStringSubmatch(page, -1)
	var ids []string
	for _, c := range charts {
		if c[1] != c[2] {
			t.Errorf("chart %s is labelled by %s", c[1], c[2])
		}
		ids = append(ids, c[1])
	}
	want := "chart-volume chart-outcomes chart-steps chart-categories chart-codes chart-campaigns chart-sending-numbers chart-links"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("charts = %s\nwant      %s", got, want)
	}
	if n := strings.Count(page, "<svg"); n != len(ids) {
		t.Errorf("%d <svg> elements, want %d", n, len(ids))
	}
}

// checkSelfContained fails when the page could load anything: a script,
// a stylesheet, font or image from elsewhere, or a color the CSS does not
// control.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, bad := range []string{"<script", "<link", "@import", "url(http", "src=\"http", "xlink:href", "<?xml", "#010203", "#010205", "font-face"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if !strings.Contains(page, `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:`) {
		t.Error("page lacks its Content-Security-Policy")
	}
}

// TestReportEscapesExportText: markup in campaign ids, sending numbers
// and texts is shown as text, in the tables and in the charts.
func TestReportEscapesExportText(t *testing.T) {
	t.Parallel()
	in := writeTemp(t, "hostile.csv", hostileExport)
	page := reportHTML(t, "--min-outbound", "1", in) // chart every group
	for _, raw := range []string{"<script>console", "<img src=x", "<b>bold", "</textarea>"} {
		if strings.Contains(page, raw) {
			t.Errorf("page contains unescaped %q", raw)
		}
	}
	for _, shown := range []struct{ whole, label string }{
		{"&lt;script&gt;console.error(&#39;campaign&#39;)&lt;/script&gt;", "&lt;script&gt;console.error(&#39;campai…</text>"},
		{"&lt;img src=x onerror=console.error(&#39;number&#39;)&gt;", "&lt;img src=x onerror=console.er…</text>"},
	} {
		if !strings.Contains(page, "<th scope=\"row\">"+shown.whole+"</th>") {
			t.Errorf("no table row headed %q", shown.whole)
		}
		if !strings.Contains(page, shown.label) { // cut to fit the chart
			t.Errorf("no chart label %q", shown.label)
		}
	}
	// The figures are right too: hand counts of hostileExport.
	o := outline(t, page)
	for _, want := range []string{
		"figure figure: Outbound texts | 4 | 5 rows read",
		"figure figure bad: Error rate | 50.00% | 2 texts errored",
		"figure figure bad: Opt-out rejections | 1 |",
		"figure figure: Replies | 1 | 1 opt-out replies (100.00%)",
	} {
		if !strings.Contains(o, want) {
			t.Errorf("outline lacks %q:\n%s", want, o)
		}
	}
}

// TestReportRedact: --redact masks phone-like campaign ids; sending
// numbers, the organization's own, stay.
func TestReportRedact(t *testing.T) {
	t.Parallel()
	in := writeTemp(t, "hostile.csv", hostileExport)
	// html/template writes + as &#43; in text.
	plain := html.UnescapeString(reportHTML(t, in))
	redacted := html.UnescapeString(reportHTML(t, "--redact", in))
	if !strings.Contains(plain, "15555550177") {
		t.Fatal("the phone-like campaign id is not in the report without --redact")
	}
	if strings.Contains(redacted, "15555550177") {
		t.Error("--redact left a phone-like campaign id")
	}
	if !strings.Contains(redacted, "+1555•••0177") {
		t.Error("--redact did not mask the campaign id as +1555•••0177")
	}
	if !strings.Contains(redacted, "+15555550100") {
		t.Error("--redact masked the sending number")
	}
	if !strings.Contains(redacted, "phone-like values redacted") {
		t.Error("the redacted report does not say so")
	}
}

// TestReportStdout: -o - writes the page to standard output.
func TestReportStdout(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "report", "-o", "-", repoFile("dialects", "moveon-legacy.csv"))
	if r.code != 0 || !strings.HasPrefix(r.stdout, "<!DOCTYPE html>") || !strings.HasSuffix(r.stdout, "</html>\n") {
		t.Fatalf("exit %d, stderr %s, stdout starts %.40q", r.code, r.stderr, r.stdout)
	}
}

// TestReportEveryDialect: every dialect, and an empty export, gives a
// page; sections without data say so instead of drawing an empty chart.
func TestReportEveryDialect(t *testing.T) {
	t.Parallel()
	inputs := append(dialectFixtures(t), writeTemp(t, "empty.csv", ""))
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			page := reportHTML(t, in)
			checkSelfContained(t, page)
			sections := strings.Count(page, `<section id=`)
			charts := strings.Count(page, `<figure class="chart"`)
			notes := strings.Count(page, `<p class="note">`)
			if sections != 12 { // headline, 10 sections (signals, 9 with charts), inputs
				t.Errorf("%d sections, want 12", sections)
			}
			if charts+notes < 10 {
				t.Errorf("%d charts and %d notes: a section shows neither", charts, notes)
			}
		})
	}
}

// TestReportTimeline: a span under 72 hours (between the first and the
// last hour with texts) is drawn by hour, 72 hours or more by day, with
// the periods between filled in.
func TestReportTimeline(t *testing.T) {
	t.Parallel()
	row := func(id int, at string) string {
		return fmt.Sprintf("%d,1,+15555550100,+1555555%04d,false,DELIVERED,%s,hi,\n", id, id, at)
	}
	header := "campaign_contact_id,campaign_id,user_number,contact_number,is_from_contact,send_status,attempted_at,text,error_code\n"
	short := writeTemp(t, "short.csv", header+row(1, "2024-10-01T10:00:00Z")+row(2, "2024-10-04T09:59:59Z"))
	long := writeTemp(t, "long.csv", header+row(1, "2024-10-01T10:59:59Z")+row(2, "2024-10-04T10:00:00Z"))
	if o := outline(t, reportHTML(t, short)); !strings.Contains(o, "h3: Outbound texts per hour") || !strings.Contains(o, "over 72 hours") {
		t.Errorf("short span not hourly over 72 hours:\n%s", o)
	}
	o := outline(t, reportHTML(t, long))
	if !strings.Contains(o, "h3: Outbound texts per day") || !strings.Contains(o, "over 4 days") {
		t.Errorf("long span not daily over 4 days:\n%s", o)
	}
}

// TestReportMatchesSummarize: the report's campaign and sending-number
// tables show the figures summarize --format json gives.
func TestReportMatchesSummarize(t *testing.T) {
	t.Parallel()
	in := repoFile("example-messages.csv")
	r := run(t, nil, "summarize", "--format", "json", "--by", "campaign", "--by", "sending-number", "--top-groups", "15", in)
	if r.code != 0 {
		t.Fatalf("summarize: %s", r.stderr)
	}
	var s struct {
		Groups map[string][]struct {
			Key                          any
			Outbound, Delivered, Errored int64
			ErrorRate                    float64 `json:"error_rate"`
			Stuck                        int64   `json:"sent_stuck"`
			OptOut                       int64   `json:"opt_out_rejections"`
			FoldedGroups                 int     `json:"folded_groups"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatal(err)
	}
	o := outline(t, reportHTML(t, in))
	checked := 0
	for _, dim := range []string{"campaign", "sending-number"} {
		for _, g := range s.Groups[dim] {
			if g.FoldedGroups > 0 {
				continue
			}
			line := fmt.Sprintf("  | %v | %s | %s | %s | %s | %s | %s |", g.Key, render.Count(g.Outbound), render.Count(g.Delivered),
				render.Count(g.Errored), render.Percent(g.ErrorRate), render.Count(g.Stuck), render.Count(g.OptOut))
			if !strings.Contains(o, line) {
				t.Errorf("report lacks %s row %q", dim, line)
			}
			checked++
		}
	}
	if checked != 3+15 {
		t.Errorf("checked %d groups, want 3 campaigns and 15 sending numbers", checked)
	}
}

package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/check"
	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// group is n outbound rows of one campaign, errored of them with 30007.
type group struct {
	campaign        string
	outbound, error int
	stuck           int
}

// report evaluates thresholds (key, value pairs) over the groups, per
// campaign.
func report(t *testing.T, groups []group, minOutbound int64, kv ...string) *check.Report {
	t.Helper()
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 10, 1, 18, 0, 0, 0, time.UTC)
	a := summary.New(summary.Options{Registry: reg, Provider: registry.Twilio, Stuck: classify.StuckClock{AsOf: at.Add(3 * time.Hour), HasAsOf: true},
		Dimensions: []summary.Dimension{summary.CampaignDimension()}})
	for _, g := range groups {
		for i := 0; i < g.outbound; i++ {
			rec := &export.Record{CampaignID: g.campaign, Status: export.StatusDelivered, AttemptedAt: at, HasTime: true}
			switch {
			case i < g.error:
				rec.Status, rec.Codes, rec.PrimaryCode = export.StatusError, "30007", "30007"
			case i < g.error+g.stuck:
				rec.Status = export.StatusSent
			}
			a.Add(rec)
		}
	}
	a.Finish()
	ts := check.NewThresholds()
	for i := 0; i < len(kv); i += 2 {
		if err := ts.Set(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return check.Evaluate(check.Input{Total: a.Total(), Classifier: a.Classifier(), Groups: []check.GroupSet{check.GroupSetOf(a.Groups("campaign"), a.Classifier())},
		MinOutbound: minOutbound, Thresholds: ts.List()})
}

func TestCheckValues(t *testing.T) {
	tests := []struct {
		errors, outbound int
		limit            string
		actual, shown    string
	}{
		{202, 2174, "10%", "9.29%", "10.00%"},
		{202, 2174, "9.29%", "9.292%", "9.290%"},  // equal when rounded: more decimals
		{202, 2174, "9.3%", "9.29%", "9.30%"},     // different when rounded
		{202, 2174, "0.0929", "9.292%", "9.290%"}, // a fraction limit
		{5, 100, "5%", "5.00%", "5.00%"},          // exactly equal: as is
		{1, 3, "33.33%", "33.333%", "33.330%"},
		{232, 2154, "10.770659%", "10.7706592%", "10.7706590%"}, // 10.77065923...%
		{232, 2154, "10.7707%", "10.77066%", "10.77070%"},       // passes, yet equal when rounded to the limit's decimals
		{232, 2154, "10.77066%", "10.770659%", "10.770660%"},
		{0, 10, "0%", "0.00%", "0.00%"},
	}
	for _, tt := range tests {
		r := report(t, []group{{campaign: "1", outbound: tt.outbound, error: tt.errors}}, 0, check.KeyMaxErrorRate, tt.limit)
		actual, limit := CheckValues(r.Checks[0])
		if actual != tt.actual || limit != tt.shown {
			t.Errorf("%d/%d against %s: %s against %s; want %s against %s", tt.errors, tt.outbound, tt.limit, actual, limit, tt.actual, tt.shown)
		}
	}
	r := report(t, []group{{campaign: "1", outbound: 3000, stuck: 1234}}, 0, check.KeyMaxStuckSent, "1000")
	if actual, limit := CheckValues(r.Checks[0]); actual != "1,234" || limit != "1,000" {
		t.Errorf("counts: %s against %s", actual, limit)
	}
}

func TestCheckVerdict(t *testing.T) {
	groups := []group{{campaign: "1", outbound: 100, error: 10}}
	tests := []struct {
		minOutbound int64
		kv          []string
		want        string
	}{
		{0, []string{check.KeyMaxErrorRate, "5%", check.KeyMaxStuckSent, "0"}, "2 of 4 checks failed."},
		{0, []string{check.KeyMaxErrorRate, "50%", check.KeyMaxStuckSent, "0"}, "All 4 checks passed."},
		{1000, []string{check.KeyMaxErrorRate, "50%"}, "The 1 check passed."},
		{1000, []string{check.KeyMaxErrorRate, "5%"}, "1 of 1 checks failed."},
	}
	for _, tt := range tests {
		if got := CheckVerdict(report(t, groups, tt.minOutbound, tt.kv...)); got != tt.want {
			t.Errorf("verdict = %q, want %q", got, tt.want)
		}
	}
}

func TestWorkflowCommandEscaping(t *testing.T) {
	in := "50% done\r\nnext: a,b"
	if got, want := escapeData(in), "50%25 done%0D%0Anext: a,b"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	if got, want := escapeProperty(in), "50%25 done%0D%0Anext%3A a%2Cb"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
	// '%' is escaped first, so an escape sequence in the input survives as text.
	if got, want := escapeData("%0A"), "%250A"; got != want {
		t.Errorf("escapeData(%%0A) = %q, want %q", got, want)
	}
}

// 12 failed checks: 10 error annotations (GitHub's per-step limit), then a
// warning counting the other 2; a campaign id cannot break a command.
func TestGitHubAnnotations(t *testing.T) {
	var groups []group
	for i := 1; i <= 11; i++ {
		groups = append(groups, group{campaign: fmt.Sprint(i), outbound: 100, error: 20 + i})
	}
	r := report(t, groups, 0, check.KeyMaxErrorRate, "10%")
	var b bytes.Buffer
	if err := GitHubAnnotations(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 11 {
		t.Fatalf("got %d lines, want 11:\n%s", len(lines), b.String())
	}
	for i, l := range lines[:10] {
		if !strings.HasPrefix(l, "::error title=spoke-status check%3A error_rate (") {
			t.Errorf("line %d = %q", i, l)
		}
	}
	if want := "::error title=spoke-status check%3A error_rate (all)::error_rate is 26.00%25 (286 of 1,100 outbound texts) in the whole input, above the limit of 10.00%25"; lines[0] != want {
		t.Errorf("first annotation = %q\nwant %q", lines[0], want)
	}
	if !strings.HasPrefix(lines[10], "::warning title=spoke-status check::2 more checks failed;") {
		t.Errorf("last line = %q", lines[10])
	}
	b.Reset()
	evilID := []group{{campaign: "7:evil,\n::error::injected%", outbound: 10, error: 5}}
	if err := GitHubAnnotations(&b, report(t, evilID, 0, check.KeyMaxErrorRate, "10%")); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	evil := lines[len(lines)-1]
	if len(lines) != 2 || !strings.Contains(evil, "(campaign 7%3Aevil%2C %3A%3Aerror%3A%3Ainjected%25)::") || !strings.Contains(evil, "in campaign 7:evil, ::error::injected%25,") {
		t.Errorf("campaign id not escaped: %q", evil)
	}
	b.Reset()
	if err := GitHubAnnotations(&b, report(t, groups, 0, check.KeyMaxErrorRate, "50%")); err != nil || b.Len() != 0 {
		t.Errorf("passing checks wrote %q (%v)", b.String(), err)
	}
}

// The JUnit XML parses back with the counts and failures of the report.
func TestCheckJUnit(t *testing.T) {
	groups := []group{{campaign: "1", outbound: 200, error: 30}, {campaign: "2", outbound: 200, error: 2}, {campaign: "3 <&\x01>", outbound: 20, error: 1}}
	r := report(t, groups, 100, check.KeyMaxErrorRate, "5%", check.KeyMaxStuckSent, "0")
	var b bytes.Buffer
	if err := CheckJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit does not parse: %v\n%s", err, b.String())
	}
	// all: 33/420 errors fails 5%; campaign 1 30/200 fails; campaign 2 passes; campaign 3 skipped.
	if doc.Tests != 7 || doc.Failures != 2 || doc.Skipped != 1 || len(doc.Suites) != 4 {
		t.Fatalf("tests %d failures %d skipped %d suites %d\n%s", doc.Tests, doc.Failures, doc.Skipped, len(doc.Suites), b.String())
	}
	f := doc.Suites[0].Cases[0].Failure
	if doc.Suites[0].Name != "all" || f == nil || f.Message != "error_rate is 7.86% (33 of 420 outbound texts) in the whole input, above the limit of 5.00%" ||
		f.Text != "actual 7.86%, limit <= 5.00% (33 of 420 outbound texts)" {
		t.Errorf("all/error_rate failure = %+v", f)
	}
	if doc.Suites[2].Cases[0].Failure != nil || doc.Suites[2].Name != "campaign 2" {
		t.Errorf("campaign 2 should pass: %+v", doc.Suites[2])
	}
	last := doc.Suites[3]
	if last.Name != "campaign 3 <&\uFFFD>" || last.Cases[0].Skipped == nil || !strings.Contains(last.Cases[0].Skipped.Message, "20 outbound texts") {
		t.Errorf("skipped suite = %+v", last)
	}
}

func TestCheckMarkdownCapsRows(t *testing.T) {
	var groups []group
	for i := 1; i <= 260; i++ {
		groups = append(groups, group{campaign: fmt.Sprint(i), outbound: 10, error: i % 2})
	}
	r := report(t, groups, 0, check.KeyMaxErrorRate, "5%", check.KeyMaxStuckSent, "0")
	var b bytes.Buffer
	if err := CheckMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// 261 scopes x 2 checks = 522; 130 error_rate failures (the odd campaigns;
	// all has 130/2,600 = 5% errors and passes) listed first.
	if !strings.HasPrefix(out, "## ❌ Spoke deliverability check failed\n\n130 of 522 checks failed.\n") {
		t.Errorf("headline: %q", out[:min(len(out), 120)])
	}
	if n := strings.Count(out, "\n| error_rate") + strings.Count(out, "\n| stuck_sent"); n != maxMarkdownChecks {
		t.Errorf("listed %d checks, want %d", n, maxMarkdownChecks)
	}
	if !strings.Contains(out, "… and 22 more checks (0 failed) not listed.") {
		t.Errorf("no count of the rest:\n%s", out[len(out)-200:])
	}
}

// With colour, exactly the failed rows and a failed verdict are red; the
// table is otherwise the one drawn without colour, escape sequences
// removed. A campaign whose id reads FAIL is not painted when it passes.
func TestCheckTableColor(t *testing.T) {
	groups := []group{{campaign: "FAIL", outbound: 100, error: 1}, {campaign: "2", outbound: 100, error: 40}}
	for _, tt := range []struct {
		limit      string
		failed     int
		redVerdict bool
	}{
		{"30%", 1, true}, // all 41/200 and campaign FAIL 1/100 pass; campaign 2 (40/100) fails
		{"0.5%", 3, true},
		{"50%", 0, false},
	} {
		r := report(t, groups, 1, check.KeyMaxErrorRate, tt.limit)
		var plain, color bytes.Buffer
		if err := CheckTable(&plain, r, CheckTableOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := CheckTable(&color, r, CheckTableOptions{Color: true}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plain.String(), "\x1b") {
			t.Errorf("colour without Color:\n%s", plain.String())
		}
		stripped := strings.NewReplacer(ansiRed, "", ansiReset, "").Replace(color.String())
		if stripped != plain.String() {
			t.Errorf("colour changed the table:\n%s\nwant\n%s", stripped, plain.String())
		}
		red := 0
		for _, line := range strings.Split(color.String(), "\n") {
			painted := strings.HasPrefix(line, ansiRed) && strings.HasSuffix(line, ansiReset)
			isRow := strings.HasSuffix(strings.TrimSuffix(line, ansiReset), "│")
			failedRow := strings.HasSuffix(strings.TrimSuffix(line, ansiReset), "│ FAIL   │")
			if isRow && painted != failedRow {
				t.Errorf("row painted %v: %q", painted, line)
			}
			if isRow && painted {
				red++
			}
			if strings.Contains(line, "checks") && painted != tt.redVerdict {
				t.Errorf("verdict painted %v: %q", painted, line)
			}
		}
		if red != tt.failed || r.Failed() != tt.failed {
			t.Errorf("limit %s: %d red rows, %d failed checks\n%s", tt.limit, red, r.Failed(), color.String())
		}
	}
}

// TestGitHubWarningAnnotations: crossed warn levels are ::warning lines,
// after the errors, within GitHub's 10 warnings per step (the overflow
// warning of the errors counts among them); the last counts the rest.
func TestGitHubWarningAnnotations(t *testing.T) {
	var groups []group
	for i := 1; i <= 12; i++ {
		groups = append(groups, group{campaign: fmt.Sprint(i), outbound: 100, error: 20 + i})
	}
	tests := []struct {
		kv                 []string
		errors, warnings   int
		lastWarningStarted string
	}{
		{[]string{check.KeyMaxErrorRate, "50%", "warn-error-rate", "10%"}, 0, 10, "::warning title=spoke-status check::4 more checks crossed their warn level"},
		{[]string{check.KeyMaxErrorRate, "10%", "warn-error-rate", "5%"}, 10, 10, "::warning title=spoke-status check::5 more checks crossed their warn level"},
		{[]string{check.KeyMaxErrorRate, "50%", "warn-error-rate", "31%"}, 0, 1, "::warning title=spoke-status check%3A error_rate (campaign 12)::error_rate is 32.00%25 (32 of 100 outbound texts) in campaign 12, above the warn level of 31.00%25"},
	}
	for _, tt := range tests {
		r := report(t, groups, 0, tt.kv...)
		var b bytes.Buffer
		if err := GitHubAnnotations(&b, r); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		errors, warnings := 0, 0
		for _, l := range lines {
			switch {
			case strings.HasPrefix(l, "::error "):
				errors++
			case strings.HasPrefix(l, "::warning "):
				warnings++
			}
		}
		if errors != tt.errors || warnings != tt.warnings || !strings.HasPrefix(lines[len(lines)-1], tt.lastWarningStarted) {
			t.Errorf("%v: %d errors, %d warnings:\n%s", tt.kv, errors, warnings, b.String())
		}
	}
}

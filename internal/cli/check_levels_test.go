package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/check"
)

// levelsReport is the part of check's JSON that warn levels, confidence
// and baselines add.
type levelsReport struct {
	Passed     bool    `json:"passed"`
	Warnings   int     `json:"warnings"`
	Confidence float64 `json:"confidence"`
	Checks     []struct {
		Name        string      `json:"name"`
		Scope       string      `json:"scope"`
		Dimension   string      `json:"dimension"`
		Key         any         `json:"key"`
		Unit        string      `json:"unit"`
		Actual      float64     `json:"actual"`
		Passed      bool        `json:"passed"`
		Level       string      `json:"level"`
		Status      string      `json:"status"`
		Count       int64       `json:"count"`
		Outbound    int64       `json:"outbound"`
		CI          *[2]float64 `json:"ci"`
		Confidence  float64     `json:"confidence"`
		PointPassed *bool       `json:"point_estimate_passed"`
		Baseline    *struct {
			Count, Outbound int64
			Rate            float64
		} `json:"baseline"`
		Current *struct {
			Count, Outbound int64
			Rate            float64
		} `json:"current"`
	} `json:"checks"`
	SkippedGroups []struct {
		Scope     string `json:"scope"`
		Dimension string `json:"dimension"`
	} `json:"skipped_groups"`
	Baseline *struct {
		Path           string              `json:"path"`
		NewGroups      []check.GroupChange `json:"new_groups"`
		VanishedGroups []check.GroupChange `json:"vanished_groups"`
	} `json:"baseline"`
}

// anyVerdict accepts exit 0 and 1.
const anyVerdict = -1

func levelsJSON(t *testing.T, wantCode int, args ...string) *levelsReport {
	t.Helper()
	r := run(t, nil, append([]string{"check", "--format", "json"}, args...)...)
	if r.code != wantCode && (wantCode != anyVerdict || (r.code != ExitOK && r.code != ExitCheckFailed)) {
		t.Fatalf("check %v: exit %d, want %d; stderr:\n%s", args, r.code, wantCode, r.stderr)
	}
	var rep levelsReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
	}
	return &rep
}

// warnArgs cross warn levels only: the run passes with warnings.
func warnArgs() []string {
	return []string{"check", "--max-error-rate", "20%", "--warn-error-rate", "9%", "--min-delivery-rate", "70%", "--warn-delivery-rate", "80%",
		"--warn-code-rate", "40002=1%", "--per", "campaign", "--min-outbound", "600", repoFile("example-messages.csv")}
}

// TestCheckWarnGolden: a run that crosses only warn levels exits 0 in every
// output, with WARN rows, ::warning annotations, a warning headline in the
// step summary and JUnit cases that pass with a <system-out>.
func TestCheckWarnGolden(t *testing.T) {
	for _, format := range []string{"table", "markdown"} {
		r := run(t, nil, append(warnArgs(), "--format", format)...)
		if r.code != ExitOK || r.stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", format, r.code, r.stderr)
		}
		checkGolden(t, "check.warn."+format, r.stdout)
	}
	dir := t.TempDir()
	junit, summaryFile := filepath.Join(dir, "checks.xml"), filepath.Join(dir, "summary.md")
	r := runCheckEnv(t, map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summaryFile}, append(warnArgs(), "--junit", junit)...)
	if r.code != ExitOK {
		t.Fatalf("github: exit %d, stderr %q", r.code, r.stderr)
	}
	var annotations []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "::") {
			annotations = append(annotations, line)
		}
	}
	checkGolden(t, "check.warn.github", strings.Join(annotations, "\n")+"\n")
	if strings.Contains(r.stdout, "::error ") {
		t.Error("a warning run wrote ::error")
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "check.warn.junit.xml", string(data))
	if strings.Contains(string(data), "<failure") || !strings.Contains(string(data), "<system-out>WARNING: error_rate is 9.29% (202 of 2,174 outbound texts) in the whole input, above the warn level of 9.00%</system-out>") {
		t.Errorf("junit:\n%s", data)
	}
	step, err := os.ReadFile(summaryFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(step), "## ⚠️ Spoke deliverability check passed with 8 warnings\n") || !strings.Contains(string(step), "| ⚠️ WARN |") {
		t.Errorf("step summary:\n%s", step)
	}
	rep := levelsJSON(t, ExitOK, warnArgs()[1:]...)
	if !rep.Passed || rep.Warnings != 8 {
		t.Errorf("passed %v warnings %d", rep.Passed, rep.Warnings)
	}
	for _, c := range rep.Checks {
		wantLevel := "fail"
		if strings.Contains(c.Name, "code_rate") || c.Level == "warn" {
			wantLevel = "warn"
		}
		if c.Level != wantLevel || (c.Status != "pass" && c.Status != c.Level) || (c.Status == "pass") != c.Passed {
			t.Errorf("%s %s: level %s status %s passed %v", c.Name, c.Scope, c.Level, c.Status, c.Passed)
		}
	}
}

// TestCheckWarnAndFail: a failure still exits 1 when warnings are crossed
// too, and the verdict counts both; a warn level alone is a threshold.
func TestCheckWarnAndFail(t *testing.T) {
	fixture := repoFile("example-messages.csv")
	tests := []struct {
		args    []string
		code    int
		verdict string
	}{
		{[]string{"--max-error-rate", "9%", "--warn-delivery-rate", "80%"}, ExitCheckFailed, "1 of 2 checks failed, and 1 warning."},
		{[]string{"--max-error-rate", "9.5%", "--warn-error-rate", "9%"}, ExitOK, "2 checks passed with 1 warning."},
		{[]string{"--warn-error-rate", "9%"}, ExitOK, "1 check passed with 1 warning."},
		{[]string{"--warn-error-rate", "10%"}, ExitOK, "The 1 check passed."},
		{[]string{"--warn-stuck-sent", "100", "--warn-category-rate", "spam_blocked=1%"}, ExitOK, "2 checks passed with 2 warnings."},
	}
	for _, tt := range tests {
		r := run(t, nil, append(append([]string{"check"}, tt.args...), fixture)...)
		if r.code != tt.code || !strings.Contains(r.stdout, "\n"+tt.verdict+"\n") {
			t.Errorf("check %v: exit %d, want %d and %q:\n%s%s", tt.args, r.code, tt.code, tt.verdict, r.stdout, r.stderr)
		}
	}
}

// TestCheckWarnColor: WARN rows and a passed-with-warnings verdict are
// yellow on a terminal.
func TestCheckWarnColor(t *testing.T) {
	env := func(out, errb *strings.Builder) Env {
		return Env{Stdout: out, Stderr: errb, Version: testVersion, Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" }, StdoutIsTerminal: func() bool { return true }}
	}
	var out, errb strings.Builder
	if code := Main([]string{"check", "--warn-error-rate", "9%", repoFile("example-messages.csv")}, env(&out, &errb)); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "\x1b[33m│ error_rate (warn) │ all   │  9.29% │ <= 9.00% │ WARN   │\x1b[0m\n") ||
		!strings.Contains(out.String(), "\x1b[33m1 check passed with 1 warning.\x1b[0m\n") {
		t.Errorf("no yellow:\n%q", out.String())
	}
}

// TestCheckConfidence: with --confidence a ceiling fails only when the
// interval's lower bound is above it and a floor only when its upper
// bound is below it; without it, the rate alone decides.
func TestCheckConfidence(t *testing.T) {
	args := []string{"--per", "sending-number", "--max-error-rate", "9%", "--min-delivery-rate", "80%", repoFile("example-messages.csv")}
	plain := levelsJSON(t, ExitCheckFailed, args...)
	ci := levelsJSON(t, ExitCheckFailed, append([]string{"--confidence", "0.95"}, args...)...)
	if len(plain.Checks) != len(ci.Checks) || ci.Confidence != 0.95 || plain.Confidence != 0 {
		t.Fatalf("checks %d vs %d, confidence %v", len(plain.Checks), len(ci.Checks), ci.Confidence)
	}
	failedPlain, failedCI := 0, 0
	for i, c := range ci.Checks {
		p := plain.Checks[i]
		if p.CI != nil || p.PointPassed != nil {
			t.Errorf("%s %s: interval without --confidence", p.Name, p.Scope)
		}
		if c.CI == nil || c.PointPassed == nil || *c.PointPassed != p.Passed || c.Confidence != 0.95 {
			t.Fatalf("%s %s: ci %v point %v", c.Name, c.Scope, c.CI, c.PointPassed)
		}
		lo, hi := c.CI[0], c.CI[1]
		if lo > c.Actual || hi < c.Actual {
			t.Errorf("%s %s: %v outside [%v, %v]", c.Name, c.Scope, c.Actual, lo, hi)
		}
		want := true
		switch c.Name {
		case "error_rate":
			want = lo <= 0.09
		case "delivery_rate":
			want = hi >= 0.80
		}
		if c.Passed != want {
			t.Errorf("%s %s: passed %v with interval [%v, %v]", c.Name, c.Scope, c.Passed, lo, hi)
		}
		if p.Passed && !c.Passed {
			t.Errorf("%s %s: the interval failed a check the rate passed", c.Name, c.Scope)
		}
		if !p.Passed {
			failedPlain++
		}
		if !c.Passed {
			failedCI++
		}
	}
	// +13127792887: 22 of 161 errored, interval 9.20–19.82%, fails 9%;
	// +16149746234: 84 of 116 delivered, interval 63.66–79.73%, fails 80%.
	if failedCI != 2 || failedPlain <= failedCI {
		t.Errorf("failed: %d on the rate, %d on the interval", failedPlain, failedCI)
	}
	r := run(t, nil, append([]string{"check", "--confidence", "95%"}, args...)...)
	checkGolden(t, "check.confidence.table", r.stdout)
	// The config key does the same; the flag overrides it.
	config := filepath.Join(t.TempDir(), "c.yml")
	if err := os.WriteFile(config, []byte("confidence: 0.99\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := levelsJSON(t, anyVerdict, append([]string{"--config", config}, args...)...); rep.Confidence != 0.99 {
		t.Errorf("config confidence = %v", rep.Confidence)
	}
	if rep := levelsJSON(t, anyVerdict, append([]string{"--config", config, "--confidence", "0.9"}, args...)...); rep.Confidence != 0.9 {
		t.Errorf("flag confidence = %v", rep.Confidence)
	}
}

// TestCheckPerDimensions: --per takes every dimension but code and
// category, repeated for several and nested with a comma, and names each
// scope by dimension and key.
func TestCheckPerDimensions(t *testing.T) {
	rep := levelsJSON(t, ExitCheckFailed, "--per", "campaign", "--per", "sending-number", "--per", "day", "--per", "step", "--per", "campaign,step",
		"--per", "texter", "--per", "link-domain", "--per", "hour", "--per", "file", "--per", "campaign",
		"--max-error-rate", "9%", "--min-outbound", "1", repoFile("example-messages.csv"))
	scopes := map[string]bool{}
	dims := map[string]int{}
	for _, c := range rep.Checks {
		scopes[c.Scope] = true
		dims[c.Dimension]++
		if c.Dimension != "" && !strings.HasPrefix(c.Scope, c.Dimension+" ") {
			t.Errorf("scope %q of dimension %q", c.Scope, c.Dimension)
		}
	}
	for _, want := range []string{"all", "campaign 121", "campaign 127", "sending-number +13127792887", "day 2022-10-04", "step initial", "step follow-up",
		"campaign,step 121 / initial", "texter Jamie Brown <jamie.brown@example.org>", "link-domain bit.ly"} {
		if !scopes[want] {
			t.Errorf("no check in scope %q", want)
		}
	}
	if dims["campaign"] != 3 || dims["sending-number"] != 16 || dims["step"] != 3 || dims["campaign,step"] != 8 || dims["file"] != 1 || dims["hour"] == 0 {
		t.Errorf("checks per dimension: %v", dims)
	}
}

// writeBaselineFixtures saves a summarize baseline of the example export by
// campaign and sending number, and a later export in which campaign 121
// errored more (40 texts turned from DELIVERED to ERROR 30007) and
// campaign 127 became 130.
func writeBaselineFixtures(t *testing.T) (baseline, later string) {
	t.Helper()
	dir := t.TempDir()
	baseline = filepath.Join(dir, "baseline.json")
	r := run(t, nil, "summarize", "--format", "json", "--by", "campaign", "--by", "sending-number", "--top-groups", "0", repoFile("example-messages.csv"))
	if r.code != ExitOK {
		t.Fatalf("summarize: exit %d: %s", r.code, r.stderr)
	}
	if err := os.WriteFile(baseline, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(repoFile("example-messages.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	turned := 0
	for i, line := range lines {
		if strings.Contains(line, ",127,") {
			lines[i] = strings.Replace(line, ",127,", ",130,", 1)
		}
		if turned < 40 && strings.Contains(line, ",121,") && strings.Contains(line, ",false,1,0,DELIVERED,,") {
			lines[i] = strings.Replace(line, ",false,1,0,DELIVERED,,", ",false,1,0,ERROR,30007,", 1)
			turned++
		}
	}
	later = filepath.Join(dir, "later.csv")
	if err := os.WriteFile(later, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return baseline, later
}

// TestCheckBaseline: changes since a baseline are checked on the whole
// input and on each group the baseline has; new and vanished groups are
// reported.
func TestCheckBaseline(t *testing.T) {
	baseline, later := writeBaselineFixtures(t)
	args := []string{"--baseline", baseline, "--max-error-rate-increase", "2pp", "--warn-error-rate-increase", "1pp",
		"--max-delivery-rate-decrease", "3pp", "--max-stuck-sent-rate-increase", "1pp", "--per", "campaign", "--min-outbound", "100", later}
	rep := levelsJSON(t, ExitCheckFailed, args...)
	if rep.Baseline == nil || rep.Baseline.Path != baseline {
		t.Fatalf("baseline = %+v", rep.Baseline)
	}
	if len(rep.Baseline.NewGroups) != 1 || rep.Baseline.NewGroups[0].Scope != "campaign 130" || rep.Baseline.NewGroups[0].Outbound != 509 {
		t.Errorf("new groups = %+v", rep.Baseline.NewGroups)
	}
	if len(rep.Baseline.VanishedGroups) != 1 || rep.Baseline.VanishedGroups[0].Scope != "campaign 127" || rep.Baseline.VanishedGroups[0].Outbound != 509 {
		t.Errorf("vanished groups = %+v", rep.Baseline.VanishedGroups)
	}
	got := map[string]string{}
	for _, c := range rep.Checks {
		if c.Unit != "change" || c.Baseline == nil || c.Current == nil {
			t.Fatalf("%s %s: unit %s baseline %v", c.Name, c.Scope, c.Unit, c.Baseline)
		}
		got[c.Name+"|"+c.Scope+"|"+c.Level] = c.Status
		if c.Scope == "campaign 130" {
			t.Errorf("a change was checked on a new group: %s", c.Name)
		}
	}
	// Campaign 121: 74 -> 114 errored of 797 (+5.02pp), 634 -> 594
	// delivered (-5.02pp); the whole input +1.84pp.
	want := map[string]string{
		"error_rate_increase|all|fail": "pass", "error_rate_increase|all|warn": "warn", "delivery_rate_decrease|all|fail": "pass",
		"error_rate_increase|campaign 121|fail": "fail", "delivery_rate_decrease|campaign 121|fail": "fail",
		"error_rate_increase|campaign 125|fail": "pass", "error_rate_increase|campaign 125|warn": "pass", "stuck_sent_rate_increase|campaign 125|fail": "pass",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(rep.Checks) != 4*3 {
		t.Errorf("%d checks, want 4 thresholds on all, 121 and 125", len(rep.Checks))
	}
	for _, format := range []string{"table", "markdown"} {
		r := run(t, nil, append([]string{"check", "--format", format}, args...)...)
		checkGolden(t, "check.baseline."+format, strings.ReplaceAll(r.stdout, baseline, "baseline.json"))
	}
	// The same data compared with itself changes nothing.
	same := levelsJSON(t, ExitOK, "--baseline", baseline, "--max-error-rate-increase", "0pp", "--max-delivery-rate-decrease", "0", "--per", "sending-number",
		"--min-outbound", "1", repoFile("example-messages.csv"))
	if len(same.Baseline.NewGroups)+len(same.Baseline.VanishedGroups) != 0 || len(same.Checks) != 2*17 {
		t.Errorf("self-comparison: %d checks, new %v, vanished %v", len(same.Checks), same.Baseline.NewGroups, same.Baseline.VanishedGroups)
	}
	for _, c := range same.Checks {
		if c.Actual != 0 || !c.Passed {
			t.Errorf("self-comparison %s %s: change %v", c.Name, c.Scope, c.Actual)
		}
	}
}

// TestCheckBaselineFromCheck: a saved check --format json is a baseline
// for the whole input.
func TestCheckBaselineFromCheck(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "check.json")
	r := run(t, nil, "check", "--format", "json", "--max-error-rate", "50%", "--per", "campaign", repoFile("example-messages.csv"))
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if err := os.WriteFile(saved, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	_, later := writeBaselineFixtures(t)
	rep := levelsJSON(t, ExitOK, "--baseline", saved, "--max-error-rate-increase", "2pp", later)
	if len(rep.Checks) != 1 || rep.Checks[0].Baseline.Count != 202 || rep.Checks[0].Current.Count != 242 || rep.Checks[0].Actual != 0.0184 {
		t.Errorf("checks = %+v", rep.Checks)
	}
	// It holds no groups: --per needs a summarize baseline.
	r = run(t, nil, "check", "--baseline", saved, "--max-error-rate-increase", "2pp", "--per", "campaign", later)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "error: --per campaign: --baseline "+saved+" has no groups by campaign") ||
		!strings.Contains(r.stderr, "hint: save the baseline with: spoke-status summarize --format json --by campaign --top-groups 0 EXPORT.csv > baseline.json") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	// A check on initial texts only is no baseline for one on all texts.
	r = run(t, nil, "check", "--format", "json", "--max-error-rate", "50%", "--step", "initial", repoFile("example-messages.csv"))
	if err := os.WriteFile(saved, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "check", "--baseline", saved, "--max-error-rate-increase", "2pp", later)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "was checked on initial texts, this run on all texts") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

// TestCheckBadBaseline: anything but a spoke-status summary or check
// report of this schema version is exit 2 with a clear message, also as
// a JSON error object.
func TestCheckBadBaseline(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, doc, want string }{
		{"empty", "", "the file is empty"},
		{"not JSON", "campaign,errors\n1,2\n", "not a spoke-status JSON document (invalid character"},
		{"an array", "[1, 2]", "not a spoke-status JSON document (json: cannot unmarshal array"},
		{"no schema", `{"totals": {"outbound": 5}}`, "not a spoke-status JSON document (no schema_version)"},
		{"another program", `{"schema_version": 1, "generated_by": "other-tool", "totals": {}, "outbound": {}}`, "not a spoke-status summary"},
		{"no totals", `{"schema_version": 1, "generated_by": "spoke-status dev"}`, "not a spoke-status summary"},
		{"newer summary", `{"schema_version": 2, "generated_by": "spoke-status v9", "totals": {"outbound": 5}, "outbound": {}}`,
			"a summary of schema_version 2; this spoke-status reads version 1: save the baseline again with this version"},
		{"newer check", `{"schema_version": 3, "passed": true, "checks": [], "summary": null}`, "a check report of schema_version 3"},
		{"check error", `{"schema_version": 1, "passed": false, "error": {"message": "no rows", "exit_code": 2}}`, "a check report of a run that judged nothing"},
		{"counts out of range", `{"schema_version": 1, "generated_by": "spoke-status dev", "totals": {"outbound": 5}, "outbound": {"errored": 9}}`,
			"totals: counts out of range (outbound 5, delivered 0, errored 9, sent_stuck 0)"},
		{"group out of range", `{"schema_version": 1, "generated_by": "spoke-status dev", "totals": {"outbound": 5}, "outbound": {},
			"groups": {"campaign": [{"key": "1", "outbound": -1}]}}`, "groups.campaign 1: counts out of range"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".json")
		if err := os.WriteFile(path, []byte(tt.doc), 0o644); err != nil {
			t.Fatal(err)
		}
		r := run(t, nil, "check", "--baseline", path, "--max-error-rate-increase", "2pp", repoFile("example-messages.csv"))
		if r.code != ExitUsage || !strings.Contains(r.stderr, "error: --baseline "+path+": "+tt.want) || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", tt.name, r.code, r.stdout, r.stderr)
		}
		r = run(t, nil, "check", "--format", "json", "--baseline", path, "--max-error-rate-increase", "2pp", repoFile("example-messages.csv"))
		if r.code != ExitUsage || !strings.Contains(r.stdout, `"exit_code": 2`) {
			t.Errorf("%s: json: exit %d, stdout %q", tt.name, r.code, r.stdout)
		}
	}
}

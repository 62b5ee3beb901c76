package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/synth"
)

// checkReport is the JSON contract of check, decoded independently of the
// check package's types.
type checkReport struct {
	SchemaVersion int   `json:"schema_version"`
	Passed        *bool `json:"passed"`
	Checks        []struct {
		Name       string  `json:"name"`
		Scope      string  `json:"scope"`
		Campaign   string  `json:"campaign"`
		Unit       string  `json:"unit"`
		Actual     float64 `json:"actual"`
		Limit      float64 `json:"limit"`
		Comparison string  `json:"comparison"`
		Passed     bool    `json:"passed"`
		Count      int64   `json:"count"`
		Outbound   int64   `json:"outbound"`
	} `json:"checks"`
	SkippedGroups []struct {
		Scope       string `json:"scope"`
		Campaign    string `json:"campaign"`
		Outbound    int64  `json:"outbound"`
		MinOutbound int64  `json:"min_outbound"`
	} `json:"skipped_groups"`
	NothingToCheck string `json:"nothing_to_check"`
	Summary        *struct {
		Totals struct {
			Outbound int64 `json:"outbound"`
		} `json:"totals"`
	} `json:"summary"`
}

// checkResult finds one check of a report by name and scope.
func (r *checkReport) result(t *testing.T, name, scope string) (passed bool, count, outbound int64) {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name && c.Scope == scope {
			return c.Passed, c.Count, c.Outbound
		}
	}
	t.Fatalf("no check %s in scope %s", name, scope)
	return false, 0, 0
}

// runCheckEnv runs Main with environment variables, as in a CI job.
func runCheckEnv(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Version: testVersion, Now: func() time.Time { return testNow },
		Getenv: func(k string) string { return vars[k] }}
	code := Main(args, env)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// checkJSON runs check --format json and decodes the report; the exit code
// must agree with "passed".
func checkJSON(t *testing.T, args ...string) *checkReport {
	t.Helper()
	r := run(t, nil, append([]string{"check", "--format", "json"}, args...)...)
	if r.code != ExitOK && r.code != ExitCheckFailed {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	var rep checkReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
	}
	if rep.Passed == nil || *rep.Passed != (r.code == ExitOK) {
		t.Fatalf("passed = %v but exit %d", rep.Passed, r.code)
	}
	return &rep
}

// goldenCheckArgs exercise every threshold kind on the example export, per
// campaign, with one campaign below --min-outbound.
func goldenCheckArgs() []string {
	return []string{"check", "--max-error-rate", "9.29%", "--min-delivery-rate", "0.78", "--max-stuck-sent-rate", "6%",
		"--max-stuck-sent", "150", "--max-opt-out-rejection-rate", "2.5%", "--max-category-rate", "spam_blocked=2%",
		"--max-code-rate", "40002=2%", "--per", "campaign", "--min-outbound", "600", repoFile("example-messages.csv")}
}

func TestCheckGolden(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"table", "json", "markdown"} {
		r := run(t, nil, append(goldenCheckArgs(), "--format", format)...)
		if r.code != ExitCheckFailed || r.stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", format, r.code, r.stderr)
		}
		checkGolden(t, "check."+format, r.stdout)
	}
	junit := filepath.Join(t.TempDir(), "checks.xml")
	if r := run(t, nil, append(goldenCheckArgs(), "--junit", junit)...); r.code != ExitCheckFailed {
		t.Fatalf("junit: exit %d, stderr %q", r.code, r.stderr)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "check.junit.xml", string(data))
	r := runCheckEnv(t, map[string]string{"GITHUB_ACTIONS": "true"}, goldenCheckArgs()...)
	checkGolden(t, "check.github", r.stdout)
}

// TestCheckGoldenFigures pins the golden table's figures to hand-checkable
// counts of the example export (README's sample output).
func TestCheckGoldenFigures(t *testing.T) {
	t.Parallel()
	rep := checkJSON(t, goldenCheckArgs()[1:]...)
	want := []struct {
		name, scope     string
		passed          bool
		count, outbound int64
	}{
		{"error_rate", "all", false, 202, 2174},                // 9.2916% > 9.29%
		{"delivery_rate", "all", true, 1710, 2174},             // 78.66% >= 78%
		{"stuck_sent_rate", "all", false, 131, 2174},           // 6.03% > 6%
		{"stuck_sent", "all", true, 131, 2174},                 // 131 <= 150
		{"opt_out_rejection_rate", "all", true, 46, 2174},      // 2.12%
		{"category_rate:spam_blocked", "all", false, 45, 2174}, // 2.07% > 2%
		{"code_rate:40002", "all", true, 40, 2174},             // 1.84%
		{"error_rate", "campaign 121", true, 74, 797},
		{"error_rate", "campaign 125", true, 76, 868},
	}
	for _, w := range want {
		passed, count, outbound := rep.result(t, w.name, w.scope)
		if passed != w.passed || count != w.count || outbound != w.outbound {
			t.Errorf("%s/%s = %v %d/%d, want %v %d/%d", w.scope, w.name, passed, count, outbound, w.passed, w.count, w.outbound)
		}
	}
	if len(rep.SkippedGroups) != 1 || rep.SkippedGroups[0].Campaign != "127" || rep.SkippedGroups[0].Outbound != 509 || rep.SkippedGroups[0].MinOutbound != 600 {
		t.Errorf("skipped = %+v, want campaign 127 with 509 outbound", rep.SkippedGroups)
	}
	if len(rep.Checks) != 7*3 || rep.Summary == nil || rep.Summary.Totals.Outbound != 2174 {
		t.Errorf("%d checks, summary %+v", len(rep.Checks), rep.Summary)
	}
}

// bounds returns limits just below and just above count/outbound at a
// precision of decimals (as fractions, e.g. "0.0929" and "0.0930"), and the
// exact value when it is writable at that precision.
func bounds(count, outbound int64, decimals int) (below, exact, above string) {
	f := big.NewRat(count, outbound)
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	scaled := new(big.Rat).Mul(f, new(big.Rat).SetInt(scale))
	lo := new(big.Int).Quo(scaled.Num(), scaled.Denom())
	hi := new(big.Int).Add(lo, big.NewInt(1))
	if scaled.IsInt() {
		exact = f.FloatString(decimals)
		lo.Sub(lo, big.NewInt(1))
	}
	frac := func(n *big.Int) string {
		if n.Sign() < 0 {
			return ""
		}
		return new(big.Rat).SetFrac(n, scale).FloatString(decimals)
	}
	return frac(lo), exact, frac(hi)
}

// truthFigure is one figure counted by the generator, and the threshold
// flag that gates it.
type truthFigure struct {
	name, flag, key string // key: "CATEGORY=" or "CODE=" for keyed flags
	count, outbound int64
	min, isCount    bool
}

func truthFigures(truth synth.Truth, provider string, hasCodes bool) []truthFigure {
	out := int64(truth.Outbound)
	// Carrier spam filtering, from the providers' docs; Spoke Rewired's number
	// service writes Twilio's 63026 (SpamContent) whatever the carrier.
	spam := map[string][]string{"twilio": {"30007", "63026"}, "telnyx": {"40002", "63026"}, "bandwidth": {"4770", "4771", "63026"}}[provider]
	var spamCount int64
	for _, code := range spam {
		spamCount += int64(truth.ErrorCodes[code])
	}
	topCode, topCount := "30007", 0 // an export without codes has none of 30007 either
	for code, n := range truth.ErrorCodes {
		if code != "" && (n > topCount || n == topCount && code < topCode) {
			topCode, topCount = code, n
		}
	}
	figures := []truthFigure{
		{name: "error_rate", flag: "--max-error-rate", count: int64(truth.Errored), outbound: out},
		{name: "delivery_rate", flag: "--min-delivery-rate", count: int64(truth.Delivered), outbound: out, min: true},
		{name: "stuck_sent_rate", flag: "--max-stuck-sent-rate", count: int64(truth.SentStuck), outbound: out},
		{name: "stuck_sent", flag: "--max-stuck-sent", count: int64(truth.SentStuck), outbound: out, isCount: true},
		{name: "opt_out_rejection_rate", flag: "--max-opt-out-rejection-rate", count: int64(truth.OptOutRejections), outbound: out},
	}
	if !hasCodes {
		return figures // code and category thresholds are refused without a code column
	}
	return append(figures,
		truthFigure{name: "category_rate:spam_blocked", flag: "--max-category-rate", key: "spam_blocked=", count: spamCount, outbound: out},
		truthFigure{name: "code_rate:" + topCode, flag: "--max-code-rate", key: topCode + "=", count: int64(topCount), outbound: out},
	)
}

// TestCheckGatesAgainstGeneratorTruth runs every threshold kind just below,
// at and just above the true figure of generated exports (counted by the
// generator, not by the reader), at 4 and 9 decimals, as fractions and as
// percentages: a ceiling must pass at and above the truth and fail below,
// a floor the other way round.
func TestCheckGatesAgainstGeneratorTruth(t *testing.T) {
	t.Parallel()
	for _, dialect := range synth.Dialects() {
		for _, provider := range synth.Providers() {
			t.Run(dialect+"/"+provider, func(t *testing.T) {
				path, truth := writeSynthExport(t, synth.Options{Rows: 4000, Seed: 23, Dialect: dialect, Provider: provider, Campaigns: 3})
				figures := truthFigures(truth, provider, dialect != synth.DialectMoveOnLegacy)
				for _, decimals := range []int{4, 9} {
					for _, side := range []string{"below", "exact", "above"} {
						checkSide(t, path, provider, figures, decimals, side)
					}
				}
			})
		}
	}
}

func checkSide(t *testing.T, path, provider string, figures []truthFigure, decimals int, side string) {
	t.Helper()
	args := []string{"--provider", provider}
	want := map[string]bool{}
	for i, f := range figures {
		var limit string
		if f.isCount {
			n := map[string]int64{"below": f.count - 1, "exact": f.count, "above": f.count + 1}[side]
			if n < 0 {
				continue
			}
			limit = fmt.Sprint(n)
		} else {
			below, exact, above := bounds(f.count, f.outbound, decimals)
			limit = map[string]string{"below": below, "exact": exact, "above": above}[side]
			if limit == "" {
				continue // no such limit (a zero figure has nothing below it)
			}
			if i%2 == 1 { // alternate with the percentage spelling
				limit = percentOfFraction(limit)
			}
		}
		args = append(args, f.flag, f.key+limit)
		want[f.name] = side == "exact" || (side == "above") != f.min
	}
	rep := checkJSON(t, append(args, path)...)
	for name, pass := range want {
		got, count, outbound := rep.result(t, name, "all")
		if got != pass {
			t.Errorf("%s at %d decimals, %s the truth (%d/%d): passed %v, want %v (args %v)", name, decimals, side, count, outbound, got, pass, args)
		}
	}
	for _, f := range figures {
		if _, ok := want[f.name]; !ok {
			continue
		}
		if _, count, outbound := rep.result(t, f.name, "all"); count != f.count || outbound != f.outbound {
			t.Errorf("%s counted %d/%d, truth %d/%d", f.name, count, outbound, f.count, f.outbound)
		}
	}
}

// percentOfFraction writes "0.0929" as "9.29%" exactly (moving the point).
func percentOfFraction(s string) string {
	r, _ := new(big.Rat).SetString(s)
	r.Mul(r, big.NewRat(100, 1))
	return strings.TrimRight(strings.TrimRight(r.FloatString(12), "0"), ".") + "%"
}

// TestCheckPerCampaignAgainstTruth gates each campaign of a generated
// export just below and just above its true error rate.
func TestCheckPerCampaignAgainstTruth(t *testing.T) {
	t.Parallel()
	path, truth := writeSynthExport(t, synth.Options{Rows: 6000, Seed: 5, Dialect: synth.DialectStateVoicesV10, Provider: synth.ProviderTwilio, Campaigns: 4})
	if len(truth.ByCampaign) != 4 {
		t.Fatalf("truth has %d campaigns", len(truth.ByCampaign))
	}
	for id, c := range truth.ByCampaign {
		below, _, above := bounds(int64(c.Errored), int64(c.Outbound), 6)
		for _, side := range []struct {
			limit string
			pass  bool
		}{{below, false}, {above, true}} {
			rep := checkJSON(t, "--per", "campaign", "--min-outbound", "1", "--max-error-rate", side.limit, path)
			passed, count, outbound := rep.result(t, "error_rate", "campaign "+id)
			if passed != side.pass || count != int64(c.Errored) || outbound != int64(c.Outbound) {
				t.Errorf("campaign %s at %s: passed %v %d/%d; truth %d/%d, want passed %v", id, side.limit, passed, count, outbound, c.Errored, c.Outbound, side.pass)
			}
		}
	}
	// --min-outbound above every campaign's size skips them all: nothing
	// to check, unless --allow-empty, which still checks the whole input.
	largest := 0
	for _, c := range truth.ByCampaign {
		largest = max(largest, c.Outbound)
	}
	args := []string{"--per", "campaign", "--min-outbound", fmt.Sprint(largest + 1), "--max-error-rate", "100%", path}
	if r := run(t, nil, append([]string{"check"}, args...)...); r.code != ExitUsage || !strings.Contains(r.stderr, "every campaign has fewer than") {
		t.Errorf("every campaign skipped: exit %d, stderr %q", r.code, r.stderr)
	}
	rep := checkJSON(t, append([]string{"--allow-empty"}, args...)...)
	if len(rep.SkippedGroups) != 4 || len(rep.Checks) != 1 || rep.NothingToCheck == "" {
		t.Errorf("skipped %d groups, %d checks, nothing_to_check %q; want 4, 1 and a reason", len(rep.SkippedGroups), len(rep.Checks), rep.NothingToCheck)
	}
}

func TestCheckExitCodes(t *testing.T) {
	t.Parallel()
	fixture := repoFile("dialects", "statevoices-v10.csv") // 13 outbound, 6 errored (counted by hand)
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--max-error-rate", "47%"}, ExitOK, ""},
		{[]string{"--max-error-rate", "46%"}, ExitCheckFailed, ""},
		{[]string{"--max-error-rate", "0.4615"}, ExitCheckFailed, ""}, // 6/13 = 0.461538...
		{[]string{"--max-error-rate", "0.4616"}, ExitOK, ""},
		{[]string{}, ExitUsage, "no threshold given"},
		{[]string{"--max-error-rate", "5 %"}, ExitUsage, `--max-error-rate: "5 %" is not a rate`},
		{[]string{"--max-stuck-sent", "-1"}, ExitUsage, `--max-stuck-sent: "-1" is negative`},
		{[]string{"--max-category-rate", "spam=1%"}, ExitUsage, `--max-category-rate: unknown category "spam"`},
		{[]string{"--max-code-rate", "30007"}, ExitUsage, `--max-code-rate: "30007" is not NAME=RATE`},
		{[]string{"--max-error-rate", "5%", "--per", "texter"}, ExitUsage, `--per texter: ../../testdata/dialects/statevoices-v10.csv is a statevoices-v10 export, which has no texter column`},
		{[]string{"--max-error-rate", "5%", "--per", "code"}, ExitUsage, `--per: "code" cannot be checked per group`},
		{[]string{"--max-error-rate", "5%", "--per", "campaigns"}, ExitUsage, `invalid argument "campaigns" for "--per" flag: must be campaign, texter`},
		{[]string{"--max-error-rate", "5%", "--per", "campaign,campaign"}, ExitUsage, `names the same dimension twice`},
		{[]string{"--max-error-rate", "5%", "--per", "day", "--tz", "Mars/Base"}, ExitUsage, `--tz "Mars/Base" is not a known time zone`},
		{[]string{"--max-error-rate", "5%", "--warn-error-rate", "6%"}, ExitUsage, `--warn-error-rate 6.00% is past --max-error-rate 5.00%`},
		{[]string{"--warn-error-rate", "abc"}, ExitUsage, `--warn-error-rate: "abc" is not a rate`},
		{[]string{"--warn-code-rate", "30007"}, ExitUsage, `--warn-code-rate: "30007" is not NAME=RATE`},
		{[]string{"--max-error-rate", "5%", "--confidence", "1.5"}, ExitUsage, `--confidence: "1.5" is not a confidence level`},
		{[]string{"--max-error-rate", "5%", "--confidence", "0"}, ExitUsage, `it must be above 0 and below 1`},
		{[]string{"--max-error-rate-increase", "2pp"}, ExitUsage, `--max-error-rate-increase compares with a baseline: --baseline is missing`},
		{[]string{"--max-error-rate-increase", "2%"}, ExitUsage, `--max-error-rate-increase: "2%" is ambiguous`},
		{[]string{"--max-error-rate", "5%", "--baseline", "/nonexistent/base.json"}, ExitUsage, `--baseline is given but no threshold compares with it`},
		{[]string{"--max-error-rate-increase", "2pp", "--baseline", "/nonexistent/base.json"}, ExitUsage, `--baseline /nonexistent/base.json: cannot read it: no such file or directory`},
		{[]string{"--max-error-rate", "5%", "--min-outbound", "-1"}, ExitUsage, "must be 0 or more"},
		{[]string{"--max-error-rate", "5%", "--format", "csv"}, ExitUsage, `invalid argument "csv" for "-f, --format" flag: must be table, json or markdown`},
		{[]string{"--max-error-rate", "5%", "--config", "/nonexistent/spoke.yml"}, ExitUsage, "cannot read the config file"},
		{[]string{"--max-error-rate", "5%", "--junit", "/nonexistent/dir/out.xml"}, ExitUsage, "--junit: cannot write"},
	}
	for _, tt := range tests {
		r := run(t, nil, append(append([]string{"check", "--min-outbound", "1"}, tt.args...), fixture)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) || (tt.stderr == "" && r.stderr != "") {
			t.Errorf("check %v: exit %d, stderr %q; want %d and %q", tt.args, r.code, r.stderr, tt.code, tt.stderr)
		}
		if tt.code == ExitUsage && r.stdout != "" {
			t.Errorf("check %v: usage error printed results: %q", tt.args, r.stdout)
		}
	}
	if r := run(t, nil, "check", "--max-error-rate", "5%", "no-such-file.csv"); r.code != ExitUsage || !strings.Contains(r.stderr, "no-such-file.csv: no such file") {
		t.Errorf("missing file: exit %d, stderr %q", r.code, r.stderr)
	}
}

// Malformed rows fail the gate with exit 2 unless --max-skipped-rows allows
// them: a row that cannot be read could be the error that breaks a limit.
func TestCheckMalformedRows(t *testing.T) {
	t.Parallel()
	fixture, err := os.ReadFile(repoFile("dialects", "moveon-v5.csv"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bad.csv")
	data := string(fixture) + "\n905,58,+15555550104,only,four\n906,58,+1,+2,false,ERROR\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, "check", "--min-outbound", "1", "--max-error-rate", "100%", path)
	if r.code != ExitUsage || r.stdout != "" || !strings.Contains(r.stderr, "malformed rows skipped: 2 in "+path) ||
		!strings.Contains(r.stderr, "--max-skipped-rows 2") || !strings.Contains(r.stderr, path+":10: skipped malformed row") {
		t.Errorf("malformed rows: exit %d\nstdout %q\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, nil, "check", "--min-outbound", "1", "--max-error-rate", "100%", "--max-skipped-rows", "1", path); r.code != ExitUsage {
		t.Errorf("1 allowed, 2 skipped: exit %d", r.code)
	}
	if r := run(t, nil, "check", "--min-outbound", "1", "--max-error-rate", "100%", "--max-skipped-rows", "2", path); r.code != ExitOK {
		t.Errorf("2 allowed, 2 skipped: exit %d, stderr %s", r.code, r.stderr)
	}
}

// Flags override the config file key by key; everything else in the file
// stays.
func TestCheckConfigPrecedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "spoke.yml")
	doc := "max-error-rate: 100%\nmax-category-rate:\n  spam_blocked: 0%\n  opted_out: 50%\nper: campaign\nmin-outbound: 1\n"
	if err := os.WriteFile(config, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	fixture := repoFile("dialects", "statevoices-v10.csv")
	rep := checkJSON(t, "--config", config, fixture)
	// error_rate passes at 100%; spam_blocked (30007: 2 of 13) fails at 0%.
	if p, _, _ := rep.result(t, "error_rate", "all"); !p {
		t.Error("config max-error-rate 100% should pass")
	}
	if p, c, _ := rep.result(t, "category_rate:spam_blocked", "all"); p || c != 2 {
		t.Errorf("config spam_blocked 0%%: passed %v count %d", p, c)
	}
	if _, _, o := rep.result(t, "error_rate", "campaign 113"); o != 5 {
		t.Errorf("per: campaign from the file: campaign 113 has %d outbound, want 5", o)
	}
	rep = checkJSON(t, "--config", config, "--max-error-rate", "10%", "--max-category-rate", "spam_blocked=20%", "--per", "", fixture)
	if p, _, _ := rep.result(t, "error_rate", "all"); p {
		t.Error("flag --max-error-rate 10% should override the file and fail")
	}
	if p, _, _ := rep.result(t, "category_rate:spam_blocked", "all"); !p {
		t.Error("flag spam_blocked=20% should override the file and pass")
	}
	if p, _, _ := rep.result(t, "category_rate:opted_out", "all"); !p {
		t.Error("opted_out from the file should still be checked")
	}
	if len(rep.Checks) != 3 {
		t.Errorf("--per '' overrides the file: want 3 checks on all, got %d", len(rep.Checks))
	}
}

func TestCheckGitHub(t *testing.T) {
	t.Parallel()
	summaryFile := filepath.Join(t.TempDir(), "step-summary.md")
	if err := os.WriteFile(summaryFile, []byte("# earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summaryFile}
	fixture := repoFile("dialects", "statevoices-v10.csv")
	args := []string{"check", "--min-outbound", "1", "--max-error-rate", "10%", "--max-stuck-sent", "0", "--min-delivery-rate", "20%", fixture}

	r := runCheckEnv(t, vars, args...)
	if r.code != ExitCheckFailed || strings.Count(r.stdout, "\n::error ") != 2 ||
		!strings.Contains(r.stdout, "::error title=spoke-status check%3A error_rate (all)::error_rate is 46.15%25 (6 of 13 outbound texts) in the whole input, above the limit of 10.00%25\n") {
		t.Errorf("table + annotations: exit %d\n%s", r.code, r.stdout)
	}
	data, err := os.ReadFile(summaryFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "# earlier step\n## ❌ Spoke deliverability check failed\n\n2 of 3 checks failed.\n") {
		t.Errorf("step summary:\n%s", data)
	}

	// JSON stays one document on stdout; annotations go to stderr.
	r = runCheckEnv(t, vars, append(args, "--format", "json")...)
	var rep checkReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || strings.Contains(r.stdout, "::error") {
		t.Errorf("json stdout is not one document (%v):\n%s", err, r.stdout)
	}
	if strings.Count(r.stderr, "::error ") != 2 {
		t.Errorf("json: annotations not on stderr:\n%s", r.stderr)
	}

	// --github=false turns it off; --github turns it on without GITHUB_ACTIONS.
	if r := runCheckEnv(t, vars, append(args, "--github=false")...); strings.Contains(r.stdout, "::error") {
		t.Errorf("--github=false still annotated:\n%s", r.stdout)
	}
	if r := runCheckEnv(t, nil, append(args, "--github")...); strings.Count(r.stdout, "::error ") != 2 {
		t.Errorf("--github did not annotate:\n%s", r.stdout)
	}
	if r := runCheckEnv(t, nil, args...); strings.Contains(r.stdout, "::") {
		t.Errorf("annotations outside GitHub Actions:\n%s", r.stdout)
	}

	// A step summary that cannot be written is a warning, not a new exit code.
	vars["GITHUB_STEP_SUMMARY"] = filepath.Join(t.TempDir(), "missing-dir", "summary.md")
	if r := runCheckEnv(t, vars, args...); r.code != ExitCheckFailed || !strings.Contains(r.stderr, "warning: cannot append the report to $GITHUB_STEP_SUMMARY") {
		t.Errorf("unwritable summary: exit %d, stderr %q", r.code, r.stderr)
	}
}

// The JUnit file parses back, agrees with the exit code, and is replaced
// whole.
func TestCheckJUnitFile(t *testing.T) {
	t.Parallel()
	junit := filepath.Join(t.TempDir(), "report.xml")
	if err := os.WriteFile(junit, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	fixture := repoFile("dialects", "statevoices-v10.csv")
	r := run(t, nil, "check", "--junit", junit, "--max-error-rate", "50%", "--max-stuck-sent", "0", "--per", "campaign", "--min-outbound", "6", fixture)
	if r.code != ExitCheckFailed {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("JUnit does not parse: %v\n%s", err, data)
	}
	// all: error 6/13 passes, stuck 1 fails; campaign 112 (8 outbound):
	// error 3/8 passes, stuck 1 fails; campaign 113 (5 outbound) skipped.
	if doc.Tests != 5 || doc.Failures != 2 || doc.Skipped != 1 || len(doc.Suites) != 3 ||
		doc.Suites[0].Name != "all" || doc.Suites[1].Name != "campaign 112" || doc.Suites[2].Name != "campaign 113" {
		t.Errorf("JUnit: %+v\n%s", doc, data)
	}
	for _, s := range doc.Suites[:2] {
		for _, c := range s.Cases {
			if (c.Failure != nil) != (c.Name == "stuck_sent") {
				t.Errorf("%s/%s failure = %v", s.Name, c.Name, c.Failure != nil)
			}
		}
	}
}

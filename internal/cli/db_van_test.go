package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/dbsource/dbtest"
	"github.com/spoke-status/spoke-status/internal/export"
)

// sortedLines returns out's lines after the header, sorted: the export
// and the database list contacts in different orders.
func sortedLines(out string) (header string, lines []string) {
	all := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	lines = slices.Clone(all[1:])
	slices.Sort(lines)
	return all[0], lines
}

// TestDatabaseVAN: van --db writes the upload file, unmatched list and
// corrections that van writes from the campaign's messages and contacts
// exports, for both lineages (StateVoices joins on the contact id,
// Rewired on campaign and cell).
func TestDatabaseVAN(t *testing.T) {
	for _, lineage := range []export.Dialect{export.StateVoicesV10, export.Rewired} {
		t.Run(string(lineage), func(t *testing.T) {
			f := dbtest.New(t, lineage, 2000, 31)
			f.SetExternalIDs(t, 7)
			dir := t.TempDir()
			c := f.Campaigns[0]
			messages, contacts := f.WriteExport(t, dir, c), f.WriteContacts(t, dir, c)
			side := func(name string) []string {
				return []string{"--tz", "America/New_York", "--unmatched", filepath.Join(dir, name+"-unmatched.csv"),
					"--corrections", filepath.Join(dir, name+"-corrections.csv"), "-o", filepath.Join(dir, name+"-van.csv")}
			}
			csv := run(t, nil, append([]string{"van", messages, "--contacts", contacts}, side("csv")...)...)
			db := run(t, nil, append([]string{"van", "--db", f.ReaderURL, "--campaign", fmt.Sprint(c)}, side("db")...)...)
			if csv.code != 0 || db.code != 0 {
				t.Fatalf("exit %d on the exports, %d on the database:\n%s\n%s", csv.code, db.code, csv.stderr, db.stderr)
			}
			if strings.ReplaceAll(csv.stderr, "csv-unmatched", "db-unmatched") != db.stderr || !strings.Contains(db.stderr, "contacts without a VAN id") {
				t.Errorf("warnings differ or are missing\n--- exports:\n%s--- db:\n%s", csv.stderr, db.stderr)
			}
			for _, out := range []string{"van", "unmatched", "corrections"} {
				want, got := readFile(t, filepath.Join(dir, "csv-"+out+".csv")), readFile(t, filepath.Join(dir, "db-"+out+".csv"))
				wh, wl := sortedLines(want)
				gh, gl := sortedLines(got)
				if wh != "van_id,phone,date_contacted,result" || gh != wh || !slices.Equal(wl, gl) {
					t.Errorf("%s differs\n--- exports:\n%s--- db:\n%s", out, want, got)
				}
				if out == "van" && (len(gl) == 0 || !strings.Contains(got, ",Texted\n") || !strings.Contains(got, "VAN")) {
					t.Errorf("the upload file has no Texted contact with a VAN id:\n%s", got)
				}
			}
			if strings.Contains(db.stdout+db.stderr, dbtest.Password) {
				t.Error("the password shows")
			}
		})
	}
}

// TestDatabaseVANErrors: --db takes no --contacts, needs a campaign, and
// reports a database whose campaign_contact lacks external_id.
func TestDatabaseVANErrors(t *testing.T) {
	f := dbtest.New(t, export.StateVoicesV10, 100, 3)
	noExt := dbtest.New(t, export.Rewired, 100, 4)
	noExt.Exec(t, `ALTER TABLE campaign_contact DROP COLUMN external_id`)
	c := fmt.Sprint(f.Campaigns[0])
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"contacts with db", []string{"--db", f.ReaderURL, "--campaign", c, "--contacts", "x.csv"}, "--contacts reads contacts exports; --db reads the database"},
		{"no campaign", []string{"--db", f.ReaderURL}, "--db needs --campaign ID or --all-campaigns"},
		{"no external_id", []string{"--db", noExt.ReaderURL, "--campaign", fmt.Sprint(noExt.Campaigns[0])}, "missing campaign_contact.external_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, append([]string{"van"}, tc.args...)...)
			if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "hint:") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2 with %q and a hint", r.code, r.stderr, tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout: %s", r.stdout)
			}
		})
	}
}

// TestVANNeedsInput: van without files or --db says what it needs.
func TestVANNeedsInput(t *testing.T) {
	r := run(t, nil, "van")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "van needs a messages export and its contacts export, or the database") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

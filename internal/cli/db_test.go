package cli

import (
	"encoding/json"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/dbsource/dbtest"
	"github.com/spoke-status/spoke-status/internal/export"
)

// withoutInputs decodes a JSON summary and drops its inputs entry, the one
// part that names the files or the database.
func withoutInputs(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	delete(m, "inputs")
	if s, ok := m["summary"].(map[string]any); ok { // check nests the summary
		delete(s, "inputs")
	}
	return m
}

// withoutDatabaseOnly also drops what only the database gives: the
// delivery-report latency, and which time judged stuck SENT texts (the
// fixtures send every text when it is created, so the counts agree).
func withoutDatabaseOnly(t *testing.T, out string) map[string]any {
	m := withoutInputs(t, out)
	for _, s := range []map[string]any{m, nestedSummary(m)} {
		delete(s, "delivery_latency")
		delete(s, "stuck_definition")
	}
	return m
}

func nestedSummary(m map[string]any) map[string]any {
	s, _ := m["summary"].(map[string]any)
	return s
}

// TestDatabaseMatchesExport: summarize --db prints the JSON summarize
// prints on the export the lineage's own export job writes from the same
// database, for one campaign, several, and all of them.
func TestDatabaseMatchesExport(t *testing.T) {
	t.Parallel()
	for _, lineage := range []export.Dialect{export.StateVoicesV10, export.Rewired} {
		t.Run(string(lineage), func(t *testing.T) {
			f := dbtest.New(t, lineage, 3000, 17)
			dir := t.TempDir()
			var files []string
			for _, c := range f.Campaigns {
				files = append(files, f.WriteExport(t, dir, c))
			}
			one := fmt.Sprint(f.Campaigns[0])
			cases := []struct {
				name      string
				files     []string
				db, extra []string
			}{
				{"one campaign", files[:1], []string{"--campaign", one}, nil},
				{"two campaigns", files[:2], []string{"--campaign", one, "--campaign", fmt.Sprint(f.Campaigns[1])}, nil},
				{"all campaigns", files, []string{"--all-campaigns"}, nil},
				{"by campaign and day", files, []string{"--all-campaigns"}, []string{"--by", "campaign", "--by", "day", "--by", "sending-number"}},
				// Steps order a contact's texts by message id with --db,
				// by attempted-at then row in the export: the same here.
				{"by step", files, []string{"--all-campaigns"}, []string{"--by", "step"}},
			}
			if lineage == export.Rewired {
				cases = append(cases, struct {
					name      string
					files     []string
					db, extra []string
				}{"by texter", files, []string{"--all-campaigns"}, []string{"--by", "texter"}})
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					base := append([]string{"summarize", "--format", "json"}, tc.extra...)
					csv := run(t, nil, append(base, tc.files...)...)
					if csv.code != 0 {
						t.Fatalf("summarize on the export: exit %d: %s", csv.code, csv.stderr)
					}
					db := run(t, nil, append(append(base, "--db", f.ReaderURL), tc.db...)...)
					if db.code != 0 {
						t.Fatalf("summarize --db: exit %d: %s", db.code, db.stderr)
					}
					if !reflect.DeepEqual(withoutDatabaseOnly(t, csv.stdout), withoutDatabaseOnly(t, db.stdout)) {
						t.Errorf("summarize --db differs from summarize on the export\n--- export:\n%s\n--- db:\n%s", csv.stdout, db.stdout)
					}
					if strings.Contains(db.stdout+db.stderr, dbtest.Password) {
						t.Errorf("the password shows in the output:\n%s%s", db.stdout, db.stderr)
					}
					if !strings.Contains(db.stdout, `"dialect": "`+string(lineage)+`"`) || !strings.Contains(db.stdout, "campaign="+one) {
						t.Errorf("inputs do not name the lineage and campaign:\n%s", db.stdout)
					}
				})
			}
		})
	}
}

// TestDatabaseOtherCommands: check, contacts and rows read the database
// as they read the export.
func TestDatabaseOtherCommands(t *testing.T) {
	t.Parallel()
	f := dbtest.New(t, export.StateVoicesV10, 800, 5)
	file := f.WriteExport(t, t.TempDir(), f.Campaigns[0])
	c := fmt.Sprint(f.Campaigns[0])
	for _, args := range [][]string{
		{"check", "--format", "json", "--max-error-rate", "50%"},
		{"contacts", "--format", "csv"},
		{"rows", "--status", "error"},
	} {
		t.Run(args[0], func(t *testing.T) {
			csv := run(t, nil, append(args, file)...)
			db := run(t, nil, append(args, "--db", f.ReaderURL, "--campaign", c)...)
			if csv.code != db.code {
				t.Fatalf("exit %d on the export, %d on the database: %s", csv.code, db.code, db.stderr)
			}
			if args[0] == "check" {
				if !reflect.DeepEqual(withoutDatabaseOnly(t, csv.stdout), withoutDatabaseOnly(t, db.stdout)) {
					t.Errorf("differ\n--- export:\n%s\n--- db:\n%s", csv.stdout, db.stdout)
				}
				return
			}
			if args[0] == "rows" { // rows name their file and line
				if got, want := strings.Count(db.stdout, "\n"), strings.Count(csv.stdout, "\n"); got != want || got == 0 {
					t.Errorf("rows --db printed %d lines, the export %d", got, want)
				}
				return
			}
			if csv.stdout != db.stdout {
				t.Errorf("differ\n--- export:\n%s\n--- db:\n%s", csv.stdout, db.stdout)
			}
		})
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestDatabaseErrors: every failure is exit 2 with a hint, names what is
// wrong, and never shows the password.
func TestDatabaseErrors(t *testing.T) {
	t.Parallel()
	sv := dbtest.New(t, export.StateVoicesV10, 200, 1)
	noCode := dbtest.New(t, export.StateVoicesV10, 50, 2)
	noCode.Exec(t, `ALTER TABLE message DROP COLUMN error_code; ALTER TABLE campaign_contact DROP COLUMN campaign_id`)
	denied := dbtest.New(t, export.Rewired, 50, 3)
	denied.Exec(t, `REVOKE SELECT ON "user" FROM `+denied.Reader)
	wrongPassword := strings.Replace(sv.ReaderURL, dbtest.Password, dbtest.Password+"x", 1)
	missingDB := strings.Replace(sv.ReaderURL, "@/"+sv.DB, "@/no_such_db", 1)
	emptyDB := strings.Replace(sv.AdminURL, "/"+sv.DB, "/postgres", 1)
	c := fmt.Sprint(sv.Campaigns[0])
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"connection refused", []string{"--db", "postgres://reader:" + dbtest.Password + "@" + closedPort(t) + "/spoke?sslmode=disable", "--campaign", "1"}, "connection refused"},
		{"authentication failed", []string{"--db", wrongPassword, "--campaign", c}, "authentication failed"},
		{"database not found", []string{"--db", missingDB, "--campaign", c}, `database "no_such_db" not found`},
		{"no Spoke tables", []string{"--db", emptyDB, "--campaign", c}, "not a Spoke database: it has no message, campaign_contact or campaign table"},
		{"missing columns", []string{"--db", noCode.ReaderURL, "--campaign", fmt.Sprint(noCode.Campaigns[0])},
			"not a Spoke database: missing campaign_contact.campaign_id, message.error_code (StateVoices/MoveOn Spoke) or message.error_codes (Spoke Rewired)"},
		{"campaign not found", []string{"--db", sv.ReaderURL, "--campaign", c, "--campaign", "987654"}, "campaign 987654 not found"},
		{"campaign of another organization", []string{"--db", sv.ReaderURL, "--campaign", fmt.Sprint(sv.Campaigns[1]), "--organization", "1"}, "not found in organization 1 (it belongs to organization 2)"},
		{"permission denied", []string{"--db", denied.ReaderURL, "--campaign", fmt.Sprint(denied.Campaigns[0])}, "permission denied for table user"},
		{"no campaign flag", []string{"--db", sv.ReaderURL}, "--db needs --campaign ID or --all-campaigns"},
		{"files and db", []string{"--db", sv.ReaderURL, "--campaign", c, "export.csv"}, "export files were given too"},
		{"bad url", []string{"--db", "postgres://reader:" + dbtest.Password + "@host:notaport/db", "--campaign", "1"}, "is not a PostgreSQL connection string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, append([]string{"summarize"}, tc.args...)...)
			if r.code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, ExitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "spoke-status: hint: ") {
				t.Errorf("stderr lacks %q and a hint:\n%s", tc.want, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, dbtest.Password) {
				t.Errorf("the password shows:\n%s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout is not empty:\n%s", r.stdout)
			}
		})
	}
}

// TestDatabaseAllCampaignsSaysHowMany: --all-campaigns tells how many
// campaigns it reads, and --organization narrows them.
func TestDatabaseAllCampaignsSaysHowMany(t *testing.T) {
	t.Parallel()
	f := dbtest.New(t, export.Rewired, 300, 9)
	r := run(t, nil, "summarize", "--format", "json", "--db", f.ReaderURL, "--all-campaigns", "--organization", "2")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := "--all-campaigns: reading 1 campaign\n"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("campaign=%d", f.Campaigns[1])) || strings.Contains(r.stdout, fmt.Sprintf("campaign=%d\"", f.Campaigns[0])) {
		t.Errorf("organization 2 holds only campaign %d:\n%s", f.Campaigns[1], r.stdout)
	}
}

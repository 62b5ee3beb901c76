package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/spoke-status/spoke-status/internal/dbsource/dbtest"
	"github.com/spoke-status/spoke-status/internal/export"
)

// TestWarehousePostgresLoad: the CREATE TABLE of `schema --for postgres`
// loads the CSV of its output with COPY, in a throwaway database of the
// test cluster, and the loaded table holds the figures the summary counts.
func TestWarehousePostgresLoad(t *testing.T) {
	f := dbtest.New(t, export.StateVoicesV10, 1500, 41)
	f.SetExternalIDs(t, 5)
	dir := t.TempDir()
	file := f.WriteExport(t, dir, f.Campaigns[0])
	contactsFile := f.WriteContacts(t, dir, f.Campaigns[0])
	s := decodeSummary(t, run(t, nil, "summarize", "--format", "json", file).stdout)

	conn, err := pgx.Connect(context.Background(), f.AdminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	load := func(table string, produce ...string) int64 {
		t.Helper()
		ddl := run(t, nil, "schema", "--for", "postgres", "--output", table)
		if ddl.code != 0 {
			t.Fatalf("schema --output %s: %s", table, ddl.stderr)
		}
		// Exec without arguments sends the statements in one simple query.
		if _, err := conn.Exec(context.Background(), ddl.stdout); err != nil {
			t.Fatalf("CREATE TABLE %s: %v\n%s", table, err, ddl.stdout)
		}
		out := filepath.Join(dir, table+".csv")
		if r := run(t, nil, append(produce, "-o", out)...); r.code != 0 {
			t.Fatalf("%s: exit %d: %s", produce[0], r.code, r.stderr)
		}
		in, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		tag, err := conn.PgConn().CopyFrom(context.Background(), in, "COPY "+table+" FROM STDIN WITH (FORMAT csv, HEADER true)")
		if err != nil {
			t.Fatalf("COPY %s: %v", table, err)
		}
		return tag.RowsAffected()
	}
	query := func(sql string) string {
		t.Helper()
		var v any
		if err := conn.QueryRow(context.Background(), sql).Scan(&v); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return fmt.Sprint(v)
	}
	expect := func(sql string, want any) {
		t.Helper()
		if got := query(sql); got != fmt.Sprint(want) {
			t.Errorf("%s = %s, want %v", sql, got, want)
		}
	}

	if n := load("rows", "rows", file); n != s.Totals.Rows {
		t.Errorf("COPY rows loaded %d rows, the export has %d", n, s.Totals.Rows)
	}
	expect(`SELECT count(*) FROM rows WHERE direction = 'outbound'`, s.Totals.Outbound)
	expect(`SELECT count(*) FROM rows WHERE direction = 'outbound' AND send_status = 'ERROR'`, s.Outbound.Errored)
	expect(`SELECT count(*) FROM rows WHERE stuck`, s.Outbound.SentStuck)
	expect(`SELECT to_char(max(attempted_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM rows`, *s.AsOf)
	expect(`SELECT count(*) FROM rows WHERE line IS NULL OR file IS NULL`, 0)
	expect(`SELECT count(DISTINCT campaign_contact_id) > 0 FROM rows`, true)

	contacts := load("contacts", "contacts", "--format", "csv", file)
	expect(`SELECT count(*) FROM contacts`, contacts)
	expect(`SELECT count(DISTINCT cell) = count(*) FROM contacts`, true)
	expect(`SELECT sum(outbound)::bigint FROM contacts`, s.Totals.Outbound)
	expect(`SELECT sum(delivered)::bigint FROM contacts`, s.Outbound.Delivered)

	vanRows := load("van", "van", file, "--contacts", contactsFile)
	if vanRows == 0 {
		t.Error("the van file is empty")
	}
	expect(`SELECT count(*) FROM van WHERE van_id NOT LIKE 'VAN%' OR result NOT IN ('Texted', 'Wrong Number')`, 0)
	expect(`SELECT count(*) FROM van WHERE to_date(date_contacted, 'MM/DD/YYYY') IS NULL`, 0)
	if strings.Contains(query(`SELECT string_agg(phone, ',') FROM van`), "(") {
		t.Error("van phones are not E.164")
	}
}

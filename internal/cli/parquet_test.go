package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/rowout"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// duckdbQuery reads a Parquet file with DuckDB (a second reader, not the
// writer) and prints its row count, column types and a few aggregates.
const duckdbQuery = `
import { DuckDBInstance } from '@duckdb/node-api';
const [file, sql, setup] = [process.argv[2], process.argv[3], process.argv[4] || ''];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
for (const stmt of setup.split(';\n').filter(s => s.trim())) await con.run(stmt);
const src = "read_parquet('" + file.replace(/'/g, "''") + "')";
const cols = (await con.runAndReadAll('DESCRIBE SELECT * FROM ' + src)).getRowObjects()
  .map(r => ({name: r.column_name, type: r.column_type}));
const agg = (await con.runAndReadAll(sql.replaceAll('$SRC', src))).getRows()[0].map(v => v === null ? null : String(v));
console.log(JSON.stringify({cols, agg}));
`

// duckdbResult is what duckdbQuery prints.
type duckdbResult struct {
	Cols []struct{ Name, Type string }
	Agg  []*string
}

// duckdbDir is a directory with node_modules/@duckdb/node-api, from
// SPOKE_TEST_DUCKDB; the test is skipped without it.
func duckdbDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SPOKE_TEST_DUCKDB")
	if dir == "" {
		t.Skip("SPOKE_TEST_DUCKDB is not set: to read the Parquet back with DuckDB, run 'npm install @duckdb/node-api' in a directory and point SPOKE_TEST_DUCKDB at it")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api")); err != nil {
		t.Skipf("SPOKE_TEST_DUCKDB=%s has no node_modules/@duckdb/node-api: run 'npm install @duckdb/node-api' there", dir)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: DuckDB's Node.js client needs it")
	}
	return dir
}

func readWithDuckDB(t *testing.T, dir, file, sql string, setup ...string) duckdbResult {
	t.Helper()
	script := filepath.Join(dir, "spoke-status-parquet-test.mjs")
	if err := os.WriteFile(script, []byte(duckdbQuery), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", append([]string{script, file, sql}, setup...)...).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node: %v\n%s", err, stderr)
	}
	var res duckdbResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("DuckDB output %q: %v", out, err)
	}
	return res
}

// duckdbTypes is what DuckDB calls each column type read from Parquet.
var duckdbTypes = map[rowout.Type]string{
	rowout.String: "VARCHAR", rowout.Int64: "BIGINT", rowout.Bool: "BOOLEAN", rowout.Timestamp: "TIMESTAMP WITH TIME ZONE",
}

func checkDuckDBColumns(t *testing.T, tbl rowout.Table, got duckdbResult) {
	t.Helper()
	fields := tbl.Fields()
	if len(got.Cols) != len(fields) {
		t.Fatalf("DuckDB sees %d columns, the schema has %d: %+v", len(got.Cols), len(fields), got.Cols)
	}
	for i, f := range fields {
		if got.Cols[i].Name != f.Name || got.Cols[i].Type != duckdbTypes[f.Type] {
			t.Errorf("column %d: DuckDB sees %s %s, want %s %s", i, got.Cols[i].Name, got.Cols[i].Type, f.Name, duckdbTypes[f.Type])
		}
	}
}

func TestParquetReadByDuckDB(t *testing.T) {
	t.Parallel()
	dir := duckdbDir(t)
	tmp := t.TempDir()
	// More rows than a row group, so that several are written.
	path, _ := writeSynthExport(t, synth.Options{Rows: rowout.ParquetRowGroup + 5000, Seed: 5, Dialect: synth.DialectRewired, Provider: synth.ProviderTwilio, Campaigns: 3})

	t.Run("rows", func(t *testing.T) {
		pq := filepath.Join(tmp, "rows.parquet")
		if r := run(t, nil, "rows", "--format", "parquet", "-o", pq, path); r.code != ExitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		want := rowsAggregates(t, path)
		got := readWithDuckDB(t, dir, pq, `SELECT count(*), count(attempted_at), sum(epoch_ms(attempted_at)),
			count(*) FILTER (WHERE stuck), count(stuck), sum(num_segments), sum(line), count(*) FILTER (WHERE send_status = 'ERROR') FROM $SRC`)
		checkDuckDBColumns(t, rowout.Rows, got)
		checkAggregates(t, got.Agg, want)
	})
	t.Run("contacts", func(t *testing.T) {
		pq := filepath.Join(tmp, "contacts.parquet")
		if r := run(t, nil, "contacts", "--format", "parquet", "-o", pq, path); r.code != ExitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		want := contactsAggregates(t, path)
		got := readWithDuckDB(t, dir, pq, `SELECT count(*), sum(outbound), sum(delivered), count(*) FILTER (WHERE opted_out),
			count(opted_out_at), sum(epoch_ms(last_attempted_at)) FROM $SRC`)
		checkDuckDBColumns(t, rowout.Contacts, got)
		checkAggregates(t, got.Agg, want)
	})
}

// TestDDLLoadsOutputs runs the generated DuckDB CREATE TABLE, then loads the
// CSV output and the Parquet output into it: the two agree with the table.
func TestDDLLoadsOutputs(t *testing.T) {
	t.Parallel()
	dir := duckdbDir(t)
	tmp := t.TempDir()
	path, _ := writeSynthExport(t, synth.Options{Rows: 3000, Seed: 9, Dialect: synth.DialectStateVoicesV10, Provider: synth.ProviderTwilio, Campaigns: 2})
	for _, output := range []string{"rows", "contacts"} {
		t.Run(output, func(t *testing.T) {
			csvPath, pq := filepath.Join(tmp, output+".csv"), filepath.Join(tmp, output+".parquet")
			for _, args := range [][]string{{output, "-o", csvPath, path}, {output, "--format", "parquet", "-o", pq, path}} {
				if r := run(t, nil, args...); r.code != ExitOK {
					t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
				}
			}
			ddl := run(t, nil, "schema", "--for", "duckdb", "--output", output).stdout
			setup := ddl + "COPY " + output + " FROM '" + csvPath + "' (HEADER);\n" +
				"INSERT INTO " + output + " SELECT * FROM read_parquet('" + pq + "');\n"
			got := readWithDuckDB(t, dir, pq, "SELECT (SELECT count(*) FROM "+output+"), 2 * (SELECT count(*) FROM $SRC)", setup)
			n := *got.Agg[1]
			if *got.Agg[0] != n {
				t.Errorf("the table holds %s rows after loading the CSV and the Parquet, want %s", *got.Agg[0], n)
			}
		})
	}
}

func checkAggregates(t *testing.T, got []*string, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d aggregates, want %d", len(got), len(want))
	}
	for i := range want {
		g := "NULL"
		if got[i] != nil {
			g = *got[i]
		}
		if g != want[i] {
			t.Errorf("aggregate %d: DuckDB %s, JSON output %s", i, g, want[i])
		}
	}
}

// rowsAggregates computes the aggregates of the DuckDB query from the
// JSON Lines output of the same export.
func rowsAggregates(t *testing.T, path string) []string {
	r := run(t, nil, "rows", "--format", "jsonl", path)
	var n, withTime, stuck, stuckKnown, segments, lines, errors int64
	var ms int64
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var row struct {
			AttemptedAt *string `json:"attempted_at"`
			Stuck       *bool   `json:"stuck"`
			NumSegments *int64  `json:"num_segments"`
			Line        int64   `json:"line"`
			SendStatus  string  `json:"send_status"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatal(err)
		}
		n++
		if row.AttemptedAt != nil {
			withTime++
			ms += parseMillis(t, *row.AttemptedAt)
		}
		if row.Stuck != nil {
			stuckKnown++
			if *row.Stuck {
				stuck++
			}
		}
		if row.NumSegments != nil {
			segments += *row.NumSegments
		}
		lines += row.Line
		if row.SendStatus == "ERROR" {
			errors++
		}
	}
	return itoas(n, withTime, ms, stuck, stuckKnown, segments, lines, errors)
}

func contactsAggregates(t *testing.T, path string) []string {
	r := run(t, nil, "contacts", "--format", "json", path)
	var contacts []struct {
		Outbound        int64   `json:"outbound"`
		Delivered       int64   `json:"delivered"`
		OptedOut        bool    `json:"opted_out"`
		OptedOutAt      *string `json:"opted_out_at"`
		LastAttemptedAt *string `json:"last_attempted_at"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &contacts); err != nil {
		t.Fatal(err)
	}
	var outbound, delivered, optedOut, optedOutAt, ms int64
	for _, c := range contacts {
		outbound += c.Outbound
		delivered += c.Delivered
		if c.OptedOut {
			optedOut++
		}
		if c.OptedOutAt != nil {
			optedOutAt++
		}
		if c.LastAttemptedAt != nil {
			ms += parseMillis(t, *c.LastAttemptedAt)
		}
	}
	return itoas(int64(len(contacts)), outbound, delivered, optedOut, optedOutAt, ms)
}

func parseMillis(t *testing.T, s string) int64 {
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return at.UnixMilli()
}

func itoas(ns ...int64) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.FormatInt(n, 10)
	}
	return out
}

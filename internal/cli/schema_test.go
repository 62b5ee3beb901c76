package cli

import (
	"testing"

	"github.com/spoke-status/spoke-status/internal/rowout"
)

func TestSchemaGolden(t *testing.T) {
	t.Parallel()
	for _, table := range []string{"rows", "contacts", "van"} {
		for _, wh := range rowout.Warehouses() {
			t.Run(table+"."+wh, func(t *testing.T) {
				r := run(t, nil, "schema", "--for", wh, "--output", table)
				if r.code != ExitOK || r.stderr != "" {
					t.Fatalf("exit %d: %s", r.code, r.stderr)
				}
				checkGolden(t, "schema."+table+"."+wh, r.stdout)
			})
		}
	}
}

func TestSchemaErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"schema"},
		{"schema", "--for", "oracle"},
		{"schema", "--for", "duckdb", "--output", "summary"},
		{"schema", "--for", "duckdb", "extra"},
	} {
		if r := run(t, nil, args...); r.code != ExitUsage || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
}

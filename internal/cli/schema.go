package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/output"
	"github.com/spoke-status/spoke-status/internal/rowout"
)

// SchemaOptions are the options of schema.
type SchemaOptions struct {
	For    string
	Output string
}

func newSchemaCommand(env Env) *cobra.Command {
	opts := &SchemaOptions{}
	cmd := &cobra.Command{
		Use:   "schema --for bigquery|postgres|duckdb [--output rows|contacts|van]",
		Short: "Print the warehouse table definition of a row output (rows, contacts, van)",
		Long: `Print the table definition of an output, for loading it into a warehouse:
a JSON schema file for BigQuery (bq load --schema), or a CREATE TABLE
statement with column comments for PostgreSQL and DuckDB. It is generated
from the same column table as the CSV, JSON and Parquet outputs, so the two
cannot drift. Text columns are nullable: a CSV cannot tell an empty cell
from a null. See docs/warehouse.md for the load commands.`,
		Example: `  spoke-status schema --for bigquery > rows.schema.json
  spoke-status schema --for postgres --output contacts | psql
  spoke-status schema --for duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchema(env, opts)
		},
	}
	enumFlag(cmd, cmd.Flags(), &opts.For, "for", "", "", "warehouse: "+strings.Join(rowout.Warehouses(), ", "), rowout.Warehouses())
	enumFlag(cmd, cmd.Flags(), &opts.Output, "output", "", "rows", "which output: "+strings.Join(tableNames(), ", "), tableNames())
	return cmd
}

func tableNames() []string {
	var names []string
	for _, t := range rowout.Tables() {
		names = append(names, t.TableName())
	}
	return names
}

func runSchema(env Env, opts *SchemaOptions) error {
	warehouse := opts.For
	if warehouse == "" {
		return usageErrorf("run 'spoke-status schema --help' for usage", "--for is required: one of %s", strings.Join(rowout.Warehouses(), ", "))
	}
	table, ok := rowout.TableNamed(opts.Output)
	if !ok {
		return fmt.Errorf("internal error: no table %q", opts.Output) // the flag admits table names only
	}
	target, err := outputTarget(env, "-o", output.Stdout, "", nil)
	if err != nil {
		return err
	}
	return writeOutput(target, func(w io.Writer) error {
		return rowout.WriteDDL(w, table, warehouse)
	})
}

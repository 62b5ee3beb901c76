package rowout

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Warehouses that spoke-status schema writes table definitions for.
const (
	BigQuery = "bigquery"
	Postgres = "postgres"
	DuckDB   = "duckdb"
)

// Warehouses lists them, for help and errors.
func Warehouses() []string { return []string{BigQuery, Postgres, DuckDB} }

// Tables lists the outputs that have a table definition, by name.
func Tables() []Table { return []Table{Rows, Contacts, VAN} }

// TableNamed finds an output's table by name.
func TableNamed(name string) (Table, bool) {
	for _, t := range Tables() {
		if t.TableName() == name {
			return t, true
		}
	}
	return nil, false
}

// bigQueryField is one entry of a BigQuery JSON schema file (bq load
// --schema, bq mk --schema).
type bigQueryField struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Mode        string `json:"mode"`
	Description string `json:"description"`
}

var sqlTypes = map[string]map[Type]string{
	BigQuery: {String: "STRING", Int64: "INT64", Bool: "BOOL", Timestamp: "TIMESTAMP"},
	Postgres: {String: "text", Int64: "bigint", Bool: "boolean", Timestamp: "timestamptz"},
	DuckDB:   {String: "VARCHAR", Int64: "BIGINT", Bool: "BOOLEAN", Timestamp: "TIMESTAMPTZ"},
}

// required reports whether a warehouse column may be declared NOT NULL
// (REQUIRED). Text columns never are: a CSV cannot tell an empty string
// from a null, and loaders (COPY, bq load) read an empty cell as null.
func required(f Field) bool { return !f.Nullable && f.Type != String }

// WriteDDL writes the table definition of t for a warehouse: a BigQuery
// JSON schema, or a CREATE TABLE statement with column comments.
func WriteDDL(w io.Writer, t Table, warehouse string) error {
	types, ok := sqlTypes[warehouse]
	if !ok {
		return fmt.Errorf("unknown warehouse %q: valid values are %s", warehouse, strings.Join(Warehouses(), ", "))
	}
	if warehouse == BigQuery {
		return writeBigQuery(w, t, types)
	}
	var b strings.Builder
	fields := t.Fields()
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", t.TableName())
	for i, f := range fields {
		fmt.Fprintf(&b, "  %s %s", f.Name, types[f.Type])
		if required(f) {
			b.WriteString(" NOT NULL")
		}
		if i < len(fields)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(");\n")
	for _, f := range fields {
		fmt.Fprintf(&b, "COMMENT ON COLUMN %s.%s IS %s;\n", t.TableName(), f.Name, sqlString(f.Doc))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeBigQuery(w io.Writer, t Table, types map[Type]string) error {
	var out []bigQueryField
	for _, f := range t.Fields() {
		mode := "NULLABLE"
		if required(f) {
			mode = "REQUIRED"
		}
		out = append(out, bigQueryField{Name: f.Name, Type: types[f.Type], Mode: mode, Description: f.Doc})
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

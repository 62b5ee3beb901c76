// Package rowout writes row outputs (rows, contacts, van): each output's
// columns are listed once, in a column table, and that table drives every
// encoder (CSV, JSON Lines, Parquet) and the warehouse table definitions
// of spoke-status schema. Adding a column is one line in its table.
//
// Encoders write to an io.Writer; where the bytes go (a file written whole
// or not at all, standard output) is the caller's business.
package rowout

import (
	"time"
)

// Type is a column's value type, as warehouses know it.
type Type int

// Column types.
const (
	String Type = iota
	Int64
	Bool
	// Timestamp is an instant, written in UTC.
	Timestamp
)

// Value is one cell. Exactly one field is meaningful, by the column's
// type, unless Null.
type Value struct {
	Null bool
	Str  string
	Int  int64
	Bool bool
	Time time.Time
}

// Str makes a string cell.
func Str(s string) Value { return Value{Str: s} }

// Int makes an integer cell.
func Int(n int) Value { return Value{Int: int64(n)} }

// Boolean makes a boolean cell.
func Boolean(b bool) Value { return Value{Bool: b} }

// Time makes a timestamp cell, null unless ok.
func Time(t time.Time, ok bool) Value { return Value{Time: t, Null: !ok} }

// OptBool makes a boolean cell, null when b is nil.
func OptBool(b *bool) Value {
	if b == nil {
		return Value{Null: true}
	}
	return Value{Bool: *b}
}

// OptCount makes an integer cell, null when n is negative (not known).
func OptCount(n int) Value { return Value{Int: int64(n), Null: n < 0} }

// Column is one column of an output.
type Column[T any] struct {
	Name string
	Type Type
	// Nullable columns may be empty (CSV), null (JSON) or absent (Parquet).
	Nullable bool
	// Phone marks a person's phone number, masked under Options.Redact.
	Phone bool
	// PhoneLike marks an id or code from the export that may hold a phone
	// number (a campaign named after one): its phone-like runs are masked
	// under Options.Redact, as every command masks them.
	PhoneLike bool
	Doc       string
	Get       func(*T) Value
}

// Schema is the column table of one output.
type Schema[T any] struct {
	Name    string
	Doc     string
	Columns []Column[T]
}

// Field describes a column without its getter, for table definitions.
type Field struct {
	Name     string
	Type     Type
	Nullable bool
	Doc      string
}

// Table is a schema seen from a warehouse: a name and its fields.
type Table interface {
	TableName() string
	Fields() []Field
}

// TableName returns the output's name, used as the default table name.
func (s *Schema[T]) TableName() string { return s.Name }

// Fields lists the schema's columns in order.
func (s *Schema[T]) Fields() []Field {
	out := make([]Field, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = Field{Name: c.Name, Type: c.Type, Nullable: c.Nullable, Doc: c.Doc}
	}
	return out
}

// Header lists the column names in order.
func (s *Schema[T]) Header() []string {
	out := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Name
	}
	return out
}

// Options are shared by the encoders.
type Options struct {
	// Redact masks phone columns (the last four digits stay).
	Redact bool
}

// Encoder writes rows of T.
type Encoder[T any] interface {
	Write(*T) error
	// Close writes what is buffered and any trailer; it does not close the
	// underlying writer.
	Close() error
}

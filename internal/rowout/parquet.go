package rowout

import (
	"fmt"
	"io"
	"reflect"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// ParquetRowGroup is how many rows a Parquet row group holds: the encoder
// buffers one row group (in column pages) before writing it, so this bounds
// its memory whatever the number of rows.
const ParquetRowGroup = 64 * 1024

// parquetBatch is how many rows are handed to the Parquet writer at once.
const parquetBatch = 256

// parquetEncoder writes typed columns: strings as UTF-8 byte arrays,
// integers as INT64, booleans, timestamps as TIMESTAMP(MILLIS) adjusted
// to UTC. Nullable columns are OPTIONAL, the others REQUIRED.
type parquetEncoder[T any] struct {
	schema *Schema[T]
	opts   Options
	w      *parquet.Writer
	batch  []parquet.Row
	n      int
}

// NewParquet returns an encoder of one Parquet file. The file is written
// as it goes (a row group at a time), so w needs no seeking.
func NewParquet[T any](w io.Writer, s *Schema[T], opts Options) Encoder[T] {
	pw := parquet.NewWriter(w, parquetSchema(s),
		parquet.MaxRowsPerRowGroup(ParquetRowGroup),
		parquet.Compression(&parquet.Zstd),
		parquet.CreatedBy("spoke-status", "", ""))
	batch := make([]parquet.Row, parquetBatch)
	for i := range batch {
		batch[i] = make(parquet.Row, len(s.Columns))
	}
	return &parquetEncoder[T]{schema: s, opts: opts, w: pw, batch: batch}
}

func (e *parquetEncoder[T]) Write(r *T) error {
	row := e.batch[e.n][:0]
	for i := range e.schema.Columns {
		c := &e.schema.Columns[i]
		v := c.Get(r)
		row = append(row, parquetValue(c, v, e.opts).Level(0, definitionLevel(c, v), i))
	}
	e.batch[e.n] = row
	e.n++
	if e.n < len(e.batch) {
		return nil
	}
	return e.flush()
}

func (e *parquetEncoder[T]) flush() error {
	if e.n == 0 {
		return nil
	}
	_, err := e.w.WriteRows(e.batch[:e.n])
	e.n = 0
	if err != nil {
		return fmt.Errorf("writing Parquet: %w", err)
	}
	return nil
}

func (e *parquetEncoder[T]) Close() error {
	if err := e.flush(); err != nil {
		return err
	}
	if err := e.w.Close(); err != nil {
		return fmt.Errorf("writing Parquet: %w", err)
	}
	return nil
}

// definitionLevel is 1 for a present value of an optional column, 0 for a
// null or a required column's value.
func definitionLevel[T any](c *Column[T], v Value) int {
	if c.Nullable && !v.Null {
		return 1
	}
	return 0
}

func parquetValue[T any](c *Column[T], v Value, opts Options) parquet.Value {
	if v.Null {
		return parquet.NullValue()
	}
	switch c.Type {
	case Int64:
		return parquet.Int64Value(v.Int)
	case Bool:
		return parquet.BooleanValue(v.Bool)
	case Timestamp:
		return parquet.Int64Value(v.Time.UnixMilli())
	}
	return parquet.ByteArrayValue([]byte(text(c, v, opts)))
}

// parquetSchema builds the file schema in column order (parquet.Group
// would sort the columns by name).
func parquetSchema[T any](s *Schema[T]) *parquet.Schema {
	fields := make([]parquet.Field, len(s.Columns))
	for i, c := range s.Columns {
		var node parquet.Node
		switch c.Type {
		case Int64:
			node = parquet.Int(64)
		case Bool:
			node = parquet.Leaf(parquet.BooleanType)
		case Timestamp:
			node = parquet.Timestamp(parquet.Millisecond)
		default:
			node = parquet.String()
		}
		if c.Nullable {
			node = parquet.Optional(node)
		} else {
			node = parquet.Required(node)
		}
		fields[i] = &orderedField{Node: node, name: c.Name}
	}
	return parquet.NewSchema(s.Name, orderedGroup{fields: fields})
}

// orderedGroup is a group node whose fields keep the order given.
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

func (g orderedGroup) Fields() []parquet.Field     { return g.fields }
func (g orderedGroup) String() string              { return "group" }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return reflect.TypeFor[map[string]any]() }

type orderedField struct {
	parquet.Node
	name string
}

func (f *orderedField) Name() string { return f.name }

// Value is not used: rows are written as parquet.Row, not Go values.
func (f *orderedField) Value(reflect.Value) reflect.Value { return reflect.Value{} }

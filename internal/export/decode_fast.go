package export

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unsafe"

	"github.com/spoke-status/spoke-status/internal/csvfast"
)

// runFast reads with csvfast and maps each record's bytes straight onto
// the Record: the cells the export maps are copied into one string per
// row, which the Record's strings share.
func (d *decoder) runFast(r *bufio.Reader, fn func(*Record) error) error {
	s, err := csvfast.NewScanner(r, d.scannerOptions())
	if err != nil {
		return err
	}
	d.line = s.NextLine
	header, err := s.Read()
	if err != nil {
		return d.headerError(limitErrorAhead(err, r))
	}
	if err := d.header(stringsOf(header)); err != nil {
		return err
	}
	return d.scanRows(s, func(err error) error { return limitErrorAhead(err, r) }, fn)
}

func (d *decoder) scannerOptions() csvfast.Options {
	return csvfast.Options{
		Comma:           d.opts.delimiter(),
		FieldsPerRecord: -1, // the decoder checks widths itself, to explain them
		MaxRecordBytes:  int(d.opts.maxRowBytes()),
		MaxFields:       MaxFieldsPerRow,
	}
}

// scanRows decodes every record s has left, then reports on the input.
// limitErr words a limit error as the guard's (see limitError).
func (d *decoder) scanRows(s *csvfast.Scanner, limitErr func(error) error, fn func(*Record) error) error {
	if err := d.scanRecords(s, limitErr, fn); err != nil {
		return err
	}
	d.finish()
	return nil
}

// scanRecords decodes every record s has left.
func (d *decoder) scanRecords(s *csvfast.Scanner, limitErr func(error) error, fn func(*Record) error) error {
	var buf []byte
	for {
		fields, err := s.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if err := d.readError(limitErr(err), s.UnclosedAtEOF()); err != nil {
				return err
			}
			continue
		}
		line := s.Line()
		all := func() []string { return stringsOf(fields) }
		if len(fields) != d.width {
			f := all()
			if err := d.reject(f, line, d.widthProblem(f, line)); err != nil {
				return err
			}
			continue
		}
		var cells [numFields]string
		if d.views {
			buf = d.viewsOf(&cells, fields, buf)
		} else {
			buf = d.cellsOf(&cells, fields, buf)
		}
		err = d.row(&cells, line, all, fn)
		if d.views {
			scribble(buf)
		}
		if err != nil {
			return err
		}
	}
}

// cellsOf sets the mapped cells of a record from one string holding them
// all: one allocation per row, whatever the number of fields.
func (d *decoder) cellsOf(cells *[numFields]string, fields [][]byte, buf []byte) []byte {
	buf, ends := d.packCells(fields, buf)
	sliceCells(cells, string(buf), &ends)
	return buf
}

// packCells copies the mapped fields one after another into buf and
// returns it with the end of each cell in it.
func (d *decoder) packCells(fields [][]byte, buf []byte) ([]byte, [numFields]int) {
	buf = buf[:0]
	var ends [numFields]int
	for f, i := range d.cols {
		if i >= 0 {
			buf = append(buf, fields[i]...)
		}
		ends[f] = len(buf)
	}
	return buf, ends
}

// sliceCells sets each cell to its part of all, which packCells filled.
func sliceCells(cells *[numFields]string, all string, ends *[numFields]int) {
	start := 0
	for f := range cells {
		cells[f] = all[start:ends[f]]
		start = ends[f]
	}
}

// viewsOf sets the mapped cells of a record as views of its fields, which
// stay valid until the next Read: no allocation, no copy. Under the
// viewcheck build tag the cells view a copy that is scribbled over once
// the row is handled, so that a consumer keeping a view shows up in
// every test as a wrong result.
func (d *decoder) viewsOf(cells *[numFields]string, fields [][]byte, buf []byte) []byte {
	if viewCheck {
		return d.cellsCopy(cells, fields, buf)
	}
	for f, i := range d.cols {
		if i >= 0 && len(fields[i]) > 0 {
			cells[f] = unsafe.String(&fields[i][0], len(fields[i]))
		}
	}
	return buf
}

// cellsCopy sets the mapped cells as views of copies in buf.
func (d *decoder) cellsCopy(cells *[numFields]string, fields [][]byte, buf []byte) []byte {
	buf, ends := d.packCells(fields, buf)
	if len(buf) > 0 {
		sliceCells(cells, unsafe.String(&buf[0], len(buf)), &ends)
	}
	return buf
}

func stringsOf(fields [][]byte) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = string(f)
	}
	return out
}

// limitErrorAhead is limitError for a Scanner reading r: a quoted field
// cut by the limit that closes in the next readBufferSize bytes of r is a
// long row, not a missing quote (what the guard, which scans a read buffer
// at a time, says too).
func limitErrorAhead(err error, r *bufio.Reader) error {
	err = limitError(err)
	var le *LimitError
	if errors.As(err, &le) && le.InQuote {
		ahead, _ := r.Peek(readBufferSize)
		le.InQuote = bytes.IndexByte(ahead, '"') < 0
	}
	return err
}

// limitError words csvfast's limit error as the guard's.
func limitError(err error) error {
	var tl *csvfast.TooLargeError
	if !errors.As(err, &tl) {
		return err
	}
	return &LimitError{Line: tl.StartLine, Limit: int64(tl.Limit), Fields: tl.Fields, InQuote: tl.InQuote}
}

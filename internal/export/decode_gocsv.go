package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/gocarina/gocsv"
)

// row is what gocsv decodes one CSV record into. Every field is a string so
// that this package, not reflection, decides what a malformed value is and
// says so with the file and line. Tags list each dialect's header name;
// the first name of each is the one the decoder renames a mapped column to
// (see gocsvHeader).
type row struct {
	CampaignContactID string `csv:"campaign_contact_id"`
	AssignmentID      string `csv:"assignmentId"`
	CampaignID        string `csv:"campaign_id,campaignId"`
	UserNumber        string `csv:"user_number,userNumber"`
	ContactNumber     string `csv:"contact_number,contactNumber"`
	IsFromContact     string `csv:"is_from_contact,isFromContact"`
	SendStatus        string `csv:"send_status,sendStatus"`
	AttemptedAt       string `csv:"attempted_at,attemptedAt"`
	Text              string `csv:"text"`
	ErrorCodes        string `csv:"error_code,errorCode,errorCodes"`
	NumSegments       string `csv:"numSegments"`
	NumMedia          string `csv:"numMedia"`
	TexterFirstName   string `csv:"texter[firstName]"`
	TexterLastName    string `csv:"texter[lastName]"`
	TexterEmail       string `csv:"texter[email]"`
	TexterCell        string `csv:"texter[cell]"`
}

// cells lists the row's values by field.
func (r *row) cells() [numFields]string {
	return [numFields]string{
		FieldCampaignContactID: r.CampaignContactID, FieldAssignmentID: r.AssignmentID, FieldCampaignID: r.CampaignID,
		FieldUserNumber: r.UserNumber, FieldContactNumber: r.ContactNumber, FieldIsFromContact: r.IsFromContact,
		FieldSendStatus: r.SendStatus, FieldAttemptedAt: r.AttemptedAt, FieldText: r.Text, FieldErrorCodes: r.ErrorCodes,
		FieldNumSegments: r.NumSegments, FieldNumMedia: r.NumMedia, FieldTexterFirstName: r.TexterFirstName,
		FieldTexterLastName: r.TexterLastName, FieldTexterEmail: r.TexterEmail, FieldTexterCell: r.TexterCell,
	}
}

// runGocsv reads with encoding/csv behind the row guard and decodes rows
// with gocsv's pull API (NewUnmarshaller + ReadUnmatched) on the decoder's
// own csv.Reader: the reference the fast decoder is tested against.
func (d *decoder) runGocsv(r *bufio.Reader, fn func(*Record) error) error {
	delim := d.opts.delimiter()
	g := newGuard(r, delim, d.opts.maxRowBytes())
	d.line = func() int { return g.line }
	cr := csv.NewReader(bufio.NewReaderSize(g, readBufferSize))
	cr.Comma = delim
	cr.FieldsPerRecord = -1 // the decoder checks widths itself, to explain them
	um, err := gocsv.NewUnmarshaller(cr, row{})
	if err != nil {
		return d.headerError(err)
	}
	if err := d.header(um.Headers); err != nil {
		return err
	}
	if err := um.RenormalizeHeaders(d.gocsvHeader); err != nil {
		return err
	}
	for {
		v, unmatched, err := um.ReadUnmatched()
		if err == io.EOF {
			d.finish()
			return nil
		}
		if err != nil {
			if err := d.readError(err, g.quoteOpenAtEOF(err)); err != nil {
				return err
			}
			continue
		}
		rw := v.(row)
		n := fieldCount(cr, d.width)
		line, _ := cr.FieldPos(0)
		fields := func() []string { return d.gocsvFields(&rw, unmatched, n) }
		if n != d.width {
			all := fields()
			if err := d.reject(all, line, d.widthProblem(all, line)); err != nil {
				return err
			}
			continue
		}
		cells := rw.cells()
		if err := d.row(&cells, line, fields, fn); err != nil {
			return err
		}
	}
}

// quoteOpenAtEOF reports whether a CSV error is the input ending inside a
// quoted field.
func (g *guard) quoteOpenAtEOF(err error) bool {
	pe, ok := err.(*csv.ParseError)
	// csv.Reader puts an error at EOF on the last line that has bytes; the
	// guard has counted the line break after it, if any.
	return ok && pe.Err == csv.ErrQuote && g.endsInQuote() && pe.Line >= g.line-1
}

// gocsvHeader is the header gocsv maps by: each column the decoder maps
// (the first of a repeated name, after cleaning) under its field's first
// tag name, every other column under a placeholder "#i". It runs to as
// many columns as a row can have, so that every field of a row wider than
// the header comes back from ReadUnmatched (gocsv panics on a field past
// its header): MaxFieldsPerRow, or fewer when the row limit is smaller,
// since n fields take at least n-1 bytes of delimiters. gocsv compares
// each name with every struct tag, about 2 ms per thousand columns: a
// full 10,001 columns for every input made the decoders' fuzz target
// crawl (20-100 ms an execution, a minute to minimize each new input).
func (d *decoder) gocsvHeader([]string) []string {
	names := make([]string, min(MaxFieldsPerRow, d.opts.maxRowBytes()+2)+1)
	for i := range names {
		names[i] = "#" + strconv.Itoa(i)
	}
	for f, i := range d.cols {
		if i >= 0 {
			names[i] = fieldHeaders[f][0]
		}
	}
	return names
}

// gocsvFields rebuilds all n fields of a row from gocsv's struct and its
// unmatched columns.
func (d *decoder) gocsvFields(r *row, unmatched map[string]string, n int) []string {
	fields := make([]string, n)
	cells := r.cells()
	for f, i := range d.cols {
		if i >= 0 && i < n {
			fields[i] = cells[f]
		}
	}
	for name, v := range unmatched {
		if i, err := strconv.Atoi(name[1:]); err == nil && i < n {
			fields[i] = v
		}
	}
	return fields
}

// fieldCount returns the number of fields of the record cr read last.
// gocsv keeps the record to itself; csv.Reader.FieldPos panics past the
// last field, so the count is found by probing it.
func fieldCount(cr *csv.Reader, width int) int {
	if hasField(cr, width-1) && !hasField(cr, width) {
		return width
	}
	lo, hi := 1, MaxFieldsPerRow+1 // hasField(lo-1) holds; hasField(hi) does not
	for lo < hi {
		mid := (lo + hi) / 2
		if hasField(cr, mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func hasField(cr *csv.Reader, i int) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	cr.FieldPos(i)
	return true
}

package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gocarina/gocsv"
	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/atomicfile"
	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/rowfilter"
	"github.com/spoke-status/spoke-status/internal/sanitize"
)

// RowsOptions are the options of rows.
type RowsOptions struct {
	Read       ReadOptions
	Format     string
	Output     string
	Statuses   []string
	Categories []string
	Codes      []string
	Direction  string
	Campaigns  []string
	Stuck      bool
}

func newRowsCommand(env Env) *cobra.Command {
	opts := &RowsOptions{}
	cmd := &cobra.Command{
		Use:   "rows [flags] [EXPORT.csv ...]",
		Short: "Stream the export's rows that match filters, with each row's classification",
		Long: `Stream the rows of one or more messages exports that match the filters, with
their classification added as columns: primary code, provider, title, category
and retry advice (of outbound ERROR rows) and whether a SENT text is stuck.
Output is CSV (safe to open in a spreadsheet) or JSON Lines, in flat memory.

Values of one filter are alternatives (--status SENT,QUEUED); different
filters must all match. --category matches outbound ERROR rows; --code
matches the primary code of any row.

Stuck needs the as-of time. Without --as-of it is the newest attempted-at of
the input, as in summarize: files are then read twice (once to find it).
Standard input can be read only once: give --as-of to fill the stuck column
(and to use --stuck), or it is left empty.

Codes are classified as rows stream, before the provider behind the export
is known: with --provider when given, else by each code's own range.`,
		Example: `  spoke-status rows --status ERROR --category spam_blocked export.csv
  spoke-status rows --stuck --campaign 112 -o stuck.csv export.csv
  spoke-status rows --format jsonl --direction outbound export.csv.gz | jq -c 'select(.retry == "transient")'
  cat export.csv | spoke-status rows --as-of now --stuck -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRows(env, opts, args)
		},
	}
	opts.Read.AddFlags(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVarP(&opts.Format, "format", "f", "csv", "output format: csv or jsonl (JSON Lines)")
	fs.StringVarP(&opts.Output, "output", "o", "", "write to this file (whole or not at all) instead of standard output")
	fs.StringSliceVar(&opts.Statuses, "status", nil, "only rows with this send status, e.g. ERROR (repeatable, or comma-separated)")
	fs.StringSliceVar(&opts.Categories, "category", nil, "only outbound ERROR rows whose code has this category, e.g. spam_blocked")
	fs.StringSliceVar(&opts.Codes, "code", nil, "only rows with this primary error code, e.g. 30007")
	fs.StringVar(&opts.Direction, "direction", "", "only outbound or inbound rows")
	fs.StringSliceVar(&opts.Campaigns, "campaign", nil, "only rows of this campaign id")
	fs.BoolVar(&opts.Stuck, "stuck", false, "only outbound SENT rows stuck without a delivery report")
	return cmd
}

func runRows(env Env, opts *RowsOptions, args []string) error {
	if err := formatFlag(opts.Format, "csv", "jsonl"); err != nil {
		return err
	}
	filter, err := rowfilter.NewFilter(opts.Statuses, opts.Categories, opts.Codes, opts.Direction, opts.Campaigns, opts.Stuck)
	if err != nil {
		return usageErrorf("run 'spoke-status rows --help' for the filters", "%v", err)
	}
	paths, err := inputPaths(env, args)
	if err != nil {
		return err
	}
	rc, err := rowClassifier(env, paths, &opts.Read, filter.Stuck)
	if err != nil {
		return err
	}
	unknownStuck := 0
	err = writeOutput(env, opts.Output, func(w io.Writer) error {
		sink, err := newRowSink(opts.Format, w, opts.Read.Redact)
		if err != nil {
			return err
		}
		var row rowfilter.Row
		// Rows stream to stdout as they are read: a progress line on the
		// same terminal would be drawn between them, so only -o FILE gets one.
		ro := opts.Read
		ro.Quiet = ro.Quiet || opts.Output == "" || opts.Output == "-"
		_, err = scanInputs(env, paths, &ro, nil, func(rec *export.Record) error {
			if !filter.Match(rec, rc) {
				return nil
			}
			rc.Fill(rec, &row)
			if row.Stuck == nil && rec.HasTime {
				unknownStuck++
			}
			return sink.write(&row)
		})
		if err != nil {
			return err
		}
		return sink.close()
	})
	if err == nil && unknownStuck > 0 {
		opts.Read.stderr(env).warnf("the stuck column of %d SENT rows is empty: standard input can be read only once, so the newest attempted-at was not known in time; pass --as-of (e.g. the as_of of summarize) to fill it", unknownStuck)
	}
	return err
}

// rowClassifier builds the per-row classifier. Without --as-of, the as-of
// time is the newest attempted-at of the input, found by a first pass
// when every input can be read twice.
func rowClassifier(env Env, paths []string, ro *ReadOptions, stuckFilter bool) (*rowfilter.Classifier, error) {
	reg, err := loadRegistry()
	if err != nil {
		return nil, err
	}
	aggOpts, err := ro.aggregatorOptions(env, reg)
	if err != nil {
		return nil, err
	}
	opts := rowfilter.Options{
		Classifier: classify.New(reg, aggOpts.Provider),
		AsOf:       aggOpts.AsOf, HasAsOf: aggOpts.HasAsOf, StuckAfter: aggOpts.StuckAfter,
	}
	switch {
	case opts.HasAsOf:
	case rereadable(paths):
		opts.AsOf, opts.HasAsOf, err = newestAttempt(env, paths, ro)
		if err != nil {
			return nil, err
		}
	case stuckFilter:
		return nil, usageErrorf("pass --as-of (e.g. --as-of now, or the as_of that summarize printed), or give the export as a file",
			"--stuck needs the as-of time, which is the newest attempted-at of the input, but standard input can be read only once")
	}
	return rowfilter.New(opts), nil
}

// rereadable reports whether every input is a regular file, which can be
// read a second time (standard input, pipes and process substitutions
// cannot).
func rereadable(paths []string) bool {
	for _, p := range paths {
		if p == export.StdinPath {
			return false
		}
		if st, err := os.Stat(p); err == nil && !st.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// newestAttempt reads the inputs once for their newest attempted-at, the
// default as-of time. Warnings are left to the second pass.
func newestAttempt(env Env, paths []string, ro *ReadOptions) (time.Time, bool, error) {
	opts, err := ro.exportOptions(env, nil)
	if err != nil {
		return time.Time{}, false, err
	}
	var newest time.Time
	has := false
	_, err = export.Scan(paths, opts, func(rec *export.Record) error {
		if rec.HasTime && (!has || rec.AttemptedAt.After(newest)) {
			newest, has = rec.AttemptedAt, true
		}
		return nil
	})
	return newest, has, err
}

// rowSink writes classified rows in one format.
type rowSink struct {
	redact bool
	csv    *csvStream[rowCSV]
	json   *json.Encoder
}

func newRowSink(format string, w io.Writer, redact bool) (*rowSink, error) {
	s := &rowSink{redact: redact}
	if format == "jsonl" {
		s.json = json.NewEncoder(w)
		s.json.SetEscapeHTML(false)
		return s, nil
	}
	var err error
	s.csv, err = newCSVStream[rowCSV](w)
	return s, err
}

func (s *rowSink) write(r *rowfilter.Row) error {
	if s.redact {
		redactRow(r)
	}
	if s.csv != nil {
		return s.csv.write(toRowCSV(r))
	}
	cleanRow(r)
	if err := s.json.Encode(r); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// redactRow masks the contact's and the texter's numbers, and the
// phone-like runs of the export's other ids (redact.go). The sending
// number is the organization's own and stays; message text is kept.
func redactRow(r *rowfilter.Row) {
	r.ContactNumber = phone.Redact(r.ContactNumber)
	r.TexterCell = phone.Redact(r.TexterCell)
	for _, p := range []*string{&r.CampaignID, &r.CampaignContactID, &r.AssignmentID, &r.SendStatus,
		&r.ErrorCodes, &r.PrimaryCode, &r.TexterFirstName, &r.TexterLastName, &r.TexterEmail, &r.File} {
		*p = phone.MaskLike(*p)
	}
}

func (s *rowSink) close() error {
	if s.csv != nil {
		return s.csv.close()
	}
	return nil
}

// cleanRow makes the export's text in r safe for a terminal (JSON already
// escapes C0 controls, not C1 controls or bidi overrides).
func cleanRow(r *rowfilter.Row) {
	for _, p := range []*string{&r.CampaignID, &r.CampaignContactID, &r.AssignmentID, &r.ContactNumber,
		&r.UserNumber, &r.SendStatus, &r.ErrorCodes, &r.PrimaryCode, &r.TexterFirstName, &r.TexterLastName,
		&r.TexterEmail, &r.TexterCell, &r.Text, &r.File} {
		*p = dataText(*p)
	}
}

// rowCSV is one CSV line of rows: every cell is text, made safe for
// spreadsheets and terminals.
type rowCSV struct {
	CampaignID        string `csv:"campaign_id"`
	CampaignContactID string `csv:"campaign_contact_id"`
	AssignmentID      string `csv:"assignment_id"`
	ContactNumber     string `csv:"contact_number"`
	UserNumber        string `csv:"user_number"`
	Direction         string `csv:"direction"`
	SendStatus        string `csv:"send_status"`
	AttemptedAt       string `csv:"attempted_at"`
	ErrorCodes        string `csv:"error_codes"`
	PrimaryCode       string `csv:"primary_code"`
	Provider          string `csv:"provider"`
	Title             string `csv:"title"`
	Category          string `csv:"category"`
	Retry             string `csv:"retry"`
	Stuck             string `csv:"stuck"`
	NumSegments       string `csv:"num_segments"`
	NumMedia          string `csv:"num_media"`
	TexterFirstName   string `csv:"texter_first_name"`
	TexterLastName    string `csv:"texter_last_name"`
	TexterEmail       string `csv:"texter_email"`
	TexterCell        string `csv:"texter_cell"`
	Text              string `csv:"text"`
	File              string `csv:"file"`
	Line              string `csv:"line"`
}

func toRowCSV(r *rowfilter.Row) rowCSV {
	return rowCSV{
		CampaignID: csvCell(r.CampaignID), CampaignContactID: csvCell(r.CampaignContactID),
		AssignmentID: csvCell(r.AssignmentID), ContactNumber: csvCell(r.ContactNumber),
		UserNumber: csvCell(r.UserNumber), Direction: r.Direction, SendStatus: csvCell(r.SendStatus),
		AttemptedAt: optional(r.AttemptedAt), ErrorCodes: csvCell(r.ErrorCodes), PrimaryCode: csvCell(r.PrimaryCode),
		Provider: r.Provider, Title: csvCell(r.Title), Category: r.Category, Retry: r.Retry,
		Stuck: optionalBool(r.Stuck), NumSegments: optionalInt(r.NumSegments), NumMedia: optionalInt(r.NumMedia),
		TexterFirstName: csvCell(r.TexterFirstName), TexterLastName: csvCell(r.TexterLastName),
		TexterEmail: csvCell(r.TexterEmail), TexterCell: csvCell(r.TexterCell),
		Text: csvCell(r.Text), File: csvCell(r.File), Line: fmt.Sprint(r.Line),
	}
}

func optional(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optionalBool(b *bool) string {
	if b == nil {
		return ""
	}
	return fmt.Sprint(*b)
}

func optionalInt(n *int) string {
	if n == nil {
		return ""
	}
	return fmt.Sprint(*n)
}

// writeOutput runs fill with a buffered writer on standard output, or on
// the file path (whole or not at all, via atomicfile) when path is given.
func writeOutput(env Env, path string, fill func(io.Writer) error) error {
	if path == "" || path == "-" {
		bw := bufio.NewWriterSize(env.Stdout, outputBufferSize)
		if err := fill(bw); err != nil {
			bw.Flush()
			return outputError(err)
		}
		return outputError(bw.Flush())
	}
	var fillErr error
	err := atomicfile.Write(path, func(f *os.File) error {
		bw := bufio.NewWriterSize(f, outputBufferSize)
		if fillErr = fill(bw); fillErr != nil {
			return fillErr
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		return nil
	})
	if err != nil && fillErr == nil {
		// The output file itself failed (missing directory, no permission, full disk).
		return &ExitError{Code: ExitUsage, Err: err, Hint: "check that the directory of -o exists and is writable; nothing was written"}
	}
	return outputError(err)
}

// outputError gives a failed write (a closed pipe, a full disk) exit code 2
// without the usage hint; input and usage errors pass through.
func outputError(err error) error {
	var exit *ExitError
	var input *export.InputError
	if err == nil || errors.As(err, &exit) || errors.As(err, &input) {
		return err
	}
	return &ExitError{Code: ExitUsage, Err: err}
}

const outputBufferSize = 1 << 16

// csvStream writes structs as CSV with gocsv and a writer of its own
// (never gocsv's global settings), a chunk at a time, so a stream of rows
// never sits in memory whole.
type csvStream[T any] struct {
	w     *gocsv.SafeCSVWriter
	chunk []T
}

// csvChunk is how many records are marshalled at once.
const csvChunk = 256

// newCSVStream writes the header row, which comes from T's csv tags.
func newCSVStream[T any](w io.Writer) (*csvStream[T], error) {
	s := &csvStream[T]{w: gocsv.NewSafeCSVWriter(csv.NewWriter(w)), chunk: make([]T, 0, csvChunk)}
	if err := gocsv.MarshalCSV(s.chunk, s.w); err != nil {
		return nil, fmt.Errorf("writing CSV: %w", err)
	}
	return s, nil
}

func (s *csvStream[T]) write(v T) error {
	s.chunk = append(s.chunk, v)
	if len(s.chunk) < csvChunk {
		return nil
	}
	return s.flush()
}

func (s *csvStream[T]) flush() error {
	if len(s.chunk) == 0 {
		return nil
	}
	err := gocsv.MarshalCSVWithoutHeaders(s.chunk, s.w)
	clear(s.chunk)
	s.chunk = s.chunk[:0]
	if err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

func (s *csvStream[T]) close() error { return s.flush() }

// csvCell makes a cell from the export safe in a spreadsheet (a leading
// apostrophe defuses a formula; numbers and phone numbers are kept) and in
// a terminal.
func csvCell(s string) string { return sanitize.CSVCell(dataText(s)) }

// dataText makes export text safe to print on a terminal while keeping its
// layout, for CSV and JSON Lines output that may well be read on one:
// escape sequences and other controls become U+FFFD as in tables, but
// tabs and line breaks are kept (a carriage return not followed by a line
// feed, which could overwrite what a line shows, becomes a line feed).
func dataText(s string) string {
	if !needsCleaning(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		i := strings.IndexAny(s, "\t\n\r")
		if i < 0 {
			b.WriteString(sanitize.Terminal(s))
			break
		}
		b.WriteString(sanitize.Terminal(s[:i]))
		if s[i] == '\r' && !strings.HasPrefix(s[i:], "\r\n") {
			b.WriteByte('\n')
		} else {
			b.WriteByte(s[i])
		}
		s = s[i+1:]
	}
	return b.String()
}

// needsCleaning reports whether dataText would change s, without
// allocating when it would not (sanitize.Terminal returns safe text as is).
func needsCleaning(s string) bool {
	for s != "" {
		i := strings.IndexAny(s, "\t\n\r")
		if i < 0 {
			return sanitize.Terminal(s) != s
		}
		if seg := s[:i]; sanitize.Terminal(seg) != seg {
			return true
		}
		if s[i] == '\r' && !strings.HasPrefix(s[i:], "\r\n") {
			return true
		}
		s = s[i+1:]
	}
	return false
}

package cli

import (
	"errors"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/output"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/rowfilter"
	"github.com/spoke-status/spoke-status/internal/rowout"
)

// RowsOptions are the options of rows.
type RowsOptions struct {
	Read   ReadOptions
	Format string
	Output string
	// Filter holds the filter flags, validated by rowfilter.NewFilter.
	Filter rowfilter.FilterFlags
}

func newRowsCommand(env Env) *cobra.Command {
	opts := &RowsOptions{}
	cmd := &cobra.Command{
		Use:   "rows [flags] [EXPORT.csv ...]",
		Short: "Stream the export's rows that match filters, with each row's classification",
		Long: `Stream the rows of one or more messages exports that match the filters, with
their classification added as columns: primary code, provider, title, category
and retry advice (of outbound ERROR rows) and whether a SENT text is stuck.
Output is CSV (safe to open in a spreadsheet), JSON Lines or Parquet (typed
columns for a warehouse; see 'spoke-status schema'), in flat memory.

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
  cat export.csv | spoke-status rows --as-of now --stuck -
  spoke-status rows --format parquet -o rows.parquet export.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRows(env, opts, args)
		},
	}
	fs := cmd.Flags()
	fs.StringSliceVar(&opts.Filter.Campaigns, "campaign", nil, "only rows of this campaign id (with --db: the campaigns to read)")
	opts.Read.AddFlags(cmd, fs)
	enumFlag(cmd, fs, &opts.Format, "format", "f", "csv", "output format: csv, jsonl (JSON Lines) or parquet (needs -o)", rowFormats())
	fs.StringVarP(&opts.Output, "output", "o", "", "write to this file (whole or not at all) instead of standard output")
	enumListFlag(cmd, fs, &opts.Filter.Statuses, "status", "only rows with this send status, e.g. ERROR (repeatable, or comma-separated)", false, rowfilter.Statuses())
	enumListFlag(cmd, fs, &opts.Filter.Categories, "category", "only outbound ERROR rows whose code has this category, e.g. spam_blocked", false, names(registry.Categories()))
	fs.StringSliceVar(&opts.Filter.Codes, "code", nil, "only rows with this primary error code, e.g. 30007")
	enumFlag(cmd, fs, &opts.Filter.Direction, "direction", "", "", "only "+valuesText(rowfilter.Directions())+" rows", rowfilter.Directions())
	fs.BoolVar(&opts.Filter.Stuck, "stuck", false, "only outbound SENT rows stuck without a delivery report")
	return cmd
}

func runRows(env Env, opts *RowsOptions, args []string) error {
	if err := checkBinaryOutput(env, opts.Format, opts.Output); err != nil {
		return err
	}
	filter, err := rowfilter.NewFilter(opts.Filter)
	if err != nil {
		return usageErrorf("run 'spoke-status rows --help' for the filters", "%v", err)
	}
	paths, err := opts.Read.inputPaths(env, args)
	if err != nil {
		return err
	}
	target, err := outputTarget(env, "-o", outputOrStdout(opts.Output), "rows.csv", paths)
	if err != nil {
		return err
	}
	if err := opts.Read.DB.campaignsFrom(opts.Filter.Campaigns); err != nil {
		return err
	}
	rc, err := rowClassifier(env, paths, &opts.Read, filter.Stuck)
	if err != nil {
		return err
	}
	// Rows stream to stdout as they are read: a progress line on the
	// same terminal would be drawn between them, so only -o FILE gets one.
	ro := opts.Read
	ro.Quiet = ro.Quiet || target.IsStdout()
	unknownStuck := 0
	err = writeOutput(target, func(w io.Writer) error {
		if rowsParallel(opts.Format, &ro) {
			unknownStuck, err = writeRowsParallel(env, paths, &ro, w, opts.Format, filter, rc)
			return err
		}
		sink, err := newEncoder(w, rowout.Rows, opts.Format, rowout.Options{Redact: opts.Read.Redact})
		if err != nil {
			return err
		}
		var row rowfilter.Row
		_, err = scanInputs(env, paths, &ro, nil, func(rec *export.Record) error {
			if !filter.Match(rec, rc) {
				return nil
			}
			rc.Fill(rec, &row)
			if row.Stuck == nil && rec.HasTime {
				unknownStuck++
			}
			return sink.Write(&row)
		})
		if err != nil {
			return err
		}
		return sink.Close()
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
		Stuck:      aggOpts.Stuck,
	}
	switch {
	case opts.Stuck.HasAsOf:
	case rereadable(paths):
		opts.Stuck.AsOf, opts.Stuck.HasAsOf, err = newestAttempt(env, paths, ro)
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
// default as-of time, in parallel chunks. Warnings are left to the second
// pass.
func newestAttempt(env Env, paths []string, ro *ReadOptions) (time.Time, bool, error) {
	opts, err := ro.exportOptions(env, nil)
	if err != nil {
		return time.Time{}, false, err
	}
	var all newestPart
	par := export.Parallel{Workers: ro.Workers, ChunkSize: ro.ChunkBytes,
		NewPart: func() export.Part { return &newestPart{into: &all} },
		Direct:  func() export.Part { return &all }}
	_, err = export.ScanParallel(paths, opts, par)
	return all.newest, all.has, err
}

// newestPart keeps the newest attempted-at of its rows, and adds it to
// into's on Merge.
type newestPart struct {
	newest time.Time
	has    bool
	into   *newestPart // nil for the whole input's
}

func (p *newestPart) Add(rec *export.Record) {
	if rec.HasTime {
		p.see(rec.AttemptedAt)
	}
}

func (p *newestPart) see(t time.Time) {
	if !p.has || t.After(p.newest) {
		p.newest, p.has = t, true
	}
}

func (p *newestPart) Merge() {
	if p.into != nil && p.has {
		p.into.see(p.newest)
	}
}

// outputOrStdout is the -o value, "-" (standard output) when not given.
func outputOrStdout(path string) string {
	if path == "" {
		return output.Stdout
	}
	return path
}

// writeOutput runs fill with a buffered writer on the target: standard
// output, a stream, or a file replaced whole or not at all.
func writeOutput(target *output.Target, fill func(io.Writer) error) error {
	return outputError(target.Write(fill))
}

// outputError gives a failed write (a closed pipe, a full disk) exit code 2
// without the usage hint; input and usage errors pass through.
func outputError(err error) error {
	var exit *ExitError
	var input *export.InputError
	var write *output.WriteError
	if err == nil || errors.As(err, &exit) || errors.As(err, &input) || errors.As(err, &write) {
		return err
	}
	return &ExitError{Code: ExitUsage, Err: err}
}

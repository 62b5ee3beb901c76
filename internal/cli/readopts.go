package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/engine"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/output"
	"github.com/spoke-status/spoke-status/internal/progress"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/sanitize"
	"github.com/spoke-status/spoke-status/internal/steps"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// ReadOptions are the flags every command that reads exports shares.
type ReadOptions struct {
	Provider   string
	AsOf       string
	StuckAfter time.Duration
	Strict     bool
	// Redact masks contact phone numbers in every output.
	Redact bool
	// Delimiter is the field separator (a comma unless a spreadsheet saved
	// the export with semicolons).
	Delimiter string
	// MaxFieldBytes bounds one field's size.
	MaxFieldBytes int64
	// Decoder is the hidden --decoder flag: "fast" or "gocsv" (the
	// reference decoder, for debugging a difference).
	Decoder string
	// Workers and ChunkBytes are the hidden --workers and --chunk-bytes
	// flags of the parallel reader (0: GOMAXPROCS, and csvfast's default
	// chunk size): tests force small chunks so chunking happens.
	Workers    int
	ChunkBytes int
	// Quiet silences the progress line drawn on a terminal.
	Quiet bool
	// DB reads Spoke's database instead of files (db.go).
	DB DBOptions
	// MaxKeys caps each map keyed by values from the data (codes, groups,
	// link domains); the rest are counted as "(other)". Error codes are
	// capped at keycap.DefaultMaxCodes unless --max-keys is given.
	MaxKeys int
	// maxKeysGiven reports whether --max-keys was on the command line
	// (nil: options built without flags, as tests do).
	maxKeysGiven func() bool
}

// AddFlags registers the reading flags.
func (o *ReadOptions) AddFlags(cmd *cobra.Command, fs *pflag.FlagSet) {
	enumFlag(cmd, fs, &o.Provider, "provider", "", "", "provider behind the instance: "+valuesText(names(registry.Vendors()))+" (default: inferred from the codes)", names(registry.Vendors()))
	fs.StringVar(&o.AsOf, "as-of", "", "reference time for stuck SENT texts: RFC 3339 or 'now' (default: the newest attempted-at in the input)")
	fs.DurationVar(&o.StuckAfter, "stuck-after", summary.DefaultStuckAfter, "a SENT text older than this before the as-of time is stuck")
	fs.BoolVar(&o.Strict, "strict", false, "fail (exit 2) on the first malformed row instead of skipping it with a warning")
	fs.BoolVar(&o.Redact, "redact", false, "mask contact phone numbers in the output (+1555•••0123), for sharing outside the data team")
	fs.StringVar(&o.Delimiter, "delimiter", ",", "field separator of the input, e.g. ';' for a European Excel re-save, or 'tab'")
	fs.Int64Var(&o.MaxFieldBytes, "max-field-bytes", export.DefaultMaxFieldBytes, "largest row (one CSV record, any field in it) accepted before the input is rejected as broken")
	enumFlag(cmd, fs, &o.Decoder, "decoder", "", "fast", "row decoder: "+valuesText(export.DecoderNames())+" (the reference, for debugging)", export.DecoderNames())
	_ = fs.MarkHidden("decoder")
	fs.BoolVar(&o.Quiet, "quiet", false, "draw no progress line on standard error (it is drawn only on a terminal, for inputs over 8 MB)")
	fs.IntVar(&o.Workers, "workers", 0, "goroutines decoding a regular file's chunks (default: GOMAXPROCS; 1 reads sequentially)")
	fs.IntVar(&o.ChunkBytes, "chunk-bytes", 0, "size of the chunks decoded in parallel (default: 1 MiB)")
	fs.IntVar(&o.MaxKeys, "max-keys", keycap.DefaultMax, fmt.Sprintf("distinct values (error codes, --by groups, link domains) counted one by one before the rest are counted as '(other)', bounding memory on a broken export; error codes and --by code and --by category groups stop at %d unless this is given", keycap.DefaultMaxCodes))
	o.maxKeysGiven = func() bool { return fs.Changed("max-keys") }
	_ = fs.MarkHidden("workers")
	_ = fs.MarkHidden("chunk-bytes")
	o.DB.addFlags(fs)
}

// exportOptions validates the reading flags and returns the reader's
// options.
func (o *ReadOptions) exportOptions(env Env, warn *export.Warnings) (export.Options, error) {
	opts := export.Options{Strict: o.Strict, Stdin: env.Stdin, Warnings: warn, MaxFieldBytes: o.MaxFieldBytes}
	runes := []rune(o.Delimiter)
	if o.Delimiter == "tab" || o.Delimiter == `\t` {
		runes = []rune{'\t'} // a tab is awkward to type in a shell
	}
	if len(runes) != 1 || runes[0] == '"' || runes[0] == '\n' || runes[0] == '\r' {
		return opts, usageErrorf("give one character, e.g. --delimiter ';'", "--delimiter must be a single character other than a quote or newline, got %q", o.Delimiter)
	}
	opts.Delimiter = runes[0]
	if o.MaxFieldBytes <= 0 {
		return opts, usageErrorf("", "--max-field-bytes must be positive, got %d", o.MaxFieldBytes)
	}
	dec, err := export.ParseDecoder(o.Decoder)
	if err != nil {
		return opts, usageErrorf("", "--decoder: %v", err)
	}
	opts.Decoder = dec
	return opts, nil
}

// aggregatorOptions validates the flags and turns them into summary options.
func (o *ReadOptions) aggregatorOptions(env Env, reg *registry.Registry) (summary.Options, error) {
	opts := summary.Options{Registry: reg, Stuck: classify.StuckClock{After: o.StuckAfter}, MaxKeys: o.MaxKeys}
	if o.maxKeysGiven != nil && o.maxKeysGiven() {
		opts.MaxCodes = o.MaxKeys // raising the cap raises it for codes too
	}
	if o.MaxKeys <= 0 {
		return opts, usageErrorf("", "--max-keys must be positive, got %d", o.MaxKeys)
	}
	if o.StuckAfter <= 0 {
		return opts, usageErrorf("give a positive Go duration, e.g. 2h or 90m", "--stuck-after must be positive, got %s", o.StuckAfter)
	}
	if o.Provider != "" {
		p, err := registry.ParseProvider(o.Provider)
		if err != nil {
			return opts, usageErrorf("", "--provider: %v", err)
		}
		opts.Provider = p
	}
	asOf, has, err := parseAsOf(o.AsOf, env.Now)
	if err != nil {
		return opts, err
	}
	opts.Stuck.AsOf, opts.Stuck.HasAsOf = asOf, has
	return opts, nil
}

func parseAsOf(s string, now func() time.Time) (time.Time, bool, error) {
	switch strings.TrimSpace(s) {
	case "":
		return time.Time{}, false, nil
	case "now":
		return now(), true, nil
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, false, usageErrorf("use RFC 3339, e.g. 2024-10-02T22:00:00Z, or 'now'", "--as-of %q is not a time", s)
	}
	if !export.InTimeRange(t) {
		return time.Time{}, false, usageErrorf("", "--as-of %q is outside %s", s, export.TimeRangeText)
	}
	return t, true, nil
}

// inputPaths returns the files to read: the arguments, or standard input
// when there are none and it is not a terminal.
// An input given twice (the same file under two names, or standard input
// twice) is refused: its rows would be counted twice. So is standard
// output redirected onto an input (>> export.csv would read its own
// output without end).
func inputPaths(env Env, args []string) ([]string, error) {
	paths := args
	if len(paths) == 0 {
		if env.StdinIsTerminal() {
			return nil, usageErrorf("pass a messages export, e.g. spoke-status summarize export-messages.csv, or '-' to read standard input", "no input file")
		}
		paths = []string{export.StdinPath}
	}
	inputs, err := output.StatInputs(paths, env.stdinInfo)
	if err != nil {
		return nil, err
	}
	if env.stdoutInfo == nil || !env.stdoutInfo.Mode().IsRegular() {
		return paths, nil
	}
	for _, in := range inputs {
		if in.Info != nil && os.SameFile(in.Info, env.stdoutInfo) {
			return nil, usageErrorf("redirect standard output to another file, or use -o where there is one",
				"standard output is %s, one of the inputs: writing the results would destroy the export", in.Arg)
		}
	}
	return paths, nil
}

// outputTarget checks the destination flag names (path "-" is standard
// output) before any input is read: never one of the inputs, never a
// directory, in a directory that exists.
func outputTarget(env Env, flag, path, example string, paths []string) (*output.Target, error) {
	inputs, err := output.StatInputs(paths, env.stdinInfo)
	if err != nil {
		return nil, err
	}
	return output.Prepare(output.Request{Flag: flag, Path: path, Example: example},
		output.Options{Stdout: env.Stdout, Temps: env.temps, Inputs: inputs})
}

// readSession is what every command that reads exports shares while it
// reads: the reader's options, and the warnings and progress line on
// stderr.
type readSession struct {
	opts export.Options
	// stderr writes above the progress line.
	stderr io.Writer
	// done erases the progress line and prints the warnings' summary:
	// call it when reading is over, before the results.
	done func()
}

// reading sets up a readSession; call its done even on an error.
func (o *ReadOptions) reading(env Env, paths []string) (*readSession, error) {
	rep := o.progress(env, paths)
	warn := export.NewWarnings(rep.Above(env.Stderr), progName+": ", export.DefaultWarningLimit)
	warn.Redact = o.Redact
	rs := &readSession{stderr: rep.Above(env.Stderr), done: func() {
		rep.Finish() // before the warnings' summary and the results
		warn.Flush()
	}}
	var err error
	if rs.opts, err = o.exportOptions(env, warn); err != nil {
		return rs, err
	}
	if rep != nil {
		rs.opts.CountRead = rep.Reader
	}
	return rs, nil
}

// scanInputs streams every input's rows to fn, sequentially, with
// warnings and the progress line on stderr (contacts, rows).
func scanInputs(env Env, paths []string, ro *ReadOptions, onHeader func(*export.Source) error, fn func(*export.Record) error) ([]*export.Source, error) {
	if ro.DB.active() {
		return scanDatabase(env, ro, onHeader, fn)
	}
	rs, err := ro.reading(env, paths)
	defer rs.done()
	if err != nil {
		return nil, err
	}
	rs.opts.OnHeader = onHeader
	return export.Scan(paths, rs.opts, fn)
}

// summaryRequest is what summarize, check and report ask of the engine.
type summaryRequest struct {
	groups   []engine.Group
	analyses engine.Analyses
	onHeader func(*export.Source) error
	step     steps.Step
	steps    *steps.Index // the index the groups' step dimensions read
}

// summarize reads the inputs through the engine with the reading flags,
// warnings and progress line on stderr.
func summarize(env Env, paths []string, ro *ReadOptions, sr summaryRequest) (*engine.Result, error) {
	reg, err := loadRegistry()
	if err != nil {
		return nil, err
	}
	aggOpts, err := ro.aggregatorOptions(env, reg)
	if err != nil {
		return nil, err
	}
	if ro.Workers < 0 || ro.ChunkBytes < 0 {
		return nil, usageErrorf("", "--workers and --chunk-bytes must not be negative")
	}
	rs, err := ro.reading(env, paths)
	defer rs.done()
	if err != nil {
		return nil, err
	}
	rs.opts.OnHeader = sr.onHeader
	req := engine.Request{
		Inputs: paths, Read: rs.opts, Workers: ro.Workers, ChunkBytes: ro.ChunkBytes,
		Summary: aggOpts, Groups: sr.groups, Analyses: sr.analyses,
		Step: sr.step, Steps: sr.steps, Producer: progName + " " + env.Version,
	}
	if ro.DB.active() {
		if req.Source, err = ro.DB.source(env); err != nil {
			return nil, err
		}
	}
	defer limitHeapWhileReading(env)()
	res, err := engine.Run(req)
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(rs.stderr, "%s: warning: %s\n", progName, sanitize.Terminal(w))
	}
	return res, nil
}

// progress returns the progress line for reading paths, or nil: only
// when standard error is a terminal, --quiet is not given, and the regular
// files among the inputs add up to progress.DefaultMinSize or more.
func (o *ReadOptions) progress(env Env, paths []string) *progress.Reporter {
	if o.Quiet || env.StderrIsTerminal == nil || !env.StderrIsTerminal() {
		return nil
	}
	total := inputBytes(paths)
	if total == 0 {
		return nil
	}
	return progress.New(progress.Options{Out: env.Stderr, IsTerminal: true, Total: total, Label: "reading", Now: env.Now, Width: stderrWidth(env)})
}

// inputBytes is the size of the regular files among paths (0 for
// standard input, pipes and the database).
func inputBytes(paths []string) int64 {
	var total int64
	for _, p := range paths {
		if p == export.StdinPath {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			total += st.Size()
		}
	}
	return total
}

// loadRegistry loads the embedded code registry; failing is a bug.
func loadRegistry() (*registry.Registry, error) {
	reg, err := registry.Load()
	if err != nil {
		return nil, fmt.Errorf("internal error: the embedded code registry is invalid: %w", err)
	}
	return reg, nil
}

// reportFormats are the --format values of summarize, check and codes.
func reportFormats() []string { return []string{"table", "json", "markdown"} }

// rowFormats are the --format values of rows.
func rowFormats() []string { return []string{"csv", "jsonl", "parquet"} }

// contactFormats are the --format values of contacts.
func contactFormats() []string { return []string{"csv", "json", "parquet"} }

// stderrWidth is the terminal's width, 0 when unknown.
func stderrWidth(env Env) int {
	if env.StderrWidth == nil {
		return 0
	}
	return env.StderrWidth()
}

package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/progress"
	"github.com/spoke-status/spoke-status/internal/registry"
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
	// MaxKeys caps each map keyed by values from the data (codes, groups,
	// link domains); the rest are counted as "(other)".
	MaxKeys int
}

// AddFlags registers the reading flags.
func (o *ReadOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Provider, "provider", "", "provider behind the instance: twilio, telnyx or bandwidth (default: inferred from the codes)")
	fs.StringVar(&o.AsOf, "as-of", "", "reference time for stuck SENT texts: RFC 3339 or 'now' (default: the newest attempted-at in the input)")
	fs.DurationVar(&o.StuckAfter, "stuck-after", summary.DefaultStuckAfter, "a SENT text older than this before the as-of time is stuck")
	fs.BoolVar(&o.Strict, "strict", false, "fail (exit 2) on the first malformed row instead of skipping it with a warning")
	fs.BoolVar(&o.Redact, "redact", false, "mask contact phone numbers in the output (+1555•••0123), for sharing outside the data team")
	fs.StringVar(&o.Delimiter, "delimiter", ",", "field separator of the input, e.g. ';' for a European Excel re-save, or 'tab'")
	fs.Int64Var(&o.MaxFieldBytes, "max-field-bytes", export.DefaultMaxFieldBytes, "largest row (one CSV record, any field in it) accepted before the input is rejected as broken")
	fs.StringVar(&o.Decoder, "decoder", "fast", "row decoder: fast or gocsv (the reference, for debugging)")
	_ = fs.MarkHidden("decoder")
	fs.BoolVar(&o.Quiet, "quiet", false, "draw no progress line on standard error (it is drawn only on a terminal, for inputs over 8 MB)")
	fs.IntVar(&o.Workers, "workers", 0, "goroutines decoding a regular file's chunks (default: GOMAXPROCS; 1 reads sequentially)")
	fs.IntVar(&o.ChunkBytes, "chunk-bytes", 0, "size of the chunks decoded in parallel (default: 1 MiB)")
	fs.IntVar(&o.MaxKeys, "max-keys", keycap.DefaultMax, "distinct values (error codes, --by groups, link domains) counted one by one before the rest are counted as '(other)', bounding memory on a broken export")
	_ = fs.MarkHidden("workers")
	_ = fs.MarkHidden("chunk-bytes")
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
	opts := summary.Options{Registry: reg, StuckAfter: o.StuckAfter, MaxKeys: o.MaxKeys}
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
	opts.AsOf, opts.HasAsOf = asOf, has
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
	return t, true, nil
}

// inputPaths returns the files to read: the arguments, or standard input
// when there are none and it is not a terminal.
func inputPaths(env Env, args []string) ([]string, error) {
	if len(args) > 0 {
		return args, nil
	}
	if env.StdinIsTerminal() {
		return nil, usageErrorf("pass a messages export, e.g. spoke-status summarize export-messages.csv, or '-' to read standard input", "no input file")
	}
	return []string{export.StdinPath}, nil
}

// scanInputs streams every input's rows to fn, sequentially, with
// warnings and the progress line on stderr (contacts, rows).
func scanInputs(env Env, paths []string, ro *ReadOptions, onHeader func(*export.Source) error, fn func(*export.Record) error) ([]*export.Source, error) {
	rep := ro.progress(env, paths)
	warn := export.NewWarnings(rep.Above(env.Stderr), progName+": ", export.DefaultWarningLimit)
	defer warn.Flush()
	defer rep.Finish() // before the warnings' summary and the results
	opts, err := ro.exportOptions(env, warn)
	if err != nil {
		return nil, err
	}
	opts.OnHeader = onHeader
	if rep != nil {
		opts.CountRead = rep.Reader
	}
	return export.Scan(paths, opts, fn)
}

// readAll streams every input through the aggregator and the analyses (an
// may be nil) and finishes the aggregator. Regular files are read in
// parallel (export.ScanParallel): each chunk is counted by a Fork of agg
// and an, merged back in input order, so results and warnings are those of
// a sequential pass. onHeader (may be nil) vets each input's header before
// its rows are read.
func readAll(env Env, paths []string, ro *ReadOptions, onHeader func(*export.Source) error, agg *summary.Aggregator, an *summary.Analyses) ([]*export.Source, error) {
	rep := ro.progress(env, paths)
	warn := export.NewWarnings(rep.Above(env.Stderr), progName+": ", export.DefaultWarningLimit)
	defer warn.Flush()
	defer rep.Finish() // before the warnings' summary and the results
	opts, err := ro.exportOptions(env, warn)
	if err != nil {
		return nil, err
	}
	opts.OnHeader = onHeader
	if rep != nil {
		opts.CountRead = rep.Reader
	}
	if ro.Workers < 0 || ro.ChunkBytes < 0 {
		return nil, usageErrorf("", "--workers and --chunk-bytes must not be negative")
	}
	if an != nil {
		an.Cap(ro.MaxKeys, agg.CodeLimit())
	}
	par := export.Parallel{Workers: ro.Workers, ChunkSize: ro.ChunkBytes, NewPart: func() export.Part {
		p := &summaryPart{agg: agg.Fork(), into: agg, anInto: an}
		if an != nil {
			p.an = an.Fork()
		}
		return p
	}, Direct: func() export.Part {
		return &summaryPart{agg: agg, an: an} // counted straight into agg and an
	}}
	defer limitHeapWhileReading(env)()
	sources, err := export.ScanParallel(paths, opts, par)
	if err != nil {
		return sources, err
	}
	agg.Finish()
	for _, w := range append(agg.Warnings(), an.Warnings()...) {
		fmt.Fprintf(rep.Above(env.Stderr), "%s: warning: %s\n", progName, w)
	}
	return sources, nil
}

// progress returns the progress line for reading paths, or nil: only
// when standard error is a terminal, --quiet is not given, and the regular
// files among the inputs add up to progress.DefaultMinSize or more.
func (o *ReadOptions) progress(env Env, paths []string) *progress.Reporter {
	if o.Quiet || env.StderrIsTerminal == nil || !env.StderrIsTerminal() {
		return nil
	}
	var total int64
	for _, p := range paths {
		if p == export.StdinPath {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			total += st.Size()
		}
	}
	if total == 0 {
		return nil
	}
	return progress.New(progress.Options{Out: env.Stderr, IsTerminal: true, Total: total, Label: "reading", Now: env.Now})
}

// summaryPart counts the rows of one part of the input.
type summaryPart struct {
	agg, into  *summary.Aggregator
	an, anInto *summary.Analyses
}

func (p *summaryPart) Add(rec *export.Record) {
	p.agg.Add(rec)
	if p.an != nil {
		p.an.Add(rec)
	}
}

func (p *summaryPart) Merge() {
	if p.into == nil { // a direct part: nothing to merge
		return
	}
	p.into.Merge(p.agg)
	if p.an != nil {
		p.anInto.Merge(p.an)
	}
}

// loadRegistry loads the embedded code registry; failing is a bug.
func loadRegistry() (*registry.Registry, error) {
	reg, err := registry.Load()
	if err != nil {
		return nil, fmt.Errorf("internal error: the embedded code registry is invalid: %w", err)
	}
	return reg, nil
}

// formatFlag validates a --format value against the allowed ones.
func formatFlag(value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return usageErrorf("", "--format must be one of %s, got %q", strings.Join(allowed, ", "), value)
}

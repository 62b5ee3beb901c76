package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// ReadOptions are the flags every command that reads exports shares.
type ReadOptions struct {
	Provider   string
	AsOf       string
	StuckAfter time.Duration
	Strict     bool
}

// AddFlags registers the reading flags.
func (o *ReadOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Provider, "provider", "", "provider behind the instance: twilio, telnyx or bandwidth (default: inferred from the codes)")
	fs.StringVar(&o.AsOf, "as-of", "", "reference time for stuck SENT texts: RFC 3339 or 'now' (default: the newest attempted-at in the input)")
	fs.DurationVar(&o.StuckAfter, "stuck-after", summary.DefaultStuckAfter, "a SENT text older than this before the as-of time is stuck")
	fs.BoolVar(&o.Strict, "strict", false, "fail (exit 2) on the first malformed row instead of skipping it with a warning")
}

// aggregatorOptions validates the flags and turns them into summary options.
func (o *ReadOptions) aggregatorOptions(env Env, reg *registry.Registry) (summary.Options, error) {
	opts := summary.Options{Registry: reg, StuckAfter: o.StuckAfter}
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

// readAll streams every input through the aggregator and finishes it.
func readAll(env Env, paths []string, ro *ReadOptions, agg *summary.Aggregator, also ...func(*export.Record)) ([]*export.Source, error) {
	warn := export.NewWarnings(env.Stderr, progName+": ", export.DefaultWarningLimit)
	defer warn.Flush()
	sources, err := export.Scan(paths, export.Options{Strict: ro.Strict, Stdin: env.Stdin, Warnings: warn}, func(rec *export.Record) error {
		agg.Add(rec)
		for _, f := range also {
			f(rec)
		}
		return nil
	})
	if err != nil {
		return sources, err
	}
	agg.Finish()
	return sources, nil
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

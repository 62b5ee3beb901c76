// Command spoke-synth writes a deterministic, realistic Spoke messages-export
// CSV for testing and benchmarking spoke-status.
//
//	spoke-synth -rows 2500000 -dialect rewired -seed 1 -o big.csv -truth big.truth.json
package main

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/synth"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "spoke-synth: error:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("spoke-synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rows := fs.Int("rows", 1000, "number of data rows (exact)")
	dialect := fs.String("dialect", synth.DialectStateVoicesV10, "export dialect: "+strings.Join(synth.Dialects(), ", "))
	seed := fs.Uint64("seed", 1, "random seed (same seed and flags give byte-identical output)")
	out := fs.String("o", "", "output file (default stdout); written to a temp file and renamed")
	provider := fs.String("provider", "", "provider whose error codes appear: twilio, telnyx, bandwidth (default twilio; telnyx for rewired)")
	campaigns := fs.Int("campaigns", 3, "number of campaigns")
	start := fs.String("start", "", "RFC3339 start time of the first campaign (default: a fixed per-dialect date; its offset is used for rewired timestamps)")
	gz := fs.Bool("gzip", false, "gzip the output")
	truthPath := fs.String("truth", "", "write the generator's truth figures as JSON to this file")
	emptyTS := fs.Float64("empty-timestamps", 0, "fraction (0..1) of rows with an empty timestamp")
	broken := fs.Bool("broken-columns", false, "a campaign id and an error code of its own on every row, as a shifted column leaves (bench/hostile.sh); not with -truth")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: spoke-synth [flags]\n\nWrites a synthetic Spoke messages-export CSV.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if *campaigns < 1 {
		return errors.New("-campaigns must be >= 1")
	}
	if *broken && *truthPath != "" {
		return errors.New("-truth describes the file without -broken-columns: give one or the other")
	}

	o := synth.Options{
		Rows:            *rows,
		Seed:            *seed,
		Dialect:         *dialect,
		Provider:        *provider,
		Campaigns:       *campaigns,
		EmptyTimestamps: *emptyTS,
		BrokenColumns:   *broken,
	}
	if *start != "" {
		t, err := time.Parse(time.RFC3339Nano, *start)
		if err != nil {
			return fmt.Errorf("-start: %w", err)
		}
		o.Start = t
	}

	truth, err := writeOutput(*out, stdout, func(w io.Writer) (synth.Truth, error) {
		if !*gz {
			return synth.Write(w, o)
		}
		zw := gzip.NewWriter(w)
		t, err := synth.Write(zw, o)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
		return t, err
	})
	if err != nil {
		return err
	}
	if *truthPath != "" {
		b, err := json.MarshalIndent(truth, "", "  ")
		if err != nil {
			return err
		}
		b = append(b, '\n')
		if _, err := writeOutput(*truthPath, stdout, func(w io.Writer) (synth.Truth, error) {
			_, err := w.Write(b)
			return truth, err
		}); err != nil {
			return err
		}
	}
	return nil
}

// writeOutput runs fn on stdout (path "" or "-") or on a temp file next to
// path that is renamed to path once fn succeeded.
func writeOutput(path string, stdout io.Writer, fn func(io.Writer) (synth.Truth, error)) (synth.Truth, error) {
	if path == "" || path == "-" {
		return fn(stdout)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return synth.Truth{}, err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	t, err := fn(f)
	if err != nil {
		return synth.Truth{}, err
	}
	if err := f.Chmod(0o644); err != nil {
		return synth.Truth{}, err
	}
	if err := f.Close(); err != nil {
		return synth.Truth{}, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return synth.Truth{}, err
	}
	ok = true
	return t, nil
}

package cli

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/contacts"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/rowout"
)

// ContactsOptions are the options of contacts.
type ContactsOptions struct {
	Read   ReadOptions
	List   string
	Format string
	Output string
}

func newContactsCommand(env Env) *cobra.Command {
	opts := &ContactsOptions{}
	cmd := &cobra.Command{
		Use:   "contacts [flags] [EXPORT.csv ...]",
		Short: "List contacts to suppress, to retry, to fix first, or who opted out, as CSV for a spreadsheet or a re-upload",
		Long: `Work out each contact's outcome from all of its rows (a contact is a contact
number, in E.164 when it is a plausible one, within a campaign) and write one
follow-up list as CSV (the first column is 'cell', as in a Spoke contact
upload), as a JSON array, or as Parquet for a warehouse:

  suppress   never text again: opted out (STOP reply, or a send rejected for
             an opt-out), or the last text failed because of the number
             (invalid number, landline or unsupported, recipient block)
  retry      worth texting again: nothing delivered, not opted out, and the
             last text failed for a reason a later send may not meet
             (unreachable, carrier failure, rate limit, Spoke's -1 to -6)
             or is stuck in SENT
  fix-first  nothing delivered, not opted out, and the last text was blocked
             as spam, for its content or the sender's setup: the reason
             says what to fix (fix_content, fix_sender)
  opted-out  every contact who opted out, how and when
  all        every contact with its outcome (the default)

"Last" goes by attempted-at (input order for rows without one). Memory grows
with the number of distinct contacts, not with the number of rows.`,
		Example: `  spoke-status contacts --list suppress -o suppress.csv export.csv
  spoke-status contacts --list retry export.csv.gz > retry.csv
  spoke-status contacts --list opted-out --format json export.csv | jq length`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runContacts(env, opts, args)
		},
	}
	opts.Read.AddFlags(cmd, cmd.Flags())
	enumFlag(cmd, cmd.Flags(), &opts.List, "list", "l", "all", "which contacts: "+valuesText(names(contacts.Lists())), names(contacts.Lists()))
	enumFlag(cmd, cmd.Flags(), &opts.Format, "format", "f", "csv", "output format: "+valuesText(contactFormats())+" (needs -o)", contactFormats())
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this file (whole or not at all) instead of standard output")
	return cmd
}

func runContacts(env Env, opts *ContactsOptions, args []string) error {
	if err := checkBinaryOutput(env, opts.Format, opts.Output); err != nil {
		return err
	}
	list, err := contacts.ParseList(opts.List)
	if err != nil {
		return usageErrorf("", "--list: %v", err)
	}
	paths, err := opts.Read.inputPaths(env, args)
	if err != nil {
		return err
	}
	target, err := outputTarget(env, "-o", outputOrStdout(opts.Output), "contacts.csv", paths)
	if err != nil {
		return err
	}
	// The heap stays near what is live, reading and writing: the contacts
	// are most of it, and they stay till the last one is written.
	defer limitHeap(env, tableHeapLimitFor)()
	agg, err := aggregateContacts(env, paths, &opts.Read)
	if err != nil {
		return err
	}
	if n := agg.WithoutNumber(); n > 0 {
		opts.Read.stderr(env).warnf("%d rows without a contact number were left out", n)
	}
	return writeOutput(target, func(w io.Writer) error {
		return writeContacts(w, agg, list, opts.Format, opts.Read.Redact, opts.Read.Workers)
	})
}

// aggregateContacts reads the inputs into per-contact outcomes.
func aggregateContacts(env Env, paths []string, ro *ReadOptions) (*contacts.Aggregator, error) {
	reg, err := loadRegistry()
	if err != nil {
		return nil, err
	}
	aggOpts, err := ro.aggregatorOptions(env, reg)
	if err != nil {
		return nil, err
	}
	agg := contacts.New(contacts.Options{
		Classifier: classify.New(reg, aggOpts.Provider),
		Stuck:      aggOpts.Stuck,
		InputBytes: inputBytes(paths),
	})
	if ro.DB.active() {
		_, err = scanInputs(env, paths, ro, requireContactNumber, func(rec *export.Record) error {
			agg.Add(rec)
			return nil
		})
	} else {
		err = scanContactsParallel(env, paths, ro, agg)
	}
	if err != nil {
		return nil, err
	}
	agg.Finish()
	return agg, nil
}

// scanContactsParallel reads the inputs as summarize does: chunks decoded
// on every core into batches of prepared rows, applied to agg in input
// order, so the output is the sequential one.
func scanContactsParallel(env Env, paths []string, ro *ReadOptions, agg *contacts.Aggregator) error {
	if ro.Workers < 0 || ro.ChunkBytes < 0 {
		return usageErrorf("", "--workers and --chunk-bytes must not be negative")
	}
	rs, err := ro.reading(env, paths)
	defer rs.done()
	if err != nil {
		return err
	}
	rs.opts.OnHeader = requireContactNumber
	par := export.Parallel{Workers: ro.Workers, ChunkSize: ro.ChunkBytes,
		NewPart: func() export.Part { return agg.Batch() },
		Views:   true, // a batch copies what it keeps (contacts.Batch.Add)
		Direct:  func() export.Part { return directContacts{agg} }}
	_, err = export.ScanParallel(paths, rs.opts, par)
	return err
}

// directContacts counts rows read sequentially straight into the result.
type directContacts struct{ agg *contacts.Aggregator }

func (d directContacts) Add(rec *export.Record) { d.agg.Add(rec) }
func (d directContacts) Merge()                 {}

// requireContactNumber rejects an export without a contact number column:
// contacts are told apart by their number.
func requireContactNumber(src *export.Source) error {
	if src.Has(export.FieldContactNumber) {
		return nil
	}
	f := export.FieldContactNumber
	return &export.InputError{Path: src.Path, Line: 1,
		Msg:  fmt.Sprintf("no %s column (%s): contacts cannot be told apart", f.What(), strings.Join(f.Columns(), " or ")),
		Hint: "pass the messages file of the campaign export, as Spoke wrote it"}
}

// writeContacts writes the contacts of list, streaming: a JSON array has
// one contact per line. CSV and JSON are built on workers goroutines (0:
// GOMAXPROCS), part by part (contacts.Order), and written in order: the
// same bytes as on one. Parquet is written on one: its one writer lays
// out the row groups and the footer of the whole file.
func writeContacts(w io.Writer, agg *contacts.Aggregator, list contacts.List, format string, redact bool, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	opts := rowout.Options{Redact: redact}
	if workers == 1 || format == "parquet" {
		enc, err := newEncoder(w, rowout.Contacts, format, opts)
		if err != nil {
			return err
		}
		if err := agg.Each(list, enc.Write); err != nil {
			return err
		}
		return enc.Close()
	}
	order := agg.Order(workers)
	// Each worker keeps its encoder and its lister from part to part,
	// pointing the encoder at the part's buffer: a new encoder a part
	// grew its line buffer and its memo again, about 60 MB of garbage
	// over the 2.5M-row export. The encoder's memo only skips work, so
	// the bytes do not depend on which parts a worker encoded before.
	newWorker := func() func(p int, buf *bytes.Buffer) error {
		lister := order.Lister()
		to := &partBuffer{}
		enc := newPartEncoder(to, format, opts)
		return func(p int, buf *bytes.Buffer) error {
			to.buf = buf
			if err := lister.EachIn(p, list, enc.Write); err != nil {
				return err
			}
			return enc.Close()
		}
	}
	if format == "json" {
		join := &rowout.JSONArrayJoin{W: w}
		if err := writeInOrder(order.Parts(), workers, newWorker, join.Write); err != nil {
			return err
		}
		return join.Close()
	}
	header, err := rowout.NewCSV(w, rowout.Contacts, opts)
	if err != nil {
		return err
	}
	if err := header.Close(); err != nil {
		return err
	}
	return writeInOrder(order.Parts(), workers, newWorker, func(b []byte) error {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("writing CSV: %w", err)
		}
		return nil
	})
}

// partBuffer is the writer of a worker's part encoder: the buffer of the
// part it encodes.
type partBuffer struct{ buf *bytes.Buffer }

func (w *partBuffer) Write(b []byte) (int, error) { return w.buf.Write(b) }

// newPartEncoder returns the encoder of one part of a CSV (no header) or
// JSON array output.
func newPartEncoder(w io.Writer, format string, opts rowout.Options) rowout.Encoder[contacts.Contact] {
	if format == "json" {
		return rowout.NewJSONArrayPart(w, rowout.Contacts, opts)
	}
	return rowout.NewCSVRows(w, rowout.Contacts, opts)
}

// writeInOrder encodes parts 0 to parts-1 on workers goroutines, each
// with the encode function newWorker made for it, and hands
// their bytes to write in order, on the caller's goroutine. At most
// 2*workers parts are encoded ahead of the one written, so memory is a
// few parts whatever the output's size. The first error stops it.
func writeInOrder(parts, workers int, newWorker func() func(p int, buf *bytes.Buffer) error, write func([]byte) error) error {
	type result struct {
		buf *bytes.Buffer
		err error
	}
	done := make([]chan result, parts)
	for p := range done {
		done[p] = make(chan result, 1) // a worker never waits to hand a part over
	}
	ahead := make(chan struct{}, 2*workers)
	free := make(chan *bytes.Buffer, 2*workers)
	stop := make(chan struct{})
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for p := range parts {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case jobs <- p:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			encode := newWorker()
			for p := range jobs {
				var buf *bytes.Buffer
				select {
				case buf = <-free:
				default:
					buf = new(bytes.Buffer)
				}
				err := encode(p, buf)
				done[p] <- result{buf, err}
			}
		})
	}
	var err error
	for p := range parts {
		r := <-done[p]
		err = r.err
		if err == nil {
			err = write(r.buf.Bytes())
		}
		if err != nil {
			break
		}
		r.buf.Reset()
		select {
		case free <- r.buf:
		default:
		}
		<-ahead
	}
	close(stop)
	wg.Wait()
	return err
}

package export_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/summary"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// pipeline is one run of the whole reading pipeline (export.Scan feeding
// summary.New) over one input held in memory.
type pipeline struct {
	sources  []*export.Source
	summary  *summary.Summary
	calls    int64 // records handed to the callback
	err      error
	warnings string
}

func runPipeline(t testing.TB, reg *registry.Registry, input []byte, opts export.Options) pipeline {
	t.Helper()
	var warn bytes.Buffer
	opts.Stdin = bytes.NewReader(input)
	opts.Warnings = export.NewWarnings(&warn, "", 1<<30)
	agg := summary.New(summary.Options{Registry: reg})
	var p pipeline
	p.sources, p.err = export.Scan([]string{export.StdinPath}, opts, func(r *export.Record) error {
		p.calls++
		agg.Add(r)
		return nil
	})
	agg.Finish()
	p.summary = agg.Result(p.sources, "test")
	p.warnings = warn.String()
	return p
}

var skipWarning = regexp.MustCompile(`(?m)^warning: -:(\d+): skipped malformed row: `)

// checkAccounting asserts the invariants that hold on every input: every
// row handed out is counted, every skipped row has a warning with its
// line, and the figures add up.
func checkAccounting(t testing.TB, p pipeline) {
	t.Helper()
	s := p.summary
	var rows, skipped int64
	for _, src := range p.sources {
		rows += src.Rows
		skipped += src.SkippedRows
	}
	if rows != p.calls || s.Totals.Rows != rows {
		t.Errorf("sources count %d rows, callback saw %d, totals %d", rows, p.calls, s.Totals.Rows)
	}
	if s.Totals.SkippedRows != skipped {
		t.Errorf("totals skip %d rows, sources %d", s.Totals.SkippedRows, skipped)
	}
	if n := int64(len(skipWarning.FindAllString(p.warnings, -1))); n != skipped {
		t.Errorf("%d skipped rows but %d warnings naming a line:\n%s", skipped, n, p.warnings)
	}
	if s.Totals.Outbound+s.Totals.Inbound != s.Totals.Rows {
		t.Errorf("outbound %d + inbound %d != rows %d", s.Totals.Outbound, s.Totals.Inbound, s.Totals.Rows)
	}
	var byStatus int64
	for _, n := range s.Outbound.ByStatus {
		byStatus += n
	}
	if byStatus != s.Totals.Outbound {
		t.Errorf("statuses sum to %d, outbound is %d", byStatus, s.Totals.Outbound)
	}
	var codes, categories int64
	for _, c := range s.ErrorCodes {
		codes += c.Count
	}
	for _, c := range s.Categories {
		categories += c.Count
	}
	if codes != s.Outbound.Errored || categories != s.Outbound.Errored {
		t.Errorf("codes sum to %d, categories to %d, errored is %d", codes, categories, s.Outbound.Errored)
	}
	if sent := s.Outbound.SentStuck + s.Outbound.SentPending + s.Outbound.SentAgeUnknown; sent != s.Outbound.ByStatus[export.StatusSent] {
		t.Errorf("stuck+pending+unknown = %d, SENT = %d", sent, s.Outbound.ByStatus[export.StatusSent])
	}
}

func mustRegistry(t testing.TB) *registry.Registry {
	t.Helper()
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// damaged is a synth export with broken rows put between its records, and
// what a correct reader must report for it.
type damaged struct {
	data           []byte
	truth          synth.Truth
	skippedLines   []int // lines of the rows that must be skipped
	repeatedHeader int   // header rows repeated in the middle
}

// damage rewrites a synth export record by record (with encoding/csv, not
// the reader under test) and inserts, at random places, rows that must be
// skipped (too short, an unreadable is-from-contact, a spreadsheet's empty
// row) and repeated headers that must be skipped without counting.
func damage(t testing.TB, dialect string, rows int, seed uint64) damaged {
	t.Helper()
	var clean bytes.Buffer
	truth, err := synth.Write(&clean, synth.Options{Rows: rows, Seed: seed, Dialect: dialect})
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&clean).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, width := records[0], len(records[0])
	fromContact := indexOf(header, "is_from_contact", "isFromContact")
	rng := rand.New(rand.NewPCG(seed, 99))
	out := damaged{truth: truth}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = rng.IntN(2) == 0
	write := func(rec []string) {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		w.Flush()
	}
	line := func() int { return bytes.Count(buf.Bytes(), []byte("\n")) + 1 }
	write(header)
	for _, rec := range records[1:] {
		switch rng.IntN(40) {
		case 0:
			out.skippedLines = append(out.skippedLines, line())
			write(rec[:rng.IntN(width-1)+1])
		case 1:
			bad := append([]string(nil), rec...)
			bad[fromContact] = "maybe"
			out.skippedLines = append(out.skippedLines, line())
			write(bad)
		case 2:
			out.skippedLines = append(out.skippedLines, line())
			write(make([]string, width))
		case 3:
			out.repeatedHeader++
			write(header)
		}
		write(rec)
	}
	out.data = buf.Bytes()
	return out
}

func indexOf(header []string, names ...string) int {
	for i, h := range header {
		for _, n := range names {
			if h == n {
				return i
			}
		}
	}
	panic(fmt.Sprintf("no column %v in %v", names, header))
}

// TestAccountingOnDamagedExports: over generated exports of every dialect
// with broken rows and repeated headers inserted, every generated row is
// counted with the generator's figures, every inserted broken row is
// skipped with a warning naming its line, and the invariants hold.
func TestAccountingOnDamagedExports(t *testing.T) {
	reg := mustRegistry(t)
	for _, dialect := range synth.Dialects() {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/%d", dialect, seed), func(t *testing.T) {
				d := damage(t, dialect, 1500, seed)
				p := runPipeline(t, reg, d.data, export.Options{})
				if p.err != nil {
					t.Fatal(p.err)
				}
				checkAccounting(t, p)
				src, s := p.sources[0], p.summary
				if src.Rows != int64(d.truth.Rows) || src.SkippedRows != int64(len(d.skippedLines)) {
					t.Errorf("rows %d, skipped %d; want %d, %d", src.Rows, src.SkippedRows, d.truth.Rows, len(d.skippedLines))
				}
				if s.Totals.Outbound != int64(d.truth.Outbound) || s.Outbound.Errored != int64(d.truth.Errored) || s.Outbound.Delivered != int64(d.truth.Delivered) {
					t.Errorf("outbound %d errored %d delivered %d; truth %d %d %d", s.Totals.Outbound, s.Outbound.Errored, s.Outbound.Delivered, d.truth.Outbound, d.truth.Errored, d.truth.Delivered)
				}
				for status, n := range d.truth.ByStatus {
					if s.Outbound.ByStatus[status] != int64(n) {
						t.Errorf("by_status[%s] = %d, truth %d", status, s.Outbound.ByStatus[status], n)
					}
				}
				for _, l := range d.skippedLines {
					if !strings.Contains(p.warnings, fmt.Sprintf("warning: -:%d: skipped malformed row: ", l)) {
						t.Errorf("no warning for the broken row at line %d", l)
					}
				}
				if d.repeatedHeader > 0 && !strings.Contains(p.warnings, fmt.Sprintf("%d repeated header row", d.repeatedHeader)) {
					t.Errorf("repeated headers (%d) not reported:\n%s", d.repeatedHeader, p.warnings)
				}
			})
		}
	}
}

// FuzzScan feeds the whole pipeline any bytes: it must not panic or hang,
// and the accounting invariants must hold whatever it read, whether it
// stopped with an input error or not.
func FuzzScan(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/dialects/*.csv")
	bad, _ := filepath.Glob("../../testdata/bad/*")
	for _, path := range append(seeds, bad...) {
		if data, err := os.ReadFile(path); err == nil && len(data) < 64<<10 {
			f.Add(data, false)
		}
	}
	for _, dialect := range synth.Dialects() {
		d := damage(f, dialect, 40, 5)
		f.Add(d.data, true)
	}
	reg := mustRegistry(f)
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		p := runPipeline(t, reg, data, export.Options{Strict: strict, MaxFieldBytes: 4 << 10})
		if p.err != nil {
			if _, ok := p.err.(*export.InputError); !ok {
				t.Fatalf("error %T %v, want an *export.InputError", p.err, p.err)
			}
			if msg := p.err.Error(); strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error spans lines: %q", msg)
			}
		}
		checkAccounting(t, p)
	})
}

// spreadsheetResave rewrites a synth export as Excel saves it: times as
// "10/1/2024 18:02" (UTC, to the minute), phone numbers in scientific
// notation, booleans as TRUE/FALSE. It returns the rewritten export and how
// many times, phone numbers and booleans it rewrote.
func spreadsheetResave(t testing.TB, data []byte) (out []byte, times, phones, bools int) {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := records[0]
	at := indexOf(header, "attempted_at", "attemptedAt")
	fromContact := indexOf(header, "is_from_contact", "isFromContact")
	numbers := []int{indexOf(header, "contact_number", "contactNumber"), indexOf(header, "user_number", "userNumber")}
	for _, rec := range records[1:] {
		if ts, err := time.Parse(time.RFC3339Nano, rec[at]); err == nil {
			rec[at] = ts.UTC().Format("1/2/2006 15:04")
			times++
		}
		rec[fromContact] = strings.ToUpper(rec[fromContact])
		bools++
		for _, i := range numbers {
			if len(rec[i]) > 5 {
				rec[i] = rec[i][2:3] + "." + rec[i][3:7] + "E+10"
				phones++
			}
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.WriteAll(records); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), times, phones, bools
}

// TestSpreadsheetResaveOfGeneratedExports: every row of a re-saved export
// is still read with the generator's figures, and each kind of damage is
// reported once with its exact count.
func TestSpreadsheetResaveOfGeneratedExports(t *testing.T) {
	reg := mustRegistry(t)
	for _, dialect := range synth.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			var clean bytes.Buffer
			truth, err := synth.Write(&clean, synth.Options{Rows: 1200, Seed: 4, Dialect: dialect})
			if err != nil {
				t.Fatal(err)
			}
			data, times, phones, bools := spreadsheetResave(t, clean.Bytes())
			p := runPipeline(t, reg, data, export.Options{})
			if p.err != nil {
				t.Fatal(p.err)
			}
			checkAccounting(t, p)
			s := p.summary
			if s.Totals.Rows != int64(truth.Rows) || s.Totals.SkippedRows != 0 || s.Totals.Inbound != int64(truth.Inbound) || s.Inbound.OptOutReplies != int64(truth.OptOutReplies) {
				t.Errorf("totals %+v, opt-out replies %d; truth rows %d inbound %d opt-out replies %d", s.Totals, s.Inbound.OptOutReplies, truth.Rows, truth.Inbound, truth.OptOutReplies)
			}
			for status, n := range truth.ByStatus {
				if s.Outbound.ByStatus[status] != int64(n) {
					t.Errorf("by_status[%s] = %d, truth %d", status, s.Outbound.ByStatus[status], n)
				}
			}
			if s.Outbound.SentAgeUnknown != int64(truth.SentAgeUnknown) {
				t.Errorf("sent_age_unknown = %d, truth %d: spreadsheet times were not read", s.Outbound.SentAgeUnknown, truth.SentAgeUnknown)
			}
			for _, want := range []string{
				fmt.Sprintf("%s attempted-at values are in a spreadsheet's format", thousands(times)),
				fmt.Sprintf("%s phone numbers are in scientific notation", thousands(phones)),
				fmt.Sprintf("%s is-from-contact values are written", thousands(bools)),
			} {
				if strings.Count(p.warnings, want) != 1 {
					t.Errorf("want once %q in:\n%s", want, p.warnings)
				}
			}
		})
	}
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

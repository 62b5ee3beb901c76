// Package engine reads exports and summarizes them: the one pipeline
// behind summarize, check and report (read rows, classify, aggregate).
// A command describes what it wants in a Request; Run reads the inputs
// (in parallel where it can), counts every row, and returns the finished
// Summary with its breakdowns, so no command knows the order of the steps.
package engine

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/steps"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// Request is one summary to compute.
type Request struct {
	// Inputs are the paths to read, export.StdinPath for standard input.
	Inputs []string
	// Read are the reader's options (warnings, header check, progress).
	Read export.Options
	// Workers and ChunkBytes tune the parallel reader (0: defaults).
	Workers, ChunkBytes int
	// Summary configures the aggregator; its Dimensions are set from
	// Groups.
	Summary summary.Options
	// Groups are the breakdowns, in the order they are reported.
	Groups []Group
	// Analyses switch on the per-row analyses.
	Analyses Analyses
	// Step, when set, keeps only the outbound texts of that step (check
	// --step): the other rows count only towards the as-of time and the
	// provider's inference.
	Step steps.Step
	// Steps is the index the step dimensions were made with
	// (summary.Context.Steps); Run fills it when a group or Step needs it.
	Steps *steps.Index
	// Producer names the program in the Summary ("spoke-status v1.2").
	Producer string
	// Source reads the rows; nil reads Inputs as export files.
	Source Source
}

// Source reads every row into parts made by par.NewPart, merged in input
// order, and returns what it read. Files reads export files; the database
// source (cli) reads Spoke's tables. A source may be read twice (the
// first pass of a summary by step).
type Source func(read export.Options, par export.Parallel) ([]*export.Source, error)

// Files is the Source of export files: regular files are read in
// parallel chunks, the rest sequentially.
func Files(inputs []string) Source {
	return func(read export.Options, par export.Parallel) ([]*export.Source, error) {
		return export.ScanParallel(inputs, read, par)
	}
}

func (req *Request) source() Source {
	if req.Source != nil {
		return req.Source
	}
	return Files(req.Inputs)
}

// Group asks for one breakdown.
type Group struct {
	Dimension summary.Dimension
	Sort      summary.GroupSort
	// Top folds the groups past the first Top into "other"; 0 keeps all.
	Top int
	// TallyOnly groups are counted (Result.Aggregator has their tallies)
	// but left out of the Summary: check judges each campaign without
	// listing them.
	TallyOnly bool
}

// Analyses are the per-row analyses to run.
type Analyses struct {
	Links, Replies, Segments bool
	// Signals looks for suspected silent filtering (package signals), by
	// link domain, sending number and day; days are in Location (UTC when
	// nil).
	Signals  bool
	Location *time.Location
	// PricePerSegment, when positive, adds a cost estimate.
	PricePerSegment float64
}

// Result is a finished summary.
type Result struct {
	Summary *summary.Summary
	// Aggregator holds the raw tallies (per group too), finished: for
	// callers that need more than the Summary's rows, such as check.
	Aggregator *summary.Aggregator
	// Warnings say what the caps on data-keyed maps folded into "(other)"
	// (--max-keys), one per kind.
	Warnings []string
}

// Run reads every input and returns its summary.
func Run(req Request) (*Result, error) {
	if req.Step != "" || needsSteps(req.Groups) {
		if req.Steps == nil {
			req.Steps = steps.NewIndex()
		}
		restore, err := indexContacts(&req)
		if err != nil {
			return nil, err
		}
		defer restore()
	}
	opts := req.Summary
	opts.Dimensions = nil
	for _, g := range req.Groups {
		opts.Dimensions = append(opts.Dimensions, g.Dimension)
	}
	agg := summary.New(opts)
	an := req.Analyses.counters()
	an.Cap(opts.MaxKeys, agg)
	par := export.Parallel{Workers: req.Workers, ChunkSize: req.ChunkBytes, NewPart: func() export.Part {
		fa := agg.Fork()
		return &part{agg: fa, into: agg, an: an.Fork(), anInto: an, keep: req.keep()}
	}, Direct: func() export.Part {
		// Inputs read sequentially count straight into the result, so
		// the caps apply as rows come rather than at a merge.
		return &part{agg: agg, an: an, keep: req.keep()}
	}, Views: true, CodeViews: true, Serial: agg.CodesFilling} // see part
	sources, err := req.source()(req.Read, par)
	if err != nil {
		return nil, err
	}
	agg.Finish()
	// The analyses first, then their per-contact tables let go: on an
	// export of a million contacts they are the biggest thing live, and
	// the result's lists are built next.
	var fromAnalyses summary.Breakdowns
	an.Fill(&fromAnalyses, agg.Classifier())
	warnings := append(agg.Warnings(), an.Warnings()...)
	*an = summary.Analyses{}
	// The group rows and the rest of the result only read the finished
	// aggregator, each its own tallies: on a broken export each lists
	// 100,000 of them, one goroutine apiece.
	var groups summary.Breakdowns
	filled := make(chan error, 1)
	go func() { filled <- req.fillGroups(agg, &groups) }()
	s := agg.Result(sources, req.Producer) // with no breakdowns yet
	if err := <-filled; err != nil {
		return nil, err
	}
	s.Breakdowns = fromAnalyses
	s.Breakdowns.Groups, s.Breakdowns.GroupOrder = groups.Groups, groups.GroupOrder
	return &Result{Summary: s, Aggregator: agg, Warnings: warnings}, nil
}

// fillGroups adds the rows of the groups asked for to b, in order.
func (req *Request) fillGroups(agg *summary.Aggregator, b *summary.Breakdowns) error {
	for _, g := range req.Groups {
		if g.TallyOnly {
			continue
		}
		if err := agg.FillGroups(b, []string{g.Dimension.Name}, g.Sort, g.Top); err != nil {
			return err
		}
	}
	return nil
}

func needsSteps(groups []Group) bool {
	for _, g := range groups {
		if g.Dimension.NeedsSteps {
			return true
		}
	}
	return false
}

// keep returns the filter of rows counted, nil to count them all.
func (req *Request) keep() func(*export.Record) bool {
	if req.Step == "" {
		return nil
	}
	idx, step := req.Steps, req.Step
	return func(rec *export.Record) bool {
		if rec.Inbound {
			return false
		}
		st, ok := idx.Of(rec)
		return ok && st == step
	}
}

func (a Analyses) counters() *summary.Analyses {
	an := &summary.Analyses{PricePerSegment: a.PricePerSegment}
	if a.Links {
		an.Links = summary.NewLinkCounter()
	}
	if a.Replies {
		an.Replies = summary.NewReplyCounter()
	}
	if a.Segments {
		an.Segments = summary.NewSegmentCounter()
		if a.PricePerSegment <= 0 {
			an.Segments.WithoutCost()
		}
	}
	if a.Signals {
		an.Signals = summary.NewSignalCounter(a.Location)
	}
	return an
}

// part counts the rows of one part of the input, merged in input order.
// Its rows are read with export.Parallel.Views: their strings view the
// reader's buffer, and what keeps one clones it. Audited: the groups,
// link domains, segments' codes and signals' numbers and domains clone
// a key before inserting it (keycap.Entry or strings.Clone); the texter
// dimension clones the last name it caches; the reply and step tables
// keep hashes; pending SENT rows keep tallies, not strings. Status is
// never a view; the codes (also counted with m[code] += n, which stores
// the key it is given) only where the reader finds they never repeat
// (export.Parallel.CodeViews), and the aggregator replaces them by a copy
// or keycap.Other before any map sees them (Aggregator.AddRow).
// go test -tags viewcheck ./... checks it: rows are then scribbled over
// once handled.
type part struct {
	agg, into  *summary.Aggregator
	an, anInto *summary.Analyses
	keep       func(*export.Record) bool
}

func (p *part) Add(rec *export.Record) {
	if p.keep != nil && !p.keep(rec) {
		p.agg.Observe(rec)
		return
	}
	rule := p.agg.AddRow(rec) // the text's opt-out rule read once; a folded code is keycap.Other
	p.an.AddRule(rec, rule)
}

// Finish is called on the part's goroutine after its last row
// (export.Finisher).
func (p *part) Finish() {
	if p.into != nil {
		p.an.FinishPart()
	}
}

func (p *part) Merge() {
	if p.into == nil { // a direct part: nothing to merge
		return
	}
	p.into.Merge(p.agg)
	p.anInto.Merge(p.an)
}

// indexContacts is the first pass of a summary by step: it reads every
// input once into req.Steps, quietly (the second pass reports warnings
// and progress). Standard input cannot be read twice, so the first pass
// copies it to a temporary file that the second pass reads; restore
// removes it.
func indexContacts(req *Request) (restore func(), err error) {
	restore = func() {}
	first := req.Read
	first.Warnings, first.OnHeader, first.CountRead = nil, nil, nil
	if hasStdin(req.Inputs) {
		spool, err := os.CreateTemp("", "spoke-status-stdin-*")
		if err != nil {
			return restore, fmt.Errorf("cannot keep standard input for a second pass (--by step): %w", err)
		}
		restore = func() { spool.Close(); os.Remove(spool.Name()) }
		stdin := req.Read.Stdin
		if stdin == nil {
			stdin = os.Stdin
		}
		first.Stdin = io.TeeReader(stdin, spool)
		defer func() {
			if err == nil {
				_, err = spool.Seek(0, io.SeekStart)
				req.Read.Stdin = spool
			}
		}()
	}
	idx := req.Steps
	par := export.Parallel{Workers: req.Workers, ChunkSize: req.ChunkBytes, NewPart: func() export.Part {
		return &indexPart{idx: steps.NewIndex(), into: idx}
	}, Views: true} // the index keeps hashes of the rows' strings only
	if _, err := req.source()(first, par); err != nil {
		return restore, err
	}
	return restore, nil
}

func hasStdin(paths []string) bool {
	for _, p := range paths {
		if p == export.StdinPath {
			return true
		}
	}
	return false
}

// indexPart fills a part of the contact index.
type indexPart struct{ idx, into *steps.Index }

func (p *indexPart) Add(rec *export.Record) { p.idx.Observe(rec) }
func (p *indexPart) Merge()                 { p.into.Merge(p.idx) }

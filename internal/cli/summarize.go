package cli

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // --tz must work on hosts without a zoneinfo database

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/engine"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/render"
	"github.com/spoke-status/spoke-status/internal/steps"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// SummarizeOptions are the options of summarize.
type SummarizeOptions struct {
	Read   ReadOptions
	Format string
	Top    int

	// Breakdowns (--by and its companions).
	By        []string
	Sort      string
	TopGroups int
	TZ        string

	// Analyses, on by default; switched off for benchmarks of the core.
	Links           bool
	Replies         bool
	Segments        bool
	Signals         bool
	PricePerSegment float64
}

func newSummarizeCommand(env Env) *cobra.Command {
	opts := &SummarizeOptions{}
	cmd := &cobra.Command{
		Use:   "summarize [flags] [EXPORT.csv ...]",
		Short: "Summarize deliverability: delivered, errored, stuck, opt-outs, error codes",
		Long: `Summarize one or more Spoke messages exports, read together: outbound texts by
status, stuck SENT texts, opt-out rejections and replies, error codes with their
provider, category and retry advice; texts with and without links, replies and
opt-outs by contact, SMS segments and, with --price-per-segment, their cost;
and signals of suspected silent filtering: link domains, sending numbers or
days whose DELIVERED texts drew far fewer replies than the rest (a heuristic).

--by breaks the figures down by a dimension: ` + strings.Join(summary.DimensionNames(), ", ") + `.
Repeat --by for several breakdowns; join two dimensions with a comma to nest
them (--by campaign,sending-number: one row per campaign and number).

Inputs may be gzip-compressed; '-' (or no argument, with input piped in) reads
standard input.`,
		Example: `  spoke-status summarize GOTV-2024-10-01-14-22-05.csv-messages.csv
  spoke-status summarize --format json export.csv.gz | jq .outbound.error_rate
  spoke-status summarize --by campaign --by sending-number --sort error_rate export.csv
  spoke-status summarize --by hour --tz America/New_York export.csv
  spoke-status summarize --price-per-segment 0.0079 export.csv
  cat export.csv | spoke-status summarize --top 5 -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			// --top N also folds --by groups (the "--top N groups"),
			// unless --top-groups says otherwise; by default every group is
			// listed, so JSON consumers see them all.
			if cmd.Flags().Changed("top") && !cmd.Flags().Changed("top-groups") {
				opts.TopGroups = opts.Top
			}
			return runSummarize(env, opts, args)
		},
	}
	opts.Read.AddFlags(cmd, cmd.Flags())
	f := cmd.Flags()
	enumFlag(cmd, f, &opts.Format, "format", "f", "table", "output format: "+valuesText(reportFormats()), reportFormats())
	f.IntVar(&opts.Top, "top", 10, "error codes and link domains listed in the tables, and --by groups in every format, before the rest are folded into 'other'")
	enumListFlag(cmd, f, &opts.By, "by", "break down by `DIMENSION[,DIMENSION]`: "+strings.Join(summary.DimensionNames(), ", ")+" (repeatable)", true, summary.DimensionNames())
	enumFlag(cmd, f, &opts.Sort, "sort", "", "", "order of --by groups: "+valuesText(names(summary.GroupSorts()))+" (default: key for day and hour, else outbound)", names(summary.GroupSorts()))
	f.IntVar(&opts.TopGroups, "top-groups", 0, "groups listed per --by breakdown, in every format, before the rest are folded into 'other' (default: --top when given, else all)")
	f.StringVar(&opts.TZ, "tz", "UTC", "time zone of --by day and hour buckets and of the signals' days, e.g. America/New_York")
	f.BoolVar(&opts.Links, "links", true, "analyse the links in outbound texts (--links=false skips it)")
	f.BoolVar(&opts.Replies, "replies", true, "count contacts messaged, replied and opted out (--replies=false skips it)")
	f.BoolVar(&opts.Segments, "segments", true, "count SMS segments (--segments=false skips it)")
	f.BoolVar(&opts.Signals, "signals", true, "look for suspected silent filtering by link domain, sending number and day (--signals=false skips it)")
	f.Float64Var(&opts.PricePerSegment, "price-per-segment", 0, "price of one segment, e.g. 0.0079, to estimate the cost of the texts")
	return cmd
}

func runSummarize(env Env, opts *SummarizeOptions, args []string) error {
	if opts.Top < 1 {
		return usageErrorf("", "--top must be at least 1, got %d", opts.Top)
	}
	plan, err := opts.breakdownPlan()
	if err != nil {
		return err
	}
	paths, err := opts.Read.inputPaths(env, args)
	if err != nil {
		return err
	}
	// The limit that keeps the heap near what is live while reading also
	// holds while group rows are built and rendered: with --by on a broken
	// export that may be 100,000 groups (--max-keys).
	defer limitHeapWhileReading(env)()
	res, err := summarize(env, paths, &opts.Read, summaryRequest{
		groups: plan.groups(opts.TopGroups), analyses: opts.analyses(plan.loc),
		onHeader: plan.checkColumns, steps: plan.steps,
	})
	if err != nil {
		return err
	}
	s := res.Summary
	if opts.Read.Redact {
		redactSummary(s)
	}
	switch opts.Format {
	case "json":
		return render.SummaryJSON(env.Stdout, s)
	case "markdown":
		return render.Summary(env.Stdout, s, render.SummaryOptions{Style: render.Markdown, Top: opts.Top})
	default:
		return render.Summary(env.Stdout, s, render.SummaryOptions{Style: render.Text, Top: opts.Top})
	}
}

// analyses returns the per-row analyses the flags switch on; the days of
// the signals are in loc, --tz.
func (o *SummarizeOptions) analyses(loc *time.Location) engine.Analyses {
	return engine.Analyses{
		Links: o.Links, Replies: o.Replies, Segments: o.Segments, PricePerSegment: o.PricePerSegment,
		Signals: o.Signals, Location: loc,
	}
}

// breakdownPlan is what the --by flags and their companions ask for.
type breakdownPlan struct {
	dims  []summary.Dimension
	sort  summary.GroupSort
	steps *steps.Index // read by the step dimension, filled by the engine
	loc   *time.Location
}

func (o *SummarizeOptions) breakdownPlan() (*breakdownPlan, error) {
	sortBy, err := summary.ParseGroupSort(o.Sort)
	if err != nil {
		return nil, usageErrorf("", "--sort: %v", err)
	}
	if o.TopGroups < 0 {
		return nil, usageErrorf("", "--top-groups must be 0 (all) or more, got %d", o.TopGroups)
	}
	if o.PricePerSegment < 0 || math.IsNaN(o.PricePerSegment) || math.IsInf(o.PricePerSegment, 0) {
		return nil, usageErrorf("give the price of one segment, e.g. --price-per-segment 0.0079", "--price-per-segment must be 0 (no estimate) or a positive number, got %v", o.PricePerSegment)
	}
	if o.PricePerSegment > 0 && !o.Segments {
		return nil, usageErrorf("drop --segments=false to estimate the cost", "--price-per-segment needs the segment count, which --segments=false switches off")
	}
	loc, err := time.LoadLocation(strings.TrimSpace(o.TZ))
	if err != nil {
		return nil, usageErrorf("use an IANA zone name such as America/New_York, or UTC", "--tz %q is not a known time zone", o.TZ)
	}
	plan := &breakdownPlan{sort: sortBy, steps: steps.NewIndex(), loc: loc}
	for _, by := range o.By {
		d, err := summary.NewDimension(by, summary.Context{Location: loc, Steps: plan.steps})
		if err != nil {
			return nil, usageErrorf("repeat --by for separate breakdowns; a comma nests two dimensions, e.g. --by campaign,sending-number", "--by: %v", err)
		}
		if !slices.ContainsFunc(plan.dims, func(have summary.Dimension) bool { return have.Name == d.Name }) {
			plan.dims = append(plan.dims, d)
		}
	}
	return plan, nil
}

// groups returns the engine's group requests, top groups each.
func (p *breakdownPlan) groups(top int) []engine.Group {
	groups := make([]engine.Group, len(p.dims))
	for i, d := range p.dims {
		groups[i] = engine.Group{Dimension: d, Sort: p.sort, Top: top}
	}
	return groups
}

// checkColumns refuses an input that lacks a column a --by dimension
// needs: an empty table would suggest there was nothing to see.
func (p *breakdownPlan) checkColumns(src *export.Source) error {
	for _, d := range p.dims {
		req, missing := d.MissingIn(src)
		if !missing {
			continue
		}
		return usageErrorf(missingHint(req, src),
			"--by %s: %s is a %s export, which has no %s column (%s)",
			req.Dimension, export.DisplayName(src.Path), src.Dialect, req.What(), strings.Join(req.Columns(), ", "))
	}
	return nil
}

func missingHint(req summary.Requirement, src *export.Source) string {
	if req.Dimension == summary.DimTexter && src.Dialect != export.Rewired {
		return "StateVoices and MoveOn Spoke keep texters in the contacts export, not the messages export; only Spoke Rewired exports name them. Try --by campaign or --by sending-number"
	}
	return fmt.Sprintf("drop --by %s for this input", req.Dimension)
}

package cli

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/engine"
	"github.com/spoke-status/spoke-status/internal/report"
	"github.com/spoke-status/spoke-status/internal/steps"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// ReportOptions are the options of report.
type ReportOptions struct {
	Read      ReadOptions
	Output    string
	Title     string
	TZ        string
	Top       int
	TopGroups int
	// MinOutbound is the fewest outbound texts a group or period needs for
	// its error rate to be ranked or drawn on the line.
	MinOutbound     int64
	Texters         bool
	PricePerSegment float64
}

func newReportCommand(env Env) *cobra.Command {
	opts := &ReportOptions{}
	cmd := &cobra.Command{
		Use:   "report [flags] -o REPORT.html [EXPORT.csv ...]",
		Short: "Write a one-page HTML deliverability report with charts",
		Long: `Write a one-page HTML report of one or more Spoke messages exports, for
people who will not read a terminal table: headline figures, then charts with a
table of the same numbers below each: signals of silent filtering, volume and
error rate over time (by hour when the texts span less than 3 days, else by
day), outcomes, initial texts vs follow-ups, errors by category, top error codes
with what to do, segments and cost, and error rates by campaign, sending number
and link domain (URL shorteners flagged). --texters adds a section per texter.

The campaign, sending number, texter and link domain charts rank the groups
with at least --min-outbound texts by error rate, worst first; their tables
list the busiest. On the time line, periods under --min-outbound texts have
their error rate greyed.

The page is one self-contained file (no script, nothing loaded from elsewhere):
email it, attach it to a ticket or publish it as a CI artifact. It follows the
reader's light or dark preference, fits a phone and prints.

-o - writes the page to standard output. Inputs may be gzip-compressed; '-' (or
no argument, with input piped in) reads standard input.`,
		Example: `  spoke-status report -o report.html GOTV-2024-10-01-14-22-05.csv-messages.csv
  spoke-status report --title "GOTV texting, week 1" --tz America/New_York -o week1.html export.csv.gz
  spoke-status report --price-per-segment 0.0079 --texters -o report.html rewired-export.csv
  spoke-status report --redact -o - export.csv > report.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(env, opts, args)
		},
	}
	opts.Read.AddFlags(cmd, cmd.Flags())
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "file to write the HTML report to (required; '-' for standard output)")
	f.StringVar(&opts.Title, "title", report.DefaultTitle, "title of the report")
	f.StringVar(&opts.TZ, "tz", "UTC", "time zone of the volume chart's hours and days, e.g. America/New_York")
	f.IntVar(&opts.Top, "top", 10, "error codes and link domains charted")
	f.IntVar(&opts.TopGroups, "top-groups", 15, "campaigns, sending numbers and texters charted (worst first) and tabled (busiest first; the rest folded into one 'other' row)")
	f.Int64Var(&opts.MinOutbound, "min-outbound", report.DefaultMinOutbound, "fewest outbound texts a campaign, number, texter, domain or period needs for its error rate to be ranked or drawn on the line")
	f.BoolVar(&opts.Texters, "texters", false, "add a section per texter (names are personal: --redact numbers them)")
	f.Float64Var(&opts.PricePerSegment, "price-per-segment", 0, "price of one segment, e.g. 0.0079, to estimate the cost of the texts")
	return cmd
}

func runReport(env Env, opts *ReportOptions, args []string) error {
	loc, err := opts.validate()
	if err != nil {
		return err
	}
	paths, err := opts.Read.inputPaths(env, args)
	if err != nil {
		return err
	}
	target, err := outputTarget(env, "-o", opts.Output, "report.html", paths)
	if err != nil {
		return err
	}
	s, err := reportSummary(env, opts, paths, loc)
	if err != nil {
		return err
	}
	if opts.Read.Redact {
		redactSummary(s)
	}
	page, err := report.Build(s, report.Options{
		Title: opts.Title, Redact: opts.Read.Redact, Location: loc, Top: opts.Top,
		TopGroups: opts.TopGroups, MinOutbound: opts.MinOutbound, Texters: opts.Texters,
	})
	if err != nil {
		return fmt.Errorf("internal error: %w", err)
	}
	return writeOutput(target, page.Write)
}

// validate checks the flags before any input is read, and returns the
// time zone.
func (o *ReportOptions) validate() (*time.Location, error) {
	if o.Output == "" {
		return nil, usageErrorf("e.g. spoke-status report -o report.html export.csv ('-o -' writes to standard output)", "-o is required: where should the report go?")
	}
	if o.Top < 1 {
		return nil, usageErrorf("", "--top must be at least 1, got %d", o.Top)
	}
	if o.TopGroups < 1 {
		return nil, usageErrorf("", "--top-groups must be at least 1, got %d", o.TopGroups)
	}
	if o.MinOutbound < 1 {
		return nil, usageErrorf("", "--min-outbound must be at least 1, got %d", o.MinOutbound)
	}
	if o.PricePerSegment < 0 || math.IsNaN(o.PricePerSegment) || math.IsInf(o.PricePerSegment, 0) {
		return nil, usageErrorf("give the price of one segment, e.g. --price-per-segment 0.0079", "--price-per-segment must be 0 (no estimate) or a positive number, got %v", o.PricePerSegment)
	}
	if strings.TrimSpace(o.Title) == "" {
		return nil, usageErrorf("", "--title must not be empty")
	}
	loc, err := time.LoadLocation(strings.TrimSpace(o.TZ))
	if err != nil {
		return nil, usageErrorf("use an IANA zone name such as America/New_York, or UTC", "--tz %q is not a known time zone", o.TZ)
	}
	return loc, nil
}

// reportSummary reads the inputs with every breakdown the report draws.
// Campaigns, sending numbers and texters are kept whole (the report ranks
// them by error rate and folds the table itself); the step split needs
// the engine's first pass.
func reportSummary(env Env, opts *ReportOptions, paths []string, loc *time.Location) (*summary.Summary, error) {
	idx := steps.NewIndex()
	groups := []engine.Group{
		{Dimension: summary.CampaignDimension()},
		{Dimension: summary.SendingNumberDimension()},
		{Dimension: summary.DayDimension(loc)},
		{Dimension: summary.HourDimension(loc)},
		{Dimension: summary.StepDimension(idx)},
	}
	if opts.Texters {
		groups = append(groups, engine.Group{Dimension: summary.TexterDimension()})
	}
	analyses := engine.Analyses{Links: true, Replies: true, Segments: true, PricePerSegment: opts.PricePerSegment, Signals: true, Location: loc}
	res, err := summarize(env, paths, &opts.Read, summaryRequest{groups: groups, analyses: analyses, steps: idx})
	if err != nil {
		return nil, err
	}
	return res.Summary, nil
}

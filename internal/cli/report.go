package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/atomicfile"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/report"
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
}

func newReportCommand(env Env) *cobra.Command {
	opts := &ReportOptions{}
	cmd := &cobra.Command{
		Use:   "report [flags] -o REPORT.html [EXPORT.csv ...]",
		Short: "Write a one-page HTML deliverability report with charts",
		Long: `Write a one-page HTML report of one or more Spoke messages exports, for
people who will not read a terminal table: headline figures, then charts with a
table of the same numbers below each: volume and error rate over time (by hour
when the texts span less than 3 days, else by day), outcomes, errors by category,
top error codes with what to do, error rates by campaign and sending number, and
link domains with URL shorteners flagged.

The page is one self-contained file (no script, nothing loaded from elsewhere):
email it, attach it to a ticket or publish it as a CI artifact. It follows the
reader's light or dark preference, fits a phone and prints.

-o - writes the page to standard output. Inputs may be gzip-compressed; '-' (or
no argument, with input piped in) reads standard input.`,
		Example: `  spoke-status report -o report.html GOTV-2024-10-01-14-22-05.csv-messages.csv
  spoke-status report --title "GOTV texting, week 1" --tz America/New_York -o week1.html export.csv.gz
  spoke-status report --redact -o - export.csv > report.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(env, opts, args)
		},
	}
	opts.Read.AddFlags(cmd.Flags())
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "file to write the HTML report to (required; '-' for standard output)")
	f.StringVar(&opts.Title, "title", report.DefaultTitle, "title of the report")
	f.StringVar(&opts.TZ, "tz", "UTC", "time zone of the volume chart's hours and days, e.g. America/New_York")
	f.IntVar(&opts.Top, "top", 10, "error codes and link domains charted")
	f.IntVar(&opts.TopGroups, "top-groups", 15, "campaigns and sending numbers charted, by outbound texts; the rest are folded into one 'other' table row")
	return cmd
}

func runReport(env Env, opts *ReportOptions, args []string) error {
	loc, err := opts.validate()
	if err != nil {
		return err
	}
	paths, err := inputPaths(env, args)
	if err != nil {
		return err
	}
	if err := checkOutputPath(opts.Output, paths); err != nil {
		return err
	}
	s, err := reportSummary(env, opts, paths, loc)
	if err != nil {
		return err
	}
	if opts.Read.Redact {
		redactSummary(s)
	}
	page, err := report.Build(s, report.Options{Title: opts.Title, Redact: opts.Read.Redact, Location: loc, Top: opts.Top})
	if err != nil {
		return fmt.Errorf("internal error: %w", err)
	}
	if opts.Output == "-" {
		return page.Write(env.Stdout)
	}
	if err := atomicfile.Write(opts.Output, func(f *os.File) error { return page.Write(f) }); err != nil {
		return usageErrorf("check that the directory exists and is writable", "-o: %v", err)
	}
	return nil
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
	if strings.TrimSpace(o.Title) == "" {
		return nil, usageErrorf("", "--title must not be empty")
	}
	loc, err := time.LoadLocation(strings.TrimSpace(o.TZ))
	if err != nil {
		return nil, usageErrorf("use an IANA zone name such as America/New_York, or UTC", "--tz %q is not a known time zone", o.TZ)
	}
	return loc, nil
}

// checkOutputPath fails early, before a long read, when the report could
// not be written, or would overwrite one of the inputs.
func checkOutputPath(out string, inputs []string) error {
	if out == "-" {
		return nil
	}
	dir := filepath.Dir(out)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageErrorf("create the directory first, or choose another path", "-o %s: directory %s does not exist", out, dir)
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return usageErrorf("name a file, e.g. -o "+filepath.Join(out, "report.html"), "-o %s is a directory", out)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return usageErrorf("", "-o %s: %v", out, err)
	} else if err == nil {
		for _, in := range inputs {
			if in == export.StdinPath {
				continue
			}
			if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
				return usageErrorf("choose another name for the report", "-o %s is one of the inputs: writing the report would replace the export", out)
			}
		}
	}
	return nil
}

// reportSummary reads the inputs with every breakdown the report draws.
func reportSummary(env Env, opts *ReportOptions, paths []string, loc *time.Location) (*summary.Summary, error) {
	dims := []summary.Dimension{summary.CampaignDimension(), summary.SendingNumberDimension(), summary.DayDimension(loc), summary.HourDimension(loc)}
	an := &summary.Analyses{Links: summary.NewLinkCounter(), Replies: summary.NewReplyCounter()}
	s, agg, err := summarizeWith(env, paths, &opts.Read, summarizeHooks{dims: dims, analyses: an})
	if err != nil {
		return nil, err
	}
	for _, g := range []struct {
		name string
		top  int
	}{{report.DimCampaign, opts.TopGroups}, {report.DimSendingNumber, opts.TopGroups}, {report.DimDay, 0}, {report.DimHour, 0}} {
		if err := agg.FillGroups(&s.Breakdowns, []string{g.name}, summary.SortDefault, g.top); err != nil {
			return nil, err
		}
	}
	an.Fill(&s.Breakdowns, agg.Classifier())
	return s, nil
}

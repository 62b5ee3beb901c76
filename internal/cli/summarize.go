package cli

import (
	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/render"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// SummarizeOptions are the options of summarize.
type SummarizeOptions struct {
	Read   ReadOptions
	Format string
	Top    int
}

func newSummarizeCommand(env Env) *cobra.Command {
	opts := &SummarizeOptions{}
	cmd := &cobra.Command{
		Use:   "summarize [flags] [EXPORT.csv ...]",
		Short: "Summarize deliverability: delivered, errored, stuck, opt-outs, error codes",
		Long: `Summarize one or more Spoke messages exports, read together: outbound texts by
status, stuck SENT texts, opt-out rejections and replies, error codes with their
provider, category and retry advice.

Inputs may be gzip-compressed; '-' (or no argument, with input piped in) reads
standard input.`,
		Example: `  spoke-status summarize GOTV-2024-10-01-14-22-05.csv-messages.csv
  spoke-status summarize --format json export.csv.gz | jq .outbound.error_rate
  cat export.csv | spoke-status summarize --top 5 -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSummarize(env, opts, args)
		},
	}
	opts.Read.AddFlags(cmd.Flags())
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "table", "output format: table, json or markdown")
	cmd.Flags().IntVar(&opts.Top, "top", 10, "error codes listed in the table before the rest are folded into 'other'")
	return cmd
}

func runSummarize(env Env, opts *SummarizeOptions, args []string) error {
	if err := formatFlag(opts.Format, "table", "json", "markdown"); err != nil {
		return err
	}
	if opts.Top < 1 {
		return usageErrorf("", "--top must be at least 1, got %d", opts.Top)
	}
	paths, err := inputPaths(env, args)
	if err != nil {
		return err
	}
	s, _, err := summarizeInputs(env, paths, &opts.Read)
	if err != nil {
		return err
	}
	switch opts.Format {
	case "json":
		return render.JSON(env.Stdout, s)
	case "markdown":
		return render.Summary(env.Stdout, s, render.SummaryOptions{Style: render.Markdown, Top: opts.Top})
	default:
		return render.Summary(env.Stdout, s, render.SummaryOptions{Style: render.Text, Top: opts.Top})
	}
}

// summarizeInputs reads the inputs and returns their summary, and the
// finished aggregator for the breakdowns by dims.
func summarizeInputs(env Env, paths []string, ro *ReadOptions, dims ...summary.Dimension) (*summary.Summary, *summary.Aggregator, error) {
	reg, err := loadRegistry()
	if err != nil {
		return nil, nil, err
	}
	aggOpts, err := ro.aggregatorOptions(env, reg)
	if err != nil {
		return nil, nil, err
	}
	aggOpts.Dimensions = dims
	agg := summary.New(aggOpts)
	sources, err := readAll(env, paths, ro, nil, agg)
	if err != nil {
		return nil, nil, err
	}
	return agg.Result(sources, progName+" "+env.Version), agg, nil
}

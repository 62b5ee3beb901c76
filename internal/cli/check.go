package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/spoke-status/spoke-status/internal/check"
	"github.com/spoke-status/spoke-status/internal/engine"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/output"
	"github.com/spoke-status/spoke-status/internal/render"
	"github.com/spoke-status/spoke-status/internal/steps"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// CheckOptions are the options of check.
type CheckOptions struct {
	Read   ReadOptions
	Format string
	Config string

	// Thresholds as given on the command line, by key (max-error-rate,
	// warn-error-rate, max-error-rate-increase, ...), and the repeatable
	// NAME=RATE ones by key (max-category-rate, warn-code-rate, ...).
	Scalars map[string]*string
	Pairs   map[string]*[]string

	// Per lists the --per dimensions: repeat for several; a comma nests
	// two, as summarize --by does.
	Per            []string
	TZ             string
	Confidence     string
	Baseline       string
	Step           string
	MinOutbound    int64
	MaxSkippedRows int64
	// AllowEmpty lets a run with nothing to check (no rows, fewer outbound
	// texts than MinOutbound) go on instead of failing with exit 2.
	AllowEmpty bool

	GitHub bool
	JUnit  string
}

func newCheckCommand(env Env) *cobra.Command {
	opts := &CheckOptions{Scalars: map[string]*string{}, Pairs: map[string]*[]string{}}
	cmd := &cobra.Command{
		Use:   "check [flags] [EXPORT.csv ...]",
		Short: "Fail (exit 1) when deliverability crosses thresholds: a gate for CI jobs",
		Long: `Check one or more Spoke messages exports against deliverability thresholds
and exit 1 when any is crossed: the same reading and figures as summarize,
compared to limits given as flags or in a YAML file (--config; flags win).

A rate is a percentage (5%) or a fraction (0.05) of the outbound texts, and is
compared exactly: an error rate of 232/2154 (10.7706%) fails a 10.77% limit.
With --per DIMENSION (any of summarize's --by dimensions but code and
category; repeat it for several, a comma nests two) every threshold is also
checked for each group with at least --min-outbound outbound texts.

Every --max-* and --min-* threshold has a --warn-* twin (--warn-error-rate,
--warn-delivery-rate, --warn-code-rate 30007=0.5%, ...): crossing it prints a
WARN line and a GitHub ::warning, and the run still passes (exit 0).

--confidence 0.95 judges rates on their 95% Wilson interval: a ceiling fails
only when the whole interval is above it, a floor only when it is below, so
a small group is not failed on noise.

--baseline FILE compares with a saved summarize --format json (or check
--format json): --max-error-rate-increase 2pp, --max-stuck-sent-rate-increase
and --max-delivery-rate-decrease limit the change in percentage points, on the
whole input and, with --per, on each group found in the baseline (which needs
summarize --by the same dimensions).

check judges nothing it did not read: an input with no rows, or with fewer
than --min-outbound (default 100) outbound texts, or where --per skips every
group, is "nothing to check", exit 2, unless --allow-empty is given. Code and
category thresholds need an export with an error-code column.

Exit status: 0 every check passed; 1 at least one check failed (the table is
still printed); 2 usage or input error, including malformed rows beyond
--max-skipped-rows (default 0) and nothing to check. With --format json an
error still prints one JSON object, {"passed": false, "error": {...}}.

In GitHub Actions (GITHUB_ACTIONS=true, or --github) each failed check becomes
an ::error annotation and the Markdown report is appended to
$GITHUB_STEP_SUMMARY. --junit writes JUnit XML for GitLab and other dashboards.`,
		Example: `  spoke-status check --max-error-rate 5% --min-delivery-rate 85% export.csv
  spoke-status check --max-category-rate spam_blocked=2% --max-code-rate 30007=1% export.csv
  spoke-status check --config .spoke-status.yml --per campaign --junit report.xml export.csv.gz
  spoke-status check --format json --max-stuck-sent 50 export.csv | jq -e .passed
  spoke-status check --max-error-rate 8% --warn-error-rate 5% --per sending-number --confidence 0.95 export.csv
  spoke-status check --baseline last-week.json --max-error-rate-increase 2pp --per campaign export.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckReportingJSON(env, cmd.Flags(), opts, args)
		},
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return reportFlagErrorJSON(env, c.Root().FlagErrorFunc()(c, err))
	})
	fs := cmd.Flags()
	opts.Read.AddFlags(cmd, fs)
	enumFlag(cmd, fs, &opts.Format, "format", "f", "table", "output format: "+valuesText(reportFormats()), reportFormats())
	fs.StringVar(&opts.Config, "config", "", "YAML `FILE` of thresholds (keys as the flags, e.g. max-error-rate: 5%); flags override it")
	thresholdHelp := map[string]string{
		check.KeyMaxErrorRate:           "highest share of outbound texts that errored, a `RATE` like 5% or 0.05",
		check.KeyMinDeliveryRate:        "lowest share of outbound texts delivered, a `RATE` like 85%",
		check.KeyMaxStuckSentRate:       "highest share of outbound texts stuck in SENT, a `RATE`",
		check.KeyMaxStuckSent:           "highest number of outbound texts stuck in SENT, a count `N`",
		check.KeyMaxOptOutRejectionRate: "highest share of outbound texts rejected because the contact had opted out, a `RATE`",
	}
	for _, key := range check.ScalarKeys() {
		opts.Scalars[key] = fs.String(key, "", thresholdHelp[key])
	}
	pairHelp := map[string]string{
		check.KeyMaxCategoryRate: "highest share of outbound texts with an error of a category, as `CATEGORY=RATE`, e.g. spam_blocked=2% (repeatable)",
		check.KeyMaxCodeRate:     "highest share of outbound texts whose primary error code is CODE, as `CODE=RATE`, e.g. 30007=1% (repeatable)",
	}
	for _, key := range []string{check.KeyMaxCategoryRate, check.KeyMaxCodeRate} {
		opts.Pairs[key] = fs.StringArray(key, nil, pairHelp[key])
	}
	changeHelp := map[string]string{
		check.KeyMaxErrorRateIncrease:     "with --baseline: largest rise of the error rate, in percentage `POINTS` like 2pp",
		check.KeyMaxStuckSentRateIncrease: "with --baseline: largest rise of the stuck SENT rate, in percentage `POINTS` like 1pp",
		check.KeyMaxDeliveryRateDecrease:  "with --baseline: largest fall of the delivery rate, in percentage `POINTS` like 5pp",
	}
	for _, key := range check.ChangeKeys() {
		opts.Scalars[key] = fs.String(key, "", changeHelp[key])
	}
	addWarnFlags(fs, opts)
	enumListFlag(cmd, fs, &opts.Per, check.KeyPer, "also check each group of `DIMENSION`: "+strings.Join(perDimensions(), ", ")+" (repeatable; a comma nests two, e.g. campaign,sending-number)", true, summary.DimensionNames())
	fs.StringVar(&opts.TZ, "tz", "UTC", "time zone of --per day and hour groups, e.g. America/New_York")
	fs.StringVar(&opts.Confidence, check.KeyConfidence, "", "judge rates on their Wilson interval at this `LEVEL`, e.g. 0.95: a ceiling fails only when the whole interval is above it")
	fs.StringVar(&opts.Baseline, "baseline", "", "a saved summarize (or check) --format json `FILE` to compare with: see --max-error-rate-increase")
	enumFlag(cmd, fs, &opts.Step, "step", "", "", "check only the outbound texts of one `STEP`: "+valuesText(names(steps.All()))+" (a contact's first text, later texts before a reply, texts after it)", names(steps.All()))
	fs.Int64Var(&opts.MinOutbound, check.KeyMinOutbound, check.DefaultMinOutbound, "fewest outbound texts worth judging, `N`: with fewer the input is nothing to check (exit 2), and --per skips such groups")
	fs.BoolVar(&opts.AllowEmpty, check.KeyAllowEmpty, false, "when there is nothing to check (no rows, fewer than --min-outbound outbound texts), evaluate what was read instead of exiting 2")
	fs.Int64Var(&opts.MaxSkippedRows, check.KeyMaxSkippedRows, 0, "allow `N` malformed rows (skipped with a warning) before the input is rejected with exit 2")
	fs.BoolVar(&opts.GitHub, "github", false, "write GitHub Actions annotations and job summary (default: when GITHUB_ACTIONS=true)")
	fs.StringVar(&opts.JUnit, "junit", "", "also write the checks as JUnit XML to `FILE`")
	return cmd
}

// addWarnFlags adds the --warn-* twin of every --max-* and --min-*
// threshold flag, with the same value syntax.
func addWarnFlags(fs *pflag.FlagSet, opts *CheckOptions) {
	for _, key := range append(check.ScalarKeys(), check.ChangeKeys()...) {
		warn := check.WarnKey(key)
		opts.Scalars[warn] = fs.String(warn, "", "warn (exit 0) past this `LIMIT`: the warn level of --"+key)
	}
	for _, key := range []string{check.KeyMaxCategoryRate, check.KeyMaxCodeRate} {
		warn := check.WarnKey(key)
		opts.Pairs[warn] = fs.StringArray(warn, nil, "warn (exit 0) past this `NAME=RATE`: the warn level of --"+key+" (repeatable)")
	}
}

// scalarFlagKeys lists the one-value threshold flags in display order,
// each fail level followed by its warn level.
func scalarFlagKeys() []string {
	var keys []string
	for _, key := range append(check.ScalarKeys(), check.ChangeKeys()...) {
		keys = append(keys, key, check.WarnKey(key))
	}
	return keys
}

// perDimensions lists the dimensions --per accepts.
func perDimensions() []string {
	var names []string
	for _, name := range summary.DimensionNames() {
		if check.ValidatePer(name) == nil {
			names = append(names, name)
		}
	}
	return names
}

// checkPlan is what to check, after the config file and flags are merged.
type checkPlan struct {
	thresholds     []check.Threshold
	per            []string
	dims           []summary.Dimension
	steps          *steps.Index // read by a --per step dimension
	confidence     float64
	baseline       *check.Baseline
	step           steps.Step
	minOutbound    int64
	maxSkippedRows int64
	allowEmpty     bool
}

// runCheckReportingJSON runs check and, with --format json, turns an error
// that left stdout empty into one JSON object there: a script reading
// .passed must see false, never an empty document.
func runCheckReportingJSON(env Env, fs *pflag.FlagSet, opts *CheckOptions, args []string) error {
	stdout := &countingWriter{w: env.Stdout}
	env.Stdout = stdout
	err := runCheck(env, fs, opts, args)
	if err != nil && opts.Format == "json" && stdout.n == 0 {
		// Best effort: the error itself still goes to standard error.
		_ = render.JSON(stdout, check.NewErrorReport(err.Error(), exitCodeOf(err)))
	}
	return err
}

// reportFlagErrorJSON prints a bad flag (--per texter) as the JSON error
// object when the command line asks for --format json, wherever the
// --format flag stands: pflag stops at the bad flag, so the options may
// not hold it yet.
func reportFlagErrorJSON(env Env, err error) error {
	fs := pflag.NewFlagSet("check", pflag.ContinueOnError)
	fs.ParseErrorsWhitelist.UnknownFlags = true
	fs.SetOutput(io.Discard)
	format := fs.StringP("format", "f", "", "")
	_ = fs.Parse(env.args) // best effort: the flag error is what is reported
	if strings.EqualFold(strings.TrimSpace(*format), "json") {
		_ = render.JSON(env.Stdout, check.NewErrorReport(err.Error(), exitCodeOf(err)))
	}
	return err
}

// exitCodeOf is the exit code Main gives err.
func exitCodeOf(err error) int {
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	return ExitUsage
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func runCheck(env Env, fs *pflag.FlagSet, opts *CheckOptions, args []string) error {
	plan, err := planCheck(fs, opts)
	if err != nil {
		return err
	}
	paths, err := opts.Read.inputPaths(env, args)
	if err != nil {
		return err
	}
	var junit *output.Target
	if opts.JUnit != "" {
		if junit, err = outputTarget(env, "--junit", opts.JUnit, "report.xml", paths); err != nil {
			return err
		}
	}
	report, err := evaluateInputs(env, paths, &opts.Read, plan)
	if err != nil {
		return err
	}
	if opts.Read.Redact {
		redactReport(report)
	}
	if err := writeCheckOutputs(env, fs, opts, junit, report); err != nil {
		return err
	}
	if !report.Passed {
		return &ExitError{Code: ExitCheckFailed, Silent: true}
	}
	return nil
}

// planCheck reads the config file, lays the flags over it and validates
// the result.
func planCheck(fs *pflag.FlagSet, opts *CheckOptions) (*checkPlan, error) {
	plan := &checkPlan{minOutbound: check.DefaultMinOutbound}
	thresholds := check.NewThresholds()
	if opts.Config != "" {
		cfg, err := check.LoadConfig(opts.Config)
		if err != nil {
			return nil, usageErrorf("", "%v", err)
		}
		thresholds.Merge(cfg.Thresholds)
		if cfg.Per != nil {
			plan.per = cfg.Per
		}
		setIf(&plan.confidence, cfg.Confidence)
		setIf(&plan.minOutbound, cfg.MinOutbound)
		setIf(&plan.maxSkippedRows, cfg.MaxSkippedRows)
		setIf(&plan.allowEmpty, cfg.AllowEmpty)
	}
	if err := applyThresholdFlags(fs, opts, thresholds); err != nil {
		return nil, err
	}
	if thresholds.Len() == 0 {
		return nil, usageErrorf("give at least one, e.g. --max-error-rate 5%, or --config FILE",
			"no threshold given: a check that cannot fail is not a gate")
	}
	if twins := thresholds.Twins(); len(twins) > 0 {
		return nil, usageErrorf("a ceiling's warn level is below it (warn 3%, fail 5%), a floor's above it", "%s", strings.Join(twins, "; "))
	}
	plan.thresholds = thresholds.List()
	if fs.Changed(check.KeyPer) {
		plan.per = opts.Per
	}
	if err := plan.perDimensions(opts.TZ); err != nil {
		return nil, err
	}
	if fs.Changed(check.KeyConfidence) {
		c, err := check.ParseConfidence(opts.Confidence)
		if err != nil {
			return nil, usageErrorf("", "--confidence: %v", err)
		}
		plan.confidence = c
	}
	if opts.Step != "" {
		st, err := steps.Parse(opts.Step)
		if err != nil {
			return nil, usageErrorf("", "--step: %v", err)
		}
		plan.step = st
	}
	if fs.Changed(check.KeyMinOutbound) {
		plan.minOutbound = opts.MinOutbound
	}
	if fs.Changed(check.KeyMaxSkippedRows) {
		plan.maxSkippedRows = opts.MaxSkippedRows
	}
	if fs.Changed(check.KeyAllowEmpty) {
		plan.allowEmpty = opts.AllowEmpty
	}
	if plan.minOutbound < 0 || plan.maxSkippedRows < 0 {
		return nil, usageErrorf("", "--min-outbound and --max-skipped-rows must be 0 or more")
	}
	if err := plan.loadBaseline(opts.Baseline); err != nil {
		return nil, err
	}
	return plan, nil
}

// perDimensions builds the --per dimensions, dropping repeats.
func (p *checkPlan) perDimensions(tz string) error {
	loc, err := time.LoadLocation(strings.TrimSpace(tz))
	if err != nil {
		return usageErrorf("use an IANA zone name such as America/New_York, or UTC", "--tz %q is not a known time zone", tz)
	}
	p.steps = steps.NewIndex()
	for _, per := range p.per {
		if per == "" {
			continue // --per "" drops the config file's groups
		}
		if err := check.ValidatePer(per); err != nil {
			return usageErrorf("repeat --per for separate groups; a comma nests two dimensions, e.g. --per campaign,sending-number", "--per: %v", err)
		}
		d, err := summary.NewDimension(per, summary.Context{Location: loc, Steps: p.steps})
		if err != nil {
			return usageErrorf("repeat --per for separate groups; a comma nests two dimensions, e.g. --per campaign,sending-number", "--per: %v", err)
		}
		if !slices.ContainsFunc(p.dims, func(have summary.Dimension) bool { return have.Name == d.Name }) {
			p.dims = append(p.dims, d)
		}
	}
	return nil
}

// loadBaseline reads --baseline and checks that it fits the thresholds
// and groups: change thresholds need one, a baseline needs a change
// threshold, and each --per dimension needs the baseline's groups.
func (p *checkPlan) loadBaseline(path string) error {
	var changes []string
	for _, th := range p.thresholds {
		if th.IsChange() {
			changes = append(changes, th.Flag())
		}
	}
	switch {
	case path == "" && len(changes) > 0:
		return usageErrorf("save a summarize --format json of an earlier export and pass it with --baseline FILE",
			"%s compares with a baseline: --baseline is missing", strings.Join(changes, ", "))
	case path == "":
		return nil
	case len(changes) == 0:
		return usageErrorf("add e.g. --max-error-rate-increase 2pp", "--baseline is given but no threshold compares with it")
	}
	b, err := check.LoadBaseline(path)
	if err != nil {
		return usageErrorf(fmt.Sprintf("save it with: %s summarize --format json EXPORT.csv > baseline.json", progName), "%v", err)
	}
	if b.Step != string(p.step) {
		return usageErrorf("compare like with like: save the baseline with the same --step",
			"--baseline %s was checked on %s texts, this run on %s texts", path, stepName(b.Step), stepName(string(p.step)))
	}
	for _, d := range p.dims {
		if !b.HasGroups(d.Name) {
			return usageErrorf(fmt.Sprintf("save the baseline with: %s summarize --format json --by %s --top-groups 0 EXPORT.csv > baseline.json", progName, d.Name),
				"--per %s: --baseline %s has no groups by %s", d.Name, path, d.Name)
		}
	}
	p.baseline = b
	return nil
}

func stepName(step string) string {
	if step == "" {
		return "all"
	}
	return step
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// applyThresholdFlags sets the thresholds given as flags, replacing those
// of the config file with the same name.
func applyThresholdFlags(fs *pflag.FlagSet, opts *CheckOptions, ts *check.Thresholds) error {
	for _, key := range scalarFlagKeys() {
		if !fs.Changed(key) {
			continue
		}
		if err := ts.Set(key, *opts.Scalars[key]); err != nil {
			return usageErrorf("", "--%s: %v", key, err)
		}
	}
	for _, base := range []string{check.KeyMaxCategoryRate, check.KeyMaxCodeRate} {
		for _, key := range []string{base, check.WarnKey(base)} {
			for _, v := range *opts.Pairs[key] {
				if err := ts.SetPair(key, v); err != nil {
					return usageErrorf("", "--%s: %v", key, err)
				}
			}
		}
	}
	return nil
}

// evaluateInputs reads the inputs like summarize and checks the
// thresholds on the whole input and, with --per, each group.
func evaluateInputs(env Env, paths []string, ro *ReadOptions, plan *checkPlan) (*check.Report, error) {
	var groups []engine.Group
	for _, d := range plan.dims {
		groups = append(groups, engine.Group{Dimension: d, TallyOnly: true})
	}
	res, err := summarize(env, paths, ro, summaryRequest{groups: groups, step: plan.step, steps: plan.steps, onHeader: plan.checkColumns})
	if err != nil {
		return nil, err
	}
	s, agg := res.Summary, res.Aggregator
	if err := checkSkippedRows(s, plan.maxSkippedRows); err != nil {
		return nil, err
	}
	in := check.Input{Summary: s, Total: agg.Total(), Classifier: agg.Classifier(), MinOutbound: plan.minOutbound, Thresholds: plan.thresholds,
		Step: string(plan.step), Confidence: plan.confidence, Baseline: plan.baseline}
	for _, d := range plan.dims {
		in.Groups = append(in.Groups, check.GroupSetOf(agg.Groups(d.Name), agg.Classifier()))
		if n := plan.baselineFolded(d.Name); n > 0 {
			stderrText{w: env.Stderr}.warnf("--baseline %s folded %s groups by %s into \"other\": they show as new; save it with --top-groups 0", plan.baseline.Path, render.Count(int64(n)), d.Name)
		}
	}
	report := check.Evaluate(in)
	if err := plan.refuseNothing(env, paths, report); err != nil {
		return nil, err
	}
	warnForeignCodes(env, plan.thresholds, agg)
	return report, nil
}

func (p *checkPlan) baselineFolded(dimension string) int {
	if p.baseline == nil {
		return 0
	}
	return p.baseline.Folded(dimension)
}

// checkColumns refuses an input without an error-code column when a code
// or category threshold is asked: it would measure nothing and pass, as
// summarize --by code refuses to show an empty table. It refuses an input
// without the column a --per dimension needs, as summarize --by does.
func (p *checkPlan) checkColumns(src *export.Source) error {
	for _, d := range p.dims {
		if req, missing := d.MissingIn(src); missing {
			return usageErrorf(strings.ReplaceAll(missingHint(req, src), "--by", "--per"),
				"--per %s: %s is a %s export, which has no %s column (%s)",
				req.Dimension, export.DisplayName(src.Path), src.Dialect, req.What(), strings.Join(req.Columns(), ", "))
		}
	}
	names := check.CodeThresholds(p.thresholds)
	if len(names) == 0 {
		return nil
	}
	req, missing := summary.CodeDimension().MissingIn(src)
	if !missing {
		return nil
	}
	return usageErrorf("drop --max-code-rate and --max-category-rate (or their config keys) for this input; --max-error-rate needs no code",
		"%s: %s is a %s export, which has no %s column (%s)",
		strings.Join(names, ", "), export.DisplayName(src.Path), src.Dialect, req.What(), strings.Join(req.Columns(), ", "))
}

// refuseNothing makes a run that judged nothing exit 2, naming the
// inputs, unless --allow-empty lets it go on with a warning.
func (p *checkPlan) refuseNothing(env Env, paths []string, report *check.Report) error {
	why := report.NothingToCheck
	if why == "" {
		return nil
	}
	names := make([]string, len(paths))
	for i, path := range paths {
		names[i] = export.DisplayName(path)
	}
	inputs := strings.Join(names, ", ")
	if p.allowEmpty {
		fmt.Fprintf(env.Stderr, "%s: warning: nothing to check in %s: %s; evaluating it anyway (--allow-empty)\n", progName, inputs, why)
		return nil
	}
	hint := "lower --min-outbound to judge fewer texts, or pass --allow-empty to let such a run pass"
	if report.Summary == nil || report.Summary.Totals.Rows == 0 {
		hint = "check that the export downloaded completely, or pass --allow-empty to let an empty export pass"
	}
	return usageErrorf(hint, "nothing to check in %s: %s", inputs, why)
}

// warnForeignCodes warns about code thresholds that name another
// provider's code than the export's: such a check can only pass.
func warnForeignCodes(env Env, ths []check.Threshold, agg *summary.Aggregator) {
	reg, err := loadRegistry()
	if err != nil {
		return // the registry already loaded once for the summary
	}
	for _, w := range check.ForeignCodes(ths, agg.Classifier().Provider(), reg, agg.Total().CodeMap()) {
		fmt.Fprintf(env.Stderr, "%s: warning: %s\n", progName, w)
	}
}

// checkSkippedRows makes malformed rows an input error beyond
// --max-skipped-rows: a gate must not pass because the rows that would have
// failed it could not be read.
func checkSkippedRows(s *summary.Summary, allowed int64) error {
	if s.Totals.SkippedRows <= allowed {
		return nil
	}
	var where []string
	for _, in := range s.Inputs {
		if in.SkippedRows > 0 {
			where = append(where, fmt.Sprintf("%s in %s", render.Count(in.SkippedRows), export.DisplayName(in.Path)))
		}
	}
	return usageErrorf(fmt.Sprintf("fix the export, or allow them with --max-skipped-rows %d", s.Totals.SkippedRows),
		"malformed rows skipped: %s (see the warnings above); check allows %d", strings.Join(where, ", "), allowed)
}

// writeCheckOutputs writes the JUnit file first, so that a file that
// cannot be written (exit 2) leaves stdout empty as every usage error does,
// then the report in the chosen format, then the GitHub Actions annotations
// and job summary. Annotations go to stdout after a table, where GitHub
// expects workflow commands; with --format json or markdown they go to
// standard error (which the Actions runner also reads) so stdout stays one
// document.
func writeCheckOutputs(env Env, fs *pflag.FlagSet, opts *CheckOptions, junit *output.Target, report *check.Report) error {
	if junit != nil {
		if err := junit.Write(func(w io.Writer) error { return render.CheckJUnit(w, report) }); err != nil {
			return err
		}
	}
	var err error
	switch opts.Format {
	case "json":
		err = render.JSON(env.Stdout, report)
	case "markdown":
		err = render.CheckMarkdown(env.Stdout, report)
	default:
		err = render.CheckTable(env.Stdout, report, render.CheckTableOptions{Color: colorOutput(env)})
	}
	if err != nil {
		return err
	}
	if !githubMode(env, fs, opts) {
		return nil
	}
	annotations := env.Stdout
	if opts.Format != "table" {
		annotations = env.Stderr
	}
	if err := render.GitHubAnnotations(annotations, report); err != nil {
		return err
	}
	appendStepSummary(env, report)
	return nil
}

// colorOutput is whether the table may use colour: only on a terminal,
// and not when NO_COLOR (https://no-color.org) is set or TERM is dumb.
func colorOutput(env Env) bool {
	return env.StdoutIsTerminal() && env.Getenv("NO_COLOR") == "" && env.Getenv("TERM") != "dumb"
}

// githubMode is on under GitHub Actions, unless --github=false.
func githubMode(env Env, fs *pflag.FlagSet, opts *CheckOptions) bool {
	if fs.Changed("github") {
		return opts.GitHub
	}
	return env.Getenv("GITHUB_ACTIONS") == "true"
}

// appendStepSummary appends the Markdown report to $GITHUB_STEP_SUMMARY.
// Failing to is a warning, not an error: the gate's verdict is the exit
// code, and a missing summary must not turn a failed check into exit 2.
func appendStepSummary(env Env, report *check.Report) {
	path := env.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return
	}
	err := appendFile(path, func(w io.Writer) error { return render.CheckMarkdown(w, report) })
	if err != nil {
		stderrText{w: env.Stderr}.warnf("cannot append the report to $GITHUB_STEP_SUMMARY (%s): %v", path, err)
	}
}

func appendFile(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newRootCommand(env Env) *cobra.Command {
	root := &cobra.Command{
		Use:   progName,
		Short: "Deliverability reports for Spoke messages exports",
		Long: `spoke-status reads the messages export of a Spoke campaign (every dialect:
StateVoices/MoveOn v10+, MoveOn v5-v9, legacy, Spoke Rewired) and tells you how
your texts fared: delivered, errored, stuck in SENT, rejected because the
contact had opted out, and why they failed, with each provider error code
classified.

Exit status: 0 success; 1 a check failed (or a code asked of 'codes' is
unknown); 2 usage or input error. Treat any other status as a failure.`,
		Version:       env.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetVersionTemplate(progName + " {{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		hint := "run '" + cmd.CommandPath() + " --help' for usage"
		if s := suggestFlag(cmd, err); s != "" {
			hint = "did you mean " + s + "? " + hint
		}
		return usageErrorf(hint, "%v", err)
	})
	for _, sub := range subcommands() {
		root.AddCommand(markCommandErrors(sub(env)))
	}
	return root
}

// commandError is an error a command returned, as opposed to cobra's own
// (unknown command, wrong arguments): only those are answered with the
// --help hint.
type commandError struct{ err error }

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

func markCommandErrors(cmd *cobra.Command) *cobra.Command {
	run := cmd.RunE
	if run == nil {
		return cmd
	}
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if err := run(c, args); err != nil {
			return &commandError{err: err}
		}
		return nil
	}
	return cmd
}

// subcommands lists the constructors of every subcommand; each lives in its
// own file.
func subcommands() []func(Env) *cobra.Command {
	return []func(Env) *cobra.Command{
		newSummarizeCommand,
		newCodesCommand,
		newContactsCommand,
		newRowsCommand,
		newCheckCommand,
		newReportCommand,
		newSchemaCommand,
		newVANCommand,
	}
}

// suggestFlag names the flag an unknown one was probably meant to be
// (--fromat: --format), or "" when none is close: within two edits, as
// cobra's SuggestionsMinimumDistance for commands.
func suggestFlag(cmd *cobra.Command, err error) string {
	typed, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return ""
	}
	best, bestDistance := "", 3
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if d := editDistance(typed, f.Name); d < bestDistance {
			best, bestDistance = f.Name, d
		}
	})
	if best == "" {
		return ""
	}
	return "--" + best
}

// editDistance is the Levenshtein distance of a and b, counting a swap of
// two neighbouring letters (fromat) as one edit.
func editDistance(a, b string) int {
	prev2, prev, cur := make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

package cli

import (
	"github.com/spf13/cobra"
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
		return usageErrorf("run '"+cmd.CommandPath()+" --help' for usage", "%v", err)
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

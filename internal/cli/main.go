// Package cli holds spoke-status's cobra commands. Main is the whole
// program: cmd/spoke-status only hands it the process's streams.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"golang.org/x/term"

	"github.com/spoke-status/spoke-status/internal/export"
)

// Exit codes, documented in README.md. Scripts must treat any other code as
// a failure.
const (
	ExitOK          = 0 // success; every check passed
	ExitCheckFailed = 1 // a check failed, or an asked-for code is unknown
	ExitUsage       = 2 // usage or input error
)

const progName = "spoke-status"

// Env is everything the program takes from its process, so tests can run
// Main in-process with their own streams, clock and environment.
type Env struct {
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Getenv  func(string) string
	Now     func() time.Time
	Version string
	// StdinIsTerminal and StderrIsTerminal decide whether stdin can be read
	// without a file argument and whether progress may be drawn.
	StdinIsTerminal  func() bool
	StderrIsTerminal func() bool
}

// ProcessEnv is the Env of the running process.
func ProcessEnv() Env {
	return Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Now: time.Now, Version: buildVersion(),
		StdinIsTerminal:  func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		StderrIsTerminal: func() bool { return term.IsTerminal(int(os.Stderr.Fd())) },
	}
}

func buildVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// ExitError carries an exit code and an optional hint to Main.
type ExitError struct {
	Code int
	Err  error
	Hint string
	// Silent errors print nothing: the command already reported (a failed
	// check prints its table, not an error line).
	Silent bool
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageErrorf is a usage error (exit 2) with an optional hint.
func usageErrorf(hint, format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...), Hint: hint}
}

// Main runs the program and returns its exit code. It never panics: an
// unexpected panic becomes an internal error with exit code 2.
func Main(args []string, env Env) (code int) {
	env = env.withDefaults()
	defer func() {
		if r := recover(); r != nil {
			stderr := stderrText{w: env.Stderr}
			stderr.line("internal error", fmt.Sprint(r))
			stderr.line("hint", "this is a bug; please report it with the command you ran at https://github.com/spoke-status/spoke-status/issues")
			code = ExitUsage
		}
	}()
	root := newRootCommand(env)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	return reportError(stderrText{w: env.Stderr, redact: redacting(cmd)}, err)
}

func (env Env) withDefaults() Env {
	if env.Stdin == nil {
		env.Stdin = eofReader{}
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.StdinIsTerminal == nil {
		env.StdinIsTerminal = func() bool { return false }
	}
	if env.StderrIsTerminal == nil {
		env.StderrIsTerminal = func() bool { return false }
	}
	if env.Version == "" {
		env.Version = "dev"
	}
	return env
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// reportError prints err the way every command does and maps it to an exit
// code: input errors and usage errors are 2, a failed check 1.
func reportError(stderr stderrText, err error) int {
	if err == nil {
		return ExitOK
	}
	var exit *ExitError
	var input *export.InputError
	switch {
	case errors.As(err, &exit):
		if !exit.Silent {
			printError(stderr, exit.Err, exit.Hint)
		}
		return exit.Code
	case errors.As(err, &input):
		printError(stderr, input, input.Hint)
		return ExitUsage
	default:
		// cobra's own errors (unknown command, bad flag, wrong args) are usage errors.
		printError(stderr, err, "run 'spoke-status --help' for usage")
		return ExitUsage
	}
}

func printError(w stderrText, err error, hint string) {
	if err != nil {
		w.line("error", err.Error())
	}
	if hint != "" {
		w.line("hint", hint)
	}
}

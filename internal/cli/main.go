// Package cli holds spoke-status's cobra commands. Main is the whole
// program: cmd/spoke-status only hands it the process's streams.
package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/output"
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
	// StderrWidth is the terminal's width in columns, for the progress
	// line (0: unknown).
	StderrWidth func() int
	// NotifyInterrupt relays SIGINT and SIGTERM to c until stop is called;
	// nil (tests in-process) handles no signal. After an interrupt the
	// temporary files are removed and Exit ends the process.
	NotifyInterrupt func(c chan<- os.Signal) (stop func())
	Exit            func(code int)

	// Set by Main for one run: the temporary files to remove on an
	// interrupt, and what standard input and output are (nil when they
	// are no file), to keep outputs off the inputs.
	temps      *output.Temps
	stdinInfo  fs.FileInfo
	stdoutInfo fs.FileInfo
	// args are the command line's arguments, for check to tell, after a
	// bad flag value, whether it was asked for JSON.
	args []string
	// StdoutIsTerminal decides whether tables may use colour.
	StdoutIsTerminal func() bool
}

// ProcessEnv is the Env of the running process.
func ProcessEnv() Env {
	return Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Now: time.Now, Version: buildVersion(),
		StdinIsTerminal:  func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		StderrIsTerminal: func() bool { return term.IsTerminal(int(os.Stderr.Fd())) },
		StderrWidth: func() int {
			w, _, err := term.GetSize(int(os.Stderr.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
		NotifyInterrupt:  notifyInterrupt,
		Exit:             os.Exit,
		StdoutIsTerminal: func() bool { return term.IsTerminal(int(os.Stdout.Fd())) },
	}
}

// notifyInterrupt relays SIGTERM, and SIGINT unless the process was started
// with it ignored (a background job of a script must stay immune to ^C).
func notifyInterrupt(c chan<- os.Signal) func() {
	sigs := []os.Signal{syscall.SIGTERM}
	if !signal.Ignored(os.Interrupt) {
		sigs = append(sigs, os.Interrupt)
	}
	signal.Notify(c, sigs...)
	return func() { signal.Stop(c) }
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
	env.stdinInfo, env.stdoutInfo = fileInfo(env.Stdin), fileInfo(env.Stdout)
	stdout := output.NewChecked(env.Stdout, "standard output")
	env.Stdout = stdout
	if env.StdinIsTerminal() {
		env.Stdin = &terminalStdin{r: env.Stdin, prompt: env.Stderr}
	}
	env.temps = output.NewTemps()
	defer env.watchInterrupts()()
	defer env.temps.RemoveAll() // a panic, too, leaves no temporary file
	defer func() {
		if r := recover(); r != nil {
			stderr := stderrText{w: env.Stderr}
			stderr.line("internal error", fmt.Sprint(r))
			stderr.line("hint", "this is a bug; please report it with the command you ran at https://github.com/spoke-status/spoke-status/issues")
			code = ExitUsage
		}
	}()
	env.args = args
	root := newRootCommand(env)
	root.SetArgs(protectNegativeNumbers(root, args))
	cmd, err := root.ExecuteC()
	return reportError(stderrText{w: env.Stderr, redact: redacting(cmd)}, settleWrites(err, stdout.Err()))
}

// fileInfo is what a stream is when it is a file, else nil.
func fileInfo(stream any) fs.FileInfo {
	f, ok := stream.(*os.File)
	if !ok || f == nil {
		return nil
	}
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	return st
}

// settleWrites weighs the command's error against a failed write of
// standard output, checked once the command is done: results that never
// arrived are exit 2 even when the command thinks it succeeded. A closed
// pipe (the reader, such as head, had enough) stays quiet.
func settleWrites(err, stdoutErr error) error {
	if output.IsBrokenPipe(stdoutErr) || output.IsBrokenPipe(err) {
		var exit *ExitError
		if errors.As(err, &exit) && !output.IsBrokenPipe(exit.Err) {
			return err // a failed check, or an error before the pipe closed
		}
		return nil
	}
	if stdoutErr == nil {
		return err
	}
	var we *output.WriteError
	if errors.As(err, &we) {
		return err
	}
	return stdoutErr
}

// watchInterrupts removes the temporary files and ends the process with
// 128 + the signal's number (130 for SIGINT, 143 for SIGTERM) when one
// arrives during the run. The returned function stops watching.
func (env Env) watchInterrupts() (stop func()) {
	if env.NotifyInterrupt == nil {
		return func() {}
	}
	c := make(chan os.Signal, 1)
	stopNotify := env.NotifyInterrupt(c)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-c:
			env.temps.RemoveAll()
			if env.StderrIsTerminal() {
				io.WriteString(env.Stderr, "\r\x1b[K") // off the progress line
			}
			fmt.Fprintf(env.Stderr, "%s: error: interrupted\n", progName)
			env.Exit(signalExitCode(sig))
		case <-done:
		}
	}()
	return func() {
		stopNotify()
		close(done)
	}
}

// signalExitCode is the shell's status of a process killed by sig.
func signalExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGTERM)
}

// terminalStdin is standard input typed at a terminal: it says how to end
// the input when reading starts, and ends at the first end-of-file (Ctrl-D)
// rather than reading on after it, as buffered readers would.
type terminalStdin struct {
	r        io.Reader
	prompt   io.Writer
	prompted bool
	eof      bool
}

func (t *terminalStdin) Read(p []byte) (int, error) {
	if t.eof {
		return 0, io.EOF
	}
	if !t.prompted {
		t.prompted = true
		fmt.Fprintf(t.prompt, "%s: reading standard input (Ctrl-D to end)\n", progName)
	}
	n, err := t.r.Read(p)
	if err == io.EOF {
		t.eof = true
	}
	return n, err
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
	if env.StderrWidth == nil {
		env.StderrWidth = func() int { return 0 }
	}
	if env.Exit == nil {
		env.Exit = os.Exit
	}
	if env.StdoutIsTerminal == nil {
		env.StdoutIsTerminal = func() bool { return false }
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
	var refused *output.Error
	var write *output.WriteError
	var cmdErr *commandError
	switch {
	case errors.As(err, &exit):
		if !exit.Silent {
			printError(stderr, exit.Err, exit.Hint)
		}
		return exit.Code
	case errors.As(err, &input):
		printError(stderr, input, input.Hint)
		return ExitUsage
	case errors.As(err, &refused):
		printError(stderr, refused, refused.Hint)
		return ExitUsage
	case errors.As(err, &write):
		printError(stderr, write, "")
		return ExitUsage
	case errors.As(err, &cmdErr):
		printError(stderr, cmdErr.err, "")
		return ExitUsage
	default:
		// cobra's own errors (unknown command, wrong arguments) are usage
		// errors: only they get the --help hint.
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

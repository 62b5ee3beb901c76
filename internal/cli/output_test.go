package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/synth"
)

// buildBinary builds spoke-status into a temporary directory: signals are
// a matter of the real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "spoke-status")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/spoke-status/spoke-status/cmd/spoke-status")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// An interrupt while rows -o writes its file removes the temporary file,
// leaves no output, says so and exits 128 + the signal. The export comes
// through a pipe that the test holds open half-way, so the signal arrives
// while the temporary file is being written, every time.
func TestInterruptRemovesTemporaryFiles(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	path, _ := writeSynthExport(t, synth.Options{Rows: 20000, Seed: 11, Dialect: "rewired"})
	export, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGINT, 130}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(bin, "rows", "--as-of", "now", "-o", "out.csv", "-")
			cmd.Dir = dir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			if _, err := stdin.Write(export[:len(export)/2]); err != nil {
				t.Fatal(err)
			}
			waitForTempData(t, dir)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			stdin.Close()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.code {
				t.Errorf("exit %v, want %d", err, tc.code)
			}
			if !strings.HasSuffix(stderr.String(), "spoke-status: error: interrupted\n") {
				t.Errorf("stderr = %q, want the interrupted error last", stderr.String())
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				t.Errorf("left behind after the interrupt: %s", e.Name())
			}
		})
	}
}

// waitForTempData waits until the temporary file of -o holds data.
func waitForTempData(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if info, err := e.Info(); err == nil && strings.Contains(e.Name(), ".tmp-") && info.Size() > 0 {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no temporary file with data appeared")
}

// typedStdin is a terminal on which the user typed an export, pressed
// Ctrl-D (one end-of-file), then typed more that must not be read.
type typedStdin struct{ parts []string }

func (t *typedStdin) Read(p []byte) (int, error) {
	if len(t.parts) == 0 {
		return 0, io.EOF
	}
	part := t.parts[0]
	t.parts = t.parts[1:]
	if part == "" {
		return 0, io.EOF // Ctrl-D
	}
	return copy(p, part), nil
}

func TestTerminalStdinEndsAtFirstCtrlD(t *testing.T) {
	t.Parallel()
	const export = "assignmentId,campaignId,userNumber,contactNumber,isFromContact,sendStatus,attemptedAt,text,errorCode\n" +
		"1,5,+15555550100,+15555550123,false,DELIVERED,2020-03-02T17:00:01.120Z,Hi,\n"
	const after = "2,5,+15555550100,+15555550124,false,ERROR,2020-03-02T17:00:02.120Z,Hi,30007\n"
	var out, errb bytes.Buffer
	env := Env{Stdin: &typedStdin{parts: []string{export, "", after}}, Stdout: &out, Stderr: &errb,
		Version: testVersion, Now: func() time.Time { return testNow }, StdinIsTerminal: func() bool { return true }}
	code := Main([]string{"summarize", "--format", "json", "-"}, env)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if errb.String() != "spoke-status: reading standard input (Ctrl-D to end)\n" {
		t.Errorf("stderr = %q", errb.String())
	}
	if !strings.Contains(out.String(), `"errored": 0,`) || !strings.Contains(out.String(), `"rows": 1,`) {
		t.Errorf("want one outbound text, read past Ctrl-D?\n%s", out.String())
	}

	// Not a terminal: no prompt.
	plain := run(t, strings.NewReader(export), "summarize", "--format", "json", "-")
	if plain.stderr != "" || plain.stdout != out.String() {
		t.Errorf("piped stdin: stderr %q, stdout differs: %v", plain.stderr, plain.stdout != out.String())
	}
}

// Only usage errors (cobra's own and flag errors) get the --help hint.
func TestHelpHintOnlyAfterUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		hint bool
	}{
		{[]string{"summarize", "--bogus"}, true},
		{[]string{"bogus"}, true},
		{[]string{"rows", "--format", "xml", "x.csv"}, true}, // a bad flag value is a flag error
		{[]string{"summarize", filepath.Join(t.TempDir(), "missing.csv")}, false},
	} {
		r := run(t, nil, tc.args...)
		if hint := strings.Contains(r.stderr, "--help' for usage"); hint != tc.hint || r.code != ExitUsage {
			t.Errorf("%v: exit %d, hint %v, want %v:\n%s", tc.args, r.code, hint, tc.hint, r.stderr)
		}
	}
}

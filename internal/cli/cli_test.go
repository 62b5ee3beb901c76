package cli

import (
	"bytes"
	"encoding/base64"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// update rewrites golden files and testscript cmp targets instead of
// comparing against them: go test ./internal/cli -update
var update = flag.Bool("update", false, "rewrite golden files")

// testVersion and testNow make outputs reproducible.
const testVersion = "v0.0.0-test"

var testNow = time.Date(2024, 10, 3, 12, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"spoke-status": func() {
			env := ProcessEnv()
			env.Version = testVersion
			os.Exit(Main(os.Args[1:], env))
		},
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script. $TESTDATA
// points at the repository's testdata directory of example exports.
func TestScripts(t *testing.T) {
	t.Parallel() // testscript sets variables in each script's own environment, not the process's
	repoTestdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"unbase64": cmdUnbase64,
		},
		Setup: func(e *testscript.Env) error {
			e.Setenv("TESTDATA", repoTestdata)
			e.Setenv("GITHUB_ACTIONS", "")
			e.Setenv("GITHUB_STEP_SUMMARY", "")
			return nil
		},
	})
}

// cmdUnbase64 decodes a base64 file into another: txtar archives hold only
// text, so binary inputs (gzip, UTF-16) are stored encoded.
func cmdUnbase64(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: unbase64 in.b64 out")
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(ts.ReadFile(args[0])))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}

// result is what one in-process run of Main produced.
type result struct {
	code           int
	stdout, stderr string
}

// run runs Main in-process with a fixed version and clock.
func run(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: stdin, Stdout: &out, Stderr: &errb, Version: testVersion, Now: func() time.Time { return testNow }}
	code := Main(args, env)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// checkGolden compares got with testdata/golden/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file (run go test ./internal/cli -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file (run go test ./internal/cli -update to accept):\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// repoFile is a path to a file of the repository's testdata directory.
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata"}, parts...)...)
}

func dialectFixtures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(repoFile("dialects", "*.csv"))
	if err != nil || len(files) < 4 {
		t.Fatalf("want the four dialect fixtures, got %v (%v)", files, err)
	}
	return files
}

func fixtureName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".csv")
}

// writeSynthExport writes a spoke-synth export to a temporary file and
// returns its path and the figures the generator counted.
func writeSynthExport(t *testing.T, opts synth.Options) (string, synth.Truth) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := synth.Write(f, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return path, truth
}

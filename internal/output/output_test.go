package output

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func writeFile(t *testing.T, path, content string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func inputsOf(t *testing.T, args ...string) []Input {
	t.Helper()
	in, err := StatInputs(args, nil)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func fill(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// noTemps fails when a temporary file is left in dir.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestReplaceKeepsModeAndLinks(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.csv")
	writeFile(t, secret, "old", 0o600)
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("secret.csv", link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.csv")
	if err := os.Symlink("later.csv", dangling); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, file string
		perm             fs.FileMode
	}{
		{"existing file keeps 0600", secret, secret, 0o600},
		{"through a link", link, secret, 0o600},
		{"link to a file not yet written", dangling, filepath.Join(dir, "later.csv"), 0o644},
		{"new file", filepath.Join(dir, "new.csv"), filepath.Join(dir, "new.csv"), 0o644},
	} {
		target, err := Prepare(Request{Flag: "-o", Path: tc.path}, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := target.Write(fill("new " + tc.name)); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := readFile(t, tc.file); got != "new "+tc.name {
			t.Errorf("%s: file holds %q", tc.name, got)
		}
		st, err := os.Stat(tc.file)
		if err != nil || st.Mode().Perm() != tc.perm {
			t.Errorf("%s: mode %v, want %v (%v)", tc.name, st.Mode().Perm(), tc.perm, err)
		}
		if lst, err := os.Lstat(tc.path); tc.path != tc.file && (err != nil || lst.Mode()&fs.ModeSymlink == 0) {
			t.Errorf("%s: the link was replaced by a file", tc.name)
		}
	}
	noTemps(t, dir)
}

func TestRefusedBeforeReading(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	writeFile(t, in, "export", 0o644)
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"an input", in, "is one of the inputs"},
		{"an input through a link", link, "is one of the inputs (" + in + ")"},
		{"a directory", dir, "is a directory"},
		{"a missing directory", filepath.Join(dir, "nope", "out.csv"), "does not exist"},
	} {
		_, err := Prepare(Request{Flag: "-o", Path: tc.path}, Options{Inputs: inputsOf(t, in)})
		var refused *Error
		if !errors.As(err, &refused) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: got %v, want an *Error naming %s with %q", tc.name, err, tc.path, tc.want)
		}
	}
	if got := readFile(t, in); got != "export" {
		t.Errorf("the input was changed: %q", got)
	}
}

func TestFailedFillLeavesTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	writeFile(t, path, "old", 0o644)
	target, err := Prepare(Request{Flag: "-o", Path: path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("input error")
	err = target.Write(func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("partial", 1<<16))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want the fill's error", err)
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("file holds %q, want the old content", got)
	}
	noTemps(t, dir)
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWriteErrorsAreReported(t *testing.T) {
	full := failingWriter{syscall.ENOSPC}
	target, err := Prepare(Request{Flag: "-o", Path: "-"}, Options{Stdout: full})
	if err != nil {
		t.Fatal(err)
	}
	// A fill that drops write errors, as some renderers do.
	err = target.Write(func(w io.Writer) error {
		io.WriteString(w, "results\n")
		return nil
	})
	var we *WriteError
	if !errors.As(err, &we) || we.Name != "standard output" || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("got %v, want a WriteError of standard output", err)
	}
	if IsBrokenPipe(err) {
		t.Error("a full disk is not a closed pipe")
	}
	if !IsBrokenPipe(&WriteError{Name: "standard output", Err: syscall.EPIPE}) {
		t.Error("EPIPE is a closed pipe")
	}

	// The recorded error names the outer destination once.
	c := NewChecked(NewChecked(full, "standard output"), "other")
	c.Write([]byte("x"))
	if got := c.Err().Error(); got != "cannot write standard output: no space left on device" {
		t.Errorf("got %q", got)
	}
	if _, err := c.Write([]byte("y")); err == nil {
		t.Error("a write after a failure succeeded")
	}
}

func TestDevFullFile(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	target, err := Prepare(Request{Flag: "-o", Path: "/dev/full"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = target.Write(fill("x"))
	if err == nil || err.Error() != "cannot write /dev/full: no space left on device" {
		t.Errorf("got %v", err)
	}
}

func TestFIFOIsAStream(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	target, err := Prepare(Request{Flag: "-o", Path: fifo}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := target.Write(fill("streamed")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "streamed" {
		t.Errorf("read %q from the FIFO", s)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
	noTemps(t, dir)
}

func TestStdoutNames(t *testing.T) {
	for _, name := range []string{"-", "/dev/stdout", "/dev/fd/1"} {
		var b bytes.Buffer
		target, err := Prepare(Request{Flag: "-o", Path: name}, Options{Stdout: &b})
		if err != nil || !target.IsStdout() {
			t.Fatalf("%s: %v", name, err)
		}
		if err := target.Write(fill("out")); err != nil || b.String() != "out" {
			t.Errorf("%s: wrote %q, %v", name, b.String(), err)
		}
	}
}

func TestTempsRemovedOnInterrupt(t *testing.T) {
	dir := t.TempDir()
	temps := NewTemps()
	target, err := Prepare(Request{Flag: "-o", Path: filepath.Join(dir, "out.csv")}, Options{Temps: temps})
	if err != nil {
		t.Fatal(err)
	}
	err = target.Write(func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("x", 1<<17)) // past the buffer: on disk
		if n := temps.RemoveAll(); n != 1 {
			t.Errorf("removed %d temporary files, want 1", n)
		}
		return nil
	})
	if err == nil {
		t.Error("the write was committed after an interrupt")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("out.csv exists after an interrupt: %v", err)
	}
	noTemps(t, dir)
}

func TestStatInputs(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	writeFile(t, a, "x", 0o644)
	hard := filepath.Join(dir, "hard.csv")
	if err := os.Link(a, hard); err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(dir, "b.csv")
	writeFile(t, b, "y", 0o644)
	aInfo, _ := os.Stat(a)
	for _, tc := range []struct {
		name  string
		args  []string
		stdin fs.FileInfo
		want  string // "" for no error
	}{
		{"distinct files", []string{a, b, "-", "missing.csv"}, nil, ""},
		{"a file twice", []string{a, b, a}, nil, "is given twice"},
		{"a hard link", []string{a, hard}, nil, "are the same file"},
		{"through ..", []string{a, dir + "/../" + filepath.Base(dir) + "/a.csv"}, nil, "are the same file"},
		{"- twice", []string{"-", "-"}, nil, `"-" is given twice: standard input can be read only once`},
		{"- and /dev/stdin", []string{"-", "/dev/stdin"}, nil, `"-" and "/dev/stdin" both name standard input`},
		{"stdin redirected from an input", []string{a, "-"}, aInfo, "are the same file"},
	} {
		_, err := StatInputs(tc.args, tc.stdin)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

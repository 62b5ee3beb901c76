package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/synth"
)

// The progress line is drawn on a terminal only, erased before anything
// else is printed, never on stdout, and --quiet silences it.
func TestProgressOnTerminal(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if _, err := synth.Write(&b, synth.Options{Rows: 45000, Seed: 5, Dialect: "rewired"}); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	if len(data) < 9<<20 {
		t.Fatalf("the export is %d bytes; the test needs more than 8 MB", len(data))
	}
	// A malformed row halfway makes a warning print while the line is up.
	// It goes at a row boundary, not inside a quoted multi-line text: the
	// next line that starts with an assignment id and a comma.
	mid := rowStartAfter(data, len(data)/2)
	data = append(data[:mid:mid], append([]byte("1,2,3\n"), data[mid:]...)...)
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	summarize := []string{"summarize", "-f", "json", "--chunk-bytes", "65536"}
	rowsOut := filepath.Join(t.TempDir(), "rows.csv")
	for _, tc := range []struct {
		name     string
		terminal bool
		args     []string
		drawn    bool
	}{
		{"terminal", true, summarize, true},
		{"terminal, one worker", true, append(summarize, "--workers", "1"), true},
		{"terminal, --quiet", true, append(summarize, "--quiet"), false},
		{"not a terminal", false, summarize, false},
		{"contacts", true, []string{"contacts", "--list", "retry"}, true},
		{"rows to a file", true, []string{"rows", "--status", "ERROR", "-o", rowsOut}, true},
		// rows streams to stdout while reading: no line between its rows.
		{"rows to stdout", true, []string{"rows", "--status", "ERROR"}, false},
	} {
		plain := run(t, nil, append(tc.args, path)...)
		clock := testNow
		var out, errb bytes.Buffer
		env := Env{Stdout: &out, Stderr: &errb, Version: testVersion,
			Now:              func() time.Time { clock = clock.Add(time.Second); return clock },
			StderrIsTerminal: func() bool { return tc.terminal },
			StdinIsTerminal:  func() bool { return true }}
		code := Main(append(tc.args, path), env)
		if code != plain.code || out.String() != plain.stdout {
			t.Errorf("%s: exit %d (plain %d), stdout differs from the plain run: %v", tc.name, code, plain.code, out.String() != plain.stdout)
		}
		stderr := errb.String()
		drawn := strings.Contains(stderr, "reading") && strings.Contains(stderr, "ETA")
		if drawn != tc.drawn {
			t.Errorf("%s: progress drawn = %v, want %v:\n%q", tc.name, drawn, tc.drawn, stderr)
		}
		if !tc.drawn {
			if stderr != plain.stderr {
				t.Errorf("%s: stderr = %q, want %q", tc.name, stderr, plain.stderr)
			}
			continue
		}
		// Every warning starts on a clean line, and the progress line is not
		// left up at the end: the last thing drawn is an erase, or a warning
		// printed (on a clean line) after the last bytes were read, as a
		// parallel read may when its last chunks merge.
		last := stderr[strings.LastIndex(stderr, "\r")+1:]
		if !strings.Contains(stderr, "\r\x1b[Kspoke-status: warning: ") || strings.HasPrefix(last, "reading") ||
			!(strings.HasSuffix(stderr, "\r\x1b[K") || strings.HasSuffix(stderr, "\n")) {
			t.Errorf("%s: warnings or the end not on a clean line:\n%q", tc.name, stderr)
		}
		if got := dropProgress(stderr); got != plain.stderr {
			t.Errorf("%s: stderr without the progress line = %q, want %q", tc.name, got, plain.stderr)
		}
	}
}

// dropProgress removes the progress lines ("\r<line>\x1b[K") and erase
// sequences ("\r\x1b[K").
func dropProgress(s string) string {
	var kept []string
	for _, part := range strings.Split(s, "\r") {
		part = strings.TrimPrefix(part, "\x1b[K")
		if !strings.HasPrefix(part, "reading") {
			kept = append(kept, part)
		}
	}
	return strings.Join(kept, "")
}

// rowStartAfter returns the offset of the first line after off that starts
// like a Spoke Rewired data row (digits, then a comma).
func rowStartAfter(data []byte, off int) int {
	for {
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			return len(data)
		}
		off += nl + 1
		i := off
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i > off && i < len(data) && data[i] == ',' {
			return off
		}
	}
}

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPanicBecomesInternalError: an unexpected panic inside a command (here
// from the clock, which summarize --as-of now consults) is reported as one
// internal error line and a hint asking for a report, exit 2, and no stack
// dump on either stream.
func TestPanicBecomesInternalError(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	env := Env{
		Stdout: &out, Stderr: &errb, Version: testVersion,
		Now: func() time.Time { panic("clock exploded") },
	}
	code := Main([]string{"summarize", "--as-of", "now", repoFile("dialects", "moveon-v5.csv")}, env)
	if code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	want := "spoke-status: internal error: clock exploded\n" +
		"spoke-status: hint: this is a bug; please report it with the command you ran at https://github.com/spoke-status/spoke-status/issues\n"
	if errb.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errb.String(), want)
	}
	if out.Len() != 0 || strings.Contains(errb.String(), "goroutine") {
		t.Errorf("stdout %q; stderr has a stack dump: %q", out.String(), errb.String())
	}
}

// TestUnreadableFile: a file the user may not read is an input error naming
// it, exit 2. (Skipped as root, who can read any file.)
func TestUnreadableFile(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root can read a mode 000 file")
	}
	path := filepath.Join(t.TempDir(), "locked-messages.csv")
	if err := os.WriteFile(path, []byte("is_from_contact,send_status\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, "summarize", path)
	want := "spoke-status: error: " + path + ": permission denied\nspoke-status: hint: check the file's permissions, or run as a user who can read it\n"
	if r.code != ExitUsage || r.stderr != want || r.stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestInputsAreNeverModified: reading leaves every input byte for byte and
// with its modification time, even when it is damaged.
func TestInputsAreNeverModified(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(repoFile("bad", "*"))
	if err != nil || len(files) < 10 {
		t.Fatalf("bad corpus: %v %v", files, err)
	}
	for _, path := range append(files, dialectFixtures(t)...) {
		before, _ := os.ReadFile(path)
		st, _ := os.Stat(path)
		run(t, nil, "summarize", "--format", "json", path)
		after, _ := os.ReadFile(path)
		st2, _ := os.Stat(path)
		if !bytes.Equal(before, after) || !st.ModTime().Equal(st2.ModTime()) {
			t.Errorf("%s changed", path)
		}
	}
}

// TestBadCorpusExitCodes pins the exit code and the first stderr line of
// every file of testdata/bad (the scripts bad_*.txtar check the rest of
// each message): a file added to the corpus needs an entry here.
func TestBadCorpusExitCodes(t *testing.T) {
	t.Parallel()
	want := map[string]struct {
		code  int
		first string // the first line of stderr, after "path"
	}{
		"bad-quotes.csv":           {ExitOK, `:3: skipped malformed row: a " in the middle of an unquoted field`},
		"binary.bin":               {ExitUsage, ": is a binary file, not a CSV export"},
		"blank.csv":                {ExitUsage, ": has no header row, only blank lines"},
		"concatenated-layouts.csv": {ExitUsage, ":4: a second header row with different columns"},
		"concatenated.csv":         {ExitOK, ":4: 2 repeated header rows were skipped"},
		"contacts-rewired.csv":     {ExitUsage, ":1: not a Spoke messages export: missing column is_from_contact or isFromContact"},
		"contacts-v10.csv":         {ExitUsage, ":1: not a Spoke messages export: missing column is_from_contact or isFromContact"},
		"document.pdf":             {ExitUsage, ": is a PDF document, not a CSV export"},
		"excel-97.xls":             {ExitUsage, ": is an old-style Excel workbook (.xls), not a CSV export"},
		"excel-resave.csv":         {ExitOK, ":6: skipped malformed row: the row is empty"},
		"excel-workbook.xlsx":      {ExitUsage, ": is a ZIP archive or an Excel workbook (.xlsx), not a CSV export"},
		"expired-link.html":        {ExitUsage, ": is an HTML page, not a CSV export"},
		"expired-link.xml":         {ExitUsage, ": is an XML document"},
		"export.json":              {ExitUsage, ": is JSON, not a CSV export"},
		"huge-field.csv":           {ExitOK, ""},
		"image.png":                {ExitUsage, ": is a PNG image, not a CSV export"},
		"mac-cr.csv":               {ExitUsage, ":1: ends its lines with a bare carriage return"},
		"many-commas.csv":          {ExitUsage, ":3: the row has more than 10,000 fields"},
		"semicolon.csv":            {ExitUsage, ":1: the columns are separated by semicolons, not by commas"},
		"truncated.csv":            {ExitOK, ":5: skipped malformed row: the file ends inside a quoted field"},
		"truncated.csv.gz":         {ExitUsage, ":305: the compressed data ends early: the file is truncated"},
		"unterminated-quote.csv":   {ExitOK, ":2: skipped malformed row: a quoted field opened on line 2 does not close properly"},
		"utf16-comma.csv":          {ExitOK, `: is UTF-16 text`},
		"utf16-unicode-text.txt":   {ExitUsage, ": is UTF-16 text"},
	}
	files, err := filepath.Glob(repoFile("bad", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		w, ok := want[name]
		if !ok {
			t.Errorf("testdata/bad/%s has no expectation here", name)
			continue
		}
		delete(want, name)
		r := run(t, nil, "summarize", "--format", "json", path)
		first, _, _ := strings.Cut(r.stderr, "\n")
		if r.code != w.code || w.first != "" && !strings.Contains(first, path+w.first) || w.first == "" && first != "" {
			t.Errorf("%s: exit %d, first stderr line %q; want exit %d and %q", name, r.code, first, w.code, w.first)
		}
		if r.code != ExitOK && r.stdout != "" {
			t.Errorf("%s: exit %d with output on stdout", name, r.code)
		}
		if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "internal error") {
			t.Errorf("%s: %s", name, r.stderr)
		}
	}
	for name := range want {
		t.Errorf("testdata/bad/%s is missing", name)
	}
}

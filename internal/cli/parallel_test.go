package cli

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// The parallel reader must print exactly what the sequential one prints:
// the same JSON on stdout, the same warnings and errors on stderr, the same
// exit code. Small chunks make every fixture split into many.
func TestParallelMatchesSequential(t *testing.T) {
	t.Parallel()
	inputs := parallelInputs(t)
	variants := [][]string{
		{"summarize", "-f", "json"},
		{"summarize", "-f", "json", "--by", "campaign", "--by", "hour", "--by", "link-domain", "--by", "category", "--by", "campaign,texter"},
		{"summarize", "-f", "json", "--strict"},
		{"summarize", "-f", "json", "--as-of", "2024-10-02T22:00:00Z", "--by", "day"},
		{"check", "--max-error-rate", "0.5", "--per", "campaign"},
		{"summarize", "-f", "json", "--by", "step", "--by", "campaign,step"},
		{"check", "--max-error-rate", "0.5", "--per", "campaign", "--step", "initial"},
		{"summarize", "-f", "json", "--tz", "America/New_York", "--signals", "--by", "step"},
		{"contacts", "--list", "all", "-f", "csv"},
		{"contacts", "--list", "all", "-f", "json", "--as-of", "2024-10-02T22:00:00Z"},
		// contacts are listed in parts built on every worker and written
		// in order; a short list leaves parts empty.
		{"contacts", "--list", "retry", "-f", "json"},
		{"contacts", "--list", "opted-out", "-f", "json", "--redact"},
		{"contacts", "--list", "suppress", "-f", "csv", "--redact"},
		// rows encodes each chunk on its worker and writes them in order.
		{"rows", "-f", "csv"},
		{"rows", "-f", "jsonl"},
		{"rows", "-f", "csv", "--stuck", "--as-of", "2024-10-02T22:00:00Z"},
		{"rows", "-f", "jsonl", "--redact", "--status", "ERROR,SENT"},
		{"rows", "-f", "csv", "--redact", "--status", "DELIVERED", "--direction", "outbound"},
		{"rows", "-f", "csv", "--strict"},
		{"rows", "-f", "jsonl", "--strict", "--category", "spam_blocked"},
	}
	for i, in := range inputs {
		// Each input is a subtest of its own, so inputs spread over the cores.
		t.Run(fmt.Sprintf("%d-%s", i, filepath.Base(in)), func(t *testing.T) {
			t.Parallel()
			compareParallel(t, in, variants)
		})
	}
}

// compareParallel runs every variant on in sequentially and with small
// chunks on four workers, and compares exit code, stdout and stderr.
func compareParallel(t *testing.T, in string, variants [][]string) {
	for _, args := range variants {
		seq := run(t, nil, append(append([]string{}, args...), "--workers", "1", in)...)
		for _, chunk := range []string{"64", "1000", "8192"} {
			par := run(t, nil, append(append([]string{}, args...), "--workers", "4", "--chunk-bytes", chunk, in)...)
			name := fmt.Sprintf("%s %s chunk %s", filepath.Base(in), strings.Join(args, " "), chunk)
			if par.code != seq.code {
				t.Errorf("%s: exit %d, sequential %d\n%s", name, par.code, seq.code, par.stderr)
			}
			if par.stdout != seq.stdout {
				t.Errorf("%s: stdout differs from the sequential one:\n%s\nwant:\n%s", name, head(par.stdout), head(seq.stdout))
			}
			if par.stderr != seq.stderr {
				t.Errorf("%s: stderr differs:\n%s\nwant:\n%s", name, par.stderr, seq.stderr)
			}
		}
	}
}

// The signals of a planted export (a flagged domain) are the same read
// in parallel: the tracker's contacts merge to the sequential answer.
func TestParallelSignalsMatchSequential(t *testing.T) {
	var b bytes.Buffer
	o := synth.Options{Rows: 8000, Seed: 3, Dialect: synth.DialectRewired, EmptyTimestamps: 0.05,
		PlantedDomain: "promo.example.net", PlantedShare: 0.5}
	if _, err := synth.Write(&b, o); err != nil {
		t.Fatal(err)
	}
	in := writeInput(t, t.TempDir(), "planted.csv", b.Bytes())
	args := []string{"summarize", "-f", "json", "--tz", "America/New_York", "--by", "step"}
	seq := run(t, nil, append(append([]string{}, args...), "--workers", "1", in)...)
	if seq.code != 0 || !strings.Contains(seq.stdout, `"key": "promo.example.net"`) {
		t.Fatalf("the planted domain is not flagged (exit %d):\n%s", seq.code, head(seq.stdout))
	}
	for _, chunk := range []string{"512", "8192", "65536"} {
		par := run(t, nil, append(append([]string{}, args...), "--workers", "4", "--chunk-bytes", chunk, in)...)
		if par.stdout != seq.stdout || par.stderr != seq.stderr || par.code != seq.code {
			t.Errorf("chunk %s: output differs from the sequential one:\n%s\nwant:\n%s", chunk, head(par.stdout), head(seq.stdout))
		}
	}
}

func head(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// parallelInputs are every fixture, synth exports of every dialect, and a
// synth export damaged all along (malformed rows, unknown statuses,
// repeated headers, spreadsheet values) so that every chunk has something
// to warn about.
func parallelInputs(t *testing.T) []string {
	t.Helper()
	var inputs []string
	for _, pattern := range []string{"*.csv", "dialects/*.csv", "bad/*"} {
		files, err := filepath.Glob(repoFile(pattern))
		if err != nil || len(files) == 0 {
			t.Fatalf("no fixtures for %s: %v", pattern, err)
		}
		inputs = append(inputs, files...)
	}
	dir := t.TempDir()
	for _, dialect := range synth.Dialects() {
		var b bytes.Buffer
		if _, err := synth.Write(&b, synth.Options{Rows: 1500, Seed: 7, Dialect: dialect, EmptyTimestamps: 0.05}); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, writeInput(t, dir, dialect+".csv", b.Bytes()))
		if dialect == "rewired" {
			damaged := damage(b.Bytes())
			inputs = append(inputs, writeInput(t, dir, "damaged.csv", damaged))
			// Gzip inputs are decompressed on a goroutine and split into
			// chunks too; a truncated one fails where the sequential
			// read fails.
			gz := gzipped(t, damaged)
			inputs = append(inputs, writeInput(t, dir, "damaged.csv.gz", gz),
				writeInput(t, dir, "truncated.csv.gz", gz[:len(gz)*2/3]))
		}
	}
	return inputs
}

func writeInput(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// damage rewrites some lines of a synth export: fewer fields, an unknown
// status, the header again, a spreadsheet's TRUE, and ends on a cut row.
func damage(data []byte) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	header := lines[0]
	for i := 1; i < len(lines)-1; i++ {
		switch i % 97 {
		case 11:
			lines[i] = "1,2,3\n"
		case 23:
			lines[i] = strings.Replace(lines[i], ",DELIVERED,", fmt.Sprintf(",BOUNCED_%d,", i%7), 1)
		case 41:
			lines[i] = header
		case 59:
			lines[i] = strings.Replace(lines[i], ",false,", ",FALSE,", 1)
		case 71:
			lines[i] = strings.Replace(lines[i], ",SENT,", ",SENT\",", 1)
		}
	}
	out := strings.Join(lines, "")
	return []byte(out + "x,y\n")
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rows of standard input go through the chunk pipeline too: the stuck
// column is left empty (it can be read only once) and the warning about
// it counts the rows of every chunk.
func TestParallelRowsStdinMatchSequential(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if _, err := synth.Write(&b, synth.Options{Rows: 3000, Seed: 11, Dialect: synth.DialectRewired, EmptyTimestamps: 0.05}); err != nil {
		t.Fatal(err)
	}
	data := damage(b.Bytes())
	for _, format := range []string{"csv", "jsonl"} {
		seq := run(t, bytes.NewReader(data), "rows", "-f", format, "--workers", "1", "-")
		if seq.code != 0 || !strings.Contains(seq.stderr, "the stuck column of ") {
			t.Fatalf("%s: exit %d, no warning about the stuck column:\n%s", format, seq.code, seq.stderr)
		}
		for _, chunk := range []string{"100", "4096"} {
			par := run(t, bytes.NewReader(data), "rows", "-f", format, "--workers", "4", "--chunk-bytes", chunk, "-")
			if par.stdout != seq.stdout || par.stderr != seq.stderr || par.code != seq.code {
				t.Errorf("%s chunk %s: output differs from the sequential one:\n%s\n%s\nwant:\n%s\n%s",
					format, chunk, head(par.stdout), par.stderr, head(seq.stdout), seq.stderr)
			}
		}
	}
}

// TestParallelCapsMatchSequential reads a broken export (a distinct code,
// campaign and link domain on most rows, what a column shift produces)
// under a small --max-keys: once a merged map is full, the parts read
// after it fold the values it lacks at once (keycap.Frozen), and what the
// caps keep and fold must still be what a sequential pass keeps and folds.
func TestParallelCapsMatchSequential(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("campaignId,contactNumber,isFromContact,sendStatus,errorCodes,attemptedAt,text\n")
	for i := range 3000 {
		status := "ERROR"
		if i%7 == 3 {
			status = "DELIVERED"
		}
		// Values repeat now and then, so that some of those kept recur
		// after the maps are full.
		v := i
		if i%5 == 0 {
			v = i % 40
		}
		fmt.Fprintf(&b, "camp%d,+1555%07d,false,%s,%d,2024-10-01T18:%02d:%02dZ,hi https://x%d.example.org/a\n",
			v, i, status, 100000+v, i/60%60, i%60, v%700)
	}
	in := filepath.Join(t.TempDir(), "hostile.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	compareParallel(t, in, [][]string{
		{"summarize", "-f", "json", "--max-keys", "150", "--by", "code", "--by", "campaign", "--by", "link-domain", "--by", "campaign,code"},
		{"summarize", "-f", "json", "--max-keys", "1000", "--by", "code", "--price-per-segment", "0.01"},
		{"summarize", "--max-keys", "7", "--by", "code"},
	})
}

// TestMaxKeysRaisesCodeCap reads an export of one error code more than
// keycap.DefaultMaxCodes, each in its own campaign: by default the codes
// past that cap are folded (the campaigns are not: their cap is
// --max-keys' default), and giving --max-keys raises the codes' cap too.
func TestMaxKeysRaisesCodeCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("campaignId,contactNumber,isFromContact,sendStatus,errorCodes,attemptedAt,text\n")
	for i := range keycap.DefaultMaxCodes + 1 {
		fmt.Fprintf(&b, "camp%d,+1555%07d,false,ERROR,%d,2024-10-01T18:00:00Z,hi\n", i, i, 1_000_000+i)
	}
	in := filepath.Join(t.TempDir(), "codes.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	folded := fmt.Sprintf("spoke-status: warning: more than %d distinct error codes: 1 more counted as (other) (raise the cap with --max-keys)\n", keycap.DefaultMaxCodes)
	tests := []struct {
		args       []string
		wantStderr string
	}{
		{[]string{"summarize", "--by", "campaign", in}, folded},
		// The groups of --by code are the codes kept: one warning.
		{[]string{"summarize", "--by", "code", in}, folded},
		{[]string{"summarize", "--by", "code", "--max-keys", fmt.Sprint(keycap.DefaultMaxCodes + 1), in}, ""},
		{[]string{"summarize", "--by", "campaign", "--max-keys", fmt.Sprint(keycap.DefaultMaxCodes), in},
			folded + fmt.Sprintf("spoke-status: warning: more than %d distinct --by campaign groups: 1 more counted as (other) (raise the cap with --max-keys)\n", keycap.DefaultMaxCodes)},
	}
	for _, tc := range tests {
		got := run(t, nil, tc.args...)
		if got.code != 0 || got.stderr != tc.wantStderr {
			t.Errorf("%q: exit %d, stderr:\n%s\nwant exit 0, stderr:\n%s", tc.args, got.code, got.stderr, tc.wantStderr)
		}
	}
}

// TestGatesSeeKnownCodesPastTheCap: an export whose first rows carry
// more junk codes than the cap of error codes (keycap.DefaultMaxCodes),
// and then opt-out rejections (21610): check's opt-out and category
// gates still see them, read sequentially or in parallel parts, and fail.
func TestGatesSeeKnownCodesPastTheCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("campaignId,contactNumber,isFromContact,sendStatus,errorCodes,attemptedAt,text\n")
	for i := range keycap.DefaultMaxCodes {
		fmt.Fprintf(&b, "c,+1555%07d,false,ERROR,%d,2024-10-01T18:00:00Z,hi\n", i, 1_000_000+i)
	}
	for i := range 500 {
		fmt.Fprintf(&b, "c,+1666%07d,false,ERROR,21610,2024-10-01T19:00:00Z,hi\n", i)
	}
	in := filepath.Join(t.TempDir(), "late.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, gate := range [][]string{{"--max-opt-out-rejection-rate", "1%"}, {"--max-category-rate", "opted_out=1%"}} {
		for _, workers := range [][]string{{"--workers", "1"}, {"--workers", "3", "--chunk-bytes", "4096"}} {
			args := append(append(append([]string{"check"}, gate...), workers...), in)
			if got := run(t, nil, args...); got.code != 1 || !strings.Contains(got.stdout, "FAIL") {
				t.Errorf("%q: exit %d, stdout:\n%s\nstderr:\n%s\nwant exit 1 and a FAIL", args, got.code, got.stdout, got.stderr)
			}
		}
	}
}

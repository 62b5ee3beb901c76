package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// FAIL rows are red only on a terminal, and not with NO_COLOR or TERM=dumb.
func TestCheckColor(t *testing.T) {
	t.Parallel()
	args := []string{"check", "--min-outbound", "1", "--max-error-rate", "40%", "--max-stuck-sent", "5", repoFile("dialects", "statevoices-v10.csv")}
	tests := []struct {
		name     string
		terminal bool
		vars     map[string]string
		red      bool
	}{
		{"terminal", true, nil, true},
		{"terminal, NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, false},
		{"terminal, empty NO_COLOR", true, map[string]string{"NO_COLOR": ""}, true},
		{"terminal, TERM=dumb", true, map[string]string{"TERM": "dumb"}, false},
		{"pipe", false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			env := Env{Stdout: &out, Stderr: &errb, Version: testVersion, Now: func() time.Time { return testNow },
				Getenv:           func(k string) string { return tt.vars[k] },
				StdoutIsTerminal: func() bool { return tt.terminal }}
			if code := Main(args, env); code != ExitCheckFailed {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			failRow := "\x1b[31m│ error_rate │ all   │ 46.15% │ <= 40.00% │ FAIL   │\x1b[0m\n"
			passRow := "\n│ stuck_sent │ all   │      1 │      <= 5 │ pass   │\n"
			if got := strings.Contains(out.String(), failRow); got != tt.red {
				t.Errorf("red FAIL row: %v, want %v\n%q", got, tt.red, out.String())
			}
			if !strings.Contains(out.String(), passRow) {
				t.Errorf("pass row painted:\n%q", out.String())
			}
			if !tt.red && strings.Contains(out.String(), "\x1b") {
				t.Errorf("escape sequences without colour:\n%q", out.String())
			}
			// Other formats never colour.
			out.Reset()
			Main(append(args, "--format", "markdown"), env)
			if strings.Contains(out.String(), "\x1b") {
				t.Errorf("markdown coloured:\n%q", out.String())
			}
		})
	}
}

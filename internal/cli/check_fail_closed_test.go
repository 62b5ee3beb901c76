package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// With --format json, stdout holds exactly one JSON object: the error
// object when nothing was printed, never a second one after the report.
func TestCheckJSONErrorIsTheOnlyObject(t *testing.T) {
	t.Parallel()
	fixture := repoFile("dialects", "statevoices-v10.csv")
	tests := []struct {
		name      string
		args      []string
		stderr    func() *bytes.Buffer
		github    bool
		wantError string // "" when stdout holds the report
		wantCode  int
	}{
		{"missing file", []string{"--max-error-rate", "5%", "missing.csv"}, nil, false, "missing.csv: no such file", ExitUsage},
		{"no threshold", []string{fixture}, nil, false, "no threshold given", ExitUsage},
		{"nothing to check", []string{"--max-error-rate", "5%", fixture}, nil, false, "nothing to check in " + fixture + ": 13 outbound texts", ExitUsage},
		{"failed check", []string{"--min-outbound", "1", "--max-error-rate", "5%", fixture}, nil, false, "", ExitCheckFailed},
		// The report is written, then the annotations fail on stderr: the
		// error must not add a second object to stdout.
		{"annotations fail after the report", []string{"--min-outbound", "1", "--max-error-rate", "5%", fixture}, nil, true, "", ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			env := Env{Stdout: &out, Stderr: &bytes.Buffer{}, Version: testVersion, Now: func() time.Time { return testNow }}
			if tt.github {
				env.Stderr = failingWriter{}
				env.Getenv = func(k string) string { return map[string]string{"GITHUB_ACTIONS": "true"}[k] }
			}
			code := Main(append([]string{"check", "--format", "json"}, tt.args...), env)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d", code, tt.wantCode)
			}
			dec := json.NewDecoder(&out)
			var doc struct {
				SchemaVersion int   `json:"schema_version"`
				Passed        *bool `json:"passed"`
				Error         *struct {
					Message  string `json:"message"`
					ExitCode int    `json:"exit_code"`
				} `json:"error"`
			}
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("stdout is not JSON: %v", err)
			}
			if dec.More() {
				t.Errorf("more than one JSON document on stdout")
			}
			if doc.SchemaVersion != 1 || doc.Passed == nil || *doc.Passed {
				t.Errorf("schema_version %d, passed %v", doc.SchemaVersion, doc.Passed)
			}
			switch {
			case tt.wantError == "" && doc.Error != nil:
				t.Errorf("error object on a report: %+v", doc.Error)
			case tt.wantError != "" && (doc.Error == nil || !strings.HasPrefix(doc.Error.Message, tt.wantError) || doc.Error.ExitCode != code):
				t.Errorf("error = %+v, want %q and exit %d", doc.Error, tt.wantError, code)
			}
		})
	}
}

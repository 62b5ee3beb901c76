package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/keycap"
)

// TestDocsStateCodeCap: the README and docs/json.md state the default cap
// of error codes (keycap.DefaultMaxCodes) that --max-keys' help prints,
// in each place they give it, the example warning included (hostile.csv's
// 400,000 distinct codes, the folded ones estimated).
func TestDocsStateCodeCap(t *testing.T) {
	n := keycap.DefaultMaxCodes
	grouped := commas(n)
	tests := []struct{ file, want string }{
		{"../../README.md", "error codes " + grouped + ","},
		{"../../README.md", "one warning per kind: " + grouped + " error codes"},
		// 400,000 - n folded codes, past the exact count: estimated.
		{"../../README.md", fmt.Sprintf("more than %d distinct error codes: about ", n)},
		{"../../docs/json.md", grouped + " for error codes unless `--max-keys` is given"},
	}
	for _, tc := range tests {
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		// Lines are wrapped in the README: compare on one line.
		if text := strings.Join(strings.Fields(string(b)), " "); !strings.Contains(text, tc.want) {
			t.Errorf("%s does not say %q (keycap.DefaultMaxCodes is %d)", tc.file, tc.want, n)
		}
	}
}

// commas writes n with a comma between groups of three digits, as the
// docs do.
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Terminal escapes in arguments and in the export never reach standard
// error: errors, hints and warnings pass the terminal sanitizer.
func TestStderrIsTerminalSafe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hostile := filepath.Join(dir, "in\x1b]0;pwn\a.csv")
	header := "campaign_contact_id,campaign_id,user_number,contact_number,is_from_contact,send_status,attempted_at,text,error_code\n"
	row := "1,7,+15555550100,+15555550123,\x1b[2Jmaybe,DELIVERED,\x1b]0;x\a2024,hi,\n"
	if err := os.WriteFile(hostile, []byte(header+row), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"codes", "\x1b]0;pwn\a"},
		{"summarize", "--tz", "\x1b[31mred", hostile},
		{"summarize", filepath.Join(dir, "missing\x1b[2J.csv")},
		{"summarize", "--format", "\x1b[5m", hostile},
		{"summarize", "--as-of", "\x9b2J", hostile},
		{"summarize", hostile},
		{"summarize", "--strict", hostile},
		{"rows", "--code", "\x1b]8;;http://x\a", hostile},
		{"check", "--max-code-rate", "\x1b[1m=1%", hostile},
		{"\x1b[2Jnope"},
	} {
		r := run(t, nil, args...)
		if strings.ContainsAny(r.stderr, "\x1b\a") || strings.Contains(r.stderr, "\u009b") {
			t.Errorf("%q: stderr holds a terminal control: %q", args, r.stderr)
		}
		if r.stderr == "" {
			t.Errorf("%q: expected a message on stderr", args)
		}
	}
}

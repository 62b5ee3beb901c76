package cli

import (
	"encoding/json"
	"testing"

	"github.com/spoke-status/spoke-status/internal/summary"
)

// TestSummarizeGolden pins every output format of summarize for every
// dialect fixture.
func TestSummarizeGolden(t *testing.T) {
	t.Parallel()
	for _, path := range dialectFixtures(t) {
		for _, format := range []string{"table", "json", "markdown"} {
			name := fixtureName(path) + ".summarize." + format
			t.Run(name, func(t *testing.T) {
				r := run(t, nil, "summarize", "--format", format, path)
				if r.code != ExitOK {
					t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
				}
				checkGolden(t, name, r.stdout)
			})
		}
	}
}

func summarizeJSON(t *testing.T, args ...string) *summary.Summary {
	t.Helper()
	r := run(t, nil, append([]string{"summarize", "--format", "json"}, args...)...)
	if r.code != ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	var s summary.Summary
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
	}
	return &s
}

// TestSummarizeFigures checks each definition of the contract on the
// hand-made StateVoices fixture, whose rows were counted by hand.
func TestSummarizeFigures(t *testing.T) {
	t.Parallel()
	s := summarizeJSON(t, repoFile("dialects", "statevoices-v10.csv"))
	checks := []struct {
		name      string
		got, want any
	}{
		{"rows", s.Totals.Rows, int64(16)},
		{"outbound", s.Totals.Outbound, int64(13)},
		{"inbound", s.Totals.Inbound, int64(3)},
		{"delivered", s.Outbound.Delivered, int64(3)},
		{"errored", s.Outbound.Errored, int64(6)},
		// SENT at 14:00 is more than 2h before the newest row (18:46); SENT at 18:19:59.999 is not.
		{"sent_stuck", s.Outbound.SentStuck, int64(1)},
		{"sent_pending", s.Outbound.SentPending, int64(1)},
		{"opt_out_rejections", s.Outbound.OptOutRejections, int64(1)},
		{"opt_out_replies (STOP with -133, 'stop.')", s.Inbound.OptOutReplies, int64(2)},
		{"provider", string(s.Provider), "twilio"},
		{"as_of", *s.AsOf, "2024-10-01T18:46:00.000Z"},
		{"error_rate", s.Outbound.ErrorRate, summary.Round4(6.0 / 13)},
		{"by_status QUEUED", s.Outbound.ByStatus["QUEUED"], int64(1)},
		{"by_status SENDING", s.Outbound.ByStatus["SENDING"], int64(1)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	var codeSum int64
	for _, c := range s.ErrorCodes {
		codeSum += c.Count
	}
	if codeSum != s.Outbound.Errored {
		t.Errorf("error codes sum to %d, want errored %d", codeSum, s.Outbound.Errored)
	}
}

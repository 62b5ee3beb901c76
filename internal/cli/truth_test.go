package cli

import (
	"testing"

	"github.com/spoke-status/spoke-status/internal/synth"
)

// TestSummarizeMatchesGeneratorTruth reads exports of every dialect and
// provider made by spoke-synth and compares each contract figure with the
// counts the generator made while writing, independently of the reader.
func TestSummarizeMatchesGeneratorTruth(t *testing.T) {
	t.Parallel()
	for _, dialect := range synth.Dialects() {
		for _, provider := range synth.Providers() {
			t.Run(dialect+"/"+provider, func(t *testing.T) {
				path, truth := writeSynthExport(t, synth.Options{Rows: 3000, Seed: 11, Dialect: dialect, Provider: provider, Campaigns: 3})
				s := summarizeJSON(t, "--provider", provider, path)
				checks := []struct {
					name      string
					got, want int64
				}{
					{"rows", s.Totals.Rows, int64(truth.Rows)},
					{"outbound", s.Totals.Outbound, int64(truth.Outbound)},
					{"inbound", s.Totals.Inbound, int64(truth.Inbound)},
					{"delivered", s.Outbound.Delivered, int64(truth.Delivered)},
					{"errored", s.Outbound.Errored, int64(truth.Errored)},
					{"opt_out_rejections", s.Outbound.OptOutRejections, int64(truth.OptOutRejections)},
					{"opt_out_replies", s.Inbound.OptOutReplies, int64(truth.OptOutReplies)},
					{"sent_stuck", s.Outbound.SentStuck, int64(truth.SentStuck)},
					{"sent_pending", s.Outbound.SentPending, int64(truth.SentPending)},
					{"sent_age_unknown", s.Outbound.SentAgeUnknown, int64(truth.SentAgeUnknown)},
				}
				for _, c := range checks {
					if c.got != c.want {
						t.Errorf("%s = %d, truth %d", c.name, c.got, c.want)
					}
				}
				for status, n := range truth.ByStatus {
					if got := s.Outbound.ByStatus[status]; got != int64(n) {
						t.Errorf("by_status[%s] = %d, truth %d", status, got, n)
					}
				}
				codes := map[string]int64{}
				for _, c := range s.ErrorCodes {
					codes[c.Code] += c.Count
				}
				for code, n := range truth.ErrorCodes {
					if codes[code] != int64(n) {
						t.Errorf("error_codes[%q] = %d, truth %d", code, codes[code], n)
					}
				}
				if truth.AsOf == "" && s.AsOf != nil || truth.AsOf != "" && (s.AsOf == nil || *s.AsOf != truth.AsOf) {
					t.Errorf("as_of = %v, truth %q", s.AsOf, truth.AsOf)
				}
			})
		}
	}
}

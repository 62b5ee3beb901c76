package render

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spoke-status/spoke-status/internal/summary"
)

// databaseSections are the views of what only Spoke's database knows: the
// delivery-report latency, and the stuck rule it allows. A summary of
// export files has neither.
func databaseSections(s *summary.Summary) []section {
	if s.DeliveryLatency == nil && s.StuckDefinition != summary.StuckBySentAt {
		return nil
	}
	return []section{writeDeliveryLatency}
}

// writeDeliveryLatency writes the latency table and says which time the
// stuck SENT rule measured from.
func writeDeliveryLatency(w io.Writer, s *summary.Summary, opts SummaryOptions) error {
	heading(w, opts.Style, "Delivery-report latency (from the database)")
	if l := s.DeliveryLatency; l != nil {
		rows := [][]string{
			latencyRow("All reported", l.All),
			latencyRow("Delivered", l.Delivered),
			latencyRow("Errored", l.Errored),
		}
		cols := []Column{{Title: "Texts"}, {Title: "Count", Right: true}, {Title: "Median", Right: true},
			{Title: "90th percentile", Right: true}, {Title: "Longest", Right: true}}
		if err := Table(w, opts.Style, cols, rows); err != nil {
			return err
		}
		fmt.Fprintln(w)
		note := "Latency is service_response_at - sent_at, within 3%."
		if l.Unusable > 0 {
			note += fmt.Sprintf(" %s reported texts without usable times (no send time, or a report dated before the send) are left out.", Count(l.Unusable))
		}
		fmt.Fprintln(w, note)
	}
	_, err := fmt.Fprintln(w, stuckNote(s))
	return err
}

func latencyRow(label string, st summary.LatencyStats) []string {
	return []string{label, Count(st.Texts), Seconds(st.MedianSeconds), Seconds(st.P90Seconds), Seconds(st.MaxSeconds)}
}

// stuckNote says which time a SENT text's age is measured from.
func stuckNote(s *summary.Summary) string {
	if s.StuckDefinition == summary.StuckBySentAt {
		return "Stuck SENT texts are judged by sent_at, the time each text was handed to the provider (attempted-at where it is missing)."
	}
	return "Stuck SENT texts are judged by attempted-at, the time each text was created."
}

// Seconds writes a latency: "-" when there is none, else seconds with at
// most 3 decimals, or minutes, hours and days when long.
func Seconds(v *float64) string {
	if v == nil {
		return "-"
	}
	switch s := *v; {
	case s < 60:
		return strconv.FormatFloat(s, 'f', -1, 64) + " s"
	case s < 3600:
		return strconv.FormatFloat(s/60, 'f', 1, 64) + " min"
	case s < 86400:
		return strconv.FormatFloat(s/3600, 'f', 1, 64) + " h"
	default:
		return strconv.FormatFloat(s/86400, 'f', 1, 64) + " d"
	}
}

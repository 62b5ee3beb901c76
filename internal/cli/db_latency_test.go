package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/dbsource/dbtest"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/summary"
)

func decodeSummary(t *testing.T, out string) *summary.Summary {
	t.Helper()
	var s summary.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("not a summary: %v\n%s", err, out)
	}
	return &s
}

// TestDatabaseDeliveryLatency: with --db the summary measures the
// delivery-report latency of the DELIVERED and ERROR texts (the fixtures
// report after 0.1 s to 9.6 s) and judges stuck SENT texts by sent_at;
// the export's summary has neither.
func TestDatabaseDeliveryLatency(t *testing.T) {
	for _, lineage := range []export.Dialect{export.StateVoicesV10, export.Rewired} {
		t.Run(string(lineage), func(t *testing.T) {
			f := dbtest.New(t, lineage, 1500, 23)
			c := fmt.Sprint(f.Campaigns[0])
			r := run(t, nil, "summarize", "--format", "json", "--db", f.ReaderURL, "--campaign", c)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			s := decodeSummary(t, r.stdout)
			if s.StuckDefinition != summary.StuckBySentAt {
				t.Errorf("stuck_definition = %q, want sent_at", s.StuckDefinition)
			}
			l := s.DeliveryLatency
			if l == nil {
				t.Fatalf("no delivery_latency:\n%s", r.stdout)
			}
			if l.Delivered.Texts != s.Outbound.Delivered || l.Errored.Texts != s.Outbound.Errored || l.Unusable != 0 {
				t.Errorf("latency texts %d delivered, %d errored, %d unusable; the summary has %d and %d",
					l.Delivered.Texts, l.Errored.Texts, l.Unusable, s.Outbound.Delivered, s.Outbound.Errored)
			}
			for name, st := range map[string]summary.LatencyStats{"all": l.All, "delivered": l.Delivered} {
				if st.MedianSeconds == nil || *st.MedianSeconds < 3 || *st.MedianSeconds > 6.5 ||
					*st.P90Seconds < *st.MedianSeconds || *st.P90Seconds > 9.6 || *st.MaxSeconds > 9.6 {
					t.Errorf("%s: median %v p90 %v max %v, want about 4.8, 8.6 and at most 9.6", name,
						deref(st.MedianSeconds), deref(st.P90Seconds), deref(st.MaxSeconds))
				}
			}
			table := run(t, nil, "summarize", "--db", f.ReaderURL, "--campaign", c)
			for _, want := range []string{"Delivery-report latency (from the database)", "90th percentile", "judged by sent_at"} {
				if !strings.Contains(table.stdout, want) {
					t.Errorf("the table lacks %q:\n%s", want, table.stdout)
				}
			}
			file := run(t, nil, "summarize", "--format", "json", f.WriteExport(t, t.TempDir(), f.Campaigns[0]))
			fs := decodeSummary(t, file.stdout)
			if fs.DeliveryLatency != nil || fs.StuckDefinition != summary.StuckByAttemptedAt {
				t.Errorf("the export's summary: delivery_latency %v, stuck_definition %q", fs.DeliveryLatency, fs.StuckDefinition)
			}
		})
	}
}

func csvRecords(t *testing.T, out string) int {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	return len(recs)
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestDatabaseStuckBySentAt: SENT texts created long before the as-of
// time but handed to the provider within --stuck-after of it are pending
// with --db, stuck in the export, which knows only when they were created.
func TestDatabaseStuckBySentAt(t *testing.T) {
	f := dbtest.New(t, export.StateVoicesV10, 1500, 29)
	c := fmt.Sprint(f.Campaigns[0])
	export := f.WriteExport(t, t.TempDir(), f.Campaigns[0])
	before := decodeSummary(t, run(t, nil, "summarize", "--format", "json", export).stdout)
	if before.Outbound.SentStuck == 0 {
		t.Fatalf("the fixture has no stuck SENT text to test with")
	}
	// Every SENT text of the campaign goes out one minute before the as-of
	// time (the newest created_at of all the inputs read).
	f.Exec(t, `UPDATE message SET sent_at = (SELECT max(m.created_at) FROM message m
  JOIN campaign_contact cc ON cc.id = m.campaign_contact_id WHERE cc.campaign_id = `+c+`) - interval '1 minute'
WHERE send_status = 'SENT'`)
	r := run(t, nil, "summarize", "--format", "json", "--db", f.ReaderURL, "--campaign", c)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	s := decodeSummary(t, r.stdout)
	if s.Outbound.SentStuck != 0 || s.Outbound.SentPending != before.Outbound.SentStuck+before.Outbound.SentPending {
		t.Errorf("--db: %d stuck, %d pending; want 0 stuck and all %d SENT texts pending",
			s.Outbound.SentStuck, s.Outbound.SentPending, before.Outbound.SentStuck+before.Outbound.SentPending)
	}
	// rows --stuck judges rows as the summary does.
	fileRows := run(t, nil, "rows", "--stuck", export)
	dbRows := run(t, nil, "rows", "--stuck", "--db", f.ReaderURL, "--campaign", c)
	if fileRows.code != 0 || dbRows.code != 0 {
		t.Fatalf("rows --stuck: exit %d and %d: %s%s", fileRows.code, dbRows.code, fileRows.stderr, dbRows.stderr)
	}
	if got, want := csvRecords(t, fileRows.stdout)-1, before.Outbound.SentStuck; int64(got) != want {
		t.Errorf("rows --stuck on the export: %d rows, want %d", got, want)
	}
	if got := csvRecords(t, dbRows.stdout); got > 1 {
		t.Errorf("rows --stuck --db: %d records, want the header alone:\n%s", got, dbRows.stdout)
	}
}

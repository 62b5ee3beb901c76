package signals

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// detectSynth generates an export, reads it with the real reader (through
// a pipe: nothing is written to disk) and runs the tracker and detector.
func detectSynth(t testing.TB, o synth.Options) ([]Signal, Stats, TrackerStats) {
	t.Helper()
	pr, pw := io.Pipe()
	go func() {
		_, err := synth.Write(pw, o)
		pw.CloseWithError(err)
	}()
	tr := NewContactTracker(TrackerOptions{ReplyWindow: DefaultReplyWindow})
	_, err := export.Scan([]string{export.StdinPath}, export.Options{Stdin: pr}, func(rec *export.Record) error {
		tr.Add(rec)
		return nil
	})
	pr.Close()
	if err != nil {
		t.Fatalf("%s: %v", o.Dialect, err)
	}
	d := NewDetector(DefaultOptions())
	ts := tr.Feed(d)
	return d.Signals(), d.Stats(), ts
}

func TestHealthyExportsStayQuiet(t *testing.T) {
	// 1 M texts take about 2.5 s of CPU per dialect: run them for the two
	// lineages' newest dialects only, and not under -short.
	sizes := []int{2_000, 20_000, 200_000, 1_000_000}
	if testing.Short() {
		sizes = sizes[:3]
	}
	for _, rows := range sizes {
		for i, d := range synth.Dialects() {
			if rows > 200_000 && d != synth.DialectStateVoicesV10 && d != synth.DialectRewired {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d", d, rows), func(t *testing.T) {
				start := time.Now()
				o := synth.Options{Rows: rows, Seed: uint64(100*rows + i), Dialect: d}
				sigs, st, ts := detectSynth(t, o)
				if len(sigs) != 0 {
					t.Errorf("healthy export flagged: %+v", sigs)
				}
				t.Logf("%d contacts, %d delivered, %d groups tested, %d too recent, %v",
					st.Contacts, st.DeliveredContacts, st.GroupsTested, ts.TooRecent, time.Since(start).Round(time.Millisecond))
			})
		}
	}
}

func TestPlantedDomainFlagged(t *testing.T) {
	const planted = "promo.example.net"
	for i, d := range synth.Dialects() {
		for _, rows := range []int{20_000, 100_000} {
			t.Run(fmt.Sprintf("%s/%d", d, rows), func(t *testing.T) {
				o := synth.Options{Rows: rows, Seed: uint64(7 + i), Dialect: d, PlantedDomain: planted}
				sigs, st, _ := detectSynth(t, o)
				if len(sigs) != 1 || sigs[0].Dimension != DimensionLinkDomain || sigs[0].Key != planted {
					t.Fatalf("want exactly %s flagged, got %+v", planted, sigs)
				}
				s := sigs[0]
				if !(s.ReplyRate < s.BaselineReplyRate/5) || s.PValue > 0.01 || s.Kind != KindSilentFiltering {
					t.Errorf("implausible signal %+v", s)
				}
				t.Logf("%d groups tested; %+v", st.GroupsTested, s)
			})
		}
	}
}

package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/signals"
	"github.com/spoke-status/spoke-status/internal/summary"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// summarizeSynth generates an export (streamed through a pipe: nothing
// large is written or kept) and returns the signals summarize finds in it.
func summarizeSynth(t *testing.T, o synth.Options, args ...string) []signals.Signal {
	t.Helper()
	pr, pw := io.Pipe()
	go func() {
		_, err := synth.Write(pw, o)
		pw.CloseWithError(err)
	}()
	defer pr.Close()
	res := run(t, pr, append([]string{"summarize", "--format", "json"}, append(args, "-")...)...)
	if res.code != 0 {
		t.Fatalf("%s/%d: exit %d\n%s", o.Dialect, o.Rows, res.code, res.stderr)
	}
	var out struct {
		Signals *[]signals.Signal `json:"signals"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Signals == nil {
		t.Fatalf("%s/%d: no signals field in\n%s", o.Dialect, o.Rows, head(res.stdout))
	}
	return *out.Signals
}

// Healthy exports of every dialect, replies independent of domain and
// number: summarize flags nothing, at every size.
func TestSignalsHealthyExportsQuiet(t *testing.T) {
	// 1 M texts take about 16 s for two dialects: run in CI, not under
	// -short or the race detector.
	sizes := []int{2_000, 20_000, 200_000, 1_000_000}
	if testing.Short() || raceEnabled {
		sizes = sizes[:2]
	}
	for _, rows := range sizes {
		for i, d := range synth.Dialects() {
			// 1 M texts for the two lineages' newest dialects only.
			if rows > 200_000 && d != synth.DialectStateVoicesV10 && d != synth.DialectRewired {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d", d, rows), func(t *testing.T) {
				start := time.Now()
				got := summarizeSynth(t, synth.Options{Rows: rows, Seed: uint64(31*rows + i), Dialect: d})
				if len(got) != 0 {
					t.Errorf("healthy export flagged: %+v", got)
				}
				t.Logf("%v", time.Since(start).Round(time.Millisecond))
			})
		}
	}
}

// A planted domain (DELIVERED as usual, a twentieth of the replies) is
// flagged, and nothing else; its key follows --tz for days (none here).
func TestSignalsPlantedDomainFlagged(t *testing.T) {
	const planted = "promo.example.net"
	for i, d := range synth.Dialects() {
		t.Run(d, func(t *testing.T) {
			got := summarizeSynth(t, synth.Options{Rows: 30_000, Seed: uint64(11 + i), Dialect: d, PlantedDomain: planted, PlantedReplyFactor: 0.05})
			if len(got) != 1 || got[0].Dimension != signals.DimensionLinkDomain || got[0].Key != planted {
				t.Fatalf("want exactly %s flagged, got %+v", planted, got)
			}
			s := got[0]
			if s.Kind != signals.KindSilentFiltering || !(s.ReplyRate < s.BaselineReplyRate/5) || s.PValue > 0.01 || s.DeliveredContacts < 200 {
				t.Errorf("implausible signal %+v", s)
			}
		})
	}
}

// --signals=false leaves the field out; the table says "No signals" when
// the analysis found nothing, and names the domain and what to do when it
// found one.
func TestSignalsFlagAndSections(t *testing.T) {
	in := repoFile("dialects", "rewired.csv")
	res := run(t, nil, "summarize", "--format", "json", "--signals=false", in)
	if res.code != 0 || strings.Contains(res.stdout, `"signals"`) {
		t.Errorf("--signals=false: exit %d, signals in JSON: %v", res.code, strings.Contains(res.stdout, `"signals"`))
	}
	res = run(t, nil, "summarize", "--format", "json", in)
	if res.code != 0 || !strings.Contains(res.stdout, `"signals": []`) {
		t.Errorf("want an empty signals list:\n%s", res.stdout)
	}
	for _, format := range []string{"table", "markdown"} {
		res = run(t, nil, "summarize", "--format", format, in)
		if !strings.Contains(res.stdout, "No signals") {
			t.Errorf("%s: no 'No signals' line:\n%s", format, res.stdout)
		}
	}

	pr, pw := io.Pipe()
	go func() {
		_, err := synth.Write(pw, synth.Options{Rows: 30_000, Seed: 5, Dialect: synth.DialectRewired, PlantedDomain: "promo.example.net", PlantedReplyFactor: 0.05})
		pw.CloseWithError(err)
	}()
	res = run(t, pr, "summarize", "--format", "markdown", "-")
	pr.Close()
	for _, want := range []string{"### Signals", "| Link domain | promo.example.net |", "heuristic", "own domain", "rotate the", "ask the provider"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("markdown lacks %q:\n%s", want, res.stdout)
		}
	}
}

// --redact masks phone-like runs in a flagged link domain, as in every
// other domain, and keeps sending numbers (the organization's own) and days.
func TestRedactSignals(t *testing.T) {
	s := &summary.Summary{}
	s.Signals = []signals.Signal{
		{Dimension: signals.DimensionLinkDomain, Key: "5551234567.example.net"},
		{Dimension: signals.DimensionSendingNumber, Key: "+15555550100"},
		{Dimension: signals.DimensionDay, Key: "2024-10-01"},
	}
	redactSummary(s)
	if got := s.Signals[0].Key; strings.Contains(got, "5551234567") {
		t.Errorf("domain not masked: %q", got)
	}
	if s.Signals[1].Key != "+15555550100" || s.Signals[2].Key != "2024-10-01" {
		t.Errorf("kept keys changed: %+v", s.Signals)
	}
}

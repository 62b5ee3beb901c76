package summary

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/signals"
)

// TestSignalsShareLinkDomains: with the link analysis on, the signals take
// the link counter's domains of each text instead of parsing it again;
// they must find what they find alone. Texts with and without links (with
// and without a dot) alternate, so domains left over from the previous
// text would show.
func TestSignalsShareLinkDomains(t *testing.T) {
	src := &export.Source{Path: "t.csv"}
	t0 := time.Date(2024, 10, 1, 14, 0, 0, 0, time.UTC)
	var rows []export.Record
	for i := 0; i < 1200; i++ {
		text := "Hi. Will you vote? Reply YES"
		switch i % 3 {
		case 1:
			if i%2 == 0 {
				text = "Will you vote? Reply YES" // no dot
			}
		case 0:
			text = "Vote: https://promo.example.net/x"
		case 2:
			text = "Details at vote.org and a.org"
		}
		cc := fmt.Sprint(i)
		rows = append(rows, export.Record{Source: src, Line: len(rows) + 2, CampaignID: "1", CampaignContactID: cc,
			Status: export.StatusDelivered, Text: text, UserNumber: fmt.Sprintf("+1555000%d", i%2),
			AttemptedAt: t0.Add(time.Duration(i) * time.Second), HasTime: true})
		if i%3 != 0 && i%4 == 0 || i%3 == 0 && i%40 == 0 {
			rows = append(rows, export.Record{Source: src, Line: len(rows) + 2, CampaignID: "1", CampaignContactID: cc,
				Inbound: true, Text: "yes", AttemptedAt: t0.Add(time.Duration(i)*time.Second + time.Minute), HasTime: true})
		}
	}
	run := func(withLinks bool) *Breakdowns {
		an := &Analyses{Signals: newSignalCounter(signals.TrackerOptions{}, signals.Options{MinDelivered: 100})}
		if withLinks {
			an.Links = NewLinkCounter()
		}
		for i := range rows {
			an.Add(&rows[i])
		}
		b := &Breakdowns{}
		an.Fill(b, classifier(t, registry.Telnyx))
		return b
	}
	alone, shared := run(false).Signals, run(true).Signals
	if len(alone) == 0 || alone[0].Key != "promo.example.net" {
		t.Fatalf("the planted domain is not flagged: %+v", alone)
	}
	if !reflect.DeepEqual(shared, alone) {
		t.Errorf("with the link analysis: %+v\nalone: %+v", shared, alone)
	}
}

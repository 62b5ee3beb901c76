package signals

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// observe feeds n contacts of one kind.
func observe(d *Detector, n, replied int, o Observation) {
	for i := range n {
		o.Replied = i < replied
		d.Observe(o)
	}
}

// healthyBase: 4,000 delivered contacts over two numbers and two domains,
// replying at 20%.
func healthyBase(d *Detector) {
	observe(d, 2000, 400, Observation{Domains: []string{"a.org"}, SendingNumber: "+15550000001", Day: "2024-10-01", Delivered: true})
	observe(d, 2000, 400, Observation{SendingNumber: "+15550000002", Day: "2024-10-02", Delivered: true})
}

func TestDetectorFlagsLowGroup(t *testing.T) {
	d := NewDetector(DefaultOptions())
	healthyBase(d)
	// 300 contacts with bit.ly reply at 1%
	observe(d, 300, 3, Observation{Domains: []string{"bit.ly", "bit.ly"}, SendingNumber: "+15550000002", Day: "2024-10-02", Delivered: true})
	// undelivered contacts are ignored whatever they do
	observe(d, 5000, 0, Observation{Domains: []string{"a.org"}, SendingNumber: "+15550000001", Delivered: false})
	sigs := d.Signals()
	if len(sigs) != 1 {
		t.Fatalf("got %+v", sigs)
	}
	s := sigs[0]
	if s.Key != "bit.ly" || s.Dimension != DimensionLinkDomain || s.DeliveredContacts != 300 || s.Replied != 3 {
		t.Errorf("signal %+v", s)
	}
	if s.ReplyRate != 0.01 || s.BaselineReplyRate != 0.2 {
		t.Errorf("rates %v vs %v", s.ReplyRate, s.BaselineReplyRate)
	}
	for _, w := range []string{"300 contacts", "1.0%", "20.0%", "heuristic", "own domain", "provider"} {
		if !strings.Contains(s.Explanation, w) {
			t.Errorf("explanation lacks %q: %s", w, s.Explanation)
		}
	}
	st := d.Stats()
	if st.Contacts != 9300 || st.DeliveredContacts != 4300 || st.Replied != 803 {
		t.Errorf("stats %+v", st)
	}
}

func TestDetectorStaysQuiet(t *testing.T) {
	tests := []struct {
		name string
		add  func(d *Detector)
	}{
		{"too few contacts", func(d *Detector) {
			observe(d, 199, 0, Observation{Domains: []string{"bit.ly"}, Delivered: true})
		}},
		{"significant but small drop", func(d *Detector) {
			// 15% against 20%: real, but not half
			observe(d, 50000, 7500, Observation{Domains: []string{"bit.ly"}, Delivered: true})
		}},
		{"higher rate", func(d *Detector) {
			observe(d, 1000, 300, Observation{Domains: []string{"bit.ly"}, Delivered: true})
		}},
	}
	for _, tt := range tests {
		d := NewDetector(DefaultOptions())
		healthyBase(d)
		tt.add(d)
		if sigs := d.Signals(); len(sigs) != 0 {
			t.Errorf("%s: flagged %+v", tt.name, sigs)
		}
	}
	{
		// half the baseline, but 2 of 200 against 2% is no evidence (p 0.16)
		d := NewDetector(DefaultOptions())
		observe(d, 4000, 80, Observation{Domains: []string{"a.org"}, Delivered: true})
		observe(d, 200, 2, Observation{Domains: []string{"bit.ly"}, Delivered: true})
		if sigs := d.Signals(); len(sigs) != 0 {
			t.Errorf("half but not significant: flagged %+v", sigs)
		}
	}
	// a lone group has no baseline
	d := NewDetector(DefaultOptions())
	observe(d, 5000, 0, Observation{Domains: []string{"bit.ly"}, SendingNumber: "x", Day: "d", Delivered: true})
	if sigs := d.Signals(); len(sigs) != 0 || d.Stats().GroupsTested != 0 {
		t.Errorf("lone group: %+v, %+v", sigs, d.Stats())
	}
}

func TestDetectorOrderAndHolm(t *testing.T) {
	d := NewDetector(DefaultOptions())
	healthyBase(d)
	observe(d, 400, 2, Observation{Domains: []string{"z.example"}, SendingNumber: "+15550000009", Day: "2024-10-03", Delivered: true})
	observe(d, 400, 4, Observation{Domains: []string{"y.example"}, SendingNumber: "+15550000008", Day: "2024-10-03", Delivered: true})
	sigs := d.Signals()
	var got []string
	for _, s := range sigs {
		got = append(got, s.Dimension+":"+s.Key)
	}
	want := []string{"link-domain:z.example", "link-domain:y.example",
		"sending-number:+15550000009", "sending-number:+15550000008", "day:2024-10-03"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// Holm: the adjusted p-value is at least the raw one times one.
	for _, s := range sigs {
		if s.PValue <= 0 && s.DeliveredContacts < 1000 {
			t.Errorf("p-value %v for %s", s.PValue, s.Key)
		}
	}
}

func TestDetectorAlphaAndDrop(t *testing.T) {
	add := func(d *Detector) {
		healthyBase(d)
		observe(d, 300, 30, Observation{Domains: []string{"bit.ly"}, Delivered: true}) // 10% vs 20%
	}
	d := NewDetector(DefaultOptions())
	add(d)
	if len(d.Signals()) != 1 {
		t.Fatalf("default options should flag 10%% vs 20%% on 300: %+v", d.Signals())
	}
	strict := DefaultOptions()
	strict.MinRelativeDrop = 0.6
	d = NewDetector(strict)
	add(d)
	if len(d.Signals()) != 0 {
		t.Errorf("MinRelativeDrop 0.6 should not flag a 50%% drop")
	}
	strict = DefaultOptions()
	strict.Alpha = 1e-9
	d = NewDetector(strict)
	add(d)
	if len(d.Signals()) != 0 {
		t.Errorf("Alpha 1e-9 should not flag it")
	}
	strict = DefaultOptions()
	strict.MinDelivered = 301
	d = NewDetector(strict)
	add(d)
	if len(d.Signals()) != 0 {
		t.Errorf("MinDelivered 301 should not test 300")
	}
}

func TestDetectorDefaults(t *testing.T) {
	got := NewDetector(Options{Alpha: 2, MinRelativeDrop: 1}).Options()
	if got != DefaultOptions() {
		t.Errorf("got %+v", got)
	}
}

func TestDetectorMergeAddsUp(t *testing.T) {
	whole := NewDetector(DefaultOptions())
	healthyBase(whole)
	observe(whole, 300, 3, Observation{Domains: []string{"bit.ly"}, Delivered: true})

	a := NewDetector(DefaultOptions())
	healthyBase(a)
	b := a.Fork()
	observe(b, 300, 3, Observation{Domains: []string{"bit.ly"}, Delivered: true})
	a.Merge(b)
	if !reflect.DeepEqual(a.Signals(), whole.Signals()) || a.Stats() != whole.Stats() {
		t.Errorf("merged %+v\nwhole %+v", a.Signals(), whole.Signals())
	}
}

func TestDetectorGroupCap(t *testing.T) {
	o := DefaultOptions()
	o.MaxGroups = 2
	d := NewDetector(o)
	d.Observe(Observation{Domains: []string{"a.org", "b.org", "c.org"}, SendingNumber: "n", Delivered: true})
	if st := d.Stats(); st.GroupsDropped != 2 {
		t.Errorf("dropped %d, want 2", st.GroupsDropped)
	}
	e := d.Fork()
	e.Observe(Observation{Domains: []string{"a.org", "z.org"}, Delivered: true})
	d.Merge(e)
	if st := d.Stats(); st.GroupsDropped != 3 || st.DeliveredContacts != 2 {
		t.Errorf("after merge %+v", st)
	}
}

func TestSignalJSON(t *testing.T) {
	b, err := json.Marshal(Signal{Kind: KindSilentFiltering, Dimension: DimensionLinkDomain, Key: "promo.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"silent_filtering","dimension":"link-domain","key":"promo.example.net","delivered_contacts":0,"replied":0,"reply_rate":0,"baseline_reply_rate":0,"p_value":0,"explanation":""}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	if b, _ := json.Marshal(NewDetector(DefaultOptions()).Signals()); string(b) != "[]" {
		t.Errorf("no signals should be [], got %s", b)
	}
}

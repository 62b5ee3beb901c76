package summary

import (
	"maps"
	"testing"

	"github.com/spoke-status/spoke-status/internal/export"
)

// TestTallyStatuses checks that known statuses (counted without a map) and
// unknown ones (in a map made on the first) read back, merge and clone as
// one map did.
func TestTallyStatuses(t *testing.T) {
	statuses := append(knownStatuses[:], "", "BOUNCED", "delivered")
	a, b := NewTally(), NewTally()
	want := map[string]int64{}
	for i, st := range statuses {
		for range i + 1 {
			a.add(&export.Record{Status: st, PrimaryCode: "30007"})
		}
		b.add(&export.Record{Status: st})
		want[st] = int64(i + 2)
	}
	if a.otherStatuses == nil || NewTally().otherStatuses != nil {
		t.Fatal("the map of unknown statuses is not made on the first one only")
	}
	c := a.Clone()
	a.Merge(b)
	if got := a.ByStatus(); !maps.Equal(got, want) {
		t.Errorf("ByStatus %v, want %v", got, want)
	}
	for st, n := range want {
		if a.Status(st) != n {
			t.Errorf("Status(%q) = %d, want %d", st, a.Status(st), n)
		}
	}
	if a.Delivered() != 2 || a.Errored() != 3 || a.Codes["30007"] != 2 || a.Codes[""] != 1 {
		t.Errorf("delivered %d errored %d codes %v", a.Delivered(), a.Errored(), a.Codes)
	}
	if c.Status("BOUNCED") != int64(len(knownStatuses)+2) || c.Status("ERROR") != 2 {
		t.Errorf("the clone changed with its original: %v", c.ByStatus())
	}
	if len(NewTally().ByStatus()) != 0 {
		t.Error("an empty tally has statuses")
	}
}

// TestTallyCodesLazy checks that a tally without ERROR rows has no code
// map, and that merging one into it makes it.
func TestTallyCodesLazy(t *testing.T) {
	a := NewTally()
	a.add(&export.Record{Status: export.StatusDelivered})
	a.add(&export.Record{Inbound: true, Text: "hi"})
	if a.Codes != nil {
		t.Fatalf("codes %v without an ERROR row", a.Codes)
	}
	b := NewTally()
	b.add(&export.Record{Status: export.StatusError, PrimaryCode: "30003"})
	a.Merge(b)
	a.Merge(NewTally())
	if a.Codes["30003"] != 1 || len(a.Codes) != 1 {
		t.Errorf("codes %v", a.Codes)
	}
}

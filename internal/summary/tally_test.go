package summary

import (
	"fmt"
	"maps"
	"testing"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
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
			a.add(&export.Record{Status: st, PrimaryCode: "30007"}, classify.NotOptOut)
		}
		b.add(&export.Record{Status: st}, classify.NotOptOut)
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
	if a.Delivered() != 2 || a.Errored() != 3 || a.Code("30007") != 2 || a.Code("") != 1 {
		t.Errorf("delivered %d errored %d codes %v", a.Delivered(), a.Errored(), a.CodeMap())
	}
	if c.Status("BOUNCED") != int64(len(knownStatuses)+2) || c.Status("ERROR") != 2 {
		t.Errorf("the clone changed with its original: %v", c.ByStatus())
	}
	if len(NewTally().ByStatus()) != 0 {
		t.Error("an empty tally has statuses")
	}
}

// TestTallyCodes checks the codes of a tally as they go from none to one
// (no map) to several (a map), and back through merges and clones.
func TestTallyCodes(t *testing.T) {
	errorRow := func(code string) *export.Record {
		return &export.Record{Status: export.StatusError, PrimaryCode: code}
	}
	a := NewTally()
	a.add(&export.Record{Status: export.StatusDelivered}, classify.NotOptOut)
	a.add(&export.Record{Inbound: true, Text: "hi"}, classify.NotOptOut)
	if a.NumCodes() != 0 || a.CodeMap() != nil || a.Code("") != 0 {
		t.Fatalf("codes %v without an ERROR row", a.CodeMap())
	}
	a.add(errorRow("30003"), classify.NotOptOut)
	a.add(errorRow("30003"), classify.NotOptOut)
	if a.codes != nil || a.NumCodes() != 1 || a.Code("30003") != 2 || a.Code("30007") != 0 {
		t.Fatalf("one code: map %v, %v", a.codes, a.CodeMap())
	}
	one := a.Clone()
	b := NewTally()
	b.add(errorRow("30007"), classify.NotOptOut)
	a.Merge(b)          // one code into one code: a map
	a.Merge(NewTally()) // nothing
	a.add(errorRow(""), classify.NotOptOut)
	want := map[string]int64{"30003": 2, "30007": 1, "": 1}
	if !maps.Equal(a.CodeMap(), want) || a.NumCodes() != 3 || !maps.Equal(maps.Collect(a.Codes()), want) {
		t.Errorf("codes %v, want %v", a.CodeMap(), want)
	}
	if !maps.Equal(one.CodeMap(), map[string]int64{"30003": 2}) {
		t.Errorf("clone %v", one.CodeMap())
	}
	one.Merge(a) // a map into one code
	b.Merge(one)
	want = map[string]int64{"30003": 4, "30007": 2, "": 1}
	if !maps.Equal(b.CodeMap(), want) {
		t.Errorf("merged %v, want %v", b.CodeMap(), want)
	}
	for range b.Codes() {
		break // stopping early is allowed
	}
	if code, n, ok := TopCode(b.Codes()); !ok || code != "30003" || n != 4 {
		t.Errorf("top code %q %d %v", code, n, ok)
	}
}

// TestOptOutRejections counts the same opt-out rejections whether a tally
// has fewer codes than the classifier's opted-out list (every code is
// classified) or more (the list's codes are read), from raw code cells
// that are not normalized, under each provider.
func TestOptOutRejections(t *testing.T) {
	reg := mustRegistry(t)
	var some int64
	cells := []string{"21610", " 21610", "+21610", "21610.0", "40300", "4775", "30007", "-133", "", "abc"}
	for _, p := range []registry.Provider{"", registry.Twilio, registry.Telnyx, registry.Bandwidth, registry.Mixed} {
		cls := classify.New(reg, p)
		for _, n := range []int{1, 3, len(cells), len(cells) + 40} {
			tally := NewTally()
			for i := range n {
				cell := fmt.Sprint(100000 + i) // codes of no provider
				if i < len(cells) {
					cell = cells[i]
				}
				for range i%3 + 1 {
					tally.add(outbound(export.StatusError, cell, base), classify.NotOptOut)
				}
			}
			var want int64
			for code, c := range tally.Codes() {
				if code != "" && cls.Entry(code).Category == registry.OptedOut {
					want += c
				}
			}
			some += want
			if got := OptOutRejections(tally, cls); got != want {
				t.Errorf("provider %q, %d codes: %d opt-out rejections, want %d", p, tally.NumCodes(), got, want)
			}
		}
	}
	if some == 0 {
		t.Error("no opt-out rejection in any case: the test tests nothing")
	}
}

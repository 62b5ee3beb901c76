package export

import "testing"

// Each dialect's header row is detected as that dialect and has a column
// for each of its fields.
func TestHeaderOfIsDetected(t *testing.T) {
	for _, d := range []Dialect{StateVoicesV10, MoveOnV5, MoveOnLegacy, Rewired} {
		got, missing, ok := DetectDialect(HeaderOf(d))
		if !ok || got != d {
			t.Errorf("HeaderOf(%s) detected as %s (missing %v)", d, got, missing)
		}
		src := &Source{Header: HeaderOf(d)}
		if !src.Has(FieldContactNumber) || !src.Has(FieldSendStatus) {
			t.Errorf("HeaderOf(%s) lacks a contact number or send status", d)
		}
	}
	if HeaderOf(Empty) != nil {
		t.Error("an empty export has no header")
	}
}

package classify

import (
	"testing"
	"time"
)

// TestIsStuck pins "more than --stuck-after before as-of": exactly the
// threshold is still pending.
func TestIsStuck(t *testing.T) {
	asOf := time.Date(2024, 10, 1, 20, 0, 0, 0, time.UTC).UnixNano()
	tests := []struct {
		name string
		at   time.Duration // before asOf
		want bool
	}{
		{"an hour", time.Hour, false},
		{"exactly 2h", 2 * time.Hour, false},
		{"2h and a millisecond", 2*time.Hour + time.Millisecond, true},
		{"after as-of", -time.Minute, false},
	}
	for _, tt := range tests {
		if got := IsStuck(asOf-int64(tt.at), asOf, DefaultStuckAfter); got != tt.want {
			t.Errorf("%s: IsStuck = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestOptOutRuleOf pins each opt-out rule per dialect, with the cases that
// are none of them.
func TestOptOutRuleOf(t *testing.T) {
	tests := []struct {
		text, code string
		rewired    bool
		want       OptOutRule
	}{
		// Spoke's marker, whatever the text and dialect.
		{"please stop texting me", "-133", false, SpokeMarker},
		{"stop sending me these", "-133", false, SpokeMarker},
		{"STOP", "-133", true, SpokeMarker},
		// Rewired's own triggers, lower-cased and trimmed, in Rewired exports only.
		{"unsub", "", true, SpokeTrigger},
		{"  Stop To Quit \n", "", true, SpokeTrigger},
		{"stop2quit", "", true, SpokeTrigger},
		{"stop = quit", "", true, SpokeTrigger},
		{"STOP", "", true, SpokeTrigger},
		{"unsub", "", false, NotOptOut},
		{"stop to quit", "", false, NotOptOut},
		{"stop2quit", "", false, NotOptOut},
		// Carrier keywords, in every dialect (in Rewired, those that are not triggers).
		{"STOP", "", false, CarrierKeyword},
		{" Stop! ", "", false, CarrierKeyword},
		{"stop.", "", true, CarrierKeyword},
		{"revoke", "", true, CarrierKeyword},
		{"OptOut", "", false, CarrierKeyword},
		// None of them.
		{"stop sending me these", "", false, NotOptOut},
		{"stop sending me these", "", true, NotOptOut},
		{"unsubscribe me please", "", true, NotOptOut},
		{"who is this?", "", true, NotOptOut},
		{"", "", true, NotOptOut},
		{"stop", "-167", false, CarrierKeyword},
		{"thanks", "-1", false, NotOptOut},
	}
	for _, tt := range tests {
		if got := OptOutRuleOf(tt.text, tt.code, tt.rewired); got != tt.want {
			t.Errorf("OptOutRuleOf(%q, %q, rewired=%v) = %q, want %q", tt.text, tt.code, tt.rewired, got, tt.want)
		}
		if got := IsOptOutReply(tt.text, tt.code, tt.rewired); got != (tt.want != NotOptOut) {
			t.Errorf("IsOptOutReply(%q, %q, %v) = %v", tt.text, tt.code, tt.rewired, got)
		}
	}
}

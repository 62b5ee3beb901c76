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

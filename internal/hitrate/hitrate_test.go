package hitrate

import "testing"

// TestWindow: a window of mostly misses rests for Rest values, then the
// cache is looked in again; a window of a quarter or more hits does not.
func TestWindow(t *testing.T) {
	tests := []struct {
		name     string
		hitEvery int // every hitEvery-th lookup finds its value
		rests    bool
	}{
		{"all hits", 1, false},
		{"a quarter", 4, false},
		{"a fifth", 5, true},
		{"no hit", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var w Window
			for i := range Size {
				if w.Resting() {
					t.Fatalf("resting after %d lookups, within the first window", i)
				}
				w.Looked(tc.hitEvery > 0 && i%tc.hitEvery == 0)
			}
			resting := 0
			for w.Resting() {
				resting++
			}
			want := 0
			if tc.rests {
				want = Rest
			}
			if resting != want {
				t.Errorf("rested %d values, want %d", resting, want)
			}
			if w.Hits() != 0 {
				t.Errorf("Hits() = %d after a full window, want 0", w.Hits())
			}
		})
	}
}

// TestRestNow: the cache rests for Rest values, and the window starts over.
func TestRestNow(t *testing.T) {
	var w Window
	w.Looked(true)
	w.Looked(false)
	w.RestNow()
	if w.Left() != Rest || w.Lookups() != 0 || w.Hits() != 0 {
		t.Fatalf("left %d, lookups %d, hits %d; want %d, 0, 0", w.Left(), w.Lookups(), w.Hits(), Rest)
	}
	n := 0
	for w.Resting() {
		n++
	}
	if n != Rest {
		t.Fatalf("rested %d values, want %d", n, Rest)
	}
}

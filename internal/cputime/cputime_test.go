package cputime

import "testing"

func TestUsedGrowsWithWork(t *testing.T) {
	if Used() == 0 {
		t.Skip("no CPU time on this system (getrusage)")
	}
	before := Used()
	if before <= 0 {
		t.Fatalf("Used() = %d before any work, want the time the test binary used", before)
	}
	x := 0
	for Used()-before < 1e6 { // 1 ms of CPU
		x++
	}
	if x == 0 {
		t.Error("Used() moved without work")
	}
}

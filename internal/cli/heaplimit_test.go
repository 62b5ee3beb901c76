package cli

import (
	"runtime/debug"
	"testing"
)

func TestHeapLimitFor(t *testing.T) {
	tests := []struct {
		live, want int64
	}{
		{0, softMemoryLimit},
		{20 << 20, softMemoryLimit}, // 20+16 = 36 MiB: the floor
		{32 << 20, softMemoryLimit}, // 32+16 = 48 MiB
		{40 << 20, 60 << 20},        // 40+max(16, 20)
		{60 << 20, 90 << 20},        // reply tracking of ~6 M contacts
		{1 << 30, 1<<30 + 1<<29},
	}
	for _, tt := range tests {
		if got := heapLimitFor(tt.live); got != tt.want {
			t.Errorf("heapLimitFor(%d MiB) = %d MiB, want %d MiB", tt.live>>20, got>>20, tt.want>>20)
		}
	}
}

func TestLimitHeapWhileReadingRestores(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	env := Env{Getenv: func(string) string { return "" }}
	stop := limitHeapWhileReading(env)
	if got := debug.SetMemoryLimit(-1); got < softMemoryLimit {
		t.Errorf("limit while reading = %d, want at least %d", got, softMemoryLimit)
	}
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after stop = %d, want the previous %d", got, before)
	}
	// GOMEMLIMIT in the environment wins: nothing changes.
	env.Getenv = func(k string) string { return map[string]string{"GOMEMLIMIT": "1GiB"}[k] }
	limitHeapWhileReading(env)()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit with GOMEMLIMIT set = %d, want unchanged %d", got, before)
	}
}

// contacts leaves a fixed room above its live heap (the pointer-free
// table), not half of it again.
func TestTableHeapLimitFor(t *testing.T) {
	tests := []struct {
		live, want int64
	}{
		{0, softMemoryLimit},
		{16 << 20, softMemoryLimit},      // 16+32 = 48 MiB: the floor
		{160 << 20, 192 << 20},           // 1.85 M contacts
		{1 << 30, 1<<30 + tableHeadroom}, // not 1.5 GiB
	}
	for _, tt := range tests {
		if got := tableHeapLimitFor(tt.live); got != tt.want {
			t.Errorf("tableHeapLimitFor(%d MiB) = %d MiB, want %d MiB", tt.live>>20, got>>20, tt.want>>20)
		}
	}
}

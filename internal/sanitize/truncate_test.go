package sanitize

import "testing"

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"zero", "hello", 0, ""},
		{"negative", "hello", -3, ""},
		{"empty", "", 5, ""},
		{"shorter", "hi", 5, "hi"},
		{"exact", "hello", 5, "hello"},
		{"one over", "hello!", 5, "hell…"},
		{"n one", "hello", 1, "…"},
		{"n one exact", "h", 1, "h"},
		{"multibyte exact", "mañana", 6, "mañana"},
		{"multibyte cut", "mañana por la", 4, "mañ…"},
		{"cjk", "投票しましたか", 3, "投票…"},
		{"emoji", "🙂🙂🙂🙂", 3, "🙂🙂…"},
		{"combining mark not split", "cafe\u0301 ok", 5, "caf…"},
		{"combining mark whole kept", "cafe\u0301 ok", 6, "cafe\u0301…"},
		{"skin tone not split", "ok👍🏽 yes", 4, "ok…"},
		{"zwj sequence not split", "a👨\u200d👩\u200d👧b", 4, "a…"},
		{"variation selector", "ab❤\ufe0f!", 4, "ab…"},
		{"cut at start of cluster", "ab👍🏽c", 3, "ab…"},
		{"invalid bytes count as runes", "a\xff\xffb", 3, "a\xff…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Truncate(tt.in, tt.n); got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

func TestTruncateNoAllocWhenUnchanged(t *testing.T) {
	in := "short message"
	if allocs := testing.AllocsPerRun(100, func() { sink = Truncate(in, 40) }); allocs != 0 {
		t.Errorf("Truncate: %v allocs, want 0", allocs)
	}
}

package phone

import "testing"

var benchNumbers = []struct{ name, in string }{
	{"e164", "+15555550123"},
	{"formatted", "(555) 555-0123"},
	{"excel", "1.5555550123E+10"},
	{"international", "+447911123456"},
	{"invalid", "call me maybe"},
}

func BenchmarkNormalize(b *testing.B) {
	for _, c := range benchNumbers {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = Normalize(c.in)
			}
		})
	}
}

func BenchmarkRedact(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Redact("(555) 555-0123")
	}
}

func BenchmarkIsPhoneLike(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = IsPhoneLike("+1 (555) 555-0123")
	}
}

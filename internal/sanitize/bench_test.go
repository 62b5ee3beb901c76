package sanitize

import "testing"

var benchCells = []struct{ name, in string }{
	{"ascii", "Hi Ana! This is Sam with the campaign. Can we count on your vote on Tuesday?"},
	{"unicode", "¡Hola Zoë! ¿Podemos contar con tu voto el martes? 🙏🏽 投票しましたか"},
	{"dirty", "\x1b[31mHi\x1b[0m Ana\r\nclick \x1b]8;;http://x\x07here\x1b]8;;\x07 \u202eevil\x00"},
	{"formula", "=HYPERLINK(\"http://x\",\"click\")"},
	{"phone", "+1 (555) 555-0123"},
}

func BenchmarkCSVCell(b *testing.B) {
	for _, c := range benchCells {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = CSVCell(c.in)
			}
		})
	}
}

func BenchmarkTerminal(b *testing.B) {
	for _, c := range benchCells {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = Terminal(c.in)
			}
		})
	}
}

func BenchmarkTruncate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Truncate(benchCells[1].in, 30)
	}
}

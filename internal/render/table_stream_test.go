package render

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/spoke-status/spoke-status/internal/summary"
)

// TestTableRowsMatchesTablewriter checks that the drawing of TableRows
// without tablewriter is tablewriter's, on random tables: cells of
// numbers, words, wide and escaped characters, and cells it must leave to
// tablewriter (newlines, tabs, edge spaces).
func TestTableRowsMatchesTablewriter(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	words := []string{"", "1", "30007", "100.00% (20.65–100.00%)", "(other)", "unknown", "a|b", "*x*", "<b>", "日本語",
		"é", "✓", "other (300,000 groups)", "1,234,567", "Top category", "a_b", "`c`"}
	odd := []string{" lead", "trail ", "two\nlines", "tab\there", "\x1b[31mred"}
	for iter := range 400 {
		cols := make([]Column, 1+r.IntN(6))
		for i := range cols {
			cols[i] = Column{Title: words[r.IntN(len(words))] + []string{"Title", ""}[r.IntN(2)], Right: r.IntN(2) == 0}
		}
		rows := make([][]string, r.IntN(12))
		for i := range rows {
			rows[i] = make([]string, len(cols))
			for j := range rows[i] {
				rows[i][j] = words[r.IntN(len(words))] + words[r.IntN(len(words))]
				if iter%10 == 0 && r.IntN(8) == 0 {
					rows[i][j] = odd[r.IntN(len(odd))]
				}
			}
		}
		for _, style := range []Style{Text, Markdown} {
			var want, got bytes.Buffer
			if err := Table(&want, style, cols, rows); err != nil {
				t.Fatal(err)
			}
			if err := tableRows(&got, style, cols, len(rows), func(i int) []string { return rows[i] }, 0); err != nil {
				t.Fatal(err)
			}
			if want.String() != got.String() {
				t.Fatalf("table %d style %d differs\nwant:\n%s\ngot:\n%s", iter, style, want.String(), got.String())
			}
		}
	}
}

// TestTableRowsStreamsBigTables checks that the threshold decides, and
// that a big table is drawn by row(i) twice over, not held.
func TestTableRowsStreamsBigTables(t *testing.T) {
	cols := []Column{{Title: "Key"}, {Title: "Count", Right: true}}
	calls := 0
	row := func(i int) []string { calls++; return []string{strings.Repeat("k", i%7+3), Count(int64(i))} }
	var a, b bytes.Buffer
	if err := TableRows(&a, Text, cols, streamTableRows, row); err != nil {
		t.Fatal(err)
	}
	if calls != 2*streamTableRows {
		t.Errorf("row called %d times, want %d", calls, 2*streamTableRows)
	}
	rows := make([][]string, streamTableRows)
	for i := range rows {
		rows[i] = row(i)
	}
	if err := Table(&b, Text, cols, rows); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("a big table differs from tablewriter's")
	}
	if err := TableRows(&failingWriter{n: 1000}, Text, cols, streamTableRows, row); err == nil {
		t.Error("a failed write is not reported")
	}
}

func TestCellWidthMatchesTwwidth(t *testing.T) {
	var cw cellWidths
	for _, c := range []string{"", "30007", "12.5% (9.1–16.2%)", "(other)", "→", "日本", "e\u0301", "ok ✓", "x\ty", "a\x7fb", "💬 bit.ly",
		"–", "a–b—c‘’“”•…", "██▉▏", "█▌ x", "–\u0301", "‐\u200d‐", "\u2028", "\u202e–", "–日本", "\xff–"} {
		for range 2 { // looked up, then known
			if got, want := cw.of(c), twwidth.Width(c); got != want {
				t.Errorf("cellWidths.of(%q) = %d, twwidth.Width = %d", c, got, want)
			}
		}
	}
	for _, c := range []string{"", "a", "a b", " a", "a ", "x\ty", "é", "a\x7f"} {
		if got, want := plainASCII(c), plainCell(c) && !strings.ContainsFunc(c, func(r rune) bool { return r >= 0x7f }); got != want {
			t.Errorf("plainASCII(%q) = %v, want %v", c, got, want)
		}
	}
}

// BenchmarkGroupTable draws the 100,000 group rows of a broken export's
// --by code as a text table (measured, then streamed).
func BenchmarkGroupTable(b *testing.B) {
	rows := make([]summary.GroupRow, 100_000)
	for i := range rows {
		code := fmt.Sprint(100000 + i)
		rows[i] = summary.GroupRow{Key: summary.GroupKey{code}, Outbound: 1, Errored: 1, ErrorRate: 1,
			ErrorRateCI: summary.WilsonInterval(1, 1), TopCode: code, TopCodeCount: 1, TopCategory: "unknown"}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := GroupTable(io.Discard, "code", rows, Text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTableRowsThousand draws the 1,001 rows of --by code on a
// broken export (the default cap of codes and (other)) as a text table,
// by tablewriter (below the threshold, as before it was 256) and streamed:
// the cost streamTableRows weighs.
func BenchmarkTableRowsThousand(b *testing.B) {
	cols := []Column{{Title: "Code"}, {Title: "Outbound", Right: true}, {Title: "Errored", Right: true}, {Title: "Top category"}}
	rows := make([][]string, 1001)
	for i := range rows {
		rows[i] = []string{fmt.Sprint(100000 + i), "1", "1", "unknown"}
	}
	row := func(i int) []string { return rows[i] }
	for _, bc := range []struct {
		name       string
		streamFrom int
	}{{"tablewriter", len(rows) + 1}, {"streamed", streamTableRows}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := tableRows(io.Discard, Text, cols, len(rows), row, bc.streamFrom); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestStringArena checks that the strings an arena makes are their bytes,
// and stay so while it makes more: across blocks, of a block's size and
// past it, with the source buffer rewritten in between as GroupTable's is.
func TestStringArena(t *testing.T) {
	tests := []struct {
		name  string
		sizes []int
	}{
		{"small", []int{1, 5, 40, 0, 17}},
		{"fills blocks", slices.Repeat([]int{37}, 3*arenaBlock/37+5)},
		{"a block", []int{arenaBlock, 1, arenaBlock}},
		{"past a block", []int{3, arenaBlock + 9, 2, 2 * arenaBlock}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a stringArena
			var buf []byte
			var got, want []string
			for i, n := range tt.sizes {
				buf = buf[:0]
				for j := range n {
					buf = append(buf, byte('a'+(i+j)%26))
				}
				got = append(got, a.string(buf))
				want = append(want, string(buf))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("string %d (of %d bytes) changed: got %.20q…, want %.20q…", i, len(want[i]), got[i], want[i])
				}
			}
		})
	}
}

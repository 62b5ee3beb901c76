package render

import (
	"bufio"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// streamTableRows is the number of rows from which TableRows draws a
// table itself instead of handing every row to tablewriter, which holds
// them all (several copies) and takes 10 to 20 µs a row: seconds on
// 100,000 group rows of a broken export, and on the 1,001 rows of
// --by code on one 13 ms for 4 columns against 0.26 ms streamed
// (BenchmarkTableRowsThousand). Below it, tablewriter draws every table:
// the summary's own, and breakdowns of up to a few hundred groups.
const streamTableRows = 256

// TableRows writes n rows, made by row(i), under cols, as Table does. A
// table of streamTableRows rows or more whose cells are plain (one line,
// no tab, control character or edge space) is drawn in two passes over
// the rows, one for the column widths and one to write, holding one row at
// a time; the output is the same. The slice row returns is read before
// the next call: row may reuse it.
func TableRows(w io.Writer, style Style, cols []Column, n int, row func(i int) []string) error {
	return tableRows(w, style, cols, n, row, streamTableRows)
}

func tableRows(w io.Writer, style Style, cols []Column, n int, row func(i int) []string, streamFrom int) error {
	var cw cellWidths
	widths, plain := columnWidths(&cw, style, cols, n, row, streamFrom)
	if !plain {
		rows := make([][]string, n)
		for i := range n {
			rows[i] = slices.Clone(row(i))
		}
		return Table(w, style, cols, rows)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	sw := streamTable{w: bw, style: style, cols: cols, widths: widths, cw: &cw}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	sw.rule("┌", "┬", "┐")
	sw.line(titles)
	sw.separator()
	var cells []string // the line is written before the next is made
	for i := range n {
		cells = cleanCellsInto(cells, row(i), style, cols)
		sw.line(cells)
	}
	sw.rule("└", "┴", "┘")
	return bw.Flush()
}

// columnWidths returns the display width of each column, and false when
// the table is to be drawn by tablewriter: smaller than streamFrom rows, or
// holding a cell that is not plain.
func columnWidths(cw *cellWidths, style Style, cols []Column, n int, row func(i int) []string, streamFrom int) ([]int, bool) {
	if n < streamFrom || n == 0 {
		return nil, false
	}
	widths := make([]int, len(cols))
	// measure checks the cells are plain, but for the columns of figures
	// of a row (which are), and widens the columns to them.
	measure := func(cells []string, isRow bool) bool {
		if len(cells) != len(cols) {
			return false
		}
		for i, c := range cells {
			if !(isRow && cols[i].Figures) && !plainCell(c) {
				return false
			}
			widths[i] = max(widths[i], cw.of(c))
		}
		return true
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	if !measure(titles, false) {
		return nil, false
	}
	var cells []string // measured before the next row is made
	for i := range n {
		if cells = cleanCellsInto(cells, row(i), style, cols); !measure(cells, true) {
			return nil, false
		}
	}
	if style == Markdown && strings.Contains(strings.Join(titles, ""), "|") {
		return nil, false
	}
	for _, wd := range widths {
		if wd < 3 { // tablewriter's Markdown and empty columns have rules of their own
			return nil, false
		}
	}
	return widths, true
}

// cellWidths measures cells as twwidth.Width does, without its locked
// cache and rune tables for the common cell: printable ASCII (one column
// a byte) and a few punctuation and block runes that stand alone (the
// en dash of every interval cell, the bars of day tables), whose widths
// are looked up once a table. A big table measures every cell twice.
type cellWidths struct {
	// known holds 1 + twwidth.Width of each rune of the runes from
	// firstKnown, 0 until looked up.
	known [lastKnown - firstKnown + 1]int8
}

// The runes cellWidths adds up: General Punctuation's dashes, quotes,
// bullets and ellipses (U+2010 to U+2027, no joiner or mark among them)
// and the Block Elements (U+2580 to U+259F). A cell with any other
// non-ASCII rune is measured by twwidth whole.
const (
	firstKnown = 0x2010
	lastKnown  = 0x259f
)

func knownRune(r rune) bool {
	return 0x2010 <= r && r <= 0x2027 || 0x2580 <= r && r <= 0x259f
}

// of returns twwidth.Width(c).
func (cw *cellWidths) of(c string) int {
	width := 0
	for i := 0; i < len(c); {
		b := c[i]
		if 0x20 <= b && b < 0x7f {
			width++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(c[i:])
		if b < 0x80 || !knownRune(r) {
			return twwidth.Width(c)
		}
		k := &cw.known[r-firstKnown]
		if *k == 0 {
			*k = int8(1 + twwidth.Width(string(r)))
		}
		width += int(*k - 1)
		i += size
	}
	return width
}

// plainCell reports whether a cell is one line of printable text without
// edge spaces, which both drawings agree on.
// writeSpaces writes n spaces (none when n <= 0).
func writeSpaces(w *bufio.Writer, n int) {
	const spaces = "                                "
	for n > 0 {
		k := min(n, len(spaces))
		w.WriteString(spaces[:k])
		n -= k
	}
}

func plainCell(c string) bool {
	if plainASCII(c) {
		return true
	}
	if c != strings.TrimSpace(c) {
		return false
	}
	for _, r := range c {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u00a0' {
			return false
		}
	}
	return true
}

// plainASCII reports whether c is printable ASCII without edge spaces:
// a plain cell, told without decoding.
func plainASCII(c string) bool {
	if c == "" {
		return true
	}
	if c[0] == ' ' || c[len(c)-1] == ' ' {
		return false
	}
	for i := 0; i < len(c); i++ {
		if b := c[i]; b < 0x20 || b >= 0x7f {
			return false
		}
	}
	return true
}

// streamTable writes the lines of a table of known column widths in the
// drawing of rendererFor(style).
type streamTable struct {
	w      *bufio.Writer
	style  Style
	cols   []Column
	widths []int
	cw     *cellWidths
}

// rule writes a horizontal border (box style only).
func (t *streamTable) rule(left, mid, right string) {
	if t.style == Markdown {
		return
	}
	t.w.WriteString(left)
	for i, wd := range t.widths {
		if i > 0 {
			t.w.WriteString(mid)
		}
		t.w.WriteString(strings.Repeat("─", wd+2))
	}
	t.w.WriteString(right + "\n")
}

// separator writes the line between the header and the rows.
func (t *streamTable) separator() {
	if t.style != Markdown {
		t.rule("├", "┼", "┤")
		return
	}
	t.w.WriteString("|")
	for i, wd := range t.widths {
		if t.cols[i].Right {
			t.w.WriteString(strings.Repeat("-", wd+1) + ":|")
		} else {
			t.w.WriteString(":" + strings.Repeat("-", wd+1) + "|")
		}
	}
	t.w.WriteString("\n")
}

// line writes one row of cells, padded to the column widths.
func (t *streamTable) line(cells []string) {
	bar := "│"
	if t.style == Markdown {
		bar = "|"
	}
	t.w.WriteString(bar)
	for i, c := range cells {
		pad := t.widths[i] - t.cw.of(c)
		t.w.WriteByte(' ')
		if t.cols[i].Right {
			writeSpaces(t.w, pad)
			t.w.WriteString(c)
		} else {
			t.w.WriteString(c)
			writeSpaces(t.w, pad)
		}
		t.w.WriteByte(' ')
		t.w.WriteString(bar)
	}
	t.w.WriteString("\n")
}

package render

import (
	"bufio"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// streamTableRows is the number of rows from which TableRows draws a
// table itself instead of handing every row to tablewriter, which holds
// them all (several copies) and takes seconds on 100,000 group rows of a
// broken export. Below it, tablewriter draws every table.
const streamTableRows = 2000

// TableRows writes n rows, made by row(i), under cols, as Table does. A
// table of streamTableRows rows or more whose cells are plain (one line,
// no tab, control character or edge space) is drawn in two passes over
// the rows, one for the column widths and one to write, holding one row at
// a time; the output is the same.
func TableRows(w io.Writer, style Style, cols []Column, n int, row func(i int) []string) error {
	return tableRows(w, style, cols, n, row, streamTableRows)
}

func tableRows(w io.Writer, style Style, cols []Column, n int, row func(i int) []string, streamFrom int) error {
	widths, plain := columnWidths(style, cols, n, row, streamFrom)
	if !plain {
		rows := make([][]string, n)
		for i := range n {
			rows[i] = row(i)
		}
		return Table(w, style, cols, rows)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	sw := streamTable{w: bw, style: style, cols: cols, widths: widths}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	sw.rule("┌", "┬", "┐")
	sw.line(titles)
	sw.separator()
	var cells []string // the line is written before the next is made
	for i := range n {
		cells = cleanCellsInto(cells, row(i), style)
		sw.line(cells)
	}
	sw.rule("└", "┴", "┘")
	return bw.Flush()
}

// columnWidths returns the display width of each column, and false when
// the table is to be drawn by tablewriter: smaller than streamFrom rows, or
// holding a cell that is not plain.
func columnWidths(style Style, cols []Column, n int, row func(i int) []string, streamFrom int) ([]int, bool) {
	if n < streamFrom || n == 0 {
		return nil, false
	}
	widths := make([]int, len(cols))
	measure := func(cells []string) bool {
		if len(cells) != len(cols) {
			return false
		}
		for i, c := range cells {
			if !plainCell(c) {
				return false
			}
			widths[i] = max(widths[i], cellWidth(c))
		}
		return true
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	if !measure(titles) {
		return nil, false
	}
	var cells []string // measured before the next row is made
	for i := range n {
		if cells = cleanCellsInto(cells, row(i), style); !measure(cells) {
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

// plainCell reports whether a cell is one line of printable text without
// edge spaces, which both drawings agree on.
// cellWidth is twwidth.Width(c), without its cache and rune tables for
// the common cell of printable ASCII (one column a byte): a big table
// measures every cell twice.
func cellWidth(c string) int {
	for i := 0; i < len(c); i++ {
		if b := c[i]; b < 0x20 || b >= 0x7f {
			return twwidth.Width(c)
		}
	}
	return len(c)
}

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

// streamTable writes the lines of a table of known column widths in the
// drawing of rendererFor(style).
type streamTable struct {
	w      *bufio.Writer
	style  Style
	cols   []Column
	widths []int
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
		pad := t.widths[i] - cellWidth(c)
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

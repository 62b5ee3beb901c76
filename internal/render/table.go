// Package render writes results for people (tables, Markdown) and for
// programs (JSON). Tables show rates as percentages; JSON keeps fractions.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/spoke-status/spoke-status/internal/sanitize"
)

// Style selects how a table is drawn.
type Style int

const (
	// Text is a box-drawn table for terminals and logs.
	Text Style = iota
	// Markdown is a GitHub-flavoured Markdown table.
	Markdown
)

// Column is one table column.
type Column struct {
	Title string
	Right bool // right-align (numbers)
	// Figures marks a column whose cells the program writes from numbers
	// (counts, percentages): one line of printable text without edge
	// spaces, which cleaning for a terminal or Markdown leaves as is. A
	// big table drawn row by row skips cleaning and checking them.
	Figures bool
}

// Table writes rows under the given columns. Cells are made safe for a
// terminal first: export text may hold escape sequences that would move the
// cursor or retitle the window.
func Table(w io.Writer, style Style, cols []Column, rows [][]string) error {
	titles := make([]string, len(cols))
	aligns := make([]tw.Align, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
		aligns[i] = tw.AlignLeft
		if c.Right {
			aligns[i] = tw.AlignRight
		}
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(rendererFor(style)),
		tablewriter.WithConfig(tablewriter.Config{
			Header: tw.CellConfig{
				Formatting: tw.CellFormatting{AutoFormat: tw.Off},
				Alignment:  tw.CellAlignment{PerColumn: aligns},
			},
			Row: tw.CellConfig{
				Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone},
				Alignment:  tw.CellAlignment{PerColumn: aligns},
			},
		}),
	)
	t.Header(titles)
	for _, r := range rows {
		if err := t.Append(cleanCells(r, style)); err != nil {
			return err
		}
	}
	return t.Render()
}

func rendererFor(style Style) tw.Renderer {
	if style == Markdown {
		return renderer.NewMarkdown()
	}
	return renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)})
}

func cleanCells(r []string, style Style) []string {
	return cleanCellsInto(make([]string, 0, len(r)), r, style, nil)
}

// cleanCellsInto is cleanCells writing into buf[:0] (grown as needed):
// a table drawn row by row reuses one slice for its 100,000 rows. The
// cells of cols marked Figures are copied as they are.
func cleanCellsInto(buf, r []string, style Style, cols []Column) []string {
	out := append(buf[:0], r...)
	for i, c := range r {
		if i < len(cols) && cols[i].Figures {
			continue
		}
		c = sanitize.Terminal(c)
		if style == Markdown {
			c = EscapeMarkdown(c)
		}
		out[i] = c
	}
	return out
}

// Percent formats a fraction as a table percentage: 0.0512 → "5.12%".
func Percent(rate float64) string {
	return strconv.FormatFloat(rate*100, 'f', 2, 64) + "%"
}

// Count formats a count with thousands separators: 2154 → "2,154".
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// JSON writes v as indented JSON followed by a newline.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

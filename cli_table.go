package main

import (
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// cells measures text as a terminal shows it: a Chinese character or a
// full-width sign takes two columns, a Latin letter one. text/tabwriter
// counts runes instead, and a column of Chinese titles pushed every later
// column out of line. Ambiguous-width signs count as narrow whatever the
// locale, so that the output does not change with the environment.
var cells = &runewidth.Condition{EastAsianWidth: false}

// table lays out the commands' tables: each column as wide as its widest
// cell in terminal columns, two spaces between columns, the last column
// unpadded (as tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) did).
type table struct{ rows [][]string }

// header adds the header row, given as one translated sentence with its
// columns separated by tabs ("DATE\tTITLE\t…"), so that a translation
// keeps the columns.
func (t *table) header(tabbed string) { t.rows = append(t.rows, strings.Split(tabbed, "\t")) }

// row adds a row of cells.
func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// write prints the table to w.
func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], cells.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-cells.StringWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shorten cuts s to at most n terminal columns for a table, ending it with
// "…" when it was cut; -json has it whole.
func shorten(s string, n int) string { return cells.Truncate(s, n, "…") }

package main

import (
	"io"
	"strings"
	"unicode/utf8"
)

// minColumn is the narrowest a text column is cut to when a table does not
// fit: enough to recognise a name.
const minColumn = 6

// wideColumn is the width that long texts (names, descriptions, URLs) are
// cut to before anything else is.
const wideColumn = 20

// writeTable prints rows as aligned columns under upper-case headers,
// numbers right-aligned. With width > 0 the widest text columns are cut
// (ending in "…") until the table fits in width columns, or every text
// column is down to minColumn; columns that still do not fit are left out,
// and their keys returned.
func writeTable(w io.Writer, keys []string, rows []record, width int) (hidden []string, err error) {
	n := len(keys)
	cells := make([][]string, len(rows)+1)
	cells[0] = make([]string, n)
	for i, k := range keys {
		cells[0][i] = strings.ToUpper(k)
	}
	numeric := make([]bool, n)
	seen := make([]bool, n)
	for i := range numeric {
		numeric[i] = true
	}
	for r, row := range rows {
		cells[r+1] = make([]string, n)
		for i, f := range row {
			cells[r+1][i] = flatText(f.raw)
			if s := cellText(f.raw); s != "" {
				seen[i] = true
				numeric[i] = numeric[i] && isNumber(f.raw)
			}
		}
	}
	for i := range numeric {
		numeric[i] = numeric[i] && seen[i]
	}
	widths := columnWidths(cells, n)
	if width > 0 {
		fit(widths, columnWidths(cells[1:], n), numeric, width)
		// Columns that still do not fit are left out, rightmost first.
		keep := n
		for keep > 1 && tableWidth(widths[:keep]) > width {
			keep--
		}
		if keep < n {
			hidden = keys[keep:]
		}
		for i := range cells {
			cells[i] = cells[i][:keep]
		}
	}

	var b strings.Builder
	for _, row := range cells {
		var line strings.Builder
		for i, s := range row {
			s = cut(s, widths[i])
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(s))
			if i > 0 {
				line.WriteString("  ")
			}
			if numeric[i] {
				line.WriteString(pad + s)
			} else {
				line.WriteString(s + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err = io.WriteString(w, b.String())
	return hidden, err
}

func tableWidth(widths []int) int {
	total := 2 * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	return total
}

func columnWidths(cells [][]string, n int) []int {
	widths := make([]int, n)
	for _, row := range cells {
		for i, s := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
		}
	}
	return widths
}

// fit narrows columns until the table, with two spaces between columns,
// fits in width: first the widest text columns down to wideColumn, then
// headers that are wider than their column's values (down to the values,
// or minColumn), then text columns down to 12 and at last to minColumn.
func fit(widths, content []int, numeric []bool, width int) {
	total := tableWidth(widths)
	narrow := func(may func(i int) bool) {
		for total > width {
			widest := -1
			for i, w := range widths {
				if may(i) && (widest < 0 || w > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				return
			}
			widths[widest]--
			total--
		}
	}
	narrow(func(i int) bool { return !numeric[i] && widths[i] > wideColumn })
	narrow(func(i int) bool { return widths[i] > max(content[i], minColumn) })
	narrow(func(i int) bool { return !numeric[i] && widths[i] > wideColumn/2+2 })
	narrow(func(i int) bool { return !numeric[i] && widths[i] > minColumn })
}

// cut shortens s to at most w runes, marking the cut with "…".
func cut(s string, w int) string {
	if utf8.RuneCountInString(s) <= w {
		return s
	}
	if w <= 1 {
		return "…"
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:w-1]), " ") + "…"
}

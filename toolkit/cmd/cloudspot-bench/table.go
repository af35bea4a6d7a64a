package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// table is one Markdown table of results.
type table struct {
	title string
	head  []string
	rows  [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) print(w io.Writer) {
	fmt.Fprintf(w, "## %s\n\n| %s |\n|%s\n", t.title, strings.Join(t.head, " | "), strings.Repeat(" --- |", len(t.head)))
	for _, r := range t.rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
	}
	fmt.Fprintln(w)
}

func mb(b int64) string     { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }
func mbps(b float64) string { return fmt.Sprintf("%.0f", b/1e6) }
func rate(r float64) string { return fmt.Sprintf("%.0f", r) }
func pct(f float64) string  { return fmt.Sprintf("%.0f %%", 100*f) }
func dur(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

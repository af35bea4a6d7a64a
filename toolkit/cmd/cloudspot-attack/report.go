package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// print writes the table of calls and the comparison of the legitimate
// sign-ins with their unloaded baseline.
func (s *stats) print(w io.Writer, base []time.Duration, limits erp.SignInLimits) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "call\trequests\treq/s\tp50\tp99\tanswers\t")
	total := 0
	for _, c := range []call{signIn, permissions, artikels, klanten, guess} {
		ds := s.latencies[c]
		total += len(ds)
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t\n", c, len(ds), float64(len(ds))/s.elapsed.Seconds(),
			ms(percentile(ds, 0.50)), ms(percentile(ds, 0.99)), answers(s.statuses[c]))
	}
	fmt.Fprintf(tw, "all\t%d\t%.0f\t\t\t\t\n", total, float64(total)/s.elapsed.Seconds())
	tw.Flush()
	fmt.Fprintf(w, "\nlegitimate sign-in under attack: p50 %s, p99 %s; unloaded baseline p50 %s, p99 %s\n",
		ms(percentile(s.latencies[signIn], 0.50)), ms(percentile(s.latencies[signIn], 0.99)), ms(percentile(base, 0.50)), ms(percentile(base, 0.99)))
	fmt.Fprintf(w, "passwords the attacker had checked (401s): %d; its address's limit is %d per %s, each username's %d per %s from one address\n",
		s.statuses[guess]["401"], limits.PerAddress.Max, limits.PerAddress.Window, limits.PerPair.Max, limits.PerPair.Window)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

// answers lists the answers of a call by status, most frequent first.
func answers(m map[string]int) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int { return m[b] - m[a] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

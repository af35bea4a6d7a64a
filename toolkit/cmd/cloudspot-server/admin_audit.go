package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

func (a *admin) auditCmd() *cobra.Command {
	var (
		since, until, action, user string
		actor, company             string
		limit                      int
		asJSON                     bool
	)
	c := &cobra.Command{
		Use:   "audit",
		Short: "Show the audit log: sign-ins, throttling, tokens and admin changes",
		Long: `Show the audit log, oldest first: sign-ins (success and failure, with app and
client address), throttled sign-ins (at most one entry per address a minute),
user and company tokens issued and revoked, and every change made with the
admin commands and the web console, each with its actor (cli, or
console:USERNAME) and the company it concerns. It never holds a password or
a token; a failed sign-in names its username only when that user exists.
Entries are kept a year.`,
		Example: `  cloudspot-server admin audit --since 24h --action signin.
  cloudspot-server admin audit --user jan --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			f := erp.AuditFilter{Action: action, Username: user, Actor: actor, Company: company, Limit: limit}
			var err error
			if f.Since, err = parseWhen(since); err != nil {
				return usageError{fmt.Errorf("--since: %w", err)}
			}
			if f.Until, err = parseWhen(until); err != nil {
				return usageError{fmt.Errorf("--until: %w", err)}
			}
			es, err := a.svc.Audit(ctx, f)
			if err != nil {
				return err
			}
			if asJSON {
				return writeAuditJSON(a, es)
			}
			w := a.table()
			fmt.Fprintln(w, "TIME\tACTION\tACTOR\tCOMPANY\tUSER\tAPP\tADDRESS\tDETAIL")
			for _, e := range es {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.At.UTC().Format(time.RFC3339), e.Action, dash(e.Actor), dash(e.Company), dash(e.Username), dash(e.App), dash(e.Address), dash(e.Detail))
			}
			return w.Flush()
		}),
	}
	c.Flags().StringVar(&since, "since", "", "only entries from then on: a duration back from now (24h) or a time (2026-01-02T15:04:05Z)")
	c.Flags().StringVar(&until, "until", "", "only entries before then, as --since")
	c.Flags().StringVar(&action, "action", "", "only this action, or actions starting with a prefix ending in a dot (signin.)")
	c.Flags().StringVar(&user, "user", "", "only entries about this username")
	c.Flags().StringVar(&actor, "actor", "", "only changes made by this actor: cli (these commands) or console:USERNAME (a console user)")
	c.Flags().StringVar(&company, "company", "", "only entries about this company (its slug)")
	c.Flags().IntVar(&limit, "limit", 0, "only the newest N entries")
	c.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return c
}

// parseWhen reads a duration back from now or an RFC 3339 time; "" is no
// bound.
func parseWhen(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a duration (24h) nor a time (2026-01-02T15:04:05Z)", s)
	}
	return t, nil
}

func writeAuditJSON(a *admin, es []erp.AuditEvent) error {
	type entry struct {
		ID       int64  `json:"id"`
		At       string `json:"at"`
		Action   string `json:"action"`
		Username string `json:"username"`
		App      string `json:"app"`
		Address  string `json:"address"`
		Detail   string `json:"detail"`
		Actor    string `json:"actor"`
		Company  string `json:"company"`
	}
	out := make([]entry, len(es))
	for i, e := range es {
		out[i] = entry{e.ID, e.At.UTC().Format(time.RFC3339Nano), e.Action, e.Username, e.App, e.Address, e.Detail, e.Actor, e.Company}
	}
	return a.writeJSON(out)
}

// dash shows an empty cell as "-", and keeps a cell on one line.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

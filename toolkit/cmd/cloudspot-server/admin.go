package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
)

// admin holds what every admin command needs: the database flag and, once
// opened, the service on it.
type admin struct {
	e   *env
	db  string
	svc *erp.Service
}

func adminCmd(e *env) *cobra.Command {
	a := &admin{e: e}
	c := &cobra.Command{
		Use:   "admin",
		Short: "Manage companies, users, apps, permissions, tokens and data",
		Long: `Manage the server's data directly in its database (the server may be running).
Passwords are read from a no-echo prompt, or from the first line of standard
input when it is not a terminal; never from the command line.`,
	}
	e.dbFlag(c, &a.db)
	c.AddCommand(a.companyCmd(), a.userCmd(), a.appCmd(), a.grantCmd(true), a.grantCmd(false), a.tokenCmd(), a.importCmd(), a.categorieenCmd(), a.migrateDataCmd(), a.backupCmd(), a.demoCmd(), a.auditCmd(), a.consoleUserCmd())
	return c
}

// open opens the store and builds the service; commands call it in RunE so
// that --help never touches a database.
func (a *admin) open(ctx context.Context) (func(), error) {
	st, err := erpserver.OpenDB(ctx, a.db)
	if err != nil {
		return nil, err
	}
	svc, err := erpserver.NewService(ctx, erpserver.Config{Config: erp.Config{Store: st}})
	if err != nil {
		st.Close()
		return nil, err
	}
	a.svc = svc
	return func() { st.Close() }, nil
}

// runE wraps a command body with opening and closing the database.
func (a *admin) runE(fn func(ctx context.Context, args []string) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, args []string) error {
		closeDB, err := a.open(c.Context())
		if err != nil {
			return err
		}
		defer closeDB()
		// The audit log names the admin commands as the actor of what
		// they change.
		return fn(erp.WithActor(c.Context(), erp.CLIActor), args)
	}
}

// table is an aligned table on stdout. Its cells come from the database,
// and some from anyone who can reach the API (the app slug a client sent
// when signing in, a product's name): control characters in them are shown
// as escapes before they reach the administrator's terminal.
func (a *admin) table() *safeTable {
	return &safeTable{tabwriter.NewWriter(a.e.stdout, 0, 4, 2, ' ', 0)}
}

// safeTable is a tabwriter that is given only inert text: tabs separate
// cells, newlines end rows, and every other control is escaped.
type safeTable struct{ tw *tabwriter.Writer }

func (t *safeTable) Write(p []byte) (int, error) {
	if _, err := io.WriteString(t.tw, command.Visible(string(p), "\t\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (t *safeTable) Flush() error { return t.tw.Flush() }

// writeJSON prints v as indented JSON, inert on a terminal (see
// command.InertJSON).
func (a *admin) writeJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(a.e.stdout, command.InertJSON(string(b))+"\n")
	return err
}

// readPassword asks for a password without echo when stdin is a terminal
// (twice, to catch typos), and otherwise reads the first line of stdin.
func (a *admin) readPassword(prompt string) (string, error) {
	return a.readSecret(prompt, "passwords")
}

// readSecret reads what must not appear on a command line: without echo
// when stdin is a terminal (twice, to catch typos), and otherwise the first
// line of stdin. what names it in the plural, for the mismatch message.
func (a *admin) readSecret(prompt, what string) (string, error) {
	if f, ok := a.e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(a.e.stderr, "%s: ", prompt)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(a.e.stderr, "Again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.e.stderr)
		if err != nil {
			return "", err
		}
		if string(pw) != string(again) {
			return "", fmt.Errorf("the %s do not match", what)
		}
		return string(pw), nil
	}
	line, err := bufio.NewReader(a.e.stdin).ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", fmt.Errorf("reading from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// lastUsed is a token's "last used" column: "never" for a token nobody has
// used yet, which is the one an administrator may want to revoke.
func lastUsed(used bool, at time.Time) string {
	if !used {
		return "never"
	}
	return at.Format(time.DateTime)
}

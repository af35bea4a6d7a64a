package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/progress"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

// migrateDataCmd copies a whole installation into another database, the way
// a SQLite installation moves to PostgreSQL.
func (a *admin) migrateDataCmd() *cobra.Command {
	var from, to string
	var force bool
	c := &cobra.Command{
		Use:   "migrate-data --from SQLITE_FILE --to POSTGRES_URL",
		Short: "Copy all data (users, password and token hashes, catalogue) into another database",
		Long: `Copy everything from one database into another, typically from a SQLite file
to PostgreSQL: companies, users with their password hashes, apps and
permissions, grants, user and company tokens (as hashes) and the catalogue,
ids included. Users sign in with the same passwords and every token keeps
working on the new database.

The target's schema is created if needed. The copy is one transaction on the
target: it receives everything or nothing. A target that already holds data
is refused, unless --force, which deletes that data first. A source that a
running cloudspot-server uses is refused too: stop the servers first, so
that nothing they write during or after the copy is left behind.`,
		Example: `  cloudspot-server admin migrate-data --from /var/lib/cloudspot/erp.db --to 'postgres://cloudspot:secret@db.internal/cloudspot'`,
		Args:    exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			if from == to {
				return usageError{errors.New("migrate-data: --from and --to name the same database")}
			}
			if !postgres.IsURL(from) {
				// Opening a missing SQLite file would create an empty one.
				if _, err := os.Stat(erpserver.SQLitePath(from)); err != nil {
					return fmt.Errorf("the source database: %w", err)
				}
				// What a server writes after the copy read it would be lost.
				if busy, err := sqlite.InUse(erpserver.SQLitePath(from)); err != nil {
					return fmt.Errorf("the source database: %w", err)
				} else if busy {
					return fmt.Errorf("the source database %s is in use by a running cloudspot-server: stop it first, so that nothing it writes during or after the copy is lost (nothing was copied)", from)
				}
			}
			ctx := c.Context()
			src, err := erpserver.OpenDB(ctx, from)
			if err != nil {
				return fmt.Errorf("the source database: %w", err)
			}
			defer src.Close()
			if n, err := src.OtherSessions(ctx); err != nil {
				return fmt.Errorf("the source database: %w", err)
			} else if n > 0 {
				return fmt.Errorf("the source database has %d other open connections (a running cloudspot-server?): stop what uses it first, so that nothing written during or after the copy is lost (nothing was copied)", n)
			}
			dst, err := erpserver.OpenDB(ctx, to)
			if err != nil {
				return fmt.Errorf("the target database: %w", err)
			}
			defer dst.Close()
			m := progress.On(a.e.stderr, "copying", progress.Rows, 0)
			counts, err := sqlstore.Copy(ctx, src, dst, sqlstore.CopyOptions{Replace: force, Progress: func(done, total int64) {
				m.SetTotal(total)
				m.Set(done)
			}})
			m.Done()
			if err != nil {
				if erp.ErrorCode(err) == erp.EConflict {
					return fmt.Errorf("%w (nothing was copied; --force replaces the target's data)", err)
				}
				return fmt.Errorf("%w (nothing was copied)", err)
			}
			w := a.table()
			fmt.Fprintln(w, "TABLE\tROWS")
			total := 0
			for _, n := range counts {
				fmt.Fprintf(w, "%s\t%d\n", n.Table, n.Rows)
				total += n.Rows
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "copied %d rows from %s to %s\n", total, redactDSN(from), redactDSN(to))
			return nil
		},
	}
	c.Flags().StringVar(&from, "from", "", "the database to copy: a SQLite file path (or a postgres:// URL)")
	c.Flags().StringVar(&to, "to", "", "the database to fill: a postgres:// URL (or a SQLite file path)")
	c.MarkFlagRequired("from")
	c.MarkFlagRequired("to")
	c.Flags().BoolVar(&force, "force", false, "delete the target's data first instead of refusing a target that is not empty")
	return c
}

package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/progress"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

// backupCmd copies a SQLite database while the server runs.
func (a *admin) backupCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the SQLite database into FILE, consistently, while the server runs",
		Long: `Copy the SQLite database (--db) into the new file FILE while servers and
admin commands go on using it. The copy is one moment of the database: it
holds every change finished before the copy began and nothing of one
finished later (an import is in it whole or not at all). It is compact,
checked, readable by its owner only, and appears under its name only when
it is whole; a FILE that exists is refused.

To restore, stop the server and put the copy in the database's place
(remove the old file's -wal and -shm files with it).

On PostgreSQL, use PostgreSQL's own tools (pg_dump), as docs/deploy.md shows.`,
		Example: `  cloudspot-server admin backup --db /var/lib/cloudspot/cloudspot.db /var/backups/cloudspot-$(date +%F).db`,
		Args:    exactArgs(1, "the file to write the copy to"),
		RunE: func(c *cobra.Command, args []string) error {
			if postgres.IsURL(a.db) {
				return usageError{errors.New("backup copies a SQLite database; a PostgreSQL database is copied with pg_dump, such as: pg_dump --format=custom --file cloudspot.dump 'postgres://...' (see docs/deploy.md)")}
			}
			src := erpserver.SQLitePath(a.db)
			m := progress.On(a.e.stderr, "backing up "+src, progress.Bytes, 0)
			size, err := sqlite.Backup(c.Context(), src, args[0], func(done, total int64) {
				m.SetTotal(total)
				m.Set(done)
			})
			m.Done()
			switch {
			case errors.Is(err, sqlite.ErrExists):
				return usageError{fmt.Errorf("%s exists: choose a new name for the copy (nothing was written)", args[0])}
			case err != nil:
				return fmt.Errorf("%w (nothing was written to %s)", err, args[0])
			}
			fmt.Fprintf(a.e.stdout, "copied %s to %s (%s, checked)\n", src, args[0], progress.ByteCount(size))
			return nil
		},
	}
}

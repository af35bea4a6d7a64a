//go:build driverbench

package sqlite_test

// The cgo driver, for comparison only: the server itself ships the pure-Go
// one. Built with -tags driverbench; it needs CGO_ENABLED=1 and a C
// compiler (without cgo the driver is a stub that lacks its error types).

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

func init() {
	benchDrivers = append(benchDrivers, benchDriver{name: "mattn", open: openMattn})
}

// mattnDSN asks for the same pragmas as sqlite.DSN in this driver's syntax.
func mattnDSN(path string) string {
	return "file:" + strings.ReplaceAll(path, "?", "%3F") +
		"?_busy_timeout=10000&_journal_mode=WAL&_foreign_keys=1&_synchronous=NORMAL&_txlock=immediate"
}

// openMattn opens the same schema with the same migrations; only the error
// classification is rewritten for this driver's error type.
func openMattn(ctx context.Context, path string) (*sqlstore.Store, error) {
	db, err := sql.Open("sqlite3", mattnDSN(path))
	if err != nil {
		return nil, err
	}
	d, err := sqlite.Dialect()
	if err != nil {
		db.Close()
		return nil, err
	}
	d.IsUnique = func(err error) bool {
		var e sqlite3.Error
		return errors.As(err, &e) && (e.ExtendedCode == sqlite3.ErrConstraintUnique || e.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
	}
	d.IsUnavailable = func(err error) bool {
		var e sqlite3.Error
		return errors.As(err, &e) && (e.Code == sqlite3.ErrBusy || e.Code == sqlite3.ErrCantOpen || e.Code == sqlite3.ErrIoErr)
	}
	st, err := sqlstore.New(ctx, db, d)
	if err != nil {
		db.Close()
		return nil, err
	}
	return st, nil
}

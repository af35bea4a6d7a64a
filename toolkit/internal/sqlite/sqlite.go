// Package sqlite is the embedded storage engine: one file, no server to run.
// The database is opened in WAL mode with foreign keys on, a busy timeout,
// and write transactions that take the write lock when they begin, so that
// concurrent writers queue instead of failing with "database is locked";
// within one process the store queues its writes itself (OneWriter), so
// that the busy timeout only matters between processes.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Open opens (creating if needed, with its directory) the SQLite database at
// path and migrates it. The path ":memory:" gives a private in-memory
// database. The files are readable by their owner only (see prepareFiles).
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if path != ":memory:" {
		if err := prepareFiles(path); err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, err
	}
	if path == ":memory:" {
		// Each connection would otherwise get its own empty database.
		db.SetMaxOpenConns(1)
	}
	d, err := Dialect()
	if err != nil {
		return nil, err
	}
	s, err := sqlstore.New(ctx, db, d)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return s, nil
}

// DSN is the connection string for path with the pragmas every connection
// needs.
func DSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	if path == ":memory:" {
		return "file::memory:?" + q.Encode()
	}
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// uriPath escapes what a file: URI would read as other than the path: %
// starts an escape, ? the parameters and # a fragment, which would open
// another file (a test named "x#01" gets such a directory).
var uriPath = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23")

// Dialect describes SQLite to the shared store.
func Dialect() (sqlstore.Dialect, error) {
	ms, err := sqlstore.LoadMigrations(mustSub(migrationFiles, "migrations"))
	if err != nil {
		return sqlstore.Dialect{}, err
	}
	return sqlstore.Dialect{
		Name:            "sqlite",
		Migrations:      ms,
		OneWriter:       true,
		AnonymousParams: true,
		IsUnique: func(err error) bool {
			var e *sqlite.Error
			return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
		},
		IsUnavailable: func(err error) bool {
			var e *sqlite.Error
			return errors.As(err, &e) && (e.Code()&0xff == sqlite3.SQLITE_BUSY || e.Code()&0xff == sqlite3.SQLITE_CANTOPEN || e.Code()&0xff == sqlite3.SQLITE_IOERR)
		},
	}, nil
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

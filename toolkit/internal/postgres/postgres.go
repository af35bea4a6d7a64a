// Package postgres is the shared storage engine: several stateless
// cloudspot-server processes can serve one PostgreSQL database. It runs the
// same SQL as the SQLite engine (package sqlstore) through pgx on
// database/sql, with its own migrations for PostgreSQL's types.
//
// Lost connections heal by themselves: database/sql drops a dead connection
// and dials a new one on the next call. While the database cannot be reached,
// every call fails with erp.EUnavailable, which the HTTP API answers with 503.
package postgres

import (
	"context"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Pool limits of one process. Several processes share the server's
// max_connections (100 by default), so each keeps its pool modest.
const (
	maxOpenConns   = 20
	maxIdleConns   = 10
	connectTimeout = 10 * time.Second
)

// IsURL reports whether dsn names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a SQLite file.
func IsURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database that dsn names (a postgres:// URL or a
// key=value connection string, as libpq reads them) and brings its schema up
// to date. Processes starting together migrate one at a time. Without a
// connect_timeout in dsn, connecting gives up after 10 seconds.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the connection string, password and all.
		return nil, errors.New("postgres: the connection string is not valid")
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	if _, set := cfg.RuntimeParams["application_name"]; !set {
		// Names this process's sessions, so that migrate-data can tell
		// another process's from its own (see OtherSessions).
		cfg.RuntimeParams["application_name"] = applicationName()
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	d, err := Dialect()
	if err != nil {
		db.Close()
		return nil, err
	}
	s, err := sqlstore.New(ctx, db, d)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("opening PostgreSQL database %q on %s: %w", cfg.Database, cfg.Host, err)
	}
	return s, nil
}

// migrationLockKey is the advisory lock that migrations hold: an arbitrary
// number ("cloudspot" in ASCII, truncated) that other programs are unlikely
// to use.
const migrationLockKey = 0x636c6f7564

// Dialect describes PostgreSQL to the shared store.
func Dialect() (sqlstore.Dialect, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return sqlstore.Dialect{}, err
	}
	ms, err := sqlstore.LoadMigrations(sub)
	if err != nil {
		return sqlstore.Dialect{}, err
	}
	return sqlstore.Dialect{
		Name:          "postgres",
		Migrations:    ms,
		MigrationLock: "SELECT pg_advisory_xact_lock(" + strconv.Itoa(migrationLockKey) + ")",
		IsUnique:      IsUnique,
		IsUnavailable: IsUnavailable,
		ResetIdentity: func(table string) string {
			return `SELECT setval(pg_get_serial_sequence('` + table + `', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM ` + table
		},
		OtherSessions: `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
			AND application_name LIKE 'cloudspot-server/%' AND application_name <> '` + applicationName() + `'`,
		CopyRows: copyRows,
	}, nil
}

// copyRows writes values, len(cols) a row, into table with COPY, on the
// pgx connection under driverConn: pgx sends the rows as it encodes them,
// a few tens of kilobytes at a time, and the server stores them as they
// come.
func copyRows(ctx context.Context, driverConn any, table string, cols []string, values []any) error {
	c, ok := driverConn.(*stdlib.Conn)
	if !ok {
		return fmt.Errorf("postgres: COPY needs a pgx connection, not %T", driverConn)
	}
	n := len(cols)
	copied, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(len(values)/n, func(i int) ([]any, error) {
		return values[i*n : (i+1)*n : (i+1)*n], nil
	}))
	if err == nil && copied != int64(len(values)/n) {
		err = fmt.Errorf("postgres: COPY wrote %d rows of %d", copied, len(values)/n)
	}
	return err
}

// IsUnique reports a unique-constraint violation (SQLSTATE 23505).
func IsUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// IsUnavailable reports an error that says the database cannot be reached
// now, as opposed to one that refuses a statement: no connection could be
// made, the connection broke, or the server is shutting down, starting up or
// out of connection slots. A later call may well succeed.
func IsUnavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", // admin_shutdown
			"57P02", // crash_shutdown
			"57P03", // cannot_connect_now
			"53300": // too_many_connections
			return true
		}
		return strings.HasPrefix(pe.Code, "08") // connection exceptions
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) ||
		errors.As(err, &ne) ||
		errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// applicationName names the sessions of this process.
func applicationName() string { return "cloudspot-server/" + strconv.Itoa(os.Getpid()) }

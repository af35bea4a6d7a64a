// Package sqlstore implements erp.Store on database/sql. The SQL is written
// once, in the dialect that SQLite and PostgreSQL share (ON CONFLICT,
// RETURNING, and $1, $2, ... placeholders, which both drivers bind by
// number); an engine package (sqlite, postgres) supplies the connection,
// its migrations and how to read its errors.
//
// Each aggregate's store has a file of its own: accounts.go
// (erp.AccountStore), tokens.go (erp.TokenStore), catalogue.go with
// productdetails.go (erp.CatalogueStore), categories.go
// (erp.CategorieStore), signin.go (erp.SignInStore) and audit.go
// (erp.AuditStore). Each table's columns are listed once, in schema.go.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Dialect is what differs between engines.
type Dialect struct {
	Name string
	// Migrations are the engine's schema, applied in order.
	Migrations []Migration
	// MigrationLock, when set, runs first in each migration transaction
	// so that processes starting together migrate one at a time.
	MigrationLock string
	// IsUnique reports a unique-constraint violation.
	IsUnique func(error) bool
	// IsUnavailable reports that the database cannot be reached (as
	// opposed to refusing a statement).
	IsUnavailable func(error) bool
	// ResetIdentity, when set, returns the statement that makes table's
	// id generator continue after its largest id, needed after rows were
	// inserted with their ids given (see Copy). Engines that always
	// continue from the largest id leave it nil.
	ResetIdentity func(table string) string
	// AnonymousParams is set for an engine that takes "?" for each
	// parameter, bound in order. A statement of many rows (an import's
	// batch) is written with them there: SQLite looks each numbered
	// parameter ($1) up among all of a statement's when it binds it, which
	// costs as much per row as the statement has parameters.
	AnonymousParams bool
	// OtherSessions, when set, counts the sessions that other
	// cloudspot-server processes hold on the database.
	OtherSessions string
	// OneWriter says the engine writes one transaction at a time (SQLite):
	// the store then queues its writes in this process (see write), where
	// a waiter is woken as soon as the writer before it ends, rather than
	// in the engine's busy handler, which sleeps, retries and gives up at
	// its timeout however short each write is.
	OneWriter bool
	// CopyRows, when set, writes rows into table's columns through the
	// engine's bulk path (PostgreSQL's COPY) on driverConn, the driver's
	// connection (see sql.Conn.Raw), inside the transaction open on it.
	// values holds the rows one after another, len(cols) values each. An
	// import then copies each batch into a temporary table and upserts it
	// from there in one statement, rather than binding every value as a
	// parameter of a statement as long as the batch.
	CopyRows func(ctx context.Context, driverConn any, table string, cols []string, values []any) error
}

// Store is an erp.Store on a *sql.DB.
type Store struct {
	db *sql.DB
	d  Dialect
	// changes reads token_changes, once per token check: prepared once,
	// it skips parsing and planning on every call.
	changes *sql.Stmt
	// writer holds the one write in progress where the engine takes one
	// writer at a time (Dialect.OneWriter); nil otherwise.
	writer chan struct{}
}

var _ erp.Store = (*Store)(nil)

// New returns a Store on db after bringing its schema up to date. It refuses
// a database whose schema is newer than this program knows.
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s := &Store{db: db, d: d}
	if d.OneWriter {
		s.writer = make(chan struct{}, 1)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if hasWireColumns(d.Migrations) {
		if err := s.encodeAllPending(ctx); err != nil {
			return nil, fmt.Errorf("writing the wire JSON of the catalogue: %w", err)
		}
	}
	var err error
	if s.changes, err = db.PrepareContext(ctx, tokenChangesSQL); err != nil {
		return nil, s.wrap(err)
	}
	return s, nil
}

// DB returns the underlying database handle.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error {
	s.changes.Close()
	return s.db.Close()
}

// OtherSessions counts the sessions that other cloudspot-server processes
// hold on the database, where the engine can tell (0 where it cannot).
func (s *Store) OtherSessions(ctx context.Context) (int, error) {
	if s.d.OtherSessions == "" {
		return 0, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, s.d.OtherSessions).Scan(&n)
	return n, s.wrap(err)
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.wrap(s.db.PingContext(ctx)) }

// querier is what *sql.DB and *sql.Tx share, so helpers compose into
// transactions.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in a transaction, committing when it returns nil. It is a
// write (see write): fn must not call write or inTx itself.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.inConnTx(ctx, func(_ *sql.Conn, tx *sql.Tx) error { return fn(tx) })
}

// inConnTx is inTx for fn that also reaches the driver's connection of its
// transaction (Dialect.CopyRows), through conn.Raw.
func (s *Store) inConnTx(ctx context.Context, fn func(conn *sql.Conn, tx *sql.Tx) error) error {
	return s.write(ctx, func() error {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return s.wrap(err)
		}
		defer conn.Close()
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return s.wrap(err)
		}
		// Also when fn panics: conn.Close waits for the transaction.
		defer tx.Rollback()
		if err := fn(conn, tx); err != nil {
			return s.wrap(err)
		}
		return s.wrap(tx.Commit())
	})
}

// write runs fn, which writes to the database outside a transaction of
// inTx's, after the writes queued before it where the engine takes one
// writer at a time (Dialect.OneWriter); a caller whose ctx ends while it
// waits gets EUnavailable. Elsewhere it runs fn at once. Every write of
// the store goes through write or inTx, so that none waits in the engine.
func (s *Store) write(ctx context.Context, fn func() error) error {
	if s.writer != nil {
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return unavailable(ctx.Err())
		}
	}
	return fn()
}

// exec runs one writing statement outside a transaction (see write).
func (s *Store) exec(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	err = s.write(ctx, func() error {
		res, err = s.db.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// wrap translates engine errors into domain errors: no rows becomes
// ENotFound, a unique violation EConflict, a lost database EUnavailable.
// Domain errors pass through.
func (s *Store) wrap(err error) error {
	var de *erp.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return erp.Errorf(erp.ENotFound, "not found")
	case s.d.IsUnique != nil && s.d.IsUnique(err):
		return &wrapped{&erp.Error{Code: erp.EConflict, Message: "already exists"}, err}
	case s.d.IsUnavailable != nil && s.d.IsUnavailable(err):
		return unavailable(err)
	}
	return fmt.Errorf("%s: %w", s.d.Name, err)
}

// unavailable is the domain error of a database that cannot be reached in
// time, keeping its cause.
func unavailable(cause error) error {
	return &wrapped{&erp.Error{Code: erp.EUnavailable, Message: "The database is unavailable; try again shortly."}, cause}
}

// wrapped is a domain error that keeps its cause for logs.
type wrapped struct {
	domain *erp.Error
	cause  error
}

func (w *wrapped) Error() string   { return w.domain.Message + ": " + w.cause.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.domain, w.cause} }

func conflict(err error, format string, args ...any) error {
	if erp.ErrorCode(err) == erp.EConflict {
		return erp.Errorf(erp.EConflict, format, args...)
	}
	return err
}

// Times are stored as Unix microseconds: exact, sortable, and the same in
// every engine. The zero time is NULL.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromTS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// checkText refuses text that not every engine can store (PostgreSQL takes
// neither invalid UTF-8 nor NUL characters), so that each engine accepts
// the same data.
func checkText(args ...any) *erp.Error {
	for _, a := range args {
		if v, ok := a.(string); ok && (!utf8.ValidString(v) || strings.ContainsRune(v, 0)) {
			return erp.Errorf(erp.EInvalid, "text must be UTF-8 without NUL characters: %q", v)
		}
	}
	return nil
}

// lockRow serializes writers of related rows in engines whose transactions
// run side by side (PostgreSQL): a no-op update of a parent row (a user, a
// company) holds that row until commit, so a second writer waits and then
// sees the first one's work. It also says ENotFound when the row is missing.
func (s *Store) lockRow(ctx context.Context, tx *sql.Tx, table, col string, id int64) error {
	return s.exactlyOne(tx.ExecContext(ctx, `UPDATE `+table+` SET `+col+` = `+col+` WHERE id = $1`, id))
}

// insert adds v to t and sets *id to the new row's id.
func insert[T any](ctx context.Context, s *Store, q querier, t tableOf[T], v *T, id *int64) error {
	args, err := t.values(v, "id")
	if err != nil {
		return err
	}
	if err := checkText(args...); err != nil {
		return err
	}
	return s.wrap(q.QueryRowContext(ctx, t.insertSQL(), args...).Scan(id))
}

// one selects the single row of t that where (with args) finds.
func one[T any](ctx context.Context, s *Store, t tableOf[T], where string, args ...any) (*T, error) {
	v, err := t.scan(s.db.QueryRowContext(ctx, `SELECT `+t.list("")+` FROM `+t.name+` `+where, args...))
	return v, s.wrap(err)
}

// all selects every row of t that rest (a WHERE and ORDER BY, with args)
// finds.
func all[T any](ctx context.Context, s *Store, t tableOf[T], rest string, args ...any) ([]T, error) {
	return list(ctx, s, `SELECT `+t.list("")+` FROM `+t.name+` `+rest, args, t.scan)
}

// list runs a query and scans every row with scan.
func list[T any](ctx context.Context, s *Store, query string, args []any, scan func(scanner) (*T, error)) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, *v)
	}
	return out, s.wrap(rows.Err())
}

// exactlyOne turns an update of no row into ENotFound.
func (s *Store) exactlyOne(res sql.Result, err error) error {
	if err != nil {
		return s.wrap(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.wrap(err)
	} else if n == 0 {
		return erp.Errorf(erp.ENotFound, "not found")
	}
	return nil
}

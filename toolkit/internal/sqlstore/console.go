package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The web console's accounts and sessions (erp.ConsoleStore).

// CreateConsoleUser implements erp.ConsoleStore.
func (s *Store) CreateConsoleUser(ctx context.Context, u *erp.ConsoleUser) error {
	return conflict(s.write(ctx, func() error { return insert(ctx, s, s.db, consoleUserRows, u, &u.ID) }), "console user %q already exists", u.Username)
}

// ConsoleUserByUsername implements erp.ConsoleStore.
func (s *Store) ConsoleUserByUsername(ctx context.Context, username string) (*erp.ConsoleUser, error) {
	if err := checkText(username); err != nil {
		return nil, erp.Errorf(erp.ENotFound, "not found")
	}
	return one(ctx, s, consoleUserRows, `WHERE username = $1`, username)
}

// ConsoleUsers implements erp.ConsoleStore.
func (s *Store) ConsoleUsers(ctx context.Context) ([]erp.ConsoleUser, error) {
	return all(ctx, s, consoleUserRows, `ORDER BY username`)
}

// SetConsoleUserPassword implements erp.ConsoleStore.
func (s *Store) SetConsoleUserPassword(ctx context.Context, id int64, hash string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exactlyOne(tx.ExecContext(ctx, `UPDATE console_users SET password_hash = $1 WHERE id = $2`, hash, id)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE user_id = $1`, id)
		return err
	})
}

// SetConsoleUserActive implements erp.ConsoleStore.
func (s *Store) SetConsoleUserActive(ctx context.Context, id int64, active bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exactlyOne(tx.ExecContext(ctx, `UPDATE console_users SET active = $1 WHERE id = $2`, active, id)); err != nil {
			return err
		}
		if active {
			return nil
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE user_id = $1`, id)
		return err
	})
}

// CreateConsoleSession implements erp.ConsoleStore.
func (s *Store) CreateConsoleSession(ctx context.Context, cs *erp.ConsoleSession) error {
	return s.write(ctx, func() error { return insert(ctx, s, s.db, consoleSessionRows, cs, &cs.ID) })
}

// ConsoleSessionByHash implements erp.ConsoleStore: one statement reads the
// session and its user, so that every request of a signed-in browser costs
// one query.
func (s *Store) ConsoleSessionByHash(ctx context.Context, hash []byte) (*erp.ConsoleSession, *erp.ConsoleUser, error) {
	cs, u := new(erp.ConsoleSession), new(erp.ConsoleUser)
	var dest []any
	for _, f := range consoleSessionRows.fields {
		dest = append(dest, f.ref(cs))
	}
	for _, f := range consoleUserRows.fields {
		dest = append(dest, f.ref(u))
	}
	err := s.db.QueryRowContext(ctx, `SELECT `+consoleSessionRows.list("s")+`, `+consoleUserRows.list("u")+`
		FROM console_sessions s JOIN console_users u ON u.id = s.user_id WHERE s.hash = $1`, hash).Scan(dest...)
	if err != nil {
		return nil, nil, s.wrap(err)
	}
	return cs, u, nil
}

// TouchConsoleSession implements erp.ConsoleStore.
func (s *Store) TouchConsoleSession(ctx context.Context, id int64, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE console_sessions SET last_seen_at = $1 WHERE id = $2`, ts(at), id)
	return s.wrap(err)
}

// DeleteConsoleSession implements erp.ConsoleStore.
func (s *Store) DeleteConsoleSession(ctx context.Context, id int64) error {
	_, err := s.exec(ctx, `DELETE FROM console_sessions WHERE id = $1`, id)
	return s.wrap(err)
}

// PurgeConsoleSessions implements erp.ConsoleStore.
func (s *Store) PurgeConsoleSessions(ctx context.Context, idle, started time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM console_sessions WHERE last_seen_at < $1 OR created_at < $2`, ts(idle), ts(started))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return int(n), s.wrap(err)
}

// ConsoleKey implements erp.ConsoleStore.
func (s *Store) ConsoleKey(ctx context.Context, fresh []byte) ([]byte, error) {
	if _, err := s.exec(ctx, `INSERT INTO console_keys (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, fresh); err != nil {
		return nil, s.wrap(err)
	}
	var key []byte
	err := s.db.QueryRowContext(ctx, `SELECT secret FROM console_keys WHERE id = 1`).Scan(&key)
	return key, s.wrap(err)
}

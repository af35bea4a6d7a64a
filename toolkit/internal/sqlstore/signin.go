package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// countSignIn adds one attempt to a counter, starting a new window when the
// last one ended. The upsert is atomic in both engines: concurrent callers
// on one key queue on its row and each sees its own count.
const countSignIn = `INSERT INTO sign_in_counts (key, attempts, window_ends) VALUES ($1, 1, $2)
	ON CONFLICT (key) DO UPDATE SET
		attempts = CASE WHEN sign_in_counts.window_ends <= $3 THEN 1 ELSE sign_in_counts.attempts + 1 END,
		window_ends = CASE WHEN sign_in_counts.window_ends <= $3 THEN $2 ELSE sign_in_counts.window_ends END
	RETURNING attempts, window_ends`

// CountSignIn implements erp.SignInStore. All keys are counted in one
// transaction, rolled back when one of them is used up, so a refused
// attempt uses up nothing else.
func (s *Store) CountSignIn(ctx context.Context, keys []erp.LimitKey, now time.Time) (int, time.Time, error) {
	by, until := -1, time.Time{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, k := range keys {
			var attempts int
			var ends int64
			if err := tx.QueryRowContext(ctx, countSignIn, k.Key, ts(now.Add(k.Limit.Window)), ts(now)).Scan(&attempts, &ends); err != nil {
				return err
			}
			if attempts > k.Limit.Max {
				by, until = i, time.UnixMicro(ends).UTC()
				return errRollback
			}
		}
		return nil
	})
	if err == errRollback {
		return by, until, nil
	}
	return -1, time.Time{}, err
}

// errRollback ends a transaction without an error for the caller.
var errRollback = erp.Errorf(erp.EInternal, "rolled back")

// RefundSignIn implements erp.SignInStore.
func (s *Store) RefundSignIn(ctx context.Context, keys []erp.LimitKey, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			q := `UPDATE sign_in_counts SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0 AND window_ends > $2`
			if k.Forget {
				q = `DELETE FROM sign_in_counts WHERE key = $1 AND window_ends > $2`
			}
			if _, err := tx.ExecContext(ctx, q, k.Key, ts(now)); err != nil {
				return err
			}
		}
		return nil
	})
}

// PurgeSignInCounts implements erp.SignInStore.
func (s *Store) PurgeSignInCounts(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM sign_in_counts WHERE window_ends <= $1`, ts(now))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return int(n), s.wrap(err)
}

// RememberAddress implements erp.SignInStore: the address is added (or its
// time moved) and the user's addresses past the newest keep deleted, in one
// transaction.
func (s *Store) RememberAddress(ctx context.Context, a erp.KnownAddress, keep int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO known_addresses (key, user_id, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO UPDATE SET user_id = excluded.user_id, expires_at = excluded.expires_at`, a.Key, a.UserID, ts(a.Until)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM known_addresses WHERE user_id = $1 AND key NOT IN (
			SELECT key FROM known_addresses WHERE user_id = $1 ORDER BY expires_at DESC, key LIMIT $2)`, a.UserID, keep)
		return err
	})
}

// IsKnownAddress implements erp.SignInStore.
func (s *Store) IsKnownAddress(ctx context.Context, key []byte, now time.Time) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM known_addresses WHERE key = $1 AND expires_at > $2`, key, ts(now)).Scan(&n)
	return n > 0, s.wrap(err)
}

// PurgeKnownAddresses implements erp.SignInStore.
func (s *Store) PurgeKnownAddresses(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM known_addresses WHERE expires_at <= $1`, ts(now))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return int(n), s.wrap(err)
}

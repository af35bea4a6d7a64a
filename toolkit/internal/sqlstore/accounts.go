package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

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

// CreateCompany implements erp.Store.
func (s *Store) CreateCompany(ctx context.Context, c *erp.Company) error {
	return conflict(insert(ctx, s, s.db, companyRows, c, &c.ID), "company %q already exists", c.Slug)
}

// CompanyBySlug implements erp.Store.
func (s *Store) CompanyBySlug(ctx context.Context, slug string) (*erp.Company, error) {
	return one(ctx, s, companyRows, `WHERE slug = $1`, slug)
}

// CompanyByID implements erp.Store.
func (s *Store) CompanyByID(ctx context.Context, id int64) (*erp.Company, error) {
	return one(ctx, s, companyRows, `WHERE id = $1`, id)
}

// Companies implements erp.Store.
func (s *Store) Companies(ctx context.Context) ([]erp.Company, error) {
	return all(ctx, s, companyRows, `ORDER BY id`)
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

// CreateUser implements erp.Store.
func (s *Store) CreateUser(ctx context.Context, u *erp.User) error {
	return conflict(insert(ctx, s, s.db, userRows, u, &u.ID), "user %q already exists", u.Username)
}

// UserByUsername implements erp.Store.
func (s *Store) UserByUsername(ctx context.Context, username string) (*erp.User, error) {
	return one(ctx, s, userRows, `WHERE username = $1`, username)
}

// UserByID implements erp.Store.
func (s *Store) UserByID(ctx context.Context, id int64) (*erp.User, error) {
	return one(ctx, s, userRows, `WHERE id = $1`, id)
}

// Users implements erp.Store.
func (s *Store) Users(ctx context.Context) ([]erp.User, error) {
	return all(ctx, s, userRows, `ORDER BY username`)
}

// SetUserPassword implements erp.Store.
func (s *Store) SetUserPassword(ctx context.Context, userID int64, hash string) error {
	return s.exactlyOne(s.db.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID))
}

// SetUserActive implements erp.Store.
func (s *Store) SetUserActive(ctx context.Context, userID int64, active bool, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exactlyOne(tx.ExecContext(ctx, `UPDATE users SET active = $1 WHERE id = $2`, active, userID)); err != nil {
			return err
		}
		if active {
			return nil
		}
		_, err := revokeUserTokens(ctx, tx, userID, now)
		return err
	})
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

// CreateApp implements erp.Store.
func (s *Store) CreateApp(ctx context.Context, a *erp.App) error {
	return conflict(insert(ctx, s, s.db, appRows, a, &a.ID), "app %q already exists", a.Slug)
}

// AppBySlug implements erp.Store.
func (s *Store) AppBySlug(ctx context.Context, slug string) (*erp.App, error) {
	return one(ctx, s, appRows, `WHERE slug = $1`, slug)
}

// Apps implements erp.Store.
func (s *Store) Apps(ctx context.Context) ([]erp.App, error) {
	return all(ctx, s, appRows, `ORDER BY slug`)
}

// CreatePermission implements erp.Store.
func (s *Store) CreatePermission(ctx context.Context, p *erp.Permission) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if p.ParentID != 0 {
			var appID int64
			err := tx.QueryRowContext(ctx, `SELECT app_id FROM permissions WHERE id = $1`, p.ParentID).Scan(&appID)
			if err == sql.ErrNoRows || (err == nil && appID != p.AppID) {
				return erp.Errorf(erp.EInvalid, "the parent permission is not in the same app")
			} else if err != nil {
				return err
			}
		}
		return conflict(insert(ctx, s, tx, permissionRows, p, &p.ID), "permission %q already exists", p.Slug)
	})
}

// PermissionBySlug implements erp.Store.
func (s *Store) PermissionBySlug(ctx context.Context, slug string) (*erp.Permission, error) {
	return one(ctx, s, permissionRows, `WHERE slug = $1`, slug)
}

// Permissions implements erp.Store. Parents are created before their
// children, so id order puts them first.
func (s *Store) Permissions(ctx context.Context, appID int64) ([]erp.Permission, error) {
	return all(ctx, s, permissionRows, `WHERE app_id = $1 ORDER BY id`, appID)
}

// Grant implements erp.Store.
func (s *Store) Grant(ctx context.Context, userID, permissionID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		// Holding the user keeps a concurrent Revoke of the parent from
		// slipping between the check below and the insert.
		if err := s.lockRow(ctx, tx, "users", "active", userID); err != nil {
			return err
		}
		var parent sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT parent_id FROM permissions WHERE id = $1`, permissionID).Scan(&parent); err != nil {
			return err
		}
		if parent.Valid {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM grants WHERE user_id = $1 AND permission_id = $2`, userID, parent.Int64).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				var slug string
				if err := tx.QueryRowContext(ctx, `SELECT slug FROM permissions WHERE id = $1`, parent.Int64).Scan(&slug); err != nil {
					return err
				}
				return erp.Errorf(erp.EInvalid, "grant %q first: a permission can be granted only with its parent", slug)
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO grants (user_id, permission_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, userID, permissionID)
		return err
	})
}

// Revoke implements erp.Store.
func (s *Store) Revoke(ctx context.Context, userID, permissionID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, "users", "active", userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE sub(id) AS (
				SELECT CAST($1 AS BIGINT)
				UNION ALL SELECT p.id FROM permissions p JOIN sub ON p.parent_id = sub.id)
			DELETE FROM grants WHERE user_id = $2 AND permission_id IN (SELECT id FROM sub)`, permissionID, userID)
		return err
	})
}

// Granted implements erp.Store.
func (s *Store) Granted(ctx context.Context, userID, appID int64) ([]erp.Permission, error) {
	return list(ctx, s, `SELECT `+permissionRows.list("p")+` FROM permissions p JOIN grants g ON g.permission_id = p.id
		WHERE g.user_id = $1 AND p.app_id = $2 ORDER BY p.id`, []any{userID, appID}, permissionRows.scan)
}

package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// CreateCompany implements erp.Store.
func (s *Store) CreateCompany(ctx context.Context, c *erp.Company) error {
	if err := checkText(c.Slug, c.Name); err != nil {
		return err
	}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO companies (slug, name, created_at) VALUES (?, ?, ?) RETURNING id`),
		c.Slug, c.Name, ts(c.CreatedAt)).Scan(&c.ID)
	return conflict(s.wrap(err), "company %q already exists", c.Slug)
}

const companyCols = `id, slug, name, created_at`

func scanCompany(row interface{ Scan(...any) error }) (*erp.Company, error) {
	var c erp.Company
	var created sql.NullInt64
	if err := row.Scan(&c.ID, &c.Slug, &c.Name, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = fromTS(created)
	return &c, nil
}

// CompanyBySlug implements erp.Store.
func (s *Store) CompanyBySlug(ctx context.Context, slug string) (*erp.Company, error) {
	c, err := scanCompany(s.db.QueryRowContext(ctx, s.q(`SELECT `+companyCols+` FROM companies WHERE slug = ?`), slug))
	return c, s.wrap(err)
}

// CompanyByID implements erp.Store.
func (s *Store) CompanyByID(ctx context.Context, id int64) (*erp.Company, error) {
	c, err := scanCompany(s.db.QueryRowContext(ctx, s.q(`SELECT `+companyCols+` FROM companies WHERE id = ?`), id))
	return c, s.wrap(err)
}

// Companies implements erp.Store.
func (s *Store) Companies(ctx context.Context) ([]erp.Company, error) {
	return list(ctx, s, `SELECT `+companyCols+` FROM companies ORDER BY id`, nil, scanCompany)
}

// list runs a query and scans every row with scan.
func list[T any](ctx context.Context, s *Store, query string, args []any, scan func(interface{ Scan(...any) error }) (*T, error)) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
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
	if err := checkText(u.Username, u.PasswordHash, u.FirstName, u.LastName, u.Email); err != nil {
		return err
	}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO users (username, password_hash, first_name, last_name, email, company_id, active, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.Username, u.PasswordHash, u.FirstName, u.LastName, u.Email, u.CompanyID, u.Active, ts(u.CreatedAt)).Scan(&u.ID)
	return conflict(s.wrap(err), "user %q already exists", u.Username)
}

const userCols = `id, username, password_hash, first_name, last_name, email, company_id, active, created_at`

func scanUser(row interface{ Scan(...any) error }) (*erp.User, error) {
	var u erp.User
	var created sql.NullInt64
	if err := row.Scan(&u.ID, &u.Username, &u.PasswordHash, &u.FirstName, &u.LastName, &u.Email, &u.CompanyID, &u.Active, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = fromTS(created)
	return &u, nil
}

// UserByUsername implements erp.Store.
func (s *Store) UserByUsername(ctx context.Context, username string) (*erp.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE username = ?`), username))
	return u, s.wrap(err)
}

// UserByID implements erp.Store.
func (s *Store) UserByID(ctx context.Context, id int64) (*erp.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
	return u, s.wrap(err)
}

// Users implements erp.Store.
func (s *Store) Users(ctx context.Context) ([]erp.User, error) {
	return list(ctx, s, `SELECT `+userCols+` FROM users ORDER BY username`, nil, scanUser)
}

// SetUserPassword implements erp.Store.
func (s *Store) SetUserPassword(ctx context.Context, userID int64, hash string) error {
	return s.exactlyOne(s.db.ExecContext(ctx, s.q(`UPDATE users SET password_hash = ? WHERE id = ?`), hash, userID))
}

// SetUserActive implements erp.Store.
func (s *Store) SetUserActive(ctx context.Context, userID int64, active bool, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exactlyOne(tx.ExecContext(ctx, s.q(`UPDATE users SET active = ? WHERE id = ?`), active, userID)); err != nil {
			return err
		}
		if active {
			return nil
		}
		_, err := revokeUserTokens(ctx, s, tx, userID, now)
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
	if err := checkText(a.Slug, a.Name); err != nil {
		return err
	}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO apps (slug, name, created_at) VALUES (?, ?, ?) RETURNING id`),
		a.Slug, a.Name, ts(a.CreatedAt)).Scan(&a.ID)
	return conflict(s.wrap(err), "app %q already exists", a.Slug)
}

func scanApp(row interface{ Scan(...any) error }) (*erp.App, error) {
	var a erp.App
	var created sql.NullInt64
	if err := row.Scan(&a.ID, &a.Slug, &a.Name, &created); err != nil {
		return nil, err
	}
	a.CreatedAt = fromTS(created)
	return &a, nil
}

// AppBySlug implements erp.Store.
func (s *Store) AppBySlug(ctx context.Context, slug string) (*erp.App, error) {
	a, err := scanApp(s.db.QueryRowContext(ctx, s.q(`SELECT id, slug, name, created_at FROM apps WHERE slug = ?`), slug))
	return a, s.wrap(err)
}

// Apps implements erp.Store.
func (s *Store) Apps(ctx context.Context) ([]erp.App, error) {
	return list(ctx, s, `SELECT id, slug, name, created_at FROM apps ORDER BY slug`, nil, scanApp)
}

// CreatePermission implements erp.Store.
func (s *Store) CreatePermission(ctx context.Context, p *erp.Permission) error {
	if err := checkText(p.Slug, p.Label); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if p.ParentID != 0 {
			var appID int64
			err := tx.QueryRowContext(ctx, s.q(`SELECT app_id FROM permissions WHERE id = ?`), p.ParentID).Scan(&appID)
			if err == sql.ErrNoRows || (err == nil && appID != p.AppID) {
				return erp.Errorf(erp.EInvalid, "the parent permission is not in the same app")
			} else if err != nil {
				return err
			}
		}
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO permissions (app_id, slug, label, parent_id) VALUES (?, ?, ?, ?) RETURNING id`),
			p.AppID, p.Slug, p.Label, nullID(p.ParentID)).Scan(&p.ID)
		return conflict(s.wrap(err), "permission %q already exists", p.Slug)
	})
}

func scanPermission(row interface{ Scan(...any) error }) (*erp.Permission, error) {
	var p erp.Permission
	var parent sql.NullInt64
	if err := row.Scan(&p.ID, &p.AppID, &p.Slug, &p.Label, &parent); err != nil {
		return nil, err
	}
	p.ParentID = parent.Int64
	return &p, nil
}

const permCols = `p.id, p.app_id, p.slug, p.label, p.parent_id`

// PermissionBySlug implements erp.Store.
func (s *Store) PermissionBySlug(ctx context.Context, slug string) (*erp.Permission, error) {
	p, err := scanPermission(s.db.QueryRowContext(ctx, s.q(`SELECT `+permCols+` FROM permissions p WHERE p.slug = ?`), slug))
	return p, s.wrap(err)
}

// Permissions implements erp.Store. Parents are created before their
// children, so id order puts them first.
func (s *Store) Permissions(ctx context.Context, appID int64) ([]erp.Permission, error) {
	return list(ctx, s, `SELECT `+permCols+` FROM permissions p WHERE p.app_id = ? ORDER BY p.id`, []any{appID}, scanPermission)
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
		if err := tx.QueryRowContext(ctx, s.q(`SELECT parent_id FROM permissions WHERE id = ?`), permissionID).Scan(&parent); err != nil {
			return err
		}
		if parent.Valid {
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM grants WHERE user_id = ? AND permission_id = ?`), userID, parent.Int64).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				var slug string
				if err := tx.QueryRowContext(ctx, s.q(`SELECT slug FROM permissions WHERE id = ?`), parent.Int64).Scan(&slug); err != nil {
					return err
				}
				return erp.Errorf(erp.EInvalid, "grant %q first: a permission can be granted only with its parent", slug)
			}
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO grants (user_id, permission_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), userID, permissionID)
		return err
	})
}

// Revoke implements erp.Store.
func (s *Store) Revoke(ctx context.Context, userID, permissionID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, "users", "active", userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`WITH RECURSIVE sub(id) AS (
				SELECT CAST(? AS BIGINT)
				UNION ALL SELECT p.id FROM permissions p JOIN sub ON p.parent_id = sub.id)
			DELETE FROM grants WHERE user_id = ? AND permission_id IN (SELECT id FROM sub)`), permissionID, userID)
		return err
	})
}

// Granted implements erp.Store.
func (s *Store) Granted(ctx context.Context, userID, appID int64) ([]erp.Permission, error) {
	return list(ctx, s, `SELECT `+permCols+` FROM permissions p JOIN grants g ON g.permission_id = p.id
		WHERE g.user_id = ? AND p.app_id = ? ORDER BY p.id`, []any{userID, appID}, scanPermission)
}

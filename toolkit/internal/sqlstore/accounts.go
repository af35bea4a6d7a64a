package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The accounts: companies, users, apps with their permission trees, and
// grants (erp.AccountStore).

// CreateCompany implements erp.AccountStore.
func (s *Store) CreateCompany(ctx context.Context, c *erp.Company) error {
	return conflict(s.write(ctx, func() error { return insert(ctx, s, s.db, companyRows, c, &c.ID) }), "company %q already exists", c.Slug)
}

// CompanyBySlug implements erp.AccountStore.
func (s *Store) CompanyBySlug(ctx context.Context, slug string) (*erp.Company, error) {
	return one(ctx, s, companyRows, `WHERE slug = $1`, slug)
}

// CompanyByID implements erp.AccountStore.
func (s *Store) CompanyByID(ctx context.Context, id int64) (*erp.Company, error) {
	return one(ctx, s, companyRows, `WHERE id = $1`, id)
}

// Companies implements erp.AccountStore.
func (s *Store) Companies(ctx context.Context) ([]erp.Company, error) {
	return all(ctx, s, companyRows, `ORDER BY id`)
}

// SetCompanyUID implements erp.AccountStore.
func (s *Store) SetCompanyUID(ctx context.Context, companyID int64, uid string) error {
	if err := checkText(uid); err != nil {
		return err
	}
	return conflict(s.exactlyOne(s.exec(ctx, `UPDATE companies SET uid = $1 WHERE id = $2`, uid, companyID)),
		"company uid %q is another company's", uid)
}

// DeleteCompany implements erp.AccountStore. Rows that refer to others go first.
func (s *Store) DeleteCompany(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM grants WHERE user_id IN (SELECT id FROM users WHERE company_id = $1)`,
			`DELETE FROM user_tokens WHERE user_id IN (SELECT id FROM users WHERE company_id = $1)`,
			`DELETE FROM known_addresses WHERE user_id IN (SELECT id FROM users WHERE company_id = $1)`,
			`DELETE FROM users WHERE company_id = $1`,
			`DELETE FROM company_tokens WHERE company_id = $1`,
			`DELETE FROM product_categories WHERE product_id IN (SELECT id FROM products WHERE company_id = $1)`,
			`DELETE FROM product_details WHERE product_id IN (SELECT id FROM products WHERE company_id = $1)`,
			`DELETE FROM products WHERE company_id = $1`,
			// One statement: a child's reference to its parent is
			// checked when it ends.
			`DELETE FROM categories WHERE company_id = $1`,
			`DELETE FROM clients WHERE company_id = $1`,
			`DELETE FROM catalogue_stamps WHERE company_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return s.exactlyOne(tx.ExecContext(ctx, `DELETE FROM companies WHERE id = $1`, id))
	})
}

// CreateUser implements erp.AccountStore.
func (s *Store) CreateUser(ctx context.Context, u *erp.User) error {
	return conflict(s.write(ctx, func() error { return insert(ctx, s, s.db, userRows, u, &u.ID) }), "user %q already exists", u.Username)
}

// UserByUsername implements erp.AccountStore.
func (s *Store) UserByUsername(ctx context.Context, username string) (*erp.User, error) {
	return one(ctx, s, userRows, `WHERE username = $1`, username)
}

// UserByID implements erp.AccountStore.
func (s *Store) UserByID(ctx context.Context, id int64) (*erp.User, error) {
	return one(ctx, s, userRows, `WHERE id = $1`, id)
}

// Users implements erp.AccountStore.
func (s *Store) Users(ctx context.Context) ([]erp.User, error) {
	return all(ctx, s, userRows, `ORDER BY username`)
}

// SetUserPassword implements erp.AccountStore.
func (s *Store) SetUserPassword(ctx context.Context, userID int64, hash string) error {
	return s.exactlyOne(s.exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID))
}

// SetUserPin implements erp.AccountStore.
func (s *Store) SetUserPin(ctx context.Context, userID int64, pin string) error {
	if err := checkText(pin); err != nil {
		return err
	}
	return s.exactlyOne(s.exec(ctx, `UPDATE users SET pin = $1 WHERE id = $2`, pin, userID))
}

// SetUserActive implements erp.AccountStore.
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

// CreateApp implements erp.AccountStore.
func (s *Store) CreateApp(ctx context.Context, a *erp.App) error {
	return conflict(s.write(ctx, func() error { return insert(ctx, s, s.db, appRows, a, &a.ID) }), "app %q already exists", a.Slug)
}

// AppBySlug implements erp.AccountStore.
func (s *Store) AppBySlug(ctx context.Context, slug string) (*erp.App, error) {
	return one(ctx, s, appRows, `WHERE slug = $1`, slug)
}

// Apps implements erp.AccountStore.
func (s *Store) Apps(ctx context.Context) ([]erp.App, error) {
	return all(ctx, s, appRows, `ORDER BY slug`)
}

// SetAppAPIVersion implements erp.AccountStore.
func (s *Store) SetAppAPIVersion(ctx context.Context, appID int64, v erp.APIVersion) error {
	return s.exactlyOne(s.exec(ctx, `UPDATE apps SET api_version = $1 WHERE id = $2`, string(v), appID))
}

// CreatePermission implements erp.AccountStore.
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

// PermissionBySlug implements erp.AccountStore.
func (s *Store) PermissionBySlug(ctx context.Context, slug string) (*erp.Permission, error) {
	return one(ctx, s, permissionRows, `WHERE slug = $1`, slug)
}

// Permissions implements erp.AccountStore. Parents are created before their
// children, so id order puts them first.
func (s *Store) Permissions(ctx context.Context, appID int64) ([]erp.Permission, error) {
	return all(ctx, s, permissionRows, `WHERE app_id = $1 ORDER BY id`, appID)
}

// SetPermissionLabel implements erp.AccountStore.
func (s *Store) SetPermissionLabel(ctx context.Context, id int64, label string) error {
	if err := checkText(label); err != nil {
		return err
	}
	return s.exactlyOne(s.exec(ctx, `UPDATE permissions SET label = $1 WHERE id = $2`, label, id))
}

// permissionSubtree is a permission ($1) and every permission under it.
const permissionSubtree = `WITH RECURSIVE sub(id) AS (
		SELECT CAST($1 AS BIGINT)
		UNION ALL SELECT p.id FROM permissions p JOIN sub ON p.parent_id = sub.id) `

// DeletePermission implements erp.AccountStore. The permissions go in one
// statement: a child's reference to its parent is checked when it ends.
func (s *Store) DeletePermission(ctx context.Context, id int64) (permissions, grants int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		g, err := tx.ExecContext(ctx, permissionSubtree+`DELETE FROM grants WHERE permission_id IN (SELECT id FROM sub)`, id)
		if err != nil {
			return err
		}
		p, err := tx.ExecContext(ctx, permissionSubtree+`DELETE FROM permissions WHERE id IN (SELECT id FROM sub)`, id)
		if err != nil {
			return err
		}
		ng, err := g.RowsAffected()
		if err != nil {
			return err
		}
		np, err := p.RowsAffected()
		if err != nil {
			return err
		}
		if np == 0 {
			return erp.Errorf(erp.ENotFound, "not found")
		}
		permissions, grants = int(np), int(ng)
		return nil
	})
	return permissions, grants, err
}

// Grant implements erp.AccountStore.
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

// Revoke implements erp.AccountStore.
func (s *Store) Revoke(ctx context.Context, userID, permissionID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, "users", "active", userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, permissionSubtree+`DELETE FROM grants WHERE user_id = $2 AND permission_id IN (SELECT id FROM sub)`, permissionID, userID)
		return err
	})
}

// Granted implements erp.AccountStore.
func (s *Store) Granted(ctx context.Context, userID, appID int64) ([]erp.Permission, error) {
	return list(ctx, s, `SELECT `+permissionRows.list("p")+` FROM permissions p JOIN grants g ON g.permission_id = p.id
		WHERE g.user_id = $1 AND p.app_id = $2 ORDER BY p.id`, []any{userID, appID}, permissionRows.scan)
}

package sqlstore

import (
	"context"
	"database/sql"
)

// DeleteCompany implements erp.Store. Rows that refer to others go first.
func (s *Store) DeleteCompany(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM grants WHERE user_id IN (SELECT id FROM users WHERE company_id = $1)`,
			`DELETE FROM user_tokens WHERE user_id IN (SELECT id FROM users WHERE company_id = $1)`,
			`DELETE FROM users WHERE company_id = $1`,
			`DELETE FROM company_tokens WHERE company_id = $1`,
			`DELETE FROM product_categories WHERE product_id IN (SELECT id FROM products WHERE company_id = $1)`,
			`DELETE FROM product_details WHERE product_id IN (SELECT id FROM products WHERE company_id = $1)`,
			`DELETE FROM products WHERE company_id = $1`,
			// One statement: a child's reference to its parent is
			// checked when it ends.
			`DELETE FROM categories WHERE company_id = $1`,
			`DELETE FROM clients WHERE company_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return s.exactlyOne(tx.ExecContext(ctx, `DELETE FROM companies WHERE id = $1`, id))
	})
}

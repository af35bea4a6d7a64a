package sqlstore

import (
	"context"
	"database/sql"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Changes of a company's categories hold the company's row (lockRow) for
// their transaction, as imports of categories do: each one reads the tree
// after the one before it committed, so that two moves at once are each
// checked against the other's result.

// RenameCategorie implements erp.Store.
func (s *Store) RenameCategorie(ctx context.Context, companyID, id int64, naam string) error {
	if err := checkText(naam); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		return s.exactlyOne(tx.ExecContext(ctx, `UPDATE categories SET naam = $1 WHERE id = $2 AND company_id = $3`, naam, id, companyID))
	})
}

// MoveCategorie implements erp.Store.
func (s *Store) MoveCategorie(ctx context.Context, companyID, id, parentID int64, check func([]erp.StoredCategorie) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stored, err := s.lockedCategories(ctx, tx, companyID)
		if err != nil {
			return err
		}
		if err := check(stored); err != nil {
			return err
		}
		last := int64(0)
		for _, c := range stored {
			if c.ParentID == parentID && c.ID != id {
				last = max(last, c.Position)
			}
		}
		return s.exactlyOne(tx.ExecContext(ctx, `UPDATE categories SET parent_id = $1, position = $2 WHERE id = $3 AND company_id = $4`,
			nullID(parentID), last+1, id, companyID))
	})
}

// DeleteCategorieen implements erp.Store. Each category goes with the
// rows that name it, in the order plan gives: children first, so that no
// row is left naming a deleted one.
func (s *Store) DeleteCategorieen(ctx context.Context, companyID int64, plan func([]erp.StoredCategorie) ([]int64, error)) (erp.CategorieDeletion, error) {
	var r erp.CategorieDeletion
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r = erp.CategorieDeletion{}
		stored, err := s.lockedCategories(ctx, tx, companyID)
		if err != nil {
			return err
		}
		ids, err := plan(stored)
		if err != nil {
			return err
		}
		own := map[int64]bool{}
		for _, c := range stored {
			own[c.ID] = true
		}
		for _, id := range ids {
			if !own[id] {
				return erp.Errorf(erp.ENotFound, "category %d is not one of the company's", id)
			}
		}
		listed := map[int64]bool{}
		for _, id := range ids {
			rows, err := tx.QueryContext(ctx, `SELECT product_id FROM product_categories WHERE category_id = $1`, id)
			if err != nil {
				return err
			}
			for rows.Next() {
				var p int64
				if err := rows.Scan(&p); err != nil {
					rows.Close()
					return err
				}
				listed[p] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM product_categories WHERE category_id = $1`, id); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE product_details SET categorie_id = NULL WHERE categorie_id = $1`, id)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			r.Main += int(n)
			if err := s.exactlyOne(tx.ExecContext(ctx, `DELETE FROM categories WHERE id = $1 AND company_id = $2`, id, companyID)); err != nil {
				return err
			}
			r.Categorieen++
		}
		r.Listed = len(listed)
		return nil
	})
	if err != nil {
		return erp.CategorieDeletion{}, err
	}
	return r, nil
}

// lockedCategories holds the company's row and returns its categories as
// they stand; a missing company is ENotFound.
func (s *Store) lockedCategories(ctx context.Context, tx *sql.Tx, companyID int64) ([]erp.StoredCategorie, error) {
	if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+categoryRows.list("")+` FROM categories WHERE company_id = $1 ORDER BY id`, companyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []erp.StoredCategorie{}
	for rows.Next() {
		c, err := categoryRows.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

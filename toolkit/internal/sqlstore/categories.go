package sqlstore

import (
	"context"
	"database/sql"
	"iter"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// A company's category tree (erp.CategorieStore). Every change of it (an
// import, a rename, a move, a deletion) holds the company's row (lockRow)
// for its transaction: each one reads the tree after the one before it
// committed, so that two moves at once are each checked against the
// other's result.

// ImportCategorieen implements erp.CategorieStore.
func (s *Store) ImportCategorieen(ctx context.Context, companyID int64, cats iter.Seq2[erp.NewCategorie, error]) (erp.ImportResult, error) {
	var r erp.ImportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// One import into a company at a time, as for products: two
		// imports of the same tree create each category once.
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		type key struct {
			parent int64
			naam   string
		}
		ids := map[key]int64{}
		last := map[int64]int64{} // the largest position among a parent's children
		count := 0
		rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), naam, position FROM categories WHERE company_id = $1`, companyID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c erp.StoredCategorie
			if err := rows.Scan(&c.ID, &c.ParentID, &c.Naam, &c.Position); err != nil {
				rows.Close()
				return err
			}
			ids[key{c.ParentID, c.Naam}] = c.ID
			last[c.ParentID] = max(last[c.ParentID], c.Position)
			count++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, categoryRows.insertSQL())
		if err != nil {
			return err
		}
		defer ins.Close()
		n := 0
		for c, err := range cats {
			if err != nil {
				return err
			}
			n++
			parent := int64(0)
			for _, p := range c.Parents {
				id, ok := ids[key{parent, p}]
				if !ok {
					return erp.Errorf(erp.EInvalid, "record %d (%q): its parent %q does not exist", n, c.Naam, p)
				}
				parent = id
			}
			if _, ok := ids[key{parent, c.Naam}]; ok {
				r.Updated++
				continue
			}
			// Checked under the lock: imports at once cannot together
			// pass the cap that each checked alone.
			if count >= erp.MaxCompanyCategorieen {
				return erp.Errorf(erp.EInvalid, "record %d (%q): a company has at most %d categories", n, c.Naam, erp.MaxCompanyCategorieen)
			}
			row := erp.StoredCategorie{CompanyID: companyID, ParentID: parent, Naam: c.Naam, Position: last[parent] + 1}
			args, err := categoryRows.values(&row, "id")
			if err != nil {
				return err
			}
			if err := checkText(args...); err != nil {
				return erp.Errorf(erp.EInvalid, "record %d: %s", n, err.Message)
			}
			if err := ins.QueryRowContext(ctx, args...).Scan(&row.ID); err != nil {
				return err
			}
			ids[key{parent, c.Naam}] = row.ID
			last[parent] = row.Position
			count++
			r.Created++
		}
		return nil
	})
	if err != nil {
		return erp.ImportResult{}, err
	}
	return r, nil
}

// Categorieen implements erp.CategorieStore.
func (s *Store) Categorieen(ctx context.Context, companyID int64) ([]erp.StoredCategorie, error) {
	return all(ctx, s, categoryRows, `WHERE company_id = $1 ORDER BY id`, companyID)
}

// CategorieSubtree implements erp.CategorieStore: one recursive query, so that a
// category is read without the rest of its company's tree.
func (s *Store) CategorieSubtree(ctx context.Context, companyID, id int64) ([]erp.StoredCategorie, error) {
	return list(ctx, s, `WITH RECURSIVE sub (id, depth) AS (
			SELECT id, 1 FROM categories WHERE id = $1 AND company_id = $2
			UNION ALL
			SELECT c.id, sub.depth + 1 FROM categories c JOIN sub ON c.parent_id = sub.id
			WHERE sub.depth < $3 AND c.company_id = $2
		)
		SELECT `+categoryRows.list("c")+` FROM categories c JOIN sub ON c.id = sub.id ORDER BY c.id`,
		[]any{id, companyID, erp.MaxCategorieDepth}, categoryRows.scan)
}

// RenameCategorie implements erp.CategorieStore.
func (s *Store) RenameCategorie(ctx context.Context, companyID, id int64, naam string) error {
	if err := checkText(naam); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		if err := s.exactlyOne(tx.ExecContext(ctx, `UPDATE categories SET naam = $1 WHERE id = $2 AND company_id = $3`, naam, id, companyID)); err != nil {
			return err
		}
		// The products that name it send its new name.
		return s.reencodeNaming(ctx, tx, companyID, []int64{id})
	})
}

// MoveCategorie implements erp.CategorieStore.
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

// DeleteCategorieen implements erp.CategorieStore. Each category goes with the
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
		// The products that name them lose them: their wire JSON is
		// written again once the categories are gone.
		if err := markNaming(ctx, tx, ids); err != nil {
			return err
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
		if err := s.encodePending(ctx, tx, companyID); err != nil {
			return err
		}
		return stampCatalogue(ctx, tx, companyID)
	})
	if err != nil {
		return erp.CategorieDeletion{}, err
	}
	return r, nil
}

// markNaming marks the wire JSON of the details of every product that
// names one of the categories ids (as its main category or in its list) as
// still to be written (see encodePending).
func markNaming(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE product_details SET wire = '' WHERE categorie_id = $1
			OR product_id IN (SELECT product_id FROM product_categories WHERE category_id = $1)`, id); err != nil {
			return err
		}
	}
	return nil
}

// reencodeNaming writes again the wire JSON of the products that name one
// of the categories ids, and gives the company's catalogue a new stamp.
func (s *Store) reencodeNaming(ctx context.Context, tx *sql.Tx, companyID int64, ids []int64) error {
	if err := markNaming(ctx, tx, ids); err != nil {
		return err
	}
	if err := s.encodePending(ctx, tx, companyID); err != nil {
		return err
	}
	return stampCatalogue(ctx, tx, companyID)
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

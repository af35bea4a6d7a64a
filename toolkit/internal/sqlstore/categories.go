package sqlstore

import (
	"context"
	"database/sql"
	"iter"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// ImportCategorieen implements erp.Store.
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

// Categorieen implements erp.Store.
func (s *Store) Categorieen(ctx context.Context, companyID int64) ([]erp.StoredCategorie, error) {
	return all(ctx, s, categoryRows, `WHERE company_id = $1 ORDER BY id`, companyID)
}

// CategorieSubtree implements erp.Store: one recursive query, so that a
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

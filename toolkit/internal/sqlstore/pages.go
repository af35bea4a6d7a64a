package sqlstore

import (
	"context"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The catalogue a page at a time (erp.CataloguePages): by the key's index
// from where the previous page ended, never by OFFSET, so that a page
// deep in a large catalogue reads the rows it shows and no others.

// pageBatch bounds the rows one statement reads while a filter passes rows
// over: a page with a rare match reads batch after batch, and no statement
// holds a long result open.
const pageBatch = 500

// ArtikelPage implements erp.CataloguePages.
func (s *Store) ArtikelPage(ctx context.Context, companyID int64, r erp.KeyRange, limit int, keep func(*erp.StoredArtikel) bool) ([]erp.StoredArtikel, error) {
	return page(ctx, s, r, limit, keep, func(cond, order string) string {
		return detailedSelect + `WHERE p.company_id = $1 AND p.id ` + cond + ` ORDER BY p.id ` + order + ` LIMIT $3`
	}, scanDetailed(companyID), func(a *erp.StoredArtikel) int64 { return a.ID }, companyID)
}

// KlantPage implements erp.CataloguePages.
func (s *Store) KlantPage(ctx context.Context, companyID int64, r erp.KeyRange, limit int, keep func(*erp.StoredKlant) bool) ([]erp.StoredKlant, error) {
	return page(ctx, s, r, limit, keep, func(cond, order string) string {
		return `SELECT ` + clientRows.list("") + ` FROM clients WHERE company_id = $1 AND klantennummer ` + cond + ` ORDER BY klantennummer ` + order + ` LIMIT $3`
	}, scanKlant, func(k *erp.StoredKlant) int64 { return k.Klantennummer }, companyID)
}

// scanKlant reads a row of clients as the client it holds.
func scanKlant(row scanner) (*erp.StoredKlant, error) {
	c, err := clientRows.scan(row)
	if err != nil {
		return nil, err
	}
	return &c.StoredKlant, nil
}

// page reads rows from r until keep kept limit of them, a batch at a time:
// query(cond, order) selects with $1 the company, $2 the key that cond
// compares with, $3 the batch size. Keys are positive, so 0 is before
// every key. The rows come back in key order.
func page[T any](ctx context.Context, s *Store, r erp.KeyRange, limit int, keep func(*T) bool,
	query func(cond, order string) string, scan func(scanner) (*T, error), key func(*T) int64, companyID int64) ([]T, error) {
	down := r.Before > 0
	cond, order, from := `> $2`, `ASC`, r.After
	if down {
		cond, order, from = `< $2`, `DESC`, r.Before
	}
	q := query(cond, order)
	batch := limit
	if keep != nil {
		batch = max(limit, pageBatch)
	}
	var out []T
	for len(out) < limit {
		read, last, err := pageBatchRows(ctx, s, q, scan, key, keep, &out, limit, companyID, from, batch)
		if err != nil {
			return nil, err
		}
		if read < batch {
			break
		}
		from = last
	}
	if down {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// pageBatchRows runs one batch of page and appends what keep keeps to out
// (up to limit); it says how many rows it read and the key of the last.
func pageBatchRows[T any](ctx context.Context, s *Store, q string, scan func(scanner) (*T, error), key func(*T) int64,
	keep func(*T) bool, out *[]T, limit int, companyID, from int64, batch int) (read int, last int64, err error) {
	rows, err := s.db.QueryContext(ctx, q, companyID, from, batch)
	if err != nil {
		return 0, 0, s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return 0, 0, s.wrap(err)
		}
		read++
		last = key(v)
		if len(*out) < limit && (keep == nil || keep(v)) {
			*out = append(*out, *v)
		}
	}
	return read, last, s.wrap(rows.Err())
}

// CatalogueCounts implements erp.CataloguePages.
func (s *Store) CatalogueCounts(ctx context.Context, companyID int64) (erp.CatalogueCounts, error) {
	var c erp.CatalogueCounts
	for _, n := range []struct {
		table string
		to    *int
	}{{"products", &c.Artikels}, {"clients", &c.Klanten}, {"categories", &c.Categorieen}} {
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+n.table+` WHERE company_id = $1`, companyID).Scan(n.to); err != nil {
			return erp.CatalogueCounts{}, s.wrap(err)
		}
	}
	return c, nil
}

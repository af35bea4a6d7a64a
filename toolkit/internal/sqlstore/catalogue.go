package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The catalogue: a company's products, with their details (written and read
// in productdetails.go), and its clients (erp.CatalogueStore).

// ImportArtikels implements erp.CatalogueStore.
func (s *Store) ImportArtikels(ctx context.Context, companyID int64, artikels iter.Seq2[erp.ArtikelImport, error]) (erp.ImportResult, error) {
	return importRecords(ctx, s, companyID, productRows, "sku", artikels,
		func(p *erp.StoredArtikel, a erp.ArtikelImport) {
			*p = erp.StoredArtikel{CompanyID: companyID, Artikel: a.Artikel}
		},
		func(a erp.ArtikelImport) string { return fmt.Sprintf("SKU %q", a.SKU) }, withDetails)
}

// Artikels implements erp.CatalogueStore.
func (s *Store) Artikels(ctx context.Context, companyID int64) ([]erp.StoredArtikel, error) {
	return list(ctx, s, detailedListSQL, []any{companyID}, scanDetailed(companyID))
}

// Artikel implements erp.CatalogueStore.
func (s *Store) Artikel(ctx context.Context, companyID, id int64) (*erp.StoredArtikel, error) {
	p, err := scanDetailed(companyID)(s.db.QueryRowContext(ctx, detailedSelect+`WHERE p.company_id = $1 AND p.id = $2`, companyID, id))
	return p, s.wrap(err)
}

// StreamArtikels implements erp.CatalogueStore. After id and company_id,
// the columns of productRows are in the wire order of an Artikel's keys.
func (s *Store) StreamArtikels(ctx context.Context, companyID int64, fn erp.RowFunc) error {
	return s.stream(ctx, dataColumns(productRows.table), `FROM products WHERE company_id = $1 ORDER BY id`, fn, companyID)
}

// StreamDetailedArtikels implements erp.CatalogueStore.
func (s *Store) StreamDetailedArtikels(ctx context.Context, companyID, id int64, fn erp.RowFunc) error {
	if id > 0 {
		return s.streamQuery(ctx, detailedSelect+`WHERE p.company_id = $1 AND p.id = $2`, len(erp.DetailedArtikelKeys()), fn, companyID, id)
	}
	rows, err := s.detailedList.QueryContext(ctx, companyID)
	return s.streamRows(rows, err, len(erp.DetailedArtikelKeys()), fn)
}

// ImportKlanten implements erp.CatalogueStore.
func (s *Store) ImportKlanten(ctx context.Context, companyID int64, klanten iter.Seq2[cloudspot.Klant, error]) (erp.ImportResult, error) {
	return importRecords(ctx, s, companyID, clientRows, "klantennummer", klanten,
		func(c *erp.StoredKlant, k cloudspot.Klant) { *c = erp.StoredKlant{CompanyID: companyID, Klant: k} },
		func(k cloudspot.Klant) string { return fmt.Sprintf("klantennummer %d", k.Klantennummer) }, nil)
}

// Klanten implements erp.CatalogueStore.
func (s *Store) Klanten(ctx context.Context, companyID int64) ([]erp.StoredKlant, error) {
	return all(ctx, s, clientRows, `WHERE company_id = $1 ORDER BY klantennummer`, companyID)
}

// StreamKlanten implements erp.CatalogueStore. After id and company_id,
// the columns of clientRows are in the wire order of a Klant's keys.
func (s *Store) StreamKlanten(ctx context.Context, companyID int64, fn erp.RowFunc) error {
	return s.stream(ctx, dataColumns(clientRows.table), `FROM clients WHERE company_id = $1 ORDER BY klantennummer`, fn, companyID)
}

// upsertSQL inserts a row of a per-company table whose rows are unique by
// (company_id, key), or updates every other column of the row it finds.
func (t tableOf[T]) upsertSQL(key string) string {
	cols := t.without("id")
	var set []string
	for _, c := range cols {
		if c != "company_id" && c != key {
			set = append(set, c+" = excluded."+c)
		}
	}
	return `INSERT INTO ` + t.name + ` (` + strings.Join(cols, ", ") + `) VALUES (` + params(1, len(cols)) + `)
		ON CONFLICT (company_id, ` + key + `) DO UPDATE SET ` + strings.Join(set, ", ")
}

// importRecords creates or updates the records of one company in one
// transaction, finding each by its key column. set(v) fills the row to
// write, company included; a record that cannot be stored is named by
// label(v) and its place in the sequence. With then, each row gets its id
// and then writes what goes with it (a product's details).
func importRecords[T, R any](ctx context.Context, s *Store, companyID int64, t tableOf[R], key string, records iter.Seq2[T, error],
	set func(row *R, v T), label func(v T) string, then follower[T, R]) (erp.ImportResult, error) {
	var r erp.ImportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// One import into a company at a time, so that concurrent imports
		// of the same records count each one created exactly once.
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		// Created and updated are told apart by counting the company's
		// rows before and after, which spares a lookup per record.
		count := `SELECT COUNT(*) FROM ` + t.name + ` WHERE company_id = $1`
		var before, after int
		if err := tx.QueryRowContext(ctx, count, companyID).Scan(&before); err != nil {
			return err
		}
		upsert, err := tx.PrepareContext(ctx, t.upsertSQL(key))
		if err != nil {
			return err
		}
		defer upsert.Close()
		// Rows that something goes with are written by a statement that
		// also returns their id.
		var follow rowFollower[T, R]
		var upsertID *sql.Stmt
		if then != nil {
			if follow, err = then(ctx, tx, companyID); err != nil {
				return err
			}
			defer follow.close()
			if upsertID, err = tx.PrepareContext(ctx, t.upsertSQL(key)+` RETURNING id`); err != nil {
				return err
			}
			defer upsertID.Close()
		}
		var row R
		n := 0
		for v, err := range records {
			if err != nil {
				return err
			}
			n++
			set(&row, v)
			args, err := t.values(&row, "id")
			if err != nil {
				return fmt.Errorf("record %d (%s): %w", n, label(v), err)
			}
			if err := checkText(args...); err != nil {
				return erp.Errorf(erp.EInvalid, "record %d (%s): %s", n, label(v), err.Message)
			}
			if follow == nil || !follow.wants(v, &row) {
				_, err = upsert.ExecContext(ctx, args...)
			} else if err = upsertID.QueryRowContext(ctx, args...).Scan(follow.id(&row)); err == nil {
				err = follow.write(ctx, v, &row)
			}
			if err != nil {
				if de, ok := err.(*erp.Error); ok {
					return erp.Errorf(de.Code, "record %d (%s): %s", n, label(v), de.Message)
				}
				return fmt.Errorf("record %d (%s): %w", n, label(v), err)
			}
		}
		if err := tx.QueryRowContext(ctx, count, companyID).Scan(&after); err != nil {
			return err
		}
		r = erp.ImportResult{Created: after - before, Updated: n - (after - before)}
		if follow != nil {
			follow.count(&r)
		}
		return nil
	})
	if err != nil {
		return erp.ImportResult{}, err
	}
	return r, nil
}

// follower prepares a rowFollower for one import's transaction.
type follower[T, R any] func(ctx context.Context, tx *sql.Tx, companyID int64) (rowFollower[T, R], error)

// rowFollower writes what goes with each imported row once it has its id.
type rowFollower[T, R any] interface {
	// wants reports whether the row of record v needs its id and write:
	// a row with nothing to write, clear or count is upserted alone.
	wants(v T, row *R) bool
	id(row *R) *int64
	write(ctx context.Context, v T, row *R) error
	// count adds what it counted to an import's result.
	count(r *erp.ImportResult)
	close()
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/wirerow"
)

// The catalogue: a company's products, with their details (written and read
// in productdetails.go), and its clients (erp.CatalogueStore).

// ImportArtikels implements erp.CatalogueStore.
func (s *Store) ImportArtikels(ctx context.Context, companyID int64, artikels iter.Seq2[erp.ArtikelImport, error]) (erp.ImportResult, error) {
	return importRecords(ctx, s, companyID, productRows, "sku", artikels,
		func(p *productRow, a erp.ArtikelImport) {
			*p = productRow{StoredArtikel: erp.StoredArtikel{CompanyID: companyID, Artikel: a.Artikel}}
		},
		func(a erp.ArtikelImport) string { return fmt.Sprintf("SKU %q", a.SKU) }, wirerow.Artikel, withDetails)
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

// ImportKlanten implements erp.CatalogueStore.
func (s *Store) ImportKlanten(ctx context.Context, companyID int64, klanten iter.Seq2[cloudspot.Klant, error]) (erp.ImportResult, error) {
	return importRecords(ctx, s, companyID, clientRows, "klantennummer", klanten,
		func(c *clientRow, k cloudspot.Klant) {
			*c = clientRow{StoredKlant: erp.StoredKlant{CompanyID: companyID, Klant: k}}
		},
		func(k cloudspot.Klant) string { return fmt.Sprintf("klantennummer %d", k.Klantennummer) }, wirerow.Klant, nil)
}

// Klanten implements erp.CatalogueStore.
func (s *Store) Klanten(ctx context.Context, companyID int64) ([]erp.StoredKlant, error) {
	rows, err := all(ctx, s, clientRows, `WHERE company_id = $1 ORDER BY klantennummer`, companyID)
	out := make([]erp.StoredKlant, len(rows))
	for i, r := range rows {
		out[i] = r.StoredKlant
	}
	return out, err
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
// transaction, finding each by its key column, and gives the company's
// catalogue a new stamp. set(v) fills the row to write, company included;
// its last column, wire, is what sh makes of the columns between
// company_id and wire. A record that cannot be stored is named by label(v)
// and its place in the sequence. With then, each row gets its id and then
// writes what goes with it (a product's details).
func importRecords[T, R any](ctx context.Context, s *Store, companyID int64, t tableOf[R], key string, records iter.Seq2[T, error],
	set func(row *R, v T), label func(v T) string, sh *wirerow.Shape, then follower[T, R]) (erp.ImportResult, error) {
	var r erp.ImportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// One import into a company at a time, so that concurrent imports
		// of the same records count each one created exactly once.
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		if err := stampCatalogue(ctx, tx, companyID); err != nil {
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
		var enc encoder
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
			wire := len(args) - 1
			if args[wire], err = enc.encodeValues(sh, args[1:wire]); err != nil {
				return fmt.Errorf("record %d (%s): %w", n, label(v), err)
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

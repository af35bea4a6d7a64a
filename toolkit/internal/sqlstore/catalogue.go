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
	set func(row *R, v T), label func(v T) string, then *follower[R]) (erp.ImportResult, error) {
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
		q := t.upsertSQL(key)
		var write func(context.Context, *R) error
		if then != nil {
			q += ` RETURNING id`
			w, closeAll, err := then.prepare(ctx, tx, companyID)
			if err != nil {
				return err
			}
			defer closeAll()
			write = w
		}
		upsert, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer upsert.Close()
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
			if write == nil {
				_, err = upsert.ExecContext(ctx, args...)
			} else if err = upsert.QueryRowContext(ctx, args...).Scan(then.id(&row)); err == nil {
				err = write(ctx, &row)
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
		return nil
	})
	if err != nil {
		return erp.ImportResult{}, err
	}
	return r, nil
}

// follower writes what goes with each imported row once it has its id.
type follower[R any] struct {
	id      func(*R) *int64
	prepare func(ctx context.Context, tx *sql.Tx, companyID int64) (write func(context.Context, *R) error, closeAll func(), err error)
}

// withDetails writes a product's data of version 0.6.
var withDetails = &follower[erp.StoredArtikel]{
	id: func(p *erp.StoredArtikel) *int64 { return &p.ID },
	prepare: func(ctx context.Context, tx *sql.Tx, companyID int64) (func(context.Context, *erp.StoredArtikel) error, func(), error) {
		w, err := newDetailWriter(ctx, tx, companyID)
		if err != nil {
			return nil, nil, err
		}
		return w.write, w.close, nil
	},
}

// ImportArtikels implements erp.Store.
func (s *Store) ImportArtikels(ctx context.Context, companyID int64, artikels iter.Seq2[cloudspot.Artikel, error]) (erp.ImportResult, error) {
	return importRecords(ctx, s, companyID, productRows, "sku", artikels,
		func(p *erp.StoredArtikel, a cloudspot.Artikel) {
			*p = erp.StoredArtikel{CompanyID: companyID, Artikel: a}
		},
		func(a cloudspot.Artikel) string { return fmt.Sprintf("SKU %q", a.SKU) }, withDetails)
}

// ImportKlanten implements erp.Store.
func (s *Store) ImportKlanten(ctx context.Context, companyID int64, klanten iter.Seq2[cloudspot.Klant, error]) (erp.ImportResult, error) {
	return importRecords(ctx, s, companyID, clientRows, "klantennummer", klanten,
		func(c *erp.StoredKlant, k cloudspot.Klant) { *c = erp.StoredKlant{CompanyID: companyID, Klant: k} },
		func(k cloudspot.Klant) string { return fmt.Sprintf("klantennummer %d", k.Klantennummer) }, nil)
}

// Klanten implements erp.Store.
func (s *Store) Klanten(ctx context.Context, companyID int64) ([]erp.StoredKlant, error) {
	return all(ctx, s, clientRows, `WHERE company_id = $1 ORDER BY klantennummer`, companyID)
}

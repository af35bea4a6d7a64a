package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
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

// importRecords creates or updates n records of table in one transaction,
// finding each by its key column. record(i) gives the i-th record, with
// its company set, and its label for errors.
func importRecords[T any](ctx context.Context, s *Store, companyID int64, t tableOf[T], key string, n int, record func(i int) (label string, v *T)) (erp.ImportResult, error) {
	var r erp.ImportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r = erp.ImportResult{}
		// One import into a company at a time, so that concurrent imports
		// of the same records count each one created exactly once.
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		exists, err := tx.PrepareContext(ctx, `SELECT COUNT(*) FROM `+t.name+` WHERE company_id = $1 AND `+key+` = $2`)
		if err != nil {
			return err
		}
		defer exists.Close()
		upsert, err := tx.PrepareContext(ctx, t.upsertSQL(key))
		if err != nil {
			return err
		}
		defer upsert.Close()
		keyAt := indexOf(t.without("id"), key)
		for i := range n {
			label, v := record(i)
			args, err := t.values(v, "id")
			if err != nil {
				return fmt.Errorf("record %d (%s): %w", i+1, label, err)
			}
			if err := checkText(args...); err != nil {
				return erp.Errorf(erp.EInvalid, "record %d (%s): %s", i+1, label, err.Message)
			}
			var found int
			if err := exists.QueryRowContext(ctx, companyID, args[keyAt]).Scan(&found); err != nil {
				return err
			}
			if _, err := upsert.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("record %d (%s): %w", i+1, label, err)
			}
			if found > 0 {
				r.Updated++
			} else {
				r.Created++
			}
		}
		return nil
	})
	return r, err
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	panic("sqlstore: no column " + s)
}

// ImportProducts implements erp.Store.
func (s *Store) ImportProducts(ctx context.Context, companyID int64, ps []cloudspot.Artikel) (erp.ImportResult, error) {
	return importRecords(ctx, s, companyID, productRows, "sku", len(ps), func(i int) (string, *erp.Product) {
		return fmt.Sprintf("SKU %q", ps[i].SKU), &erp.Product{CompanyID: companyID, Artikel: ps[i]}
	})
}

// ImportClients implements erp.Store.
func (s *Store) ImportClients(ctx context.Context, companyID int64, ks []cloudspot.Klant) (erp.ImportResult, error) {
	return importRecords(ctx, s, companyID, clientRows, "klantennummer", len(ks), func(i int) (string, *erp.Client) {
		return fmt.Sprintf("klantennummer %d", ks[i].Klantennummer), &erp.Client{CompanyID: companyID, Klant: ks[i]}
	})
}

// Products implements erp.Store.
func (s *Store) Products(ctx context.Context, companyID int64) ([]erp.Product, error) {
	return all(ctx, s, productRows, `WHERE company_id = $1 ORDER BY id`, companyID)
}

// Product implements erp.Store.
func (s *Store) Product(ctx context.Context, companyID, id int64) (*erp.Product, error) {
	return one(ctx, s, productRows, `WHERE company_id = $1 AND id = $2`, companyID, id)
}

// Clients implements erp.Store.
func (s *Store) Clients(ctx context.Context, companyID int64) ([]erp.Client, error) {
	return all(ctx, s, clientRows, `WHERE company_id = $1 ORDER BY klantennummer`, companyID)
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/wirerow"
)

// A list is read from one consistent snapshot, the company's catalogue
// stamp first, then each row's stored wire JSON (see wire.go), which
// RawBytes hands over without a copy: a list of any length costs the memory
// of one row.

// listQueries are the statements of each list body: one wire column per
// row, and for a product of version 0.6 its id and the fragment of its
// details.
var listQueries = map[erp.ListBody]string{
	erp.ArtikelsBody:         `SELECT wire FROM products WHERE company_id = $1 ORDER BY id`,
	erp.DetailedArtikelsBody: `SELECT p.id, p.wire, d.wire FROM products p LEFT JOIN product_details d ON d.product_id = p.id WHERE p.company_id = $1 ORDER BY p.id`,
	erp.KlantenBody:          `SELECT wire FROM clients WHERE company_id = $1 ORDER BY klantennummer`,
}

// CatalogueStamp implements erp.CatalogueStore: a company that never
// changed its catalogue has no row, and the stamp 0.
func (s *Store) CatalogueStamp(ctx context.Context, companyID int64) (int64, error) {
	var stamp int64
	err := s.db.QueryRowContext(ctx, `SELECT stamp FROM catalogue_stamps WHERE company_id = $1`, companyID).Scan(&stamp)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return stamp, s.wrap(err)
}

// stampCatalogue gives a company's catalogue a new stamp, in the
// transaction that changes it. A stamp is random, never 0, so that no
// other state of any company's catalogue had it.
func stampCatalogue(ctx context.Context, tx *sql.Tx, companyID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO catalogue_stamps (company_id, stamp) VALUES ($1, $2)
		ON CONFLICT (company_id) DO UPDATE SET stamp = excluded.stamp`, companyID, 1+rand.Int64N(1<<62))
	return err
}

// StreamList implements erp.CatalogueStore.
func (s *Store) StreamList(ctx context.Context, companyID int64, body erp.ListBody, stamp func(int64) error, fn erp.RowFunc) error {
	query, ok := listQueries[body]
	if !ok {
		return fmt.Errorf("sqlstore: no list body %d", body)
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	var n sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT stamp FROM catalogue_stamps WHERE company_id = $1`, companyID).Scan(&n); err != nil && err != sql.ErrNoRows {
		return s.wrap(err)
	}
	if err := stamp(n.Int64); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, query, companyID)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	switch body {
	case erp.DetailedArtikelsBody:
		err = detailedRows(rows, fn)
	case erp.ArtikelsBody:
		err = wireRows(rows, "product", wirerow.Artikel, fn)
	default:
		err = wireRows(rows, "client", wirerow.Klant, fn)
	}
	if err != nil {
		return s.wrap(err)
	}
	return s.wrap(rows.Err())
}

// StreamArtikel implements erp.CatalogueStore.
func (s *Store) StreamArtikel(ctx context.Context, companyID, id int64, details bool, fn erp.RowFunc) error {
	var wire, detailsWire sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT p.wire, d.wire FROM products p LEFT JOIN product_details d ON d.product_id = p.id
		WHERE p.company_id = $1 AND p.id = $2`, companyID, id).Scan(&wire, &detailsWire)
	if err != nil {
		return s.wrap(err)
	}
	if err := framed("product", id, wirerow.Artikel, []byte(wire.String)); err != nil {
		return err
	}
	if !details {
		return fn(wirerow.AppendWithID(nil, id, []byte(wire.String)))
	}
	d := wirerow.NoDetails
	if detailsWire.Valid {
		d = []byte(detailsWire.String)
		if err := framed("product details", id, wirerow.ArtikelDetails, d); err != nil {
			return err
		}
	}
	return fn(wirerow.AppendDetailed(nil, id, []byte(wire.String), d))
}

// wireRows passes each row's one wire column, of records in shape sh.
func wireRows(rows *sql.Rows, what string, sh *wirerow.Shape, fn erp.RowFunc) error {
	var wire sql.RawBytes
	for n := 1; rows.Next(); n++ {
		if err := rows.Scan(&wire); err != nil {
			return err
		}
		if err := framed(what+" in row", int64(n), sh, wire); err != nil {
			return err
		}
		if err := fn(wire); err != nil {
			return err
		}
	}
	return nil
}

// detailedRows passes each product of (id, wire, details' wire) rows as
// version 0.6 sends it.
func detailedRows(rows *sql.Rows, fn erp.RowFunc) error {
	var id int64
	var wire, details sql.RawBytes
	var row []byte
	for rows.Next() {
		if err := rows.Scan(&id, &wire, &details); err != nil {
			return err
		}
		if err := framed("product", id, wirerow.Artikel, wire); err != nil {
			return err
		}
		if details == nil {
			details = wirerow.NoDetails
		} else if err := framed("product details", id, wirerow.ArtikelDetails, details); err != nil {
			return err
		}
		row = wirerow.AppendDetailed(row[:0], id, wire, details)
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// framed refuses a row whose stored wire JSON is not framed as sh's (never
// written, by a program that does not write it, or changed behind the
// store's back): the list fails instead of sending a broken body.
func framed(what string, id int64, sh *wirerow.Shape, wire []byte) error {
	if !sh.Framed(wire) {
		return fmt.Errorf("%s %d: its stored wire JSON is damaged or missing: %.40q", what, id, wire)
	}
	return nil
}

package sqlstore

import (
	"context"
	"database/sql"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// StreamProducts implements erp.Store. The columns of productsTable are in
// the wire order of an Artikel's keys.
func (s *Store) StreamProducts(ctx context.Context, companyID int64, fn erp.RowFunc) error {
	return s.stream(ctx, `SELECT `+productCols+` FROM products WHERE company_id = ? ORDER BY id`, len(productsTable.cols), fn, companyID)
}

// StreamClients implements erp.Store. The columns of clientsTable are in the
// wire order of a Klant's keys.
func (s *Store) StreamClients(ctx context.Context, companyID int64, fn erp.RowFunc) error {
	return s.stream(ctx, `SELECT `+clientCols+` FROM clients WHERE company_id = ? ORDER BY klantennummer`, len(clientsTable.cols), fn, companyID)
}

// stream runs one query and hands each row's columns to fn. Scanning into
// sql.RawBytes reuses the same buffers row after row, so a list of any
// length costs the memory of one row.
func (s *Store) stream(ctx context.Context, query string, ncols int, fn erp.RowFunc, args ...any) error {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, ncols)
	dst := make([]any, ncols)
	for i := range raw {
		dst[i] = &raw[i]
	}
	cols := make([][]byte, ncols)
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return s.wrap(err)
		}
		for i, b := range raw {
			cols[i] = b
		}
		if err := fn(cols); err != nil {
			return err
		}
	}
	return s.wrap(rows.Err())
}

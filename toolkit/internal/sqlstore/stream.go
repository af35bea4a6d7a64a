package sqlstore

import (
	"context"
	"database/sql"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// dataColumns are a catalogue table's columns without its id and company_id.
func dataColumns(t table) table {
	return table{name: t.name, cols: t.cols[2:]}
}

// stream runs one query and hands each row's columns to fn. Scanning into
// sql.RawBytes reuses the same buffers row after row, so a list of any
// length costs the memory of one row.
func (s *Store) stream(ctx context.Context, t table, from string, fn erp.RowFunc, args ...any) error {
	return s.streamQuery(ctx, `SELECT `+t.list("")+` `+from, len(t.cols), fn, args...)
}

// streamQuery is stream for a query of ncols columns.
func (s *Store) streamQuery(ctx context.Context, query string, ncols int, fn erp.RowFunc, args ...any) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	return s.streamRows(rows, err, ncols, fn)
}

// streamRows is streamQuery for rows already queried (err is the query's).
func (s *Store) streamRows(rows *sql.Rows, err error, ncols int, fn erp.RowFunc) error {
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

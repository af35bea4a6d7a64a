package sqlstore

import (
	"context"
	"database/sql"
)

// Column is a column of the schema as the store reads and writes it.
type Column struct{ Name, Kind string }

// Schema returns every table's columns, in the store's order.
func Schema() map[string][]Column {
	out := map[string][]Column{}
	for _, t := range tables {
		for _, c := range t.cols {
			out[t.name] = append(out[t.name], Column{c.name, c.kind.String()})
		}
	}
	return out
}

// InTx runs fn in a write transaction of s.
func InTx(ctx context.Context, s *Store, fn func(tx *sql.Tx) error) error { return s.inTx(ctx, fn) }

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// CopyCount is how many rows of one table Copy wrote.
type CopyCount struct {
	Table string
	Rows  int
}

// CopyOptions change what Copy does.
type CopyOptions struct {
	// Replace deletes whatever the target holds first; without it Copy
	// refuses a target that holds any row.
	Replace bool
	// Progress, when set, is called after each row with the rows copied
	// so far and the rows there are to copy.
	Progress func(done, total int64)
}

// Copy copies every row of every table from one store to another (for
// example from SQLite to PostgreSQL), ids, password hashes and token hashes
// included, so that users sign in and tokens work as before. It reads from
// one transaction and writes in one transaction on the target: the target
// receives everything or nothing. Both stores must be at the same schema
// version.
func Copy(ctx context.Context, from, to *Store, o CopyOptions) ([]CopyCount, error) {
	fv, err := from.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	tv, err := to.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	if fv != tv {
		return nil, fmt.Errorf("the source schema is at version %d and the target's at %d: open both with the same cloudspot-server", fv, tv)
	}
	src, err := from.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, from.wrap(err)
	}
	defer src.Rollback()
	var total int64
	if o.Progress != nil {
		for _, t := range tables {
			var n int64
			if err := src.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
				return nil, from.wrap(err)
			}
			total += n
		}
	}
	var copied int64
	progress := func() {
		copied++
		if o.Progress != nil {
			o.Progress(copied, total)
		}
	}
	var counts []CopyCount
	err = to.inTx(ctx, func(dst *sql.Tx) error {
		if err := to.emptyTarget(ctx, dst, o.Replace); err != nil {
			return err
		}
		counts, copied = counts[:0], 0
		for _, t := range tables {
			n, err := copyTable(ctx, from, src, to, dst, t, progress)
			if err != nil {
				return fmt.Errorf("copying %s: %w", t.name, err)
			}
			counts = append(counts, CopyCount{Table: t.name, Rows: n})
			if to.d.ResetIdentity != nil && t.cols[0].name == "id" {
				if _, err := dst.ExecContext(ctx, to.d.ResetIdentity(t.name)); err != nil {
					return fmt.Errorf("resetting the ids of %s: %w", t.name, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// emptyTarget refuses a target that holds data, or with replace deletes it.
func (s *Store) emptyTarget(ctx context.Context, tx *sql.Tx, replace bool) error {
	for i := len(tables) - 1; i >= 0; i-- {
		t := tables[i]
		if replace {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.name); err != nil {
				return err
			}
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return erp.Errorf(erp.EConflict, "the target database is not empty (%s has %d rows): refusing to mix two installations", t.name, n)
		}
	}
	return nil
}

func copyTable(ctx context.Context, from *Store, src *sql.Tx, to *Store, dst *sql.Tx, t table, copied func()) (int, error) {
	rows, err := src.QueryContext(ctx, t.selectAll())
	if err != nil {
		return 0, from.wrap(err)
	}
	defer rows.Close()
	ins, err := dst.PrepareContext(ctx, `INSERT INTO `+t.name+` (`+t.list("")+`) VALUES (`+params(1, len(t.cols))+`)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	// Nullable holders carry every value of a kind, whatever the column's
	// Go type in the domain.
	vals := make([]any, len(t.cols))
	for i, c := range t.cols {
		switch c.kind {
		case kInt:
			vals[i] = new(sql.NullInt64)
		case kText, kJSON:
			vals[i] = new(sql.NullString)
		case kBool:
			vals[i] = new(sql.NullBool)
		case kBytes:
			vals[i] = new([]byte)
		}
	}
	args := make([]any, len(vals))
	n := 0
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return n, from.wrap(err)
		}
		for i, v := range vals {
			switch v := v.(type) {
			case *sql.NullInt64:
				args[i] = *v
			case *sql.NullString:
				args[i] = *v
			case *sql.NullBool:
				args[i] = *v
			case *[]byte:
				args[i] = *v
			}
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
		copied()
	}
	return n, from.wrap(rows.Err())
}

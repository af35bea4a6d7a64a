package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strconv"
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

// upsertSQL inserts n rows of a per-company table whose rows are unique by
// (company_id, key), or updates every other column of each row it finds.
// No key may appear twice among the n rows: PostgreSQL refuses to update a
// row twice in one statement. With anonymous, its parameters are "?" (see
// Dialect.AnonymousParams).
func (t tableOf[T]) upsertSQL(key string, n int, anonymous bool) string {
	cols := t.without("id")
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + t.name + ` (` + strings.Join(cols, ", ") + `) VALUES `)
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if !anonymous {
			row = "(" + params(1+i*len(cols), len(cols)) + ")"
		}
		b.WriteString(row)
	}
	b.WriteString(t.onConflict(key))
	return b.String()
}

// upsertFromSQL is upsertSQL for the rows of staging, a table of the same
// columns but id, read in the order they were written (a table filled
// once since it was made or emptied keeps its rows in that order).
func (t tableOf[T]) upsertFromSQL(key, staging string) string {
	cols := strings.Join(t.without("id"), ", ")
	return `INSERT INTO ` + t.name + ` (` + cols + `) SELECT ` + cols + ` FROM ` + staging + ` ORDER BY ctid` + t.onConflict(key)
}

// onConflict is the clause of an upsert that updates every column but
// company_id and key of a row that has the key.
func (t tableOf[T]) onConflict(key string) string {
	var set []string
	for _, c := range t.without("id") {
		if c != "company_id" && c != key {
			set = append(set, c+" = excluded."+c)
		}
	}
	return ` ON CONFLICT (company_id, ` + key + `) DO UPDATE SET ` + strings.Join(set, ", ")
}

// importRecords creates or updates the records of one company in one
// transaction, finding each by its key column, and gives the company's
// catalogue a new stamp. set(v) fills the row to write, company included;
// its last column, wire, is what sh makes of the columns between
// company_id and wire. A record that cannot be stored is named by label(v)
// and its place in the sequence. With then, each row gets its id and then
// writes what goes with it (a product's details). The rows are written in
// batches of several rows per statement (see upsertBatch).
func importRecords[T, R any](ctx context.Context, s *Store, companyID int64, t tableOf[R], key string, records iter.Seq2[T, error],
	set func(row *R, v T), label func(v T) string, sh *wirerow.Shape, then follower[T, R]) (erp.ImportResult, error) {
	var r erp.ImportResult
	err := s.inConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
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
		var follow rowFollower[T, R]
		if then != nil {
			var err error
			if follow, err = then(ctx, tx, companyID); err != nil {
				return err
			}
			defer follow.close()
		}
		b := newUpsertBatch(ctx, s, conn, tx, t, key, follow, label)
		defer b.close()
		var enc encoder
		n, err := readAhead(records, b.max, batchBytes, func(p *preparedRecord[T, R]) error {
			set(&p.row, p.v)
			args, err := t.values(&p.row, "id")
			if err != nil {
				return fmt.Errorf("record %d (%s): %w", p.n, label(p.v), err)
			}
			if err := checkText(args...); err != nil {
				return erp.Errorf(erp.EInvalid, "record %d (%s): %s", p.n, label(p.v), err.Message)
			}
			wire := len(args) - 1
			if args[wire], err = enc.encodeValues(sh, args[1:wire]); err != nil {
				return fmt.Errorf("record %d (%s): %w", p.n, label(p.v), err)
			}
			p.args, p.size = args, textSize(args)
			return nil
		}, func(p *preparedRecord[T, R]) error {
			return b.add(p.n, p.v, &p.row, p.args, p.size)
		})
		if err != nil {
			return err
		}
		if err := b.flush(); err != nil {
			return err
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

// batchParams bounds the parameters of one statement of an import's
// batch: a quarter of the fewest an engine takes (SQLite's 32766;
// PostgreSQL takes 65535), which is some 500 rows of products, enough to
// spread a statement's own cost over its rows (batches of an eighth of it
// measured slower on both engines).
const batchParams = 8192

// batchBytes bounds the text of a batch's rows, however many: records
// may be up to importfile.MaxRecordBytes each, and their wire JSON more,
// so that a batch of records that large would otherwise hold gigabytes.
// A batch of ordinary products (some 1.4 KB a row) stays under it.
const batchBytes = 8 << 20

// textSize is the bytes of the text among a row's values.
func textSize(args []any) int {
	n := 0
	for _, a := range args {
		switch v := a.(type) {
		case string:
			n += len(v)
		case []byte:
			n += len(v)
		}
	}
	return n
}

// copyBatchRows is the rows of a batch that an engine with a bulk path
// (Dialect.CopyRows) copies at once: it binds no parameter, so its batch
// is bounded by the memory it holds (some 5 MB of products), and each
// batch costs three statements besides its rows.
const copyBatchRows = 2048

// upsertBatch gathers the rows of an import and writes them several at a
// time, each batch in one statement, in the order of the records. A
// record whose key is already in the batch first writes the batch, so
// that each statement holds a key once and the later record wins, as if
// each were written alone. On an engine with a bulk path, a batch is
// copied into a temporary table first, and the statement upserts it from
// there.
type upsertBatch[T, R any] struct {
	ctx     context.Context
	s       *Store
	conn    *sql.Conn
	tx      *sql.Tx
	staging string // the temporary table of a bulk path, once made
	t       tableOf[R]
	key     string
	keyAt   int // the key's place among a row's values
	max     int // rows per batch
	follow  rowFollower[T, R]
	label   func(v T) string
	full    map[bool]*sql.Stmt // a full batch's statement, without and with RETURNING
	records []T
	numbers []int // the records' places in the import
	rows    []R
	args    []any
	keys    map[string]int // the batch's keys, to their place in it
	bytes   int            // the text of the batch's rows (see batchBytes)
}

func newUpsertBatch[T, R any](ctx context.Context, s *Store, conn *sql.Conn, tx *sql.Tx, t tableOf[R], key string, follow rowFollower[T, R], label func(v T) string) *upsertBatch[T, R] {
	cols := t.without("id")
	rows := batchParams / len(cols)
	if s.d.CopyRows != nil {
		rows = copyBatchRows
	}
	return &upsertBatch[T, R]{ctx: ctx, s: s, conn: conn, tx: tx, t: t, key: key, keyAt: slices.Index(cols, key),
		max: rows, follow: follow, label: label, full: map[bool]*sql.Stmt{}, keys: map[string]int{}}
}

func (b *upsertBatch[T, R]) close() {
	for _, st := range b.full {
		st.Close()
	}
}

// add puts record n, v, its row and the row's values (size bytes of text)
// in the batch, writing the batch first when it holds v's key and after
// when it is full.
func (b *upsertBatch[T, R]) add(n int, v T, row *R, args []any, size int) error {
	k := keyText(args[b.keyAt])
	if _, ok := b.keys[k]; ok {
		if err := b.flush(); err != nil {
			return err
		}
	}
	b.keys[k] = len(b.records)
	b.records = append(b.records, v)
	b.numbers = append(b.numbers, n)
	b.rows = append(b.rows, *row)
	b.args = append(b.args, args...)
	if b.bytes += size; len(b.records) == b.max || b.bytes >= batchBytes {
		return b.flush()
	}
	return nil
}

// keyText is a key's value as text, as a statement returns it.
func keyText(v any) string {
	switch k := v.(type) {
	case string:
		return k
	case int64:
		return strconv.FormatInt(k, 10)
	}
	return fmt.Sprint(v)
}

// flush writes the batch's rows, then, in the records' order, what follows
// each row that the follower wants, and empties the batch.
func (b *upsertBatch[T, R]) flush() error {
	if len(b.records) == 0 {
		return nil
	}
	// The follower wants every row once it wants one (see
	// rowFollower.wants), so the batch needs its rows' ids when it wants
	// the first.
	ids := false
	for i := range b.records {
		if b.follow != nil && b.follow.wants(b.records[i], &b.rows[i]) {
			ids = true
			break
		}
	}
	if err := b.write(ids); err != nil {
		first, last := 0, len(b.records)-1
		return fmt.Errorf("records %d (%s) to %d (%s): %w", b.numbers[first], b.label(b.records[first]), b.numbers[last], b.label(b.records[last]), err)
	}
	if ids {
		for i := range b.records {
			if !b.follow.wants(b.records[i], &b.rows[i]) {
				continue
			}
			if err := b.follow.write(b.ctx, b.records[i], &b.rows[i]); err != nil {
				n, label := b.numbers[i], b.label(b.records[i])
				if de, ok := err.(*erp.Error); ok {
					return erp.Errorf(de.Code, "record %d (%s): %s", n, label, de.Message)
				}
				return fmt.Errorf("record %d (%s): %w", n, label, err)
			}
		}
	}
	clear(b.records)
	clear(b.rows)
	clear(b.args)
	b.records, b.numbers, b.rows, b.args = b.records[:0], b.numbers[:0], b.rows[:0], b.args[:0]
	clear(b.keys)
	b.bytes = 0
	return nil
}

// write runs the batch's statement; with ids, it gives each row its id,
// found by the key the statement returns with it.
func (b *upsertBatch[T, R]) write(ids bool) error {
	if b.s.d.CopyRows != nil {
		return b.copy(ids)
	}
	query := b.t.upsertSQL(b.key, len(b.records), b.s.d.AnonymousParams)
	if ids {
		query += ` RETURNING id, ` + b.key
	}
	var st *sql.Stmt
	if len(b.records) == b.max {
		if st = b.full[ids]; st == nil {
			var err error
			if st, err = b.tx.PrepareContext(b.ctx, query); err != nil {
				return err
			}
			b.full[ids] = st
		}
	}
	if !ids {
		var err error
		if st != nil {
			_, err = st.ExecContext(b.ctx, b.args...)
		} else {
			_, err = b.tx.ExecContext(b.ctx, query, b.args...)
		}
		return err
	}
	var rows *sql.Rows
	var err error
	if st != nil {
		rows, err = st.QueryContext(b.ctx, b.args...)
	} else {
		rows, err = b.tx.QueryContext(b.ctx, query, b.args...)
	}
	if err != nil {
		return err
	}
	return b.setIDs(rows)
}

// copy writes the batch through the engine's bulk path: its rows into the
// temporary table (made by the first batch, dropped at the commit), from
// there into the table in one statement, in the order they were copied,
// and the temporary table emptied for the next batch.
func (b *upsertBatch[T, R]) copy(ids bool) error {
	cols := b.t.without("id")
	if b.staging == "" {
		staging := "import_" + b.t.name
		if _, err := b.tx.ExecContext(b.ctx, `CREATE TEMPORARY TABLE `+staging+` ON COMMIT DROP AS SELECT `+strings.Join(cols, ", ")+` FROM `+b.t.name+` WITH NO DATA`); err != nil {
			return err
		}
		b.staging = staging
	}
	err := b.conn.Raw(func(dc any) error { return b.s.d.CopyRows(b.ctx, dc, b.staging, cols, b.args) })
	if err != nil {
		return err
	}
	st := b.full[ids]
	if st == nil {
		query := b.t.upsertFromSQL(b.key, b.staging)
		if ids {
			query += ` RETURNING id, ` + b.key
		}
		if st, err = b.tx.PrepareContext(b.ctx, query); err != nil {
			return err
		}
		b.full[ids] = st
	}
	if !ids {
		_, err = st.ExecContext(b.ctx)
	} else {
		var rows *sql.Rows
		if rows, err = st.QueryContext(b.ctx); err == nil {
			err = b.setIDs(rows)
		}
	}
	if err != nil {
		return err
	}
	// A table made in the same transaction is emptied in place.
	_, err = b.tx.ExecContext(b.ctx, `TRUNCATE `+b.staging)
	return err
}

// setIDs gives each row of the batch the id that rows, returned by its
// upsert with the key, holds for its key.
func (b *upsertBatch[T, R]) setIDs(rows *sql.Rows) error {
	defer rows.Close()
	got := 0
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return err
		}
		i, ok := b.keys[k]
		if !ok {
			return fmt.Errorf("the statement returned key %q, which the batch does not hold", k)
		}
		*b.follow.id(&b.rows[i]) = id
		got++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if got != len(b.records) {
		return fmt.Errorf("the statement returned %d rows of %d", got, len(b.records))
	}
	return rows.Close()
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

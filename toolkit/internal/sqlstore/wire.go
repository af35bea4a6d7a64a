package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/wirerow"
)

// Each product and client keeps its wire JSON beside its row, written by
// package wirerow from the row's stored text in the same transaction as
// every change that alters it: products.wire (the object of the protocol's
// keys) and clients.wire by the import that writes the row,
// product_details.wire (the fragment of the details' keys) by the import
// that writes the details and again by every rename or deletion of a
// category the product names. So a list reads one column per row and
// copies it. '' marks a row whose JSON is still to be written (rows that
// existed before the column, or whose categories changed): encodePending
// writes it.

// The wire column is the last of its table.
var (
	productWire = len(productRows.cols) - 1
	detailWire  = len(detailRows.cols) - 1
	clientWire  = len(clientRows.cols) - 1
)

// encoder turns a row's stored values into its wire JSON, reusing its
// buffers from row to row.
type encoder struct {
	text []byte // the columns' text, back to back
	ends []int  // where each column ends in text; -1 for NULL
	cols [][]byte
	out  []byte
}

func (e *encoder) reset() { e.text, e.ends = e.text[:0], e.ends[:0] }

// add appends the text of stored values as the next columns: text as it
// is, integers in decimal, booleans as true or false, NULL as nil.
func (e *encoder) add(vs ...any) {
	for _, v := range vs {
		switch v := v.(type) {
		case nil:
			e.ends = append(e.ends, -1)
			continue
		case string:
			e.text = append(e.text, v...)
		case []byte:
			e.text = append(e.text, v...)
		case int64:
			e.text = strconv.AppendInt(e.text, v, 10)
		case bool:
			e.text = strconv.AppendBool(e.text, v)
		case sql.NullString:
			if !v.Valid {
				e.ends = append(e.ends, -1)
				continue
			}
			e.text = append(e.text, v.String...)
		case sql.NullInt64:
			if !v.Valid {
				e.ends = append(e.ends, -1)
				continue
			}
			e.text = strconv.AppendInt(e.text, v.Int64, 10)
		default:
			panic(fmt.Sprintf("sqlstore: no wire text for %T", v))
		}
		e.ends = append(e.ends, len(e.text))
	}
}

// addText appends one column of text.
func (e *encoder) addText(b []byte) { e.add(b) }

// encode writes the columns added since reset as sh's JSON.
func (e *encoder) encode(sh *wirerow.Shape) (string, error) {
	e.cols = e.cols[:0]
	start := 0
	for _, end := range e.ends {
		if end < 0 {
			e.cols = append(e.cols, nil)
			continue
		}
		e.cols = append(e.cols, e.text[start:end:end])
		start = end
	}
	var err error
	if e.out, err = sh.Append(e.out[:0], e.cols); err != nil {
		return "", err
	}
	return string(e.out), nil
}

// encodeValues writes the wire JSON of a row of stored values (driver
// values, as tableOf.values returns them) in sh's column order.
func (e *encoder) encodeValues(sh *wirerow.Shape, vs []any) (string, error) {
	e.reset()
	e.add(vs...)
	return e.encode(sh)
}

// pendingBatch is how many rows encodePending reads at a time: it reads a
// batch, then writes it, since a PostgreSQL connection cannot write while a
// query's rows are still coming.
const pendingBatch = 500

// encodePending writes the wire JSON of every row whose JSON is ” (of one
// company, or of all when companyID is 0), in tx. A row whose stored text
// its encoder refuses stops it with an error naming the row.
func (s *Store) encodePending(ctx context.Context, tx *sql.Tx, companyID int64) error {
	company := func(col string) string {
		if companyID == 0 {
			return ""
		}
		return ` AND ` + col + ` = ` + strconv.FormatInt(companyID, 10)
	}
	products := `SELECT id, ` + strings.Join(productDataColumns(), ", ") + ` FROM products WHERE wire = ''` + company("company_id") + ` ORDER BY id LIMIT ` + strconv.Itoa(pendingBatch)
	details := `SELECT d.product_id, ` + strings.Join(detailColumns, ", ") + ` FROM product_details d LEFT JOIN categories mc ON mc.id = d.categorie_id
		WHERE d.wire = ''` + company("(SELECT company_id FROM products WHERE id = d.product_id)") + ` ORDER BY d.product_id LIMIT ` + strconv.Itoa(pendingBatch)
	var clientCols []string
	for _, c := range clientRows.cols[2:clientWire] {
		clientCols = append(clientCols, c.name)
	}
	clients := `SELECT id, ` + strings.Join(clientCols, ", ") + ` FROM clients WHERE wire = ''` + company("company_id") + ` ORDER BY id LIMIT ` + strconv.Itoa(pendingBatch)
	for _, p := range []struct {
		what, query, update string
		sh                  *wirerow.Shape
	}{
		{"product", products, `UPDATE products SET wire = $1 WHERE id = $2`, wirerow.Artikel},
		{"product", details, `UPDATE product_details SET wire = $1 WHERE product_id = $2`, wirerow.ArtikelDetails},
		{"client", clients, `UPDATE clients SET wire = $1 WHERE id = $2`, wirerow.Klant},
	} {
		if err := s.encodeBatches(ctx, tx, p.what, p.query, p.update, p.sh); err != nil {
			return err
		}
	}
	return nil
}

// encodeBatches runs query (an id, then sh's columns) until it finds no
// row, writing each row's JSON with update.
func (s *Store) encodeBatches(ctx context.Context, tx *sql.Tx, what, query, update string, sh *wirerow.Shape) error {
	upd, err := tx.PrepareContext(ctx, update)
	if err != nil {
		return err
	}
	defer upd.Close()
	type encoded struct {
		id   int64
		wire string
	}
	var e encoder
	raw := make([]sql.RawBytes, 1+sh.Columns())
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for {
		var batch []encoded
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
			id, err := strconv.ParseInt(string(raw[0]), 10, 64)
			if err != nil {
				rows.Close()
				return fmt.Errorf("%s id %q: %w", what, raw[0], err)
			}
			e.reset()
			for _, c := range raw[1:] {
				if c == nil {
					e.add(nil)
				} else {
					e.addText(c)
				}
			}
			wire, err := e.encode(sh)
			if err != nil {
				rows.Close()
				return fmt.Errorf("%s %d: its stored data cannot be sent: %w; repair or delete it, then start again", what, id, err)
			}
			batch = append(batch, encoded{id, wire})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, b := range batch {
			if _, err := upd.ExecContext(ctx, b.wire, b.id); err != nil {
				return err
			}
		}
	}
}

// encodeAllPending writes the JSON of every row that lacks it, in a
// transaction of its own under the migrations' lock, when the store opens:
// rows that existed before the wire columns, and rows written by a
// program that does not write them.
func (s *Store) encodeAllPending(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockMigrations(ctx, tx); err != nil {
			return err
		}
		// The partial indexes on wire = '' make these free when there is
		// nothing to do.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM products WHERE wire = '' LIMIT 1) a)
			+ (SELECT COUNT(*) FROM (SELECT 1 FROM product_details WHERE wire = '' LIMIT 1) b)
			+ (SELECT COUNT(*) FROM (SELECT 1 FROM clients WHERE wire = '' LIMIT 1) c)`).Scan(&n); err != nil || n == 0 {
			return err
		}
		if err := s.encodePending(ctx, tx, 0); err != nil {
			return err
		}
		// Every company's lists may have changed.
		rows, err := tx.QueryContext(ctx, `SELECT id FROM companies`)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if err := stampCatalogue(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// hasWireColumns reports whether migrations make the wire columns: all of
// an engine's do; a test that migrates step by step may stop before.
func hasWireColumns(migrations []Migration) bool {
	for _, m := range migrations {
		if strings.HasSuffix(m.Name, "_encoded_rows.sql") {
			return true
		}
	}
	return false
}

// productDataColumns are the protocol's columns of products, in the wire
// order of an Artikel's keys: without id, company_id and wire.
func productDataColumns() []string {
	var out []string
	for _, c := range productRows.cols[2:productWire] {
		out = append(out, c.name)
	}
	return out
}

package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/wirerow"
)

// A product's details (see erp.StoredArtikel) live beside its row: the
// scalars and lists in product_details, its categories in
// product_categories, so that the lists of the versions without details
// read the products' rows alone.

// detailColumns are the expressions of a product's details in the order of
// wirerow.ArtikelDetails' columns (interne_notitie, merk, merk_id,
// categorie, categorie_id, categorieen, then the lists), over its details
// d and main category mc. The categories come as one text column, their
// entries in the product's order and with their current names, so that one
// statement reads everything from one consistent snapshot, one row per
// product, whatever the length of the list.
var detailColumns = func() []string {
	detail := func(name string) string {
		for _, c := range detailRows.cols {
			if c.name == name && c.kind == kText {
				return "COALESCE(d." + name + ", '')"
			}
		}
		return "d." + name
	}
	cols := []string{detail("interne_notitie"), detail("merk"), detail("merk_id"), "mc.naam", detail("categorie_id"),
		`(SELECT string_agg(CAST(c.id AS TEXT) || ':' || c.naam, '` + string(rune(erp.CategorieSeparator)) + `' ORDER BY pc.position)
			FROM product_categories pc JOIN categories c ON c.id = pc.category_id WHERE pc.product_id = d.product_id)`}
	for _, c := range detailRows.cols[firstDetailList:lastDetailList] {
		cols = append(cols, detail(c.name))
	}
	return cols
}()

// detailedSelect selects a product with its details: id, the protocol's
// columns, then detailColumns, from products p joined with their details d
// and main category mc. A product without details reads as one whose
// details are all empty.
var detailedSelect = func() string {
	cols := []string{"p.id"}
	for _, c := range productDataColumns() {
		cols = append(cols, "p."+c)
	}
	cols = append(cols, detailColumns...)
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM products p
		LEFT JOIN product_details d ON d.product_id = p.id
		LEFT JOIN categories mc ON mc.id = d.categorie_id `
}()

// firstDetailList and lastDetailList are where the lists (fotos, ...)
// begin and end among detailRows' columns: after product_id and the
// scalars, before wire. They end the wire order too.
const (
	firstDetailList = 5
	lastDetailList  = 12
)

// detailedListSQL is a company's products with their details, in id order.
var detailedListSQL = detailedSelect + `WHERE p.company_id = $1 ORDER BY p.id`

// scanDetailed reads a row of detailedSelect.
func scanDetailed(companyID int64) func(row scanner) (*erp.StoredArtikel, error) {
	return func(row scanner) (*erp.StoredArtikel, error) {
		p := &productRow{StoredArtikel: erp.StoredArtikel{CompanyID: companyID}}
		dest := []any{&p.ID}
		for _, f := range productRows.fields[2:productWire] {
			dest = append(dest, f.ref(p))
		}
		var main, cats sql.NullString
		refs := func(name string) any {
			for _, f := range detailRows.fields {
				if f.name == name {
					return f.ref(p)
				}
			}
			panic("sqlstore: no detail column " + name)
		}
		dest = append(dest, refs("interne_notitie"), refs("merk"), refs("merk_id"), &main, refs("categorie_id"), &cats)
		for _, f := range detailRows.fields[firstDetailList:lastDetailList] {
			dest = append(dest, f.ref(p))
		}
		if err := row.Scan(dest...); err != nil {
			return nil, err
		}
		p.Categorie = main.String
		refsOf, err := parseCategorieen(cats.String)
		if err != nil {
			return nil, fmt.Errorf("product %d: %w", p.ID, err)
		}
		p.Categorieen = refsOf
		return &p.StoredArtikel, nil
	}
}

// parseCategorieen reads a categorieen column (see erp.CategorieSeparator).
func parseCategorieen(s string) ([]cloudspot.CategorieRef, error) {
	if s == "" {
		return nil, nil
	}
	var out []cloudspot.CategorieRef
	for e := range strings.SplitSeq(s, string(rune(erp.CategorieSeparator))) {
		id, naam, ok := strings.Cut(e, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("categories column entry %q is not id:naam", e)
		}
		out = append(out, cloudspot.CategorieRef{ID: n, Naam: naam})
	}
	return out, nil
}

// hasDetails reports whether a product has any details.
func hasDetails(a *cloudspot.Artikel) bool {
	return a.InterneNotitie != "" || a.Merk != "" || a.MerkID != 0 || a.CategorieID != 0 || len(a.Categorieen) > 0 ||
		len(a.Fotos) > 0 || len(a.Prijscategorieen) > 0 || len(a.EAN) > 0 || len(a.Samenstellingen) > 0 ||
		len(a.RuweGrondstoffen) > 0 || len(a.Gebruiksaanwijzingen) > 0 || len(a.MeerInfo) > 0
}

// detailWriter writes the details of the products of one import, with
// their wire JSON.
type detailWriter struct {
	companyID                 int64
	upsert, clear, clearLinks *sql.Stmt
	link, has                 *sql.Stmt
	// names are the company's categories by id, read under the import's
	// hold on the company, which renames wait for: what a product's
	// details name is written into its wire JSON.
	names map[int64]string
	enc   encoder
	// dirty is false while no product of the company can have details:
	// none had when the import began, and it wrote none yet. A product
	// without details then needs no statement beyond its own, so that an
	// import of the protocol's products costs no more than their rows.
	dirty bool
	kept  int // products that kept their details (erp.ArtikelImport.KeepDetails)
}

func newDetailWriter(ctx context.Context, tx *sql.Tx, companyID int64) (*detailWriter, error) {
	w := &detailWriter{companyID: companyID, names: map[int64]string{}}
	rows, err := tx.QueryContext(ctx, `SELECT id, naam FROM categories WHERE company_id = $1`, companyID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var naam string
		if err := rows.Scan(&id, &naam); err != nil {
			rows.Close()
			return nil, err
		}
		w.names[id] = naam
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM product_details d JOIN products p ON p.id = d.product_id
		WHERE p.company_id = $1 LIMIT 1) x`, companyID).Scan(&n); err != nil {
		return nil, err
	}
	w.dirty = n > 0
	cols := detailRows.without()
	var set []string
	for _, c := range cols[1:] {
		set = append(set, c+" = excluded."+c)
	}
	for _, q := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.upsert, `INSERT INTO product_details (` + strings.Join(cols, ", ") + `) VALUES (` + params(1, len(cols)) + `)
			ON CONFLICT (product_id) DO UPDATE SET ` + strings.Join(set, ", ")},
		{&w.clear, `DELETE FROM product_details WHERE product_id = $1`},
		{&w.clearLinks, `DELETE FROM product_categories WHERE product_id = $1`},
		{&w.link, `INSERT INTO product_categories (product_id, position, category_id)
			SELECT $1, $2, id FROM categories WHERE id = $3 AND company_id = $4`},
		// A product's category links exist only beside its details row
		// (write clears them with it), so the row alone tells.
		{&w.has, `SELECT COUNT(*) FROM product_details WHERE product_id = $1`},
	} {
		st, err := tx.PrepareContext(ctx, q.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*q.stmt = st
	}
	return w, nil
}

func (w *detailWriter) close() {
	for _, st := range []*sql.Stmt{w.upsert, w.clear, w.clearLinks, w.link, w.has} {
		if st != nil {
			st.Close()
		}
	}
}

// wants is true for a product with details to write, and for any product
// once one of the company's may have some: to clear them, or, when the
// record keeps them, to count it.
func (w *detailWriter) wants(a erp.ArtikelImport, p *productRow) bool {
	return w.dirty || (!a.KeepDetails && hasDetails(&p.Artikel))
}

func (w *detailWriter) id(p *productRow) *int64 { return &p.ID }

func (w *detailWriter) count(r *erp.ImportResult) { r.Kept += w.kept }

// write replaces the details of product id with those of p, or, when a
// keeps them, counts the product if it has any.
func (w *detailWriter) write(ctx context.Context, a erp.ArtikelImport, p *productRow) error {
	if a.KeepDetails {
		var n int
		if err := w.has.QueryRowContext(ctx, p.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			w.kept++
		}
		return nil
	}
	w.dirty = true
	if _, err := w.clearLinks.ExecContext(ctx, p.ID); err != nil {
		return err
	}
	if !hasDetails(&p.Artikel) {
		_, err := w.clear.ExecContext(ctx, p.ID)
		return err
	}
	main, ok := w.names[p.CategorieID]
	if p.CategorieID != 0 && !ok {
		return erp.Errorf(erp.EInvalid, "categorie_id %d is not a category of this company", p.CategorieID)
	}
	var cats []byte
	for i, c := range p.Categorieen {
		naam, ok := w.names[c.ID]
		if !ok {
			return erp.Errorf(erp.EInvalid, "categorieen: %d is not a category of this company", c.ID)
		}
		if i > 0 {
			cats = append(cats, erp.CategorieSeparator)
		}
		cats = append(strconv.AppendInt(cats, c.ID, 10), ':')
		cats = append(cats, naam...)
	}
	args, err := detailRows.values(p)
	if err != nil {
		return err
	}
	if err := checkText(args...); err != nil {
		return err
	}
	// The fragment's columns: interne_notitie, merk, merk_id, the main
	// category's name, categorie_id, the categories, then the lists.
	d, e := args[1:detailWire], &w.enc
	e.reset()
	e.add(d[0], d[1], d[2])
	e.addText([]byte(main))
	e.add(d[3])
	e.addText(cats)
	e.add(d[4:]...)
	if args[detailWire], err = e.encode(wirerow.ArtikelDetails); err != nil {
		return err
	}
	if _, err := w.upsert.ExecContext(ctx, args...); err != nil {
		return err
	}
	for i, c := range p.Categorieen {
		res, err := w.link.ExecContext(ctx, p.ID, i, c.ID, w.companyID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return erp.Errorf(erp.EInvalid, "categorieen: %d is not a category of this company", c.ID)
		}
	}
	return nil
}

// withDetails writes each imported product's details.
func withDetails(ctx context.Context, tx *sql.Tx, companyID int64) (rowFollower[erp.ArtikelImport, productRow], error) {
	return newDetailWriter(ctx, tx, companyID)
}

// A product's list-valued details are stored as the wire JSON
// of the list, written by the SDK's models of its parts (the one source of
// the wire format), so that the list call copies them out as they are. An
// empty list is stored as NULL, which a reader fetches for free and the
// list call writes as []. The schema lets nothing but a JSON array or NULL
// into these columns (migration 0009), which is what makes copying safe.

// jsonList stores a list of the SDK's wire types as its JSON.
type jsonList[T any] struct{ p *[]T }

func listOf[T any](p *[]T) jsonList[T] { return jsonList[T]{p} }

func (jsonList[T]) kind() kind { return kJSON }

func (l jsonList[T]) Value() (driver.Value, error) {
	if len(*l.p) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(*l.p)
	return string(b), err
}

// Scan reads a stored list; NULL and [] both leave the field nil, as an
// import without the key does.
func (l jsonList[T]) Scan(src any) error {
	var s sql.NullString
	if err := s.Scan(src); err != nil {
		return err
	}
	*l.p = nil
	if s.String == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s.String), l.p); err != nil {
		return err
	}
	if len(*l.p) == 0 {
		*l.p = nil
	}
	return nil
}

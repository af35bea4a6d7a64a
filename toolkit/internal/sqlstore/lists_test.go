package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

// The list call copies a product's stored lists into the body unchecked, so
// the database must refuse anything but a JSON array in those columns.

// listColumns are product_details' list-valued columns.
var listColumns = []string{"fotos", "prijscategorieen", "ean", "samenstellingen", "ruwe_grondstoffen", "gebruiksaanwijzingen", "meer_info"}

// notArrays are values a list column must refuse: broken JSON, JSON that is
// not an array, the ” that migration 0009 turns into NULL, and text
// that only starts like an array.
var notArrays = []string{``, `[`, `[1,]`, `[{"url":"x"}`, `{}`, `{"0":[]}`, `"[]"`, `null`, `12`, `true`, `[] []`, `[]x`, `[01]`, "[\"\x01\"]"}

// engine is one storage engine, opened from its raw database handle so that
// a test can migrate it step by step.
type engine struct {
	name    string
	dialect func() (sqlstore.Dialect, error)
	open    func(t *testing.T) *sql.DB
}

func engines() []engine {
	return []engine{
		{"sqlite", sqlite.Dialect, func(t *testing.T) *sql.DB {
			db, err := sql.Open("sqlite", sqlite.DSN(filepath.Join(t.TempDir(), "erp.db")))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
		{"postgres", postgres.Dialect, func(t *testing.T) *sql.DB {
			db, err := sql.Open("pgx", erptest.PostgresDSN(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
	}
}

// openAt migrates db up to version v (all of them when v is 0).
func openAt(ctx context.Context, db *sql.DB, e engine, v int) (*sqlstore.Store, error) {
	d, err := e.dialect()
	if err != nil {
		return nil, err
	}
	if v > 0 {
		d.Migrations = d.Migrations[:v]
	}
	return sqlstore.New(ctx, db, d)
}

// seed fills st with the demo data, products with lists among them.
func seed(t *testing.T, st *sqlstore.Store) {
	t.Helper()
	svc, err := erp.NewService(erp.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
}

func scalar[T any](t *testing.T, db *sql.DB, query string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRow(query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

func TestListColumnsRefuseAllButArrays(t *testing.T) {
	ctx := context.Background()
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			db := e.open(t)
			st, err := openAt(ctx, db, e, 0)
			if err != nil {
				t.Fatal(err)
			}
			seed(t, st)
			withDetails := scalar[int64](t, db, `SELECT product_id FROM product_details ORDER BY product_id LIMIT 1`)
			// A product without details, for the inserts.
			without := scalar[int64](t, db, `SELECT MAX(product_id) FROM product_details`)
			if _, err := db.ExecContext(ctx, `DELETE FROM product_details WHERE product_id = $1`, without); err != nil {
				t.Fatal(err)
			}
			bad := notArrays
			if e.name == "sqlite" {
				// Bytes bound as a BLOB: a JSON array, but not text.
				bad = append(bad, "blob")
			}
			for _, col := range listColumns {
				before := scalar[string](t, db, `SELECT `+col+` FROM product_details WHERE product_id = $1`, withDetails)
				for _, v := range bad {
					var arg any = v
					if v == "blob" {
						arg = []byte(`["5412345000013"]`)
					}
					if _, err := db.ExecContext(ctx, `UPDATE product_details SET `+col+` = $1 WHERE product_id = $2`, arg, withDetails); err == nil {
						t.Errorf("%s: updating to %q was accepted", col, v)
					}
					if _, err := db.ExecContext(ctx, `INSERT INTO product_details (product_id, interne_notitie, merk, fotos, prijscategorieen, ean,
						samenstellingen, ruwe_grondstoffen, gebruiksaanwijzingen, meer_info) VALUES ($1, '', '', `+values(col)+`)`, without, arg); err == nil {
						t.Errorf("%s: inserting %q was accepted", col, v)
						db.ExecContext(ctx, `DELETE FROM product_details WHERE product_id = $1`, without)
					}
				}
				if got := scalar[string](t, db, `SELECT `+col+` FROM product_details WHERE product_id = $1`, withDetails); got != before {
					t.Errorf("%s: %q after the refused writes, was %q", col, got, before)
				}
				// The same statements with an array go through, so the
				// refusals above are the check's and not a mistake of the
				// test's SQL.
				if _, err := db.ExecContext(ctx, `UPDATE product_details SET `+col+` = $1 WHERE product_id = $2`, ` [ {"a": [1, 2.5e3, "\u00e9"]} ] `, withDetails); err != nil {
					t.Errorf("%s: an array refused: %v", col, err)
				}
				if _, err := db.ExecContext(ctx, `INSERT INTO product_details (product_id, interne_notitie, merk, fotos, prijscategorieen, ean,
					samenstellingen, ruwe_grondstoffen, gebruiksaanwijzingen, meer_info) VALUES ($1, '', '', `+values(col)+`)`, without, `[]`); err != nil {
					t.Errorf("%s: inserting an array refused: %v", col, err)
				}
				if _, err := db.ExecContext(ctx, `DELETE FROM product_details WHERE product_id = $1`, without); err != nil {
					t.Fatal(err)
				}
			}
			if n := scalar[int](t, db, `SELECT COUNT(*) FROM product_details WHERE product_id = $1`, without); n != 0 {
				t.Errorf("%d rows of details for the product without", n)
			}
		})
	}
}

// values lists the list columns' values for an insert: $2 for col, an empty
// array for the others.
func values(col string) string {
	vs := make([]string, len(listColumns))
	for i, c := range listColumns {
		vs[i] = `'[]'`
		if c == col {
			vs[i] = `$2`
		}
	}
	return strings.Join(vs, ", ")
}

// TestMigrationChecksStoredLists: migration 0009 keeps every healthy row as
// it was (byte for byte; an empty list, written ” before, becomes NULL),
// and a damaged row stops it with a message that names the product and the
// column, dropping nothing.
func TestMigrationChecksStoredLists(t *testing.T) {
	ctx := context.Background()
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			db := e.open(t)
			old, err := openAt(ctx, db, e, 8)
			if err != nil {
				t.Fatal(err)
			}
			// Products as version 8 stored them, the lists by hand, ''
			// for none.
			svc, err := erp.NewService(erp.Config{Store: old})
			if err != nil {
				t.Fatal(err)
			}
			co := erptest.Must(svc.CreateCompany(ctx, "lijsten", "Lijsten"))(t)
			for _, sku := range []string{"A-1", "A-2", "A-3"} {
				insertProduct(t, db, co.ID, cloudspot.Artikel{Naam: "Product " + sku, SKU: sku, VoorraadBijhouden: "NIET", Bestellingtype: "IDEAAL", Status: "ZICHTBAAR",
					VerkoopprijsExcl: cloudspot.MustParseDecimal("1"), VerkoopprijsIncl: cloudspot.MustParseDecimal("1.21"), BTW: cloudspot.MustParseDecimal("21")})
			}
			ids := make([]int64, 0, 3)
			rows, err := db.QueryContext(ctx, `SELECT id FROM products ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			rows.Close()
			if len(ids) != 3 {
				t.Fatalf("%d products, want 3", len(ids))
			}
			// Spaced and in an order jsonb would change: kept as is.
			const fotos = `[ {"url": "https://img.example.com/1.jpg", "is_hoofdfoto": true}, {"is_hoofdfoto": false, "url": "https://img.example.com/2.jpg"} ]`
			for i, id := range ids {
				f := ""
				if i == 0 {
					f = fotos
				}
				if _, err := db.ExecContext(ctx, `INSERT INTO product_details (product_id, interne_notitie, merk, fotos, prijscategorieen, ean,
					samenstellingen, ruwe_grondstoffen, gebruiksaanwijzingen, meer_info) VALUES ($1, '', 'Merk', $2, '', '["5412345000013"]', '', '', '', '')`, id, f); err != nil {
					t.Fatal(err)
				}
			}
			damaged := ids[2]
			for _, v := range []string{`[{"text": "x", "taal": "nl"}`, `{"text": "x", "taal": "nl"}`} {
				if _, err := db.ExecContext(ctx, `UPDATE product_details SET samenstellingen = $1 WHERE product_id = $2`, v, damaged); err != nil {
					t.Fatal(err)
				}
				_, err := openAt(ctx, db, e, 0)
				want := "product " + strconv.FormatInt(damaged, 10) + ": its stored samenstellingen is not a JSON array"
				if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "0009_") {
					t.Fatalf("migrating with samenstellingen %s: %v, want an error saying %q", v, err, want)
				}
				if n := scalar[int](t, db, `SELECT MAX(version) FROM schema_migrations`); n != 8 {
					t.Errorf("schema at version %d after the failed migration, want 8", n)
				}
				if n := scalar[int](t, db, `SELECT COUNT(*) FROM product_details`); n != 3 {
					t.Errorf("%d rows of details after the failed migration, want 3", n)
				}
			}
			if _, err := db.ExecContext(ctx, `UPDATE product_details SET samenstellingen = '' WHERE product_id = $1`, damaged); err != nil {
				t.Fatal(err)
			}
			st, err := openAt(ctx, db, e, 0)
			if err != nil {
				t.Fatalf("migrating the repaired data: %v", err)
			}
			if n := scalar[int](t, db, `SELECT COUNT(*) FROM product_details`); n != 3 {
				t.Errorf("%d rows of details after the migration, want 3", n)
			}
			if n := scalar[int](t, db, `SELECT COUNT(*) FROM product_details WHERE fotos IS NULL AND prijscategorieen IS NULL AND ean IS NOT NULL
				AND samenstellingen IS NULL AND ruwe_grondstoffen IS NULL AND gebruiksaanwijzingen IS NULL AND meer_info IS NULL`); n != 2 {
				t.Errorf("%d products with their empty lists NULL after the migration, want 2", n)
			}
			// (Another query text than before: PostgreSQL refuses a
			// statement prepared before the column changed type.)
			if got := scalar[string](t, db, `SELECT CAST(fotos AS TEXT) FROM product_details WHERE product_id = $1`, ids[0]); got != fotos {
				t.Errorf("fotos changed in the migration:\n got %s\nwant %s", got, fotos)
			}
			// The store reads the migrated rows: an empty list is none.
			companyID := scalar[int64](t, db, `SELECT company_id FROM products WHERE id = $1`, ids[0])
			for i, id := range ids {
				a, err := st.Artikel(ctx, companyID, id)
				if err != nil {
					t.Fatal(err)
				}
				if len(a.Fotos) != map[bool]int{true: 2, false: 0}[i == 0] || a.Samenstellingen != nil || len(a.EAN) != 1 || a.Merk != "Merk" {
					t.Errorf("product %d read back as fotos %v, samenstellingen %#v, EAN %v, merk %q", id, a.Fotos, a.Samenstellingen, a.EAN, a.Merk)
				}
			}
		})
	}
}

// insertProduct stores a product's protocol fields as every version of
// the schema has stored them, by hand, and returns its id.
func insertProduct(t *testing.T, db *sql.DB, companyID int64, a cloudspot.Artikel) int64 {
	t.Helper()
	text := func(v interface{ MarshalText() ([]byte, error) }) string {
		b, err := v.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var id int64
	err := db.QueryRow(`INSERT INTO products (company_id, naam, beschrijving, sku, voorraad_bijhouden, op_voorraad, product_url,
		verkoopprijs_excl, verkoopprijs_incl, inkoopprijs_excl, inkoopprijs_incl, btw, bestellingtype, units_per_bestelling, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		companyID, a.Naam, a.Beschrijving, a.SKU, string(a.VoorraadBijhouden), text(a.OpVoorraad), a.ProductURL,
		text(a.VerkoopprijsExcl), text(a.VerkoopprijsIncl), text(a.InkoopprijsExcl), text(a.InkoopprijsIncl), text(a.BTW),
		string(a.Bestellingtype), text(a.UnitsPerBestelling), string(a.Status)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestMigrationWritesWireJSON: the migration that adds the wire columns
// leaves no row without its JSON: the store writes it for every existing
// product, product's details and client when it opens, before it serves
// anything, exactly as an import of the same records writes it.
func TestMigrationWritesWireJSON(t *testing.T) {
	ctx := context.Background()
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			db := e.open(t)
			old, err := openAt(ctx, db, e, 9)
			if err != nil {
				t.Fatal(err)
			}
			svc := erptest.Must(erp.NewService(erp.Config{Store: old}))(t)
			co := erptest.Must(svc.CreateCompany(ctx, "oud", "Oud"))(t)
			erptest.Must(svc.ImportCategorieen(ctx, "oud", erp.Records([]erp.NewCategorie{{Naam: "Koffie & <thee>"}, {Naam: "Gebak"}})))(t)
			koffie := scalar[int64](t, db, `SELECT id FROM categories WHERE naam = 'Koffie & <thee>'`)
			gebak := scalar[int64](t, db, `SELECT id FROM categories WHERE naam = 'Gebak'`)
			// As version 9 stored them, written by hand: a product with
			// details and hostile text, one without, a client.
			detailed := cloudspot.Artikel{Naam: `Koffie "Oud" & <nieuw>` + "\u2028", SKU: "K-1", VoorraadBijhouden: "FYSIEK",
				OpVoorraad: cloudspot.MustParseDecimal("12.50"), ProductURL: "https://example.com/p?a=1&b=2",
				VerkoopprijsExcl: cloudspot.MustParseDecimal("1.00"), VerkoopprijsIncl: cloudspot.MustParseDecimal("1.21"),
				BTW: cloudspot.MustParseDecimal("21"), Bestellingtype: "IDEAAL", UnitsPerBestelling: cloudspot.MustParseDecimal("1"), Status: "ZICHTBAAR",
				InterneNotitie: "intern\t", Merk: "Merk", MerkID: 7, CategorieID: koffie,
				Categorieen: []cloudspot.CategorieRef{{ID: gebak}, {ID: koffie}},
				Fotos:       []cloudspot.Foto{{URL: "https://img.example.com/1.jpg", IsHoofdfoto: true}},
				EAN:         []string{"5412345000013"}}
			plain := cloudspot.Artikel{Naam: "Thee", SKU: "T-1", VoorraadBijhouden: "NIET", Bestellingtype: "IDEAAL", Status: "ZICHTBAAR"}
			id := insertProduct(t, db, co.ID, detailed)
			insertProduct(t, db, co.ID, plain)
			for _, q := range []struct {
				query string
				args  []any
			}{
				{`INSERT INTO product_details (product_id, interne_notitie, merk, merk_id, categorie_id, fotos, ean) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
					[]any{id, detailed.InterneNotitie, detailed.Merk, detailed.MerkID, koffie, `[{"url":"https://img.example.com/1.jpg","is_hoofdfoto":true}]`, `["5412345000013"]`}},
				{`INSERT INTO product_categories (product_id, position, category_id) VALUES ($1, 0, $2), ($1, 1, $3)`, []any{id, gebak, koffie}},
				{`INSERT INTO clients (company_id, klantennummer, aanspreektitel, voornaam, achternaam, straat, huisnummer, busnummer, postcode,
					plaats, land, geboortedatum, geboorteplaats, is_bedrijf, bedrijfsnaam, btw_nummer, ondernemingsnummer)
					VALUES ($1, 5, 'Mevr.', 'Anna', 'Peeters', 'Markt', '1', '', '9000', 'Gent', 'BE', '1980-02-29', '', $2, '', '', '')`, []any{co.ID, false}},
			} {
				if _, err := db.ExecContext(ctx, q.query, q.args...); err != nil {
					t.Fatal(err)
				}
			}
			st, err := openAt(ctx, db, e, 0)
			if err != nil {
				t.Fatalf("migrating: %v", err)
			}
			for _, table := range []string{"products", "product_details", "clients"} {
				if n := scalar[int](t, db, `SELECT COUNT(*) FROM `+table+` WHERE wire = ''`); n != 0 {
					t.Errorf("%d rows of %s without their wire JSON after the migration", n, table)
				}
			}
			lists := func() map[erp.ListBody][]string {
				out := map[erp.ListBody][]string{}
				for _, body := range []erp.ListBody{erp.ArtikelsBody, erp.DetailedArtikelsBody, erp.KlantenBody} {
					err := st.StreamList(ctx, co.ID, body, func(int64) error { return nil }, func(row []byte) error {
						out[body] = append(out[body], string(row))
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
				}
				return out
			}
			migrated := lists()
			if want := `{"id":` + strconv.FormatInt(id, 10) + `,"naam":"Koffie \"Oud\" \u0026 \u003cnieuw\u003e\u2028","beschrijving":null,"SKU":"K-1",` +
				`"voorraad_bijhouden":"FYSIEK","op_voorraad":12.50,"product_url":"https://example.com/p?a=1\u0026b=2","verkoopprijs_excl":1.00,` +
				`"verkoopprijs_incl":1.21,"inkoopprijs_excl":null,"inkoopprijs_incl":null,"BTW":21,"bestellingtype":"IDEAAL","units_per_bestelling":1,` +
				`"status":"ZICHTBAAR","interne_notitie":"intern\t","merk":"Merk","merk_id":7,"categorie":"Koffie \u0026 \u003cthee\u003e",` +
				`"categorie_id":` + strconv.FormatInt(koffie, 10) + `,"categorieen":[{"id":` + strconv.FormatInt(gebak, 10) + `,"naam":"Gebak"},` +
				`{"id":` + strconv.FormatInt(koffie, 10) + `,"naam":"Koffie \u0026 \u003cthee\u003e"}],` +
				`"fotos":[{"url":"https://img.example.com/1.jpg","is_hoofdfoto":true}],"prijscategorieen":[],"EAN":["5412345000013"],` +
				`"samenstellingen":[],"ruwe_grondstoffen":[],"gebruiksaanwijzingen":[],"meer_info":[]}`; len(migrated[erp.DetailedArtikelsBody]) != 2 ||
				migrated[erp.DetailedArtikelsBody][0] != want {
				t.Errorf("the migrated product in version 0.6:\n%q\nwant\n%s", migrated[erp.DetailedArtikelsBody], want)
			}
			// Imported again, the same records write the same JSON.
			svc = erptest.Must(erp.NewService(erp.Config{Store: st}))(t)
			erptest.Must(svc.ImportArtikels(ctx, "oud", erp.Records([]cloudspot.Artikel{detailed, plain})))(t)
			erptest.Must(svc.ImportKlanten(ctx, "oud", erp.Records([]cloudspot.Klant{erptest.Must(st.Klanten(ctx, co.ID))(t)[0].Klant})))(t)
			if imported := lists(); !reflect.DeepEqual(imported, migrated) {
				t.Errorf("imported again, the lists are\n%q\nthe migration wrote\n%q", imported, migrated)
			}
		})
	}
}

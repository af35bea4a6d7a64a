package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Decimals are stored as their text, exact and with their scale, and dates
// as "YYYY-MM-DD" ("" when unset), the same in every engine.

// catalogueTable is one of the per-company tables that imports fill: its
// rows are unique by (company_id, key), and an import updates every other
// column of a row it finds.
type catalogueTable struct {
	name string
	key  string
	cols []string // data columns, key among them, in argument order
}

var (
	productsTable = catalogueTable{name: "products", key: "sku", cols: []string{"naam", "beschrijving", "sku", "voorraad_bijhouden",
		"op_voorraad", "product_url", "verkoopprijs_excl", "verkoopprijs_incl", "inkoopprijs_excl", "inkoopprijs_incl", "btw",
		"bestellingtype", "units_per_bestelling", "status"}}
	clientsTable = catalogueTable{name: "clients", key: "klantennummer", cols: []string{"klantennummer", "aanspreektitel", "voornaam",
		"achternaam", "straat", "huisnummer", "busnummer", "postcode", "plaats", "land", "geboortedatum", "geboorteplaats",
		"is_bedrijf", "bedrijfsnaam", "btw_nummer", "ondernemingsnummer"}}
	productCols = strings.Join(productsTable.cols, ", ")
	clientCols  = strings.Join(clientsTable.cols, ", ")
)

func (t catalogueTable) upsertSQL() string {
	set := make([]string, 0, len(t.cols))
	for _, c := range t.cols {
		if c != t.key {
			set = append(set, c+" = excluded."+c)
		}
	}
	return `INSERT INTO ` + t.name + ` (company_id, ` + strings.Join(t.cols, ", ") + `) VALUES (?, ` + placeholders(len(t.cols)) + `)
		ON CONFLICT (company_id, ` + t.key + `) DO UPDATE SET ` + strings.Join(set, ", ")
}

// importRecords creates or updates n records of table in one transaction.
// record(i) gives the i-th record's label for errors, its key and its
// column values in table.cols order.
func (s *Store) importRecords(ctx context.Context, companyID int64, table catalogueTable, n int, record func(i int) (label string, key any, args []any)) (erp.ImportResult, error) {
	var r erp.ImportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r = erp.ImportResult{}
		// One import into a company at a time, so that concurrent imports
		// of the same records count each one created exactly once.
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		exists, err := tx.PrepareContext(ctx, s.q(`SELECT COUNT(*) FROM `+table.name+` WHERE company_id = ? AND `+table.key+` = ?`))
		if err != nil {
			return err
		}
		defer exists.Close()
		upsert, err := tx.PrepareContext(ctx, s.q(table.upsertSQL()))
		if err != nil {
			return err
		}
		defer upsert.Close()
		for i := range n {
			label, key, args := record(i)
			args = append([]any{companyID}, args...)
			if err := checkText(args...); err != nil {
				return erp.Errorf(erp.EInvalid, "record %d (%s): %s", i+1, label, err.Message)
			}
			var found int
			if err := exists.QueryRowContext(ctx, companyID, key).Scan(&found); err != nil {
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

// ImportProducts implements erp.Store.
func (s *Store) ImportProducts(ctx context.Context, companyID int64, ps []cloudspot.Artikel) (erp.ImportResult, error) {
	return s.importRecords(ctx, companyID, productsTable, len(ps), func(i int) (string, any, []any) {
		a := &ps[i]
		return fmt.Sprintf("SKU %q", a.SKU), a.SKU, []any{a.Naam, a.Beschrijving, a.SKU, string(a.VoorraadBijhouden), a.OpVoorraad.String(),
			a.ProductURL, a.VerkoopprijsExcl.String(), a.VerkoopprijsIncl.String(), a.InkoopprijsExcl.String(), a.InkoopprijsIncl.String(),
			a.BTW.String(), string(a.Bestellingtype), a.UnitsPerBestelling.String(), string(a.Status)}
	})
}

// ImportClients implements erp.Store.
func (s *Store) ImportClients(ctx context.Context, companyID int64, ks []cloudspot.Klant) (erp.ImportResult, error) {
	return s.importRecords(ctx, companyID, clientsTable, len(ks), func(i int) (string, any, []any) {
		k := &ks[i]
		return fmt.Sprintf("klantennummer %d", k.Klantennummer), k.Klantennummer, []any{k.Klantennummer, string(k.Aanspreektitel),
			k.Voornaam, k.Achternaam, k.Straat, k.Huisnummer, k.Busnummer, k.Postcode, k.Plaats, k.Land, k.Geboortedatum.String(),
			k.Geboorteplaats, k.IsBedrijf, k.Bedrijfsnaam, k.BTWNummer, k.Ondernemingsnummer}
	})
}

// Products implements erp.Store.
func (s *Store) Products(ctx context.Context, companyID int64) ([]erp.Product, error) {
	return list(ctx, s, `SELECT id, company_id, `+productCols+` FROM products WHERE company_id = ? ORDER BY id`, []any{companyID}, scanProduct)
}

// Product implements erp.Store.
func (s *Store) Product(ctx context.Context, companyID, id int64) (*erp.Product, error) {
	p, err := scanProduct(s.db.QueryRowContext(ctx, s.q(`SELECT id, company_id, `+productCols+` FROM products WHERE company_id = ? AND id = ?`), companyID, id))
	return p, s.wrap(err)
}

func scanProduct(row interface{ Scan(...any) error }) (*erp.Product, error) {
	var p erp.Product
	var d [7]string
	a := &p.Artikel
	err := row.Scan(&p.ID, &p.CompanyID, &a.Naam, &a.Beschrijving, &a.SKU, &a.VoorraadBijhouden, &d[0], &a.ProductURL,
		&d[1], &d[2], &d[3], &d[4], &d[5], &a.Bestellingtype, &d[6], &a.Status)
	if err != nil {
		return nil, err
	}
	for i, dst := range []*cloudspot.Decimal{&a.OpVoorraad, &a.VerkoopprijsExcl, &a.VerkoopprijsIncl, &a.InkoopprijsExcl, &a.InkoopprijsIncl, &a.BTW, &a.UnitsPerBestelling} {
		if err := dst.UnmarshalText([]byte(d[i])); err != nil {
			return nil, fmt.Errorf("product %d: %w", p.ID, err)
		}
	}
	return &p, nil
}

// Clients implements erp.Store.
func (s *Store) Clients(ctx context.Context, companyID int64) ([]erp.Client, error) {
	return list(ctx, s, `SELECT id, company_id, `+clientCols+` FROM clients WHERE company_id = ? ORDER BY klantennummer`, []any{companyID},
		func(row interface{ Scan(...any) error }) (*erp.Client, error) {
			var c erp.Client
			var birth string
			k := &c.Klant
			err := row.Scan(&c.ID, &c.CompanyID, &k.Klantennummer, &k.Aanspreektitel, &k.Voornaam, &k.Achternaam, &k.Straat,
				&k.Huisnummer, &k.Busnummer, &k.Postcode, &k.Plaats, &k.Land, &birth, &k.Geboorteplaats, &k.IsBedrijf,
				&k.Bedrijfsnaam, &k.BTWNummer, &k.Ondernemingsnummer)
			if err != nil {
				return nil, err
			}
			if err := k.Geboortedatum.UnmarshalText([]byte(birth)); err != nil {
				return nil, fmt.Errorf("client %d: %w", c.ID, err)
			}
			return &c, nil
		})
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/erp"
)

// Decimals are stored as their text, exact and with their scale, and dates
// as "YYYY-MM-DD" ("" when unset), the same in every engine.

const productCols = `naam, beschrijving, sku, voorraad_bijhouden, op_voorraad, product_url, verkoopprijs_excl, verkoopprijs_incl,
	inkoopprijs_excl, inkoopprijs_incl, btw, bestellingtype, units_per_bestelling, status`

func productArgs(a *cloudspot.Artikel) []any {
	return []any{a.Naam, a.Beschrijving, a.SKU, string(a.VoorraadBijhouden), a.OpVoorraad.String(), a.ProductURL,
		a.VerkoopprijsExcl.String(), a.VerkoopprijsIncl.String(), a.InkoopprijsExcl.String(), a.InkoopprijsIncl.String(),
		a.BTW.String(), string(a.Bestellingtype), a.UnitsPerBestelling.String(), string(a.Status)}
}

// ImportProducts implements erp.Store.
func (s *Store) ImportProducts(ctx context.Context, companyID int64, ps []cloudspot.Artikel) (erp.ImportResult, error) {
	var r erp.ImportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r = erp.ImportResult{}
		// One import into a company at a time, so that concurrent imports
		// of the same records count each one created exactly once.
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		exists, err := tx.PrepareContext(ctx, s.q(`SELECT COUNT(*) FROM products WHERE company_id = ? AND sku = ?`))
		if err != nil {
			return err
		}
		defer exists.Close()
		upsert, err := tx.PrepareContext(ctx, s.q(`INSERT INTO products (company_id, `+productCols+`)
			VALUES (?, `+placeholders(14)+`)
			ON CONFLICT (company_id, sku) DO UPDATE SET naam = excluded.naam, beschrijving = excluded.beschrijving,
				voorraad_bijhouden = excluded.voorraad_bijhouden, op_voorraad = excluded.op_voorraad, product_url = excluded.product_url,
				verkoopprijs_excl = excluded.verkoopprijs_excl, verkoopprijs_incl = excluded.verkoopprijs_incl,
				inkoopprijs_excl = excluded.inkoopprijs_excl, inkoopprijs_incl = excluded.inkoopprijs_incl, btw = excluded.btw,
				bestellingtype = excluded.bestellingtype, units_per_bestelling = excluded.units_per_bestelling, status = excluded.status`))
		if err != nil {
			return err
		}
		defer upsert.Close()
		for i := range ps {
			args := append([]any{companyID}, productArgs(&ps[i])...)
			if err := checkText(args...); err != nil {
				return erp.Errorf(erp.EInvalid, "record %d (SKU %q): %s", i+1, ps[i].SKU, err.Message)
			}
			var n int
			if err := exists.QueryRowContext(ctx, companyID, ps[i].SKU).Scan(&n); err != nil {
				return err
			}
			if _, err := upsert.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("record %d (SKU %q): %w", i+1, ps[i].SKU, err)
			}
			if n > 0 {
				r.Updated++
			} else {
				r.Created++
			}
		}
		return nil
	})
	return r, err
}

// Products implements erp.Store.
func (s *Store) Products(ctx context.Context, companyID int64) ([]erp.Product, error) {
	return list(ctx, s, `SELECT id, company_id, `+productCols+` FROM products WHERE company_id = ? ORDER BY id`, []any{companyID},
		func(row interface{ Scan(...any) error }) (*erp.Product, error) {
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
		})
}

const clientCols = `klantennummer, aanspreektitel, voornaam, achternaam, straat, huisnummer, busnummer, postcode, plaats, land,
	geboortedatum, geboorteplaats, is_bedrijf, bedrijfsnaam, btw_nummer, ondernemingsnummer`

func clientArgs(k *cloudspot.Klant) []any {
	return []any{k.Klantennummer, string(k.Aanspreektitel), k.Voornaam, k.Achternaam, k.Straat, k.Huisnummer, k.Busnummer,
		k.Postcode, k.Plaats, k.Land, k.Geboortedatum.String(), k.Geboorteplaats, k.IsBedrijf, k.Bedrijfsnaam, k.BTWNummer, k.Ondernemingsnummer}
}

// ImportClients implements erp.Store.
func (s *Store) ImportClients(ctx context.Context, companyID int64, ks []cloudspot.Klant) (erp.ImportResult, error) {
	var r erp.ImportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r = erp.ImportResult{}
		// One import into a company at a time, so that concurrent imports
		// of the same records count each one created exactly once.
		if err := s.lockRow(ctx, tx, "companies", "slug", companyID); err != nil {
			return err
		}
		exists, err := tx.PrepareContext(ctx, s.q(`SELECT COUNT(*) FROM clients WHERE company_id = ? AND klantennummer = ?`))
		if err != nil {
			return err
		}
		defer exists.Close()
		upsert, err := tx.PrepareContext(ctx, s.q(`INSERT INTO clients (company_id, `+clientCols+`)
			VALUES (?, `+placeholders(16)+`)
			ON CONFLICT (company_id, klantennummer) DO UPDATE SET aanspreektitel = excluded.aanspreektitel,
				voornaam = excluded.voornaam, achternaam = excluded.achternaam, straat = excluded.straat,
				huisnummer = excluded.huisnummer, busnummer = excluded.busnummer, postcode = excluded.postcode,
				plaats = excluded.plaats, land = excluded.land, geboortedatum = excluded.geboortedatum,
				geboorteplaats = excluded.geboorteplaats, is_bedrijf = excluded.is_bedrijf, bedrijfsnaam = excluded.bedrijfsnaam,
				btw_nummer = excluded.btw_nummer, ondernemingsnummer = excluded.ondernemingsnummer`))
		if err != nil {
			return err
		}
		defer upsert.Close()
		for i := range ks {
			args := append([]any{companyID}, clientArgs(&ks[i])...)
			if err := checkText(args...); err != nil {
				return erp.Errorf(erp.EInvalid, "record %d (klantennummer %d): %s", i+1, ks[i].Klantennummer, err.Message)
			}
			var n int
			if err := exists.QueryRowContext(ctx, companyID, ks[i].Klantennummer).Scan(&n); err != nil {
				return err
			}
			if _, err := upsert.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("record %d (klantennummer %d): %w", i+1, ks[i].Klantennummer, err)
			}
			if n > 0 {
				r.Updated++
			} else {
				r.Created++
			}
		}
		return nil
	})
	return r, err
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

package main

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// seeded is one company of the benchmark: n artikels and n klanten, and a
// company token that may read both.
type seeded struct {
	n     int
	token string
}

// seed creates one company per size, through the service as an import
// would.
func seed(ctx context.Context, svc *erp.Service, sizes []int) ([]seeded, error) {
	var out []seeded
	for _, n := range sizes {
		slug := fmt.Sprintf("bench%d", n)
		if _, err := svc.CreateCompany(ctx, slug, fmt.Sprintf("Bench %d BV", n)); err != nil {
			return nil, err
		}
		if _, err := svc.ImportArtikels(ctx, slug, artikels(n)); err != nil {
			return nil, fmt.Errorf("importing %d artikels: %w", n, err)
		}
		if _, err := svc.ImportKlanten(ctx, slug, klanten(n)); err != nil {
			return nil, fmt.Errorf("importing %d klanten: %w", n, err)
		}
		secret, _, err := svc.IssueCompanyToken(ctx, slug, "bench", erp.Rights{Artikels: true, Klanten: true})
		if err != nil {
			return nil, err
		}
		out = append(out, seeded{n: n, token: secret})
	}
	return out, nil
}

// benchPassword is the password of the sign-in users bench-1 ... bench-N.
const benchPassword = "cloudspot-bench"

// seedUsers creates n users for the sign-in burst: as many people signing
// in at once, not one person guessing. They share one hash, made once.
func seedUsers(ctx context.Context, st erp.Store, n int) error {
	hash, err := erp.HashPassword(benchPassword, erp.DefaultArgon2())
	if err != nil {
		return err
	}
	co, err := st.CompanyBySlug(ctx, demo.Company)
	if err != nil {
		return err
	}
	for i := range n {
		u := &erp.User{Username: fmt.Sprintf("bench-%d", i+1), PasswordHash: hash, FirstName: "Bench", LastName: fmt.Sprint(i + 1),
			CompanyID: co.ID, Active: true, CreatedAt: time.Now()}
		if err := st.CreateUser(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// artikels yields n products of about 600 bytes on the wire each, like a
// real catalogue: a long description, every price set.
func artikels(n int) iter.Seq2[erp.Record[cloudspot.Artikel], error] {
	desc := strings.Repeat("Zorgvuldig gebrande bonen uit Gent, medium body, tonen van noten en cacao. ", 4)
	prices := []string{"12.50", "23.00", "4.19", "119.00", "0.95", "1250.75"}
	return func(yield func(erp.Record[cloudspot.Artikel], error) bool) {
		for i := range n {
			p := cloudspot.MustParseDecimal(prices[i%len(prices)])
			a := cloudspot.Artikel{
				Naam: fmt.Sprintf("Product %d, huisblend %d g", i, 250+i%750), Beschrijving: desc, SKU: fmt.Sprintf("BENCH-%07d", i),
				VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek, OpVoorraad: cloudspot.MustParseDecimal(fmt.Sprint(i % 500)),
				ProductURL:       fmt.Sprintf("https://shop.example.be/p/%d", i),
				VerkoopprijsExcl: p, VerkoopprijsIncl: p, InkoopprijsExcl: p, InkoopprijsIncl: p, BTW: cloudspot.MustParseDecimal("21"),
				Bestellingtype: cloudspot.BestellingtypeIdeaal, UnitsPerBestelling: cloudspot.MustParseDecimal("1"), Status: cloudspot.ArtikelStatusZichtbaar,
			}
			if !yield(erp.Record[cloudspot.Artikel]{Value: a}, nil) {
				return
			}
		}
	}
}

func klanten(n int) iter.Seq2[erp.Record[cloudspot.Klant], error] {
	return func(yield func(erp.Record[cloudspot.Klant], error) bool) {
		for i := range n {
			k := cloudspot.Klant{
				Klantennummer: int64(i + 1), Aanspreektitel: cloudspot.AanspreektitelMevrouw, Voornaam: "Griet", Achternaam: fmt.Sprintf("Pauwels %d", i),
				Straat: "Overpoortstraat", Huisnummer: fmt.Sprint(1 + i%200), Postcode: "9000", Plaats: "Gent", Land: "BE",
				Geboortedatum: cloudspot.Date{Year: 1950 + i%50, Month: time.Month(1 + i%12), Day: 1 + i%28}, Geboorteplaats: "Eeklo",
			}
			if !yield(erp.Record[cloudspot.Klant]{Value: k}, nil) {
				return
			}
		}
	}
}

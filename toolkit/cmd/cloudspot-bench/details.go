package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Products with their details (API version 0.6): each with a brand, three
// categories, two photos, two price categories, two EANs and its texts in
// two languages, as a real catalogue that uses them fills them in. The
// -detailed flag sets how many.

// detailCategorieen is the category tree of a company of such products.
var detailCategorieen = []erp.NewCategorie{
	{Naam: "Dranken"},
	{Naam: "Koffie", Parents: []string{"Dranken"}},
	{Naam: "Bonen", Parents: []string{"Dranken", "Koffie"}},
	{Naam: "Thee", Parents: []string{"Dranken"}},
	{Naam: "Gebak"},
}

// seedDetailed creates a company of n products with every detail and a
// token that reads them.
func seedDetailed(ctx context.Context, svc *erp.Service, n int) (seeded, error) {
	slug := fmt.Sprintf("detailed%d", n)
	if _, err := svc.CreateCompany(ctx, slug, fmt.Sprintf("Detailed %d BV", n)); err != nil {
		return seeded{}, err
	}
	if _, err := svc.ImportCategorieen(ctx, slug, erp.Records(detailCategorieen)); err != nil {
		return seeded{}, fmt.Errorf("importing categories: %w", err)
	}
	if _, err := svc.ImportArtikels(ctx, slug, detailedArtikels(n)); err != nil {
		return seeded{}, fmt.Errorf("importing %d artikels with details: %w", n, err)
	}
	secret, _, err := svc.IssueCompanyToken(ctx, slug, "bench", erp.Rights{Artikels: true})
	if err != nil {
		return seeded{}, err
	}
	return seeded{n: n, token: secret}, nil
}

// detailedArtikels yields the products of artikels(n) with every field of
// version 0.6 set.
func detailedArtikels(n int) iter.Seq2[erp.Record[cloudspot.Artikel], error] {
	d := cloudspot.MustParseDecimal
	text := func(s string) []cloudspot.Translation {
		return []cloudspot.Translation{
			{Text: s, Taal: "nl", TaalDisplay: "Nederlands"},
			{Text: s + " (FR)", Taal: "fr", TaalDisplay: "Français"},
		}
	}
	return func(yield func(erp.Record[cloudspot.Artikel], error) bool) {
		i := 0
		for r, err := range artikels(n) {
			a := r.Value
			a.InterneNotitie = "Nabestellen bij de brander op maandag."
			a.Merk, a.MerkID = "Huisblend", int64(1+i%20)
			a.Categorie = "Bonen"
			a.Categorieen = []cloudspot.CategorieRef{{Naam: "Bonen"}, {Naam: "Koffie"}, {Naam: "Gebak"}}
			a.Fotos = []cloudspot.Foto{
				{URL: fmt.Sprintf("https://cdn.example.be/p/%d.jpg", i), IsHoofdfoto: true},
				{URL: fmt.Sprintf("https://cdn.example.be/p/%d-zijkant.jpg", i)},
			}
			a.Prijscategorieen = []cloudspot.Prijscategorie{
				{Label: "Horeca", LabelID: 2, Type: "VAST", Korting: d("10"), VerkoopprijsExcl: d("11.25"), VerkoopprijsIncl: d("11.93")},
				{Label: "Groothandel", LabelID: 3, Type: "KORTING", Korting: d("15")},
			}
			a.EAN = []string{fmt.Sprintf("54%011d", i), fmt.Sprintf("87%011d", i)}
			a.Samenstellingen = text("100 % arabica")
			a.RuweGrondstoffen = text("Koffiebonen uit Brazilië en Ethiopië")
			a.Gebruiksaanwijzingen = text("7 g per kop, water van 92 °C")
			a.MeerInfo = text("Gebrand in Gent")
			i++
			if !yield(erp.Record[cloudspot.Artikel]{Value: a}, err) {
				return
			}
		}
	}
}

// benchDetailedLists measures the 0.6 list of a company whose products
// have every detail: the server
// beside the same bytes served pre-encoded, and the SDK decoding those
// bytes beside encoding/json into plain structs with the same fields.
func benchDetailedLists(ctx context.Context, c config, srv *server, co seeded, stdout io.Writer) error {
	pid := srv.cmd.Process.Pid
	hdr := []string{"X-ERP-TOKEN", co.token, "X-Cloudspot-API-Version", "0.6"}
	body, err := fetch(ctx, srv.url+"/artikels/", hdr...)
	if err != nil {
		return err
	}
	if !strings.Contains(string(body[:min(len(body), 4096)]), `"prijscategorieen":[{`) {
		return fmt.Errorf("the server's answer in version 0.6 lacks the keys of the details: %.300s", body)
	}
	pre, stopPre, err := serveBytes(body)
	if err != nil {
		return err
	}
	defer stopPre()
	size, items := float64(len(body)), float64(co.n)
	t := table{title: fmt.Sprintf("Artikels in API version 0.6, %d products with every detail (body %s, %d bytes each)", co.n, mb(int64(len(body))), len(body)/co.n),
		head: []string{"call", "MB/s", "items/s", "p50", "p99", "server peak RSS", "client peak RSS", "errors"}}
	if err := addListCeilings(ctx, c, &t, pre, body, items); err != nil {
		return err
	}
	d, err := loadDuration(ctx, c.duration, srv.url+"/artikels/", hdr...)
	if err != nil {
		return err
	}
	resetPeakRSS(pid)
	l, err := runWrk(ctx, srv.url+"/artikels/", 1, 1, d, hdr...)
	if err != nil {
		return err
	}
	peak, _ := peakRSS(pid)
	t.add("server: GET /artikels/ in 0.6 (wrk -c1)", mbps(l.bytesPerSec), rate(l.reqPerSec*items), dur(l.p50), dur(l.p99), mb(peak), "-", l.errors)

	if err := addClientRows(ctx, c, &t, "stdjson06", pre, co, size); err != nil {
		return err
	}
	t.print(stdout)
	return nil
}

// plainDetailedArtikel is a product of version 0.6 as a program without the
// SDK would decode it with encoding/json.
type plainDetailedArtikel struct {
	plainArtikel
	ID             int64   `json:"id"`
	InterneNotitie *string `json:"interne_notitie"`
	Merk           *string `json:"merk"`
	MerkID         *int64  `json:"merk_id"`
	Categorie      *string `json:"categorie"`
	CategorieID    *int64  `json:"categorie_id"`
	Categorieen    []struct {
		ID   int64  `json:"id"`
		Naam string `json:"naam"`
	} `json:"categorieen"`
	Fotos []struct {
		URL         string `json:"url"`
		IsHoofdfoto bool   `json:"is_hoofdfoto"`
	} `json:"fotos"`
	Prijscategorieen []struct {
		Label            *string  `json:"label"`
		LabelID          *int64   `json:"label_id"`
		Type             *string  `json:"type"`
		Korting          *float64 `json:"korting"`
		VerkoopprijsExcl *float64 `json:"verkoopprijs_excl"`
		VerkoopprijsIncl *float64 `json:"verkoopprijs_incl"`
	} `json:"prijscategorieen"`
	EAN                  []string           `json:"EAN"`
	Samenstellingen      []plainTranslation `json:"samenstellingen"`
	RuweGrondstoffen     []plainTranslation `json:"ruwe_grondstoffen"`
	Gebruiksaanwijzingen []plainTranslation `json:"gebruiksaanwijzingen"`
	MeerInfo             []plainTranslation `json:"meer_info"`
}

type plainTranslation struct {
	Text        string `json:"text"`
	Taal        string `json:"taal"`
	TaalDisplay string `json:"taal_display"`
}

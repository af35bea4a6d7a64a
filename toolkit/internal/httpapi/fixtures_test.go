package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

type request struct {
	method, path string
	headers      map[string]string
	body         string
}

func send(t *testing.T, base string, r request) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(r.method, strings.TrimSuffix(base, "/api/v1")+r.path, strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// The wire test's own company, small enough that its golden bodies can be
// read: a product with every value set and one with the unset ones null; a
// person and a company as clients. It is given as the wire carries it.
const (
	wireArtikels = `[
		{"naam": "Hamer 500 g", "beschrijving": "Klauwhamer met glasvezelsteel.", "SKU": "GER-HAM-500",
		 "voorraad_bijhouden": "FYSIEK", "op_voorraad": 12, "product_url": "https://gereedschap.example/hamer",
		 "verkoopprijs_excl": 19.95, "verkoopprijs_incl": 24.14, "inkoopprijs_excl": 9.50, "inkoopprijs_incl": 11.50,
		 "BTW": 21, "bestellingtype": "IDEAAL", "units_per_bestelling": 6, "status": "ZICHTBAAR"},
		{"naam": "Workshop houtbewerking", "beschrijving": null, "SKU": "WS-HOUT",
		 "voorraad_bijhouden": "NIET", "op_voorraad": 0, "product_url": null,
		 "verkoopprijs_excl": 80, "verkoopprijs_incl": 96.80, "inkoopprijs_excl": 0, "inkoopprijs_incl": 0,
		 "BTW": 21, "bestellingtype": "BESTELLING", "units_per_bestelling": 1, "status": "NIET_VERKOOPBAAR"}
	]`
	wireKlanten = `[
		{"klantennummer": 7, "aanspreektitel": "Mevr.", "voornaam": "Els", "achternaam": "Wouters",
		 "straat": "Kerkstraat", "huisnummer": "12", "busnummer": null, "postcode": "2000", "plaats": "Antwerpen",
		 "land": "BE", "geboortedatum": "1990-02-28", "geboorteplaats": "Mechelen", "is_bedrijf": false,
		 "bedrijfsnaam": null, "BTW_nummer": null, "ondernemingsnummer": null},
		{"klantennummer": 8, "aanspreektitel": null, "voornaam": null, "achternaam": null,
		 "straat": "Industrieweg", "huisnummer": "3", "busnummer": "B", "postcode": "9000", "plaats": "Gent",
		 "land": "BE", "geboortedatum": null, "geboorteplaats": null, "is_bedrijf": true,
		 "bedrijfsnaam": "Bouw Claes NV", "BTW_nummer": "BE0123456789", "ondernemingsnummer": "0123.456.789"}
	]`
)

// seedWireCompany adds the wire test's company with its catalogue and
// clients, and returns it with a token holding both rights and one holding
// only products.
func seedWireCompany(t *testing.T, srv *erptest.Server) (co *erp.Company, token, productsOnly string) {
	t.Helper()
	ctx := context.Background()
	co = erptest.Must(srv.Service.CreateCompany(ctx, "wire", "Gereedschap Wire BV"))(t)
	var as []cloudspot.Artikel
	var ks []cloudspot.Klant
	if err := json.Unmarshal([]byte(wireArtikels), &as); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(wireKlanten), &ks); err != nil {
		t.Fatal(err)
	}
	// Version 0.6: a category tree, and the hammer with every key of its
	// details set (by category name, as an import file may); the
	// workshop has none, so that it shows each one unset.
	wireCategorieen := []erp.NewCategorie{{Naam: "Gereedschap"}, {Naam: "Handgereedschap", Parents: []string{"Gereedschap"}},
		{Naam: "Elektrisch <230 V> & \"snoer\"", Parents: []string{"Gereedschap"}}, {Naam: "Cursussen"}}
	if _, err := srv.Service.ImportCategorieen(ctx, co.Slug, erp.Records(wireCategorieen)); err != nil {
		t.Fatal(err)
	}
	as[0].InterneNotitie, as[0].Merk, as[0].MerkID = "Leverancier belt op maandag.", "Stanley", 12
	as[0].Categorie = "Handgereedschap"
	as[0].Categorieen = []cloudspot.CategorieRef{{Naam: "Handgereedschap"}, {Naam: "Gereedschap"}}
	as[0].Fotos = []cloudspot.Foto{{URL: "https://img.example/hamer.jpg", IsHoofdfoto: true}, {URL: "https://img.example/hamer-zij.jpg"}}
	as[0].Prijscategorieen = []cloudspot.Prijscategorie{
		{Label: "Horeca", LabelID: 2, Type: "VAST", Korting: cloudspot.MustParseDecimal("10"),
			VerkoopprijsExcl: cloudspot.MustParseDecimal("9.5"), VerkoopprijsIncl: cloudspot.MustParseDecimal("11.50")},
		{Label: "Actie"},
	}
	as[0].EAN = []string{"5411234567890", "00012345"}
	as[0].Samenstellingen = []cloudspot.Translation{{Text: "Staal, glasvezel", Taal: "nl", TaalDisplay: "Nederlands"}, {Text: "Acier\nfibre", Taal: "fr"}}
	as[0].Gebruiksaanwijzingen = []cloudspot.Translation{{Text: "Niet op <harde> oppervlakken & stenen", Taal: "nl", TaalDisplay: "Nederlands"}}
	if _, err := srv.Service.ImportArtikels(ctx, co.Slug, erp.Records(as)); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Service.ImportKlanten(ctx, co.Slug, erp.Records(ks)); err != nil {
		t.Fatal(err)
	}
	token, _, err := srv.Service.IssueCompanyToken(ctx, co.Slug, "wire", erp.Rights{Artikels: true, Klanten: true})
	if err != nil {
		t.Fatal(err)
	}
	productsOnly, _, err = srv.Service.IssueCompanyToken(ctx, co.Slug, "wire products", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}
	return co, token, productsOnly
}

// faultyStore fails in the two ways a store can: a panic, and an error
// whose text must not reach the client.
type faultyStore struct{ erp.Store }

func (faultyStore) StreamList(ctx context.Context, companyID int64, body erp.ListBody, stamp func(int64) error, fn erp.RowFunc) error {
	if body == erp.KlantenBody {
		return errors.New("connection to 10.0.0.7 user=erp password=hunter2 failed")
	}
	panic("products exploded")
}

// unavailableStore is a store whose database cannot be reached, as the
// storage engines report it.
type unavailableStore struct{ erp.Store }

func (unavailableStore) StreamList(ctx context.Context, companyID int64, body erp.ListBody, stamp func(int64) error, fn erp.RowFunc) error {
	return &erp.Error{Code: erp.EUnavailable, Message: "The database is unavailable; try again shortly."}
}

func (unavailableStore) Ping(ctx context.Context) error {
	return errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
}

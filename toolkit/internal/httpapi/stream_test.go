package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// hostileText is text that JSON encoders get wrong: quotes, backslashes,
// control characters, HTML, the JavaScript line separators, invalid UTF-8
// (which the store refuses, so it is not here) and non-ASCII letters.
var hostileText = []string{
	`"quoted" \back\slash/`, "tab\tnew\nline\rret\x01\x1f\b\f", "<script>&amp;</script>", "line\u2028sep\u2029",
	"Koffie ☕ café — 𝄞", "x",
}

func hostileArtikels(n int) []cloudspot.Artikel {
	prices := []string{"0", "12.50", "1000000000000000000000.000001", "23.00", "0.5", "7"}
	vat := []string{"0", "6", "21.00", "100", "12.5"}
	out := make([]cloudspot.Artikel, n)
	for i := range out {
		t := hostileText[i%len(hostileText)]
		d := cloudspot.MustParseDecimal(prices[i%len(prices)])
		out[i] = cloudspot.Artikel{Naam: t, Beschrijving: strings.Repeat(t, i%5), SKU: fmt.Sprintf("SKU-%06d", i),
			VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek, OpVoorraad: d, ProductURL: "https://example.com/p?a=1&b=<2>",
			VerkoopprijsExcl: d, VerkoopprijsIncl: d, InkoopprijsExcl: d, InkoopprijsIncl: d, BTW: cloudspot.MustParseDecimal(vat[i%len(vat)]),
			Bestellingtype: []cloudspot.Bestellingtype{cloudspot.BestellingtypeIdeaal, cloudspot.BestellingtypeBestelling}[i%2], UnitsPerBestelling: d, Status: cloudspot.ArtikelStatusZichtbaar}
	}
	return out
}

func hostileKlanten(n int) []cloudspot.Klant {
	out := make([]cloudspot.Klant, n)
	for i := range out {
		t := hostileText[i%len(hostileText)]
		k := cloudspot.Klant{Klantennummer: int64(i*7 + 1), Aanspreektitel: cloudspot.AanspreektitelMevrouw, Voornaam: t, Achternaam: t + t,
			Straat: t, Huisnummer: "12", Postcode: "1000", Plaats: "Brussel", Land: "BE", Geboorteplaats: t, IsBedrijf: i%2 == 0}
		if i%3 != 0 {
			k.Geboortedatum = cloudspot.Date{Year: 1950 + i%60, Month: time.Month(1 + i%12), Day: 1 + i%28}
		}
		if k.IsBedrijf {
			k.Bedrijfsnaam, k.BTWNummer, k.Ondernemingsnummer = t, "BE0123456789", "0123.456.789"
		}
		out[i] = k
	}
	return out
}

// hostileDetailedArtikels imports n products of company with every key of
// version 0.6 set, hostile text in each, and returns them.
func hostileDetailedArtikels(t *testing.T, srv *erptest.Server, company string, n int) []cloudspot.Artikel {
	t.Helper()
	ctx := context.Background()
	var cats []erp.NewCategorie
	for _, txt := range hostileText {
		if erp.CheckCategorieNaam(txt) == "" {
			cats = append(cats, erp.NewCategorie{Naam: txt}, erp.NewCategorie{Naam: txt + " kind", Parents: []string{txt}})
		}
	}
	erptest.Must(srv.Service.ImportCategorieen(ctx, company, erp.Records(cats)))(t)
	as := hostileArtikels(n)
	for i := range as {
		txt := hostileText[i%len(hostileText)]
		a := &as[i]
		a.InterneNotitie, a.Merk, a.MerkID = txt+" intern", txt, int64(i+1)
		c := cats[(2*i)%len(cats)]
		a.Categorie = c.Naam
		a.Categorieen = []cloudspot.CategorieRef{{Naam: cats[(2*i+1)%len(cats)].Naam}, {Naam: c.Naam}}
		a.Fotos = []cloudspot.Foto{{URL: "https://img.example/p?a=1&b=<" + fmt.Sprint(i) + ">", IsHoofdfoto: i%2 == 0}}
		d := cloudspot.MustParseDecimal([]string{"0", "12.50", "1000000000000000000000.000001", "7"}[i%4])
		a.Prijscategorieen = []cloudspot.Prijscategorie{{Label: txt, LabelID: int64(i), Type: "VAST", Korting: d, VerkoopprijsExcl: d, VerkoopprijsIncl: d}, {Label: "leeg"}}
		a.EAN = []string{fmt.Sprintf("%013d", i)}
		tr := []cloudspot.Translation{{Text: txt, Taal: "nl", TaalDisplay: "Nederlands"}, {Text: txt + txt, Taal: "fr"}}
		a.Samenstellingen, a.RuweGrondstoffen, a.Gebruiksaanwijzingen, a.MeerInfo = tr, tr[:1], tr[1:], tr
	}
	erptest.Must(srv.Service.ImportArtikels(ctx, company, erp.Records(as)))(t)
	return as
}

// modelBody is the body as encoding/json makes it from the SDK's models,
// which is how the server wrote lists before it streamed them.
func modelBody[T any](t *testing.T, data []T) []byte {
	t.Helper()
	b, err := json.Marshal(struct {
		Data []T `json:"data"`
	}{data})
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// protocolOnly is a product as a request without a version gets it (the
// protocol's 0.4 body): the models write the details when set, and
// the demo's products have them.
func protocolOnly(a cloudspot.Artikel) cloudspot.Artikel {
	a.InterneNotitie, a.Merk, a.MerkID, a.Categorie, a.CategorieID = "", "", 0, "", 0
	a.Categorieen, a.Fotos, a.Prijscategorieen, a.EAN = nil, nil, nil, nil
	a.Samenstellingen, a.RuweGrondstoffen, a.Gebruiksaanwijzingen, a.MeerInfo = nil, nil, nil, nil
	return a
}

// TestListsMatchModels holds the streaming encoder to the SDK's models:
// for hostile text, every kind of decimal, dates set and not, and an empty
// company, on each engine, the bodies are byte for byte what encoding/json
// makes of the models read back from the store.
func TestListsMatchModels(t *testing.T) {
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			srv := erptest.Start(t, erptest.Options{Demo: true, Store: e.Open(t)})
			ctx := context.Background()
			erptest.Must(srv.Service.ImportArtikels(ctx, demo.Company, erp.Records(hostileArtikels(700))))(t)
			erptest.Must(srv.Service.ImportKlanten(ctx, demo.Company, erp.Records(hostileKlanten(700))))(t)
			co := erptest.Must(srv.Store.CompanyBySlug(ctx, demo.Company))(t)
			ps := erptest.Must(srv.Store.Artikels(ctx, co.ID))(t)
			cs := erptest.Must(srv.Store.Klanten(ctx, co.ID))(t)
			if len(ps) < 700 || len(cs) < 700 {
				t.Fatalf("%d products and %d clients stored, want at least 700 each", len(ps), len(cs))
			}
			as := make([]cloudspot.Artikel, len(ps))
			for i, p := range ps {
				as[i] = protocolOnly(p.Artikel)
			}
			ks := make([]cloudspot.Klant, len(cs))
			for i, c := range cs {
				ks[i] = c.Klant
			}
			company := map[string]string{"X-ERP-TOKEN": demo.CompanyToken}
			for _, c := range []struct {
				path string
				want []byte
			}{
				{"/api/v1/artikels/", modelBody(t, as)},
				{"/api/v1/klanten/", modelBody(t, ks)},
			} {
				code, h, got := send(t, srv.URL, request{"GET", c.path, company, ""})
				if code != http.StatusOK || h.Get("Content-Type") != "application/json" {
					t.Fatalf("%s: %d %q", c.path, code, h.Get("Content-Type"))
				}
				if !bytes.Equal(got, c.want) {
					i := 0
					for i < len(got) && i < len(c.want) && got[i] == c.want[i] {
						i++
					}
					t.Errorf("%s: body differs from the models' at byte %d of %d:\n got …%s…\nwant …%s…", c.path, i, len(c.want),
						got[max(0, i-80):min(len(got), i+80)], c.want[max(0, i-80):min(len(c.want), i+80)])
				}
			}

			// Version 0.6, for products with every key of 0.6 set (the
			// models write a key of the details only when it is set), hostile text
			// in each.
			erptest.Must(srv.Service.CreateCompany(ctx, "rijk", "Rijk BV"))(t)
			detailed := hostileDetailedArtikels(t, srv, "rijk", 300)
			rijk := erptest.Must(srv.Store.CompanyBySlug(ctx, "rijk"))(t)
			stored := erptest.Must(srv.Store.Artikels(ctx, rijk.ID))(t)
			if len(stored) != len(detailed) {
				t.Fatalf("%d products with details stored, want %d", len(stored), len(detailed))
			}
			as = make([]cloudspot.Artikel, len(stored))
			for i, p := range stored {
				as[i] = p.Artikel
				as[i].ID = p.ID
			}
			token, _, err := srv.Service.IssueCompanyToken(ctx, "rijk", "t", erp.Rights{Artikels: true})
			if err != nil {
				t.Fatal(err)
			}
			code, _, got := send(t, srv.URL, request{"GET", "/api/v1/artikels/", map[string]string{"X-ERP-TOKEN": token, "X-Cloudspot-API-Version": "0.6"}, ""})
			if want := modelBody(t, as); code != http.StatusOK || !bytes.Equal(got, want) {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				t.Errorf("0.6 list: %d, body differs from the models' at byte %d of %d:\n got …%s…\nwant …%s…", code, i, len(want),
					got[max(0, i-80):min(len(got), i+80)], want[max(0, i-80):min(len(want), i+80)])
			}

			// A company with nothing in it: an empty list, not null.
			erptest.Must(srv.Service.CreateCompany(ctx, "leeg", "Leeg BV"))(t)
			secret, _, err := srv.Service.IssueCompanyToken(ctx, "leeg", "t", erp.Rights{Artikels: true, Klanten: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"/api/v1/artikels/", "/api/v1/klanten/"} {
				code, _, got := send(t, srv.URL, request{"GET", path, map[string]string{"X-ERP-TOKEN": secret}, ""})
				if code != http.StatusOK || string(got) != "{\"data\":[]}\n" {
					t.Errorf("%s of an empty company: %d %q", path, code, got)
				}
			}
		})
	}
}

// failingStore fails a list after a number of rows, as a database that
// goes away in the middle of a query does, while failing is set.
type failingStore struct {
	erp.Store
	after   int
	failing *atomic.Bool
}

var errGone = errors.New("database connection lost")

func (f failingStore) StreamList(ctx context.Context, companyID int64, body erp.ListBody, stamp func(int64) error, fn erp.RowFunc) error {
	if !f.failing.Load() {
		return f.Store.StreamList(ctx, companyID, body, stamp, fn)
	}
	n := 0
	err := f.Store.StreamList(ctx, companyID, body, stamp, func(row []byte) error {
		if n == f.after {
			return errGone
		}
		n++
		return fn(row)
	})
	if err == nil && n == f.after {
		err = errGone // fewer rows than after: fail at the end
	}
	return err
}

// TestListErrorMidStream: a list that fails while it is read must not end
// as a body that parses as a complete, shorter list. A list's body is
// written whole before its first byte goes out, so the client gets an
// ordinary JSON error however far the reading went, and nothing of the
// failed body is kept: the next list is whole.
func TestListErrorMidStream(t *testing.T) {
	t.Parallel()
	st := erptest.OpenSQLite(t)
	seed := erptest.Start(t, erptest.Options{Demo: true, Store: st})
	erptest.Must(seed.Service.ImportArtikels(context.Background(), demo.Company, erp.Records(hostileArtikels(1000))))(t)
	co := erptest.Must(st.CompanyBySlug(context.Background(), demo.Company))(t)
	stored := len(erptest.Must(st.Artikels(context.Background(), co.ID))(t))
	for _, c := range []struct {
		name  string
		after int
	}{
		{"BeforeFirstRow", 0},
		{"WithinFirstBuffer", 5},
		{"AfterManyBuffers", 900}, // hundreds of kilobytes read
	} {
		t.Run(c.name, func(t *testing.T) {
			failing := new(atomic.Bool)
			failing.Store(true)
			srv := erptest.Start(t, erptest.Options{Demo: true, Store: failingStore{Store: st, after: c.after, failing: failing}})
			company := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(srv.URL)))(t)
			req, _ := http.NewRequest("GET", srv.URL+"/artikels/", nil)
			req.Header.Set("X-ERP-TOKEN", demo.CompanyToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			var msg struct{ Message string }
			if err != nil || resp.StatusCode != http.StatusInternalServerError || json.Unmarshal(body, &msg) != nil || msg.Message != "Internal error." {
				t.Fatalf("got %d %.200q (read error %v), want a JSON 500", resp.StatusCode, body, err)
			}
			// The SDK says so too, instead of returning a short list.
			if as, err := company.Artikels.List(context.Background()); err == nil {
				t.Errorf("SDK List returned %d products and no error", len(as))
			}
			failing.Store(false)
			if as, err := company.Artikels.List(context.Background()); err != nil || len(as) != stored {
				t.Errorf("once the database is back: %d products, %v; want %d", len(as), err, stored)
			}
		})
	}
}

package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The caps that bound what a company's data can make the server send,
// each filled to the brim with text JSON must escape and read back over
// HTTP by several clients at once, as an attack would.

// withEmptyCompany runs test on a server of each engine that holds an empty
// company "groot".
func withEmptyCompany(t *testing.T, test func(t *testing.T, ctx context.Context, srv *erptest.Server)) {
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := erptest.Start(t, erptest.Options{Store: e.Open(t)})
			erptest.Must(srv.Service.CreateCompany(ctx, "groot", "Groot BV"))(t)
			test(t, ctx, srv)
		})
	}
}

// patientAPI is a client for answers at the caps: it reads up to 64 MiB,
// and waits for an answer to begin as long as the test runs. The SDK's
// default client gives up on an answer that takes 30 s to begin, and under
// the race detector on a busy machine several of these answers at once
// can take longer than that: the test would fail on time, not on what it
// tests.
func patientAPI(t *testing.T, srv *erptest.Server, token string) *cloudspot.CompanyAPI {
	t.Helper()
	return erptest.Must(cloudspot.NewCompanyAPI(token, cloudspot.WithBaseURL(srv.URL),
		cloudspot.WithMaxResponseBytes(64<<20), cloudspot.WithHTTPClient(&http.Client{})))(t)
}

// TestCategoryTreeAtTheCap fills a company with as many categories as it
// may hold, each name as long as allowed and made of characters JSON must
// escape, and reads the tree over HTTP with several clients at once: each
// gets every category. One more category is refused. The body's size is
// logged: the cap is what bounds it.
func TestCategoryTreeAtTheCap(t *testing.T) {
	t.Parallel()
	withEmptyCompany(t, func(t *testing.T, ctx context.Context, srv *erptest.Server) {
		naam := func(i int) string {
			p := fmt.Sprintf("%05d ", i)
			return p + strings.Repeat("\u2028", erp.MaxCategorieNaam-len(p)-1) + "<"
		}
		var cats []erp.NewCategorie
		var path []string
		for i := range erp.MaxCompanyCategorieen {
			c := erp.NewCategorie{Naam: naam(i)}
			if i < erp.MaxCategorieDepth {
				c.Parents = append([]string(nil), path...)
				path = append(path, c.Naam)
			}
			cats = append(cats, c)
		}
		erptest.Must(srv.Service.ImportCategorieen(ctx, "groot", erp.Records(cats)))(t)
		_, err := srv.Service.ImportCategorieen(ctx, "groot", erp.Records([]erp.NewCategorie{{Naam: "een te veel"}}))
		var ie *erp.ImportError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "at most 10000 categories") {
			t.Errorf("one category past the cap: %v", err)
		}

		token, _, err := srv.Service.IssueCompanyToken(ctx, "groot", "t", erp.Rights{Artikels: true})
		if err != nil {
			t.Fatal(err)
		}
		req := erptest.Must(http.NewRequestWithContext(ctx, "GET", srv.URL+"/categories/", nil))(t)
		req.Header.Set("X-ERP-TOKEN", token)
		resp := erptest.Must(http.DefaultClient.Do(req))(t)
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET /categories/: %d, %v", resp.StatusCode, err)
		}
		t.Logf("the tree of %d categories with the longest escaped names: %d bytes", erp.MaxCompanyCategorieen, n)

		api := patientAPI(t, srv, token)
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				tree, err := api.Categorieen.List(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				seen, depth := 0, 0
				var walk func(cs []cloudspot.Categorie, level int)
				walk = func(cs []cloudspot.Categorie, level int) {
					depth = max(depth, level)
					for _, c := range cs {
						if c.Naam != naam(seen) {
							t.Errorf("category %d read as %.20q", seen, c.Naam)
						}
						seen++
						walk(c.Children, level+1)
					}
				}
				walk(tree, 0)
				if seen != erp.MaxCompanyCategorieen || depth != erp.MaxCategorieDepth {
					t.Errorf("read %d categories %d levels deep, want %d and %d", seen, depth, erp.MaxCompanyCategorieen, erp.MaxCategorieDepth)
				}
			})
		}
		wg.Wait()
	})
}

// TestProductDetailsAtEveryLimit stores a product with every list of its
// details at its longest and every text at its largest, in hostile encodings,
// and reads it back over HTTP with several clients at once: each gets it whole
// and equal to what was stored. One more of anything is refused at import,
// with nothing written.
func TestProductDetailsAtEveryLimit(t *testing.T) {
	t.Parallel()
	withEmptyCompany(t, func(t *testing.T, ctx context.Context, srv *erptest.Server) {
		var path []string
		var cats []erp.NewCategorie
		for i := range erp.MaxCategorieDepth {
			naam := fmt.Sprintf("%d %s", i, strings.Repeat("ü\u2028<", (erp.MaxCategorieNaam-3)/3))
			cats = append(cats, erp.NewCategorie{Naam: naam, Parents: append([]string(nil), path...)})
			path = append(path, naam)
		}
		for i := range erp.MaxCategorieen - len(cats) {
			cats = append(cats, erp.NewCategorie{Naam: fmt.Sprintf("blad %03d \"&\\", i)})
		}
		erptest.Must(srv.Service.ImportCategorieen(ctx, "groot", erp.Records(cats)))(t)
		// 64 KiB of text in a hostile mix: 4-byte characters, the
		// line separators, HTML, quotes and control characters.
		unit := "𝄞\u2028\u2029<>&\"\\\t\x01é"
		big := strings.Repeat(unit, erp.MaxText/len(unit))
		texts := make([]cloudspot.Translation, erp.MaxTranslations)
		for i := range texts {
			texts[i] = cloudspot.Translation{Text: big, Taal: fmt.Sprintf("t%c", 'a'+i), TaalDisplay: unit}
		}
		a := cloudspot.Artikel{Naam: "Groot", SKU: "GROOT-1", VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet,
			Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar,
			InterneNotitie: big, Merk: big, MerkID: 1 << 62, Categorie: cats[0].Naam,
			Samenstellingen: texts, RuweGrondstoffen: texts, Gebruiksaanwijzingen: texts, MeerInfo: texts}
		for _, c := range cats {
			a.Categorieen = append(a.Categorieen, cloudspot.CategorieRef{Naam: c.Naam})
		}
		for i := range erp.MaxFotos {
			u := fmt.Sprintf("https://img.example/%02d?q=", i)
			u += strings.Repeat("%3C", (erp.MaxFotoURL-len(u))/3)
			a.Fotos = append(a.Fotos, cloudspot.Foto{URL: u + strings.Repeat("a", erp.MaxFotoURL-len(u)), IsHoofdfoto: i == 0})
		}
		for i := range erp.MaxPrijscategorieen {
			a.Prijscategorieen = append(a.Prijscategorieen, cloudspot.Prijscategorie{Label: big[:1000], LabelID: int64(i),
				Korting: cloudspot.MustParseDecimal("99999999999999999999.999999")})
		}
		for i := range erp.MaxEANs {
			a.EAN = append(a.EAN, fmt.Sprintf("%014d", i))
		}
		if ps := erp.CheckArtikel(a); len(ps) != 0 {
			t.Fatalf("the product at every limit has problems: %v", ps)
		}
		erptest.Must(srv.Service.ImportArtikels(ctx, "groot", erp.Records([]cloudspot.Artikel{a})))(t)
		co := erptest.Must(srv.Store.CompanyBySlug(ctx, "groot"))(t)
		// What the list must give back is the imported product with
		// the ids the server gave filled in: its own and its
		// categories' (named by their unique names in the file).
		ids := map[string]int64{}
		for _, c := range erptest.Must(srv.Store.Categorieen(ctx, co.ID))(t) {
			ids[c.Naam] = c.ID
		}
		want := a
		want.ID = erptest.Must(srv.Store.Artikels(ctx, co.ID))(t)[0].ID
		want.CategorieID = ids[a.Categorie]
		want.Categorieen = append([]cloudspot.CategorieRef(nil), a.Categorieen...)
		for i := range want.Categorieen {
			want.Categorieen[i].ID = ids[want.Categorieen[i].Naam]
		}
		if want.ID == 0 || want.CategorieID == 0 || len(ids) != len(cats) {
			t.Fatalf("the stored ids: product %d, main category %d, %d categories of %d", want.ID, want.CategorieID, len(ids), len(cats))
		}

		token, _, err := srv.Service.IssueCompanyToken(ctx, "groot", "t", erp.Rights{Artikels: true})
		if err != nil {
			t.Fatal(err)
		}
		api := patientAPI(t, srv, token)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				got, err := api.Artikels.List(ctx)
				if err != nil || len(got) != 1 {
					t.Errorf("List: %d products, %v", len(got), err)
					return
				}
				if g, w := fmt.Sprintf("%+v", got[0]), fmt.Sprintf("%+v", want); g != w {
					t.Errorf("List read back a different product (%d and %d characters)", len(g), len(w))
				}
			})
		}
		wg.Wait()

		// One over each limit: refused, nothing written.
		over := a
		over.SKU = "GROOT-2"
		over.EAN = append(append([]string(nil), a.EAN...), "12345678")
		over.MeerInfo = append(append([]cloudspot.Translation(nil), texts...), texts[0])
		over.Fotos = []cloudspot.Foto{{URL: a.Fotos[0].URL + "x"}}
		_, err = srv.Service.ImportArtikels(ctx, "groot", erp.Records([]cloudspot.Artikel{over}))
		var ie *erp.ImportError
		if !errors.As(err, &ie) || ie.Total != 3 {
			t.Errorf("one over three limits: %v, want 3 problems", err)
		}
		if n := len(erptest.Must(srv.Store.Artikels(ctx, co.ID))(t)); n != 1 {
			t.Errorf("%d products after a refused import, want 1", n)
		}
	})
}

package erp_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestCheckArtikelRich breaks each limit of a product's data of version 0.6
// once: each is one problem of its key, and the product at the limit has
// none.
func TestCheckArtikelRich(t *testing.T) {
	t.Parallel()
	fotos := func(n int) []cloudspot.Foto {
		return slices.Repeat([]cloudspot.Foto{{URL: "https://img.example/a.jpg"}}, n)
	}
	texts := func(n int) []cloudspot.Translation {
		return slices.Repeat([]cloudspot.Translation{{Text: "t", Taal: "nl"}}, n)
	}
	eans := func(n int) []string { return slices.Repeat([]string{"12345678"}, n) }
	refs := func(n int) []cloudspot.CategorieRef { return slices.Repeat([]cloudspot.CategorieRef{{ID: 1}}, n) }
	atLimit := artikel("OK-1")
	atLimit.Fotos, atLimit.EAN, atLimit.Samenstellingen, atLimit.Categorieen = fotos(50), eans(50), texts(20), refs(100)
	atLimit.Prijscategorieen = slices.Repeat([]cloudspot.Prijscategorie{{Label: "x"}}, 50)
	atLimit.MeerInfo = []cloudspot.Translation{{Text: strings.Repeat("x", 64<<10), Taal: "abcdefgh"}}
	atLimit.Fotos[0].URL = "http://img.example/" + strings.Repeat("a", 2048-len("http://img.example/"))
	atLimit.EAN[0] = "12345678901234"
	if ps := erp.CheckArtikel(atLimit); len(ps) != 0 {
		t.Fatalf("a product at every limit has problems: %v", ps)
	}
	for _, c := range []struct {
		want   string
		change func(a *cloudspot.Artikel)
	}{
		{"fotos: 51 entries; at most 50", func(a *cloudspot.Artikel) { a.Fotos = fotos(51) }},
		{"prijscategorieen: 51 entries; at most 50", func(a *cloudspot.Artikel) {
			a.Prijscategorieen = make([]cloudspot.Prijscategorie, 51)
		}},
		{"EAN: 51 entries; at most 50", func(a *cloudspot.Artikel) { a.EAN = eans(51) }},
		{"samenstellingen: 21 entries; at most 20", func(a *cloudspot.Artikel) { a.Samenstellingen = texts(21) }},
		{"ruwe_grondstoffen: 21 entries; at most 20", func(a *cloudspot.Artikel) { a.RuweGrondstoffen = texts(21) }},
		{"gebruiksaanwijzingen: 21 entries; at most 20", func(a *cloudspot.Artikel) { a.Gebruiksaanwijzingen = texts(21) }},
		{"meer_info: 21 entries; at most 20", func(a *cloudspot.Artikel) { a.MeerInfo = texts(21) }},
		{"categorieen: 101 entries; at most 100", func(a *cloudspot.Artikel) { a.Categorieen = refs(101) }},
		{`EAN: "1234567" is not 8 to 14 digits`, func(a *cloudspot.Artikel) { a.EAN = []string{"1234567"} }},
		{`EAN: "123456789012345" is not 8 to 14 digits`, func(a *cloudspot.Artikel) { a.EAN = []string{"123456789012345"} }},
		{`EAN: "1234567X" is not 8 to 14 digits`, func(a *cloudspot.Artikel) { a.EAN = []string{"1234567X"} }},
		{`EAN: "１２３４５６…" is not 8 to 14 digits`, func(a *cloudspot.Artikel) { a.EAN = []string{"１２３４５６７８"} }},
		{"fotos: photo 1: the URL is longer than 2048 bytes", func(a *cloudspot.Artikel) {
			a.Fotos = []cloudspot.Foto{{URL: "https://img.example/" + strings.Repeat("a", 2049-len("https://img.example/"))}}
		}},
		{`fotos: photo 1: "/relative.jpg" is not an absolute http or https URL`, func(a *cloudspot.Artikel) { a.Fotos = []cloudspot.Foto{{URL: "/relative.jpg"}} }},
		{`fotos: photo 1: "javascript:alert(1)" is not an absolute http or https URL`, func(a *cloudspot.Artikel) {
			a.Fotos = []cloudspot.Foto{{URL: "javascript:alert(1)"}}
		}},
		{`samenstellingen: entry 1: taal "n" is not 2 to 8 letters`, func(a *cloudspot.Artikel) { a.Samenstellingen = []cloudspot.Translation{{Text: "t", Taal: "n"}} }},
		{`samenstellingen: entry 1: taal "nl-BE" is not 2 to 8 letters`, func(a *cloudspot.Artikel) {
			a.Samenstellingen = []cloudspot.Translation{{Text: "t", Taal: "nl-BE"}}
		}},
		{`meer_info: entry 1: taal "abcdefghi" is not 2 to 8 letters`, func(a *cloudspot.Artikel) { a.MeerInfo = []cloudspot.Translation{{Text: "t", Taal: "abcdefghi"}} }},
		{"meer_info: entry 1: text is required", func(a *cloudspot.Artikel) { a.MeerInfo = []cloudspot.Translation{{Text: " ", Taal: "nl"}} }},
		{"meer_info: longer than 64 KiB", func(a *cloudspot.Artikel) {
			a.MeerInfo = []cloudspot.Translation{{Text: strings.Repeat("x", 64<<10+1), Taal: "nl"}}
		}},
		{"interne_notitie: longer than 64 KiB", func(a *cloudspot.Artikel) { a.InterneNotitie = strings.Repeat("é", 32<<10+1) }},
		{"merk: text must be UTF-8 without NUL characters", func(a *cloudspot.Artikel) { a.Merk = "Merk\x00" }},
		{"merk_id: must not be negative", func(a *cloudspot.Artikel) { a.MerkID = -1 }},
		{"prijscategorieen: price category 1: -1 is negative", func(a *cloudspot.Artikel) {
			a.Prijscategorieen = []cloudspot.Prijscategorie{{Korting: cloudspot.MustParseDecimal("-1")}}
		}},
		{"prijscategorieen: price category 1: label_id must not be negative", func(a *cloudspot.Artikel) {
			a.Prijscategorieen = []cloudspot.Prijscategorie{{LabelID: -2}}
		}},
		{"prijscategorieen: text must be UTF-8 without NUL characters", func(a *cloudspot.Artikel) {
			a.Prijscategorieen = []cloudspot.Prijscategorie{{Label: "\xff"}}
		}},
	} {
		a := artikel("BAD-1")
		c.change(&a)
		ps := erp.CheckArtikel(a)
		if len(ps) != 1 || ps[0].String() != c.want {
			t.Errorf("want the one problem %q, got %v", c.want, ps)
		}
	}
}

// TestImportArtikelsCategories: a product names each category by id or by
// a name no other category of the company has, and gets their current
// names; anything else is a problem of its record.
func TestImportArtikelsCategories(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		erptest.Must(w.svc.ImportCategorieen(ctx, "acme", erp.Records(cats("Dranken", "Dranken/Bier", "Eten", "Eten/Bier", "Eten/Brood"))))(t)
		erptest.Must(w.svc.ImportCategorieen(ctx, "globex", erp.Records(cats("Vreemd"))))(t)
		ids := map[string]int64{}
		var walk func(cs []cloudspot.Categorie, prefix string)
		walk = func(cs []cloudspot.Categorie, prefix string) {
			for _, c := range cs {
				ids[prefix+c.Naam] = c.ID
				walk(c.Children, prefix+c.Naam+"/")
			}
		}
		walk(erptest.Must(w.svc.Categorieen(ctx, "acme"))(t), "")
		walk(erptest.Must(w.svc.Categorieen(ctx, "globex"))(t), "")

		good := artikel("GOOD-1")
		good.Categorie = "Brood"
		good.Categorieen = []cloudspot.CategorieRef{{ID: ids["Eten"], Naam: "Eten"}, {ID: ids["Dranken/Bier"]}, {Naam: "Dranken"}}
		if _, err := w.svc.ImportArtikels(ctx, "acme", erp.Records([]cloudspot.Artikel{good})); err != nil {
			t.Fatal(err)
		}
		as := erptest.Must(w.svc.ArtikelsForToken(ctx, w.acmeAll))(t)
		got := as[len(as)-1]
		wantRefs := []cloudspot.CategorieRef{{ID: ids["Eten"], Naam: "Eten"}, {ID: ids["Dranken/Bier"], Naam: "Bier"}, {ID: ids["Dranken"], Naam: "Dranken"}}
		if got.SKU != "GOOD-1" || got.CategorieID != ids["Eten/Brood"] || got.Categorie != "Brood" || !slices.Equal(got.Categorieen, wantRefs) {
			t.Errorf("stored %q in %d %q and %v; want %d Brood and %v", got.SKU, got.CategorieID, got.Categorie, got.Categorieen, ids["Eten/Brood"], wantRefs)
		}

		bad := func(sku string, change func(a *cloudspot.Artikel)) cloudspot.Artikel {
			a := artikel(sku)
			change(&a)
			return a
		}
		_, err := w.svc.ImportArtikels(ctx, "acme", erp.Records([]cloudspot.Artikel{
			bad("B-1", func(a *cloudspot.Artikel) { a.Categorie = "Bier" }),
			bad("B-2", func(a *cloudspot.Artikel) { a.Categorie = "Snoep" }),
			bad("B-3", func(a *cloudspot.Artikel) { a.CategorieID = ids["Vreemd"] }),
			bad("B-4", func(a *cloudspot.Artikel) { a.CategorieID, a.Categorie = ids["Eten"], "Dranken" }),
			bad("B-5", func(a *cloudspot.Artikel) {
				a.Categorieen = []cloudspot.CategorieRef{{Naam: "Eten"}, {ID: ids["Eten"]}}
			}),
			bad("B-6", func(a *cloudspot.Artikel) { a.Categorieen = []cloudspot.CategorieRef{{ID: 1 << 40}} }),
			bad("B-7", func(a *cloudspot.Artikel) { a.Categorieen = []cloudspot.CategorieRef{{}} }),
		}))
		problems := importErr(t, err)
		for _, want := range []string{
			`record 1: categorie: 2 categories are named "Bier": name it by id`,
			`record 2: categorie: there is no category named "Snoep" in this company`,
			fmt.Sprintf("record 3: categorie_id: there is no category %d in this company", ids["Vreemd"]),
			fmt.Sprintf(`record 4: categorie_id: category %d is named "Eten", not "Dranken"`, ids["Eten"]),
			fmt.Sprintf(`record 5: categorieen: entry 2: category %d ("Eten") is listed twice`, ids["Eten"]),
			fmt.Sprintf("record 6: categorieen: entry 1: there is no category %d in this company", int64(1<<40)),
			`record 7: categorieen: entry 1: there is no category named "" in this company`,
		} {
			if !strings.Contains(problems, want) {
				t.Errorf("problems lack %q:\n%s", want, problems)
			}
		}
		if n := len(erptest.Must(w.svc.ArtikelsForToken(ctx, w.acmeAll))(t)); n != len(as) {
			t.Errorf("a refused import changed the products: %d, want %d", n, len(as))
		}
	})
}

// TestCompanyTokenAPIVersion: the version a company token's calls get when
// they ask for none is the administrator's setting, a request's own wins,
// and a new setting reaches a token already checked (and kept in memory).
func TestCompanyTokenAPIVersion(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		version := func(token string, asked erp.APIVersion) (erp.APIVersion, int) {
			t.Helper()
			var got erp.APIVersion
			cols := 0
			err := w.svc.StreamArtikelsForToken(ctx, token, asked, func(v erp.APIVersion) erp.RowFunc {
				got = v
				return func(c [][]byte) error { cols = len(c); return nil }
			})
			if err != nil {
				t.Fatal(err)
			}
			return got, cols
		}
		protocol, rich := len(cloudspot.ArtikelKeys()), len(erp.RichArtikelKeys())
		if v, n := version(w.acmeProducts, ""); v != erp.APIVersion04 || n != protocol {
			t.Errorf("a new token answers in %q with %d columns, want 0.4 and %d", v, n, protocol)
		}
		tokens := erptest.Must(w.svc.CompanyTokens(ctx, "acme"))(t)
		id := tokens[1].ID // acmeProducts
		if err := w.svc.SetCompanyTokenAPIVersion(ctx, id, erp.APIVersion06); err != nil {
			t.Fatal(err)
		}
		if v, n := version(w.acmeProducts, ""); v != erp.APIVersion06 || n != rich {
			t.Errorf("after setting 0.6: %q with %d columns, want 0.6 and %d", v, n, rich)
		}
		if v, n := version(w.acmeProducts, erp.APIVersion05); v != erp.APIVersion05 || n != protocol {
			t.Errorf("asking for 0.5: %q with %d columns, want 0.5 and %d", v, n, protocol)
		}
		if v, _ := version(w.acmeAll, ""); v != erp.APIVersion04 {
			t.Errorf("the company's other token answers in %q, want 0.4", v)
		}
		wantCode(t, "no version", w.svc.SetCompanyTokenAPIVersion(ctx, id, ""), erp.EInvalid, "")
		wantCode(t, "an unknown version", w.svc.SetCompanyTokenAPIVersion(ctx, id, "0.9"), erp.EInvalid, "")
		wantCode(t, "a missing token", w.svc.SetCompanyTokenAPIVersion(ctx, id+100, erp.APIVersion05), erp.ENotFound,
			fmt.Sprintf("company token %d does not exist", id+100))
		audit := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditCompanyTokenAPIVersion}))(t)
		if want := fmt.Sprintf("token %d %q: API version 0.6", id, tokens[1].Name); len(audit) != 1 || audit[0].Detail != want {
			t.Errorf("audit %+v, want one entry %q", audit, want)
		}
	})
}

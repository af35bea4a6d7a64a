package erp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// keepFile0_6 is a product file of version 0.6: two products with data of
// that version, one without.
const keepFile0_6 = `[
  {"naam": "Tripel", "SKU": "K-1", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 2.10, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR",
   "merk": "Westmalle", "merk_id": 4, "interne_notitie": "Intern", "categorie": "Bier", "categorieen": ["Dranken", "Bier"],
   "fotos": [{"url": "https://img.example.com/k1.jpg", "is_hoofdfoto": true}],
   "prijscategorieen": [{"label": "Horeca", "label_id": 2, "type": "VAST", "korting": 10, "verkoopprijs_excl": 1.90, "verkoopprijs_incl": 2.30}],
   "EAN": ["05411234567897"], "samenstellingen": [{"text": "Water, mout", "taal": "nl", "taal_display": "Nederlands"}],
   "ruwe_grondstoffen": [{"text": "Gerst", "taal": "nl"}], "gebruiksaanwijzingen": [{"text": "Koel", "taal": "nl"}], "meer_info": [{"text": "Abdijbier", "taal": "nl"}]},
  {"naam": "Dubbel", "SKU": "K-2", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 1.95, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR",
   "merk": "Westmalle", "categorie": "Dranken", "EAN": ["87123456"]},
  {"naam": "Glas", "SKU": "K-3", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 5, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR"}
]`

// TestImportKeepsRich: a file without the keys of version 0.6, JSON or
// CSV, updates what it has and leaves every product's data of 0.6 as it
// was, and says how many products kept theirs; a record with one such key
// replaces all of it.
func TestImportKeepsRich(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		erptest.Must(w.svc.CreateCompany(ctx, "keep", "Keep BV"))(t)
		erptest.Must(w.svc.ImportCategorieen(ctx, "keep", erp.Records(cats("Dranken", "Dranken/Bier"))))(t)
		token, _, err := w.svc.IssueCompanyToken(ctx, "keep", "check", erp.Rights{Artikels: true})
		if err != nil {
			t.Fatal(err)
		}
		read := func() map[string]cloudspot.Artikel {
			t.Helper()
			out := map[string]cloudspot.Artikel{}
			for _, a := range erptest.Must(w.svc.ArtikelsForToken(ctx, token))(t) {
				out[a.SKU] = a
			}
			return out
		}
		imp := func(in string, f importfile.Format) erp.ImportResult {
			t.Helper()
			return erptest.Must(w.svc.ImportArtikels(ctx, "keep", importfile.Artikels(strings.NewReader(in), f)))(t)
		}
		if r := imp(keepFile0_6, importfile.JSON); r != (erp.ImportResult{Created: 3}) {
			t.Fatalf("the 0.6 file: %+v", r)
		}
		before := read()
		if before["K-1"].Merk != "Westmalle" || len(before["K-1"].Categorieen) != 2 || len(before["K-2"].EAN) != 1 {
			t.Fatalf("the 0.6 file was not stored as written: %+v", before)
		}
		repriced := func(p map[string]cloudspot.Artikel, prices map[string]string) map[string]cloudspot.Artikel {
			out := map[string]cloudspot.Artikel{}
			for sku, a := range p {
				if s, ok := prices[sku]; ok {
					a.VerkoopprijsExcl = cloudspot.MustParseDecimal(s)
				}
				out[sku] = a
			}
			return out
		}
		decimals := cmp.Comparer(func(a, b cloudspot.Decimal) bool { return a.String() == b.String() })

		// CSV of the protocol's columns, as written before 0.6.
		csvOld := "naam;SKU;voorraad_bijhouden;verkoopprijs_excl;BTW;bestellingtype;status\n" +
			"Tripel;K-1;NIET;2,40;21;IDEAAL;ZICHTBAAR\nDubbel;K-2;NIET;2,15;21;IDEAAL;ZICHTBAAR\nGlas;K-3;NIET;5,50;21;IDEAAL;ZICHTBAAR\n"
		if r := imp(csvOld, importfile.CSV); r != (erp.ImportResult{Updated: 3, Kept: 2}) {
			t.Errorf("the old CSV: %+v, want 3 updated, 2 of them keeping their data of 0.6", r)
		}
		want := repriced(before, map[string]string{"K-1": "2.40", "K-2": "2.15", "K-3": "5.50"})
		if d := cmp.Diff(want, read(), decimals); d != "" {
			t.Errorf("after the old CSV (-want +got):\n%s", d)
		}
		audit := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditImportArtikels}))(t)
		if got := audit[len(audit)-1].Detail; got != "company keep: 0 created, 3 updated, 2 of them keeping their data of API version 0.6" {
			t.Errorf("audit detail %q", got)
		}

		// JSON: a record without the keys keeps; one with a single key
		// (EAN) replaces all of that data with it; a null key clears.
		jsonMixed := `[{"naam": "Tripel", "SKU": "K-1", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 2.50, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR"},
		  {"naam": "Dubbel", "SKU": "K-2", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 2.15, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "EAN": ["12345670"]}]`
		if r := imp(jsonMixed, importfile.JSON); r != (erp.ImportResult{Updated: 2, Kept: 1}) {
			t.Errorf("the mixed JSON: %+v, want 2 updated, 1 keeping", r)
		}
		want = repriced(want, map[string]string{"K-1": "2.50"})
		k2 := want["K-2"]
		k2.Merk, k2.Categorie, k2.CategorieID, k2.Categorieen, k2.EAN = "", "", 0, nil, []string{"12345670"}
		want["K-2"] = k2
		if d := cmp.Diff(want, read(), decimals, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("after the mixed JSON (-want +got):\n%s", d)
		}
		jsonNull := `[{"naam": "Tripel", "SKU": "K-1", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 2.50, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "meer_info": null}]`
		if r := imp(jsonNull, importfile.JSON); r != (erp.ImportResult{Updated: 1}) {
			t.Errorf("a record with a null key of 0.6: %+v, want 1 updated, none keeping", r)
		}
		if got := read()["K-1"]; got.Merk != "" || len(got.Fotos) != 0 || len(got.Categorieen) != 0 || got.CategorieID != 0 {
			t.Errorf("a record with a null key of 0.6 left data of 0.6: %+v", got)
		}
	})
}

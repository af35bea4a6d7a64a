package storetest

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// keeping yields products whose records carried none of the keys of
// version 0.6 (KeepRich), as an import of an old file hands them over.
func keeping(as ...cloudspot.Artikel) []erp.ArtikelImport {
	out := make([]erp.ArtikelImport, len(as))
	for i, a := range as {
		out[i] = erp.ArtikelImport{Artikel: a, KeepRich: true}
	}
	return out
}

// repriced is a with other prices and another name, as an old file
// updating prices gives it: the protocol's fields alone.
func repriced(a cloudspot.Artikel) cloudspot.Artikel {
	p := artikel(a.SKU, a.Naam+" (nieuw)")
	p.VerkoopprijsExcl, p.VerkoopprijsIncl = dec("99.99"), dec("120.9879")
	return p
}

// withRich is p with the data of version 0.6 of a.
func withRich(p, a cloudspot.Artikel) cloudspot.Artikel {
	p.InterneNotitie, p.Merk, p.MerkID, p.Categorie, p.CategorieID, p.Categorieen = a.InterneNotitie, a.Merk, a.MerkID, a.Categorie, a.CategorieID, a.Categorieen
	p.Fotos, p.Prijscategorieen, p.EAN = a.Fotos, a.Prijscategorieen, a.EAN
	p.Samenstellingen, p.RuweGrondstoffen, p.Gebruiksaanwijzingen, p.MeerInfo = a.Samenstellingen, a.RuweGrondstoffen, a.Gebruiksaanwijzingen, a.MeerInfo
	return p
}

func testImportKeepsRich(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier")})))(t)
	dranken, bier := categoryID(t, st, a.company.ID, "Dranken"), categoryID(t, st, a.company.ID, "Bier")
	names := map[int64]string{dranken: "Dranken", bier: "Bier"}
	r1, r2, r3, plain := richArtikel("R-1", bier, dranken, bier), richArtikel("R-2", dranken, bier), richArtikel("R-3", 0, dranken), artikel("P-1", "Plain")
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{r1, r2, r3, plain})))(t), 4, 0)

	// Kept, which have data of 0.6; P-1 has none to keep and
	// N-1 is new. R-2's record carries a key of 0.6 (merk): it replaces
	// all of that data, clearing what it leaves out.
	onlyMerk := repriced(r2)
	onlyMerk.Merk = "Ander merk"
	imports := append(keeping(repriced(r1), repriced(plain), artikel("N-1", "Nieuw")), erp.ArtikelImport{Artikel: onlyMerk}, keeping(repriced(r3))[0])
	got := erptest.Must(st.ImportArtikels(ctx, a.company.ID, func(yield func(erp.ArtikelImport, error) bool) {
		for _, v := range imports {
			if !yield(v, nil) {
				return
			}
		}
	}))(t)
	if want := (erp.ImportResult{Created: 1, Updated: 4, Kept: 2}); got != want {
		t.Errorf("import result %+v, want %+v", got, want)
	}
	want := full(withRich(repriced(r1), named(r1, names)), onlyMerk, withRich(repriced(r3), named(r3, names)), repriced(plain), artikel("N-1", "Nieuw"))
	if got := full(artikels(t, st, a.company.ID)...); got != want {
		t.Errorf("after an import that keeps the data of 0.6\n%s\nwant\n%s", got, want)
	}

	// In a company without such data, until the import writes some: a SKU
	// that comes with it and then in a record that keeps it ends with it.
	c := newFixture(t, st, "charlie")
	erptest.Must(st.ImportCategorieen(ctx, c.company.ID, erp.Each([]erp.NewCategorie{cat("Een")})))(t)
	een := categoryID(t, st, c.company.ID, "Een")
	t1 := richArtikel("T-1", een, een)
	seq := append([]erp.ArtikelImport{{Artikel: artikel("T-2", "Plain")}}, keeping(artikel("T-2", "Plain again"))...)
	seq = append(seq, erp.ArtikelImport{Artikel: t1})
	seq = append(seq, keeping(repriced(t1))...)
	got = erptest.Must(st.ImportArtikels(ctx, c.company.ID, func(yield func(erp.ArtikelImport, error) bool) {
		for _, v := range seq {
			if !yield(v, nil) {
				return
			}
		}
	}))(t)
	if want := (erp.ImportResult{Created: 2, Updated: 2, Kept: 1}); got != want {
		t.Errorf("import result %+v, want %+v", got, want)
	}
	want = full(artikel("T-2", "Plain again"), withRich(repriced(t1), named(t1, map[int64]string{een: "Een"})))
	if got := full(artikels(t, st, c.company.ID)...); got != want {
		t.Errorf("a SKU with the data of 0.6 and then in a record that keeps it, in one import:\n%s\nwant\n%s", got, want)
	}
}

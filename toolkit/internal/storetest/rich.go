package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// cat is a category to import: its path, root first.
func cat(path string) erp.NewCategorie {
	names := strings.Split(path, "/")
	return erp.NewCategorie{Naam: names[len(names)-1], Parents: names[:len(names)-1]}
}

// catTree lists a company's categories as "parent > naam @position", in the
// store's order.
func catTree(t *testing.T, st erp.Store, companyID int64) []string {
	t.Helper()
	cs := erptest.Must(st.Categorieen(ctx, companyID))(t)
	naam := map[int64]string{0: "-"}
	var out []string
	for _, c := range cs {
		if c.CompanyID != companyID {
			t.Fatalf("category %d of company %d listed for company %d", c.ID, c.CompanyID, companyID)
		}
		p, ok := naam[c.ParentID]
		if !ok {
			t.Fatalf("category %q comes before its parent %d", c.Naam, c.ParentID)
		}
		naam[c.ID] = c.Naam
		out = append(out, fmt.Sprintf("%s > %s @%d", p, c.Naam, c.Position))
	}
	return out
}

func categoryID(t *testing.T, st erp.Store, companyID int64, naam string) int64 {
	t.Helper()
	for _, c := range erptest.Must(st.Categorieen(ctx, companyID))(t) {
		if c.Naam == naam {
			return c.ID
		}
	}
	t.Fatalf("no category %q", naam)
	return 0
}

func testCategorieen(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	b := newFixture(t, st, "globex")
	if cs := erptest.Must(st.Categorieen(ctx, a.company.ID))(t); len(cs) != 0 || cs == nil {
		t.Fatalf("Categorieen without categories = %#v, want an empty, non-nil list", cs)
	}
	first := []erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier"), cat("Dranken/Wijn"), cat("Eten"), cat("Eten/Bier")}
	wantResult(t, erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each(first)))(t), 5, 0)
	want := []string{"- > Dranken @1", "Dranken > Bier @1", "Dranken > Wijn @2", "- > Eten @2", "Eten > Bier @1"}
	if got := catTree(t, st, a.company.ID); !slices.Equal(got, want) {
		t.Fatalf("tree after the first import\n%q\nwant\n%q", got, want)
	}
	bier := categoryID(t, st, a.company.ID, "Wijn")
	// Existing categories keep their id and place; new ones go last among
	// their siblings.
	second := []erp.NewCategorie{cat("Dranken/Wijn"), cat("Dranken/Koffie"), cat("Dranken/Koffie/Bonen"), cat("Aaa")}
	wantResult(t, erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each(second)))(t), 3, 1)
	want = append(want, "Dranken > Koffie @3", "Koffie > Bonen @1", "- > Aaa @3")
	if got := catTree(t, st, a.company.ID); !slices.Equal(got, want) {
		t.Fatalf("tree after the second import\n%q\nwant\n%q", got, want)
	}
	if got := categoryID(t, st, a.company.ID, "Wijn"); got != bier {
		t.Errorf("an imported-again category's id changed from %d to %d", bier, got)
	}
	// Another company has a tree of its own, with the same names.
	wantResult(t, erptest.Must(st.ImportCategorieen(ctx, b.company.ID, erp.Each(first[:2])))(t), 2, 0)
	if got := catTree(t, st, b.company.ID); !slices.Equal(got, want[:2]) {
		t.Errorf("globex's tree %q, want %q", got, want[:2])
	}
	// A missing parent, or text no engine stores, refuses the whole import.
	for _, bad := range [][]erp.NewCategorie{
		{cat("Nieuw"), cat("Onbekend/Kind")},
		{cat("Nieuw"), cat("Dranken/Bad \xff")},
		{cat("Nieuw"), cat("Nul\x00")},
	} {
		_, err := st.ImportCategorieen(ctx, a.company.ID, erp.Each(bad))
		wantCode(t, fmt.Sprintf("importing %q", bad), err, erp.EInvalid)
	}
	if got := catTree(t, st, a.company.ID); !slices.Equal(got, want) {
		t.Errorf("a refused import changed the tree:\n%q\nwant\n%q", got, want)
	}
	_, err := st.ImportCategorieen(ctx, a.company.ID+100, erp.Each(first))
	wantCode(t, "importing into a missing company", err, erp.ENotFound)

	// A subtree is the category and its descendants, nothing else; another
	// company's category has none.
	dranken := categoryID(t, st, a.company.ID, "Dranken")
	var names []string
	for _, c := range erptest.Must(st.CategorieSubtree(ctx, a.company.ID, dranken))(t) {
		names = append(names, c.Naam)
	}
	if want := []string{"Dranken", "Bier", "Wijn", "Koffie", "Bonen"}; !slices.Equal(names, want) {
		t.Errorf("the subtree of Dranken: %q, want %q", names, want)
	}
	if cs := erptest.Must(st.CategorieSubtree(ctx, b.company.ID, dranken))(t); len(cs) != 0 {
		t.Errorf("globex reads acme's Dranken: %+v", cs)
	}
}

// richArtikel is a product with every key of version 0.6 set.
func richArtikel(sku string, main int64, cats ...int64) cloudspot.Artikel {
	a := artikel(sku, "Rijk "+sku)
	a.InterneNotitie, a.Merk, a.MerkID, a.CategorieID = "Niet voor klanten & <intern>", "Brouwerij “De Ster”", 7, main
	for _, id := range cats {
		a.Categorieen = append(a.Categorieen, cloudspot.CategorieRef{ID: id})
	}
	a.Fotos = []cloudspot.Foto{{URL: "https://img.example.com/" + sku + ".jpg", IsHoofdfoto: true}, {URL: "https://img.example.com/2.jpg"}}
	a.Prijscategorieen = []cloudspot.Prijscategorie{
		{Label: "Horeca", LabelID: 2, Type: "VAST", Korting: dec("10"), VerkoopprijsExcl: dec("9.50"), VerkoopprijsIncl: dec("11.495")},
		{}, // every value unset
	}
	a.EAN = []string{"05411234567890", "12345678"}
	a.Samenstellingen = []cloudspot.Translation{{Text: "Water, mout, hop", Taal: "nl", TaalDisplay: "Nederlands"}, {Text: "Eau\nmalt", Taal: "fr"}}
	a.RuweGrondstoffen = []cloudspot.Translation{{Text: "Gerst", Taal: "nl"}}
	a.Gebruiksaanwijzingen = []cloudspot.Translation{{Text: "Koel bewaren", Taal: "nl"}}
	a.MeerInfo = []cloudspot.Translation{{Text: "🍺", Taal: "en", TaalDisplay: "English"}}
	return a
}

// full shows every field of products, decimals with their scale, so that
// data of version 0.6 is compared too (the models' JSON has only the
// protocol's keys).
func full(as ...cloudspot.Artikel) string { return fmt.Sprintf("%+v", as) }

// named fills in the names a store reads back for a product's categories.
func named(a cloudspot.Artikel, names map[int64]string) cloudspot.Artikel {
	a.Categorie = names[a.CategorieID]
	a.Categorieen = slices.Clone(a.Categorieen)
	for i := range a.Categorieen {
		a.Categorieen[i].Naam = names[a.Categorieen[i].ID]
	}
	return a
}

func testRichArtikels(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	b := newFixture(t, st, "globex")
	wantResult(t, erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier")})))(t), 2, 0)
	erptest.Must(st.ImportCategorieen(ctx, b.company.ID, erp.Each([]erp.NewCategorie{cat("Vreemd")})))(t)
	dranken, bier := categoryID(t, st, a.company.ID, "Dranken"), categoryID(t, st, a.company.ID, "Bier")
	theirs := categoryID(t, st, b.company.ID, "Vreemd")
	names := map[int64]string{dranken: "Dranken", bier: "Bier"}

	rich := richArtikel("R-1", bier, dranken, bier) // not in the order of their names
	plain := artikel("P-1", "Plain")
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{rich, plain})))(t), 2, 0)
	if got, want := full(artikels(t, st, a.company.ID)...), full(named(rich, names), plain); got != want {
		t.Fatalf("products read back\n%s\nwant\n%s", got, want)
	}
	ps := erptest.Must(st.Artikels(ctx, a.company.ID))(t)
	one := erptest.Must(st.Artikel(ctx, a.company.ID, ps[0].ID))(t)
	if got, want := full(one.Artikel), full(named(rich, names)); got != want {
		t.Errorf("one product read back\n%s\nwant\n%s", got, want)
	}

	// The 0.6 stream: literal column text, in the order of RichArtikelKeys.
	var rows [][]string
	check(t, st.StreamRichArtikels(ctx, a.company.ID, 0, func(cols [][]byte) error {
		var row []string
		for _, c := range cols {
			row = append(row, string(c))
		}
		rows = append(rows, row)
		return nil
	}))
	if len(rows) != 2 || len(rows[0]) != len(erp.RichArtikelKeys()) {
		t.Fatalf("streamed %d rows of %v columns, want 2 of %d", len(rows), len(rows[0]), len(erp.RichArtikelKeys()))
	}
	sep := string(rune(erp.CategorieSeparator))
	wantRich := []string{fmt.Sprint(ps[0].ID), "Niet voor klanten & <intern>", "Brouwerij “De Ster”", "7", "Bier", fmt.Sprint(bier),
		fmt.Sprintf("%d:Dranken%s%d:Bier", dranken, sep, bier),
		`[{"url":"https://img.example.com/R-1.jpg","is_hoofdfoto":true},{"url":"https://img.example.com/2.jpg","is_hoofdfoto":false}]`,
		`[{"label":"Horeca","label_id":2,"type":"VAST","korting":10,"verkoopprijs_excl":9.50,"verkoopprijs_incl":11.495},` +
			`{"label":null,"label_id":null,"type":null,"korting":null,"verkoopprijs_excl":null,"verkoopprijs_incl":null}]`,
		`["05411234567890","12345678"]`,
		`[{"text":"Water, mout, hop","taal":"nl","taal_display":"Nederlands"},{"text":"Eau\nmalt","taal":"fr","taal_display":null}]`,
		`[{"text":"Gerst","taal":"nl","taal_display":null}]`,
		`[{"text":"Koel bewaren","taal":"nl","taal_display":null}]`,
		`[{"text":"🍺","taal":"en","taal_display":"English"}]`,
	}
	gotRich := append([]string{rows[0][0]}, rows[0][15:]...)
	if !slices.Equal(gotRich, wantRich) {
		t.Errorf("streamed 0.6 columns\n%q\nwant\n%q", gotRich, wantRich)
	}
	if want := []string{fmt.Sprint(ps[1].ID), "", "", "", "", "", "", "", "", "", "", "", "", ""}; !slices.Equal(append([]string{rows[1][0]}, rows[1][15:]...), want) {
		t.Errorf("a product without 0.6 data streams as %q, want %q", rows[1], want)
	}
	if got := rows[0][3]; got != "R-1" {
		t.Errorf("streamed SKU column %q, want R-1", got)
	}
	// By id: that product only, and only within its company.
	n := 0
	check(t, st.StreamRichArtikels(ctx, a.company.ID, ps[1].ID, func(cols [][]byte) error { n++; return nil }))
	check(t, st.StreamRichArtikels(ctx, b.company.ID, ps[1].ID, func(cols [][]byte) error { n += 10; return nil }))
	if n != 1 {
		t.Errorf("streaming one product by id gave %d rows (10 per row of another company), want 1", n)
	}
	// The protocol's stream is as before: 14 columns.
	check(t, st.StreamArtikels(ctx, a.company.ID, func(cols [][]byte) error {
		if len(cols) != len(cloudspot.ArtikelKeys()) {
			t.Errorf("the protocol's stream has %d columns, want %d", len(cols), len(cloudspot.ArtikelKeys()))
		}
		return nil
	}))

	// An update replaces the data of 0.6, to nothing as well.
	cleared := artikel("R-1", "Rijk R-1")
	moved := richArtikel("P-1", 0, dranken)
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{cleared, moved})))(t), 0, 2)
	if got, want := full(artikels(t, st, a.company.ID)...), full(cleared, named(moved, names)); got != want {
		t.Errorf("after an update\n%s\nwant\n%s", got, want)
	}
	// Within one import into a company that had no such data: a SKU that
	// comes with it and then without it ends without it.
	c := newFixture(t, st, "charlie")
	erptest.Must(st.ImportCategorieen(ctx, c.company.ID, erp.Each([]erp.NewCategorie{cat("Een")})))(t)
	een := categoryID(t, st, c.company.ID, "Een")
	twice := []cloudspot.Artikel{richArtikel("T-1", een, een), artikel("T-2", "Plain"), artikel("T-1", "Plain again")}
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, c.company.ID, erp.ArtikelImports(twice)))(t), 2, 1)
	if got, want := full(artikels(t, st, c.company.ID)...), full(twice[2], twice[1]); got != want {
		t.Errorf("a SKU with the data of 0.6 and then without, in one import:\n%s\nwant\n%s", got, want)
	}

	// Another company's category, or none, refuses the whole import.
	before := full(artikels(t, st, a.company.ID)...)
	for _, bad := range []cloudspot.Artikel{richArtikel("X-1", theirs), richArtikel("X-2", 0, bier, theirs), richArtikel("X-3", 1<<40)} {
		_, err := st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("N-1", "Nieuw"), bad}))
		wantCode(t, "a product in another company's category", err, erp.EInvalid)
	}
	if got := full(artikels(t, st, a.company.ID)...); got != before {
		t.Errorf("a refused import changed the products:\n%s\nwant\n%s", got, before)
	}
}

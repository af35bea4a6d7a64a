package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// pageTests hold erp.CataloguePages to its rules: pages by key from where
// the last one ended, in both directions, through a filter that passes
// rows over, one company at a time, and the catalogue's counts.
var pageTests = []test{
	{"ArtikelPages", testArtikelPages},
	{"KlantPages", testKlantPages},
	{"FilteredPages", testFilteredPages},
	{"CatalogueCounts", testCatalogueCounts},
}

// pagedArtikels imports n products SKU-000 ... into a company, and as many
// into another whose ids interleave with them.
func pagedArtikels(t *testing.T, st erp.Store, n int) (fixture, []erp.StoredArtikel) {
	t.Helper()
	f := newFixture(t, st, "acme")
	other := newFixture(t, st, "globex")
	for i := range n {
		for _, c := range []int64{f.company.ID, other.company.ID} {
			a := artikel(fmt.Sprintf("SKU-%03d", i), fmt.Sprintf("Product %03d", i))
			erptest.Must(st.ImportArtikels(ctx, c, erp.ArtikelImports([]cloudspot.Artikel{a})))(t)
		}
	}
	return f, erptest.Must(st.Artikels(ctx, f.company.ID))(t)
}

func skus(ps []erp.StoredArtikel) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.SKU)
	}
	return out
}

func testArtikelPages(t *testing.T, st erp.Store) {
	f, all := pagedArtikels(t, st, 7)
	page := func(r erp.KeyRange, limit int) []erp.StoredArtikel {
		t.Helper()
		return erptest.Must(st.ArtikelPage(ctx, f.company.ID, r, limit, nil))(t)
	}
	first := page(erp.KeyRange{}, 3)
	if got, want := skus(first), skus(all[:3]); !reflect.DeepEqual(got, want) {
		t.Fatalf("the first page: %q, want %q", got, want)
	}
	if first[0].ID != all[0].ID || first[0].CompanyID != f.company.ID || wire(t, first[0].Artikel) != wire(t, all[0].Artikel) {
		t.Errorf("a page's product %+v, want it as Artikels reads it: %+v", first[0], all[0])
	}
	for _, c := range []struct {
		name  string
		r     erp.KeyRange
		limit int
		want  []erp.StoredArtikel
	}{
		{"after the first page", erp.KeyRange{After: first[2].ID}, 3, all[3:6]},
		{"the last, short page", erp.KeyRange{After: all[5].ID}, 3, all[6:]},
		{"after the last product", erp.KeyRange{After: all[6].ID}, 3, nil},
		{"before a product, nearest first", erp.KeyRange{Before: all[5].ID}, 3, all[2:5]},
		{"before the third product", erp.KeyRange{Before: all[2].ID}, 3, all[:2]},
		{"before the first product", erp.KeyRange{Before: all[0].ID}, 3, nil},
		{"after a key that is no product", erp.KeyRange{After: all[1].ID + 1}, 2, all[2:4]},
		{"all at once", erp.KeyRange{}, 100, all},
	} {
		if got, want := skus(page(c.r, c.limit)), skus(c.want); !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%+v, %d): %q, want %q", c.name, c.r, c.limit, got, want)
		}
	}
	if got := page(erp.KeyRange{}, 100); len(got) != 7 {
		t.Errorf("the other company's products on the page: %d products, want 7", len(got))
	}
}

func testKlantPages(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	other := newFixture(t, st, "globex")
	// Imported out of order: pages go by client number.
	var ks []cloudspot.Klant
	for _, nr := range []int64{50, 10, 40, 20, 30} {
		ks = append(ks, klant(nr, fmt.Sprint("klant ", nr)))
	}
	erptest.Must(st.ImportKlanten(ctx, f.company.ID, erp.Each(ks)))(t)
	erptest.Must(st.ImportKlanten(ctx, other.company.ID, erp.Each([]cloudspot.Klant{klant(25, "other")})))(t)
	nrs := func(r erp.KeyRange, limit int) []int64 {
		t.Helper()
		out := []int64{}
		for _, k := range erptest.Must(st.KlantPage(ctx, f.company.ID, r, limit, nil))(t) {
			if k.CompanyID != f.company.ID {
				t.Errorf("client %d of company %d on acme's page", k.Klantennummer, k.CompanyID)
			}
			out = append(out, k.Klantennummer)
		}
		return out
	}
	for _, c := range []struct {
		r     erp.KeyRange
		limit int
		want  []int64
	}{
		{erp.KeyRange{}, 2, []int64{10, 20}},
		{erp.KeyRange{After: 20}, 2, []int64{30, 40}},
		{erp.KeyRange{After: 25}, 10, []int64{30, 40, 50}},
		{erp.KeyRange{Before: 40}, 2, []int64{20, 30}},
		{erp.KeyRange{Before: 10}, 2, []int64{}},
	} {
		if got := nrs(c.r, c.limit); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v, %d: %v, want %v", c.r, c.limit, got, c.want)
		}
	}
	k := erptest.Must(st.KlantPage(ctx, f.company.ID, erp.KeyRange{}, 1, nil))(t)[0]
	if wire(t, k.Klant) != wire(t, ks[1]) {
		t.Errorf("a page's client %+v, want %+v", k.Klant, ks[1])
	}
}

// testFilteredPages: a filter that keeps few rows is passed every row in
// key order, across the store's batches, until the page is full.
func testFilteredPages(t *testing.T, st erp.Store) {
	f, all := pagedArtikels(t, st, 3)
	// Enough products that a rare match lies batches away.
	var many []cloudspot.Artikel
	for i := range 1200 {
		many = append(many, artikel(fmt.Sprintf("BULK-%04d", i), "bulk"))
	}
	erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(many)))(t)
	erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("RARE-1", "rare"), artikel("RARE-2", "rare")})))(t)
	var seen []int64
	keep := func(a *erp.StoredArtikel) bool {
		seen = append(seen, a.ID)
		return strings.HasPrefix(a.SKU, "RARE") || a.SKU == "SKU-001"
	}
	got := erptest.Must(st.ArtikelPage(ctx, f.company.ID, erp.KeyRange{}, 2, keep))(t)
	if want := []string{"SKU-001", "RARE-1"}; !reflect.DeepEqual(skus(got), want) {
		t.Errorf("filtered page: %q, want %q", skus(got), want)
	}
	if len(seen) < 1200 {
		t.Errorf("the filter saw %d products, want every one up to RARE-1 (more than 1200)", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("the filter saw product %d after %d: want key order", seen[i], seen[i-1])
		}
	}
	seen = nil
	got = erptest.Must(st.ArtikelPage(ctx, f.company.ID, erp.KeyRange{Before: 1 << 50}, 2, keep))(t)
	if want := []string{"RARE-1", "RARE-2"}; !reflect.DeepEqual(skus(got), want) {
		t.Errorf("filtered page down from the end: %q, want %q", skus(got), want)
	}
	none := erptest.Must(st.ArtikelPage(ctx, f.company.ID, erp.KeyRange{After: all[0].ID}, 5, func(*erp.StoredArtikel) bool { return false }))(t)
	if len(none) != 0 {
		t.Errorf("a filter that keeps nothing: %d products", len(none))
	}
	if got := erptest.Must(st.KlantPage(ctx, f.company.ID, erp.KeyRange{}, 5, func(*erp.StoredKlant) bool { return true }))(t); len(got) != 0 {
		t.Errorf("clients of a company without any: %+v", got)
	}
}

func testCatalogueCounts(t *testing.T, st erp.Store) {
	f, _ := pagedArtikels(t, st, 4)
	if got := erptest.Must(st.CatalogueCounts(ctx, f.company.ID))(t); got != (erp.CatalogueCounts{Artikels: 4}) {
		t.Errorf("counts %+v, want 4 products", got)
	}
	erptest.Must(st.ImportKlanten(ctx, f.company.ID, erp.Each([]cloudspot.Klant{klant(1, "a"), klant(2, "b")})))(t)
	erptest.Must(st.ImportCategorieen(ctx, f.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier"), cat("Eten")})))(t)
	if got, want := erptest.Must(st.CatalogueCounts(ctx, f.company.ID))(t), (erp.CatalogueCounts{Artikels: 4, Klanten: 2, Categorieen: 3}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	empty := newFixture(t, st, "empty")
	if got := erptest.Must(st.CatalogueCounts(ctx, empty.company.ID))(t); got != (erp.CatalogueCounts{}) {
		t.Errorf("counts of an empty company %+v", got)
	}
}

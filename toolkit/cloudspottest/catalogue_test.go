package cloudspottest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// catalogue is a company with a category tree and a product with every
// detail of API version 0.6, its categories named by their names.
var catalogue = cloudspottest.Company{
	Slug: "brouwerij",
	Tokens: []cloudspottest.CompanyToken{
		{Name: "webshop", Artikels: true},
		{Name: "kassa-0.6", Artikels: true, APIVersion: "0.6"},
		{Name: "crm", Klanten: true},
	},
	Categorieen: []cloudspot.Categorie{
		{Naam: "Dranken", Children: []cloudspot.Categorie{
			{Naam: "Bier", Children: []cloudspot.Categorie{{Naam: "Trappist"}}},
			{Naam: "Fris"},
		}},
		{Naam: "Geschenken"},
	},
	Artikels: []cloudspot.Artikel{{
		Naam: "Tripel", SKU: "BIER-3", Merk: "Abdij", MerkID: 4, InterneNotitie: "nieuw",
		Categorie:   "Trappist",
		Categorieen: []cloudspot.CategorieRef{{Naam: "Trappist"}, {Naam: "Geschenken"}},
		Fotos:       []cloudspot.Foto{{URL: "https://img.example.com/tripel.jpg", IsHoofdfoto: true}},
		Prijscategorieen: []cloudspot.Prijscategorie{{Label: "Horeca", LabelID: 2, Type: "VAST",
			VerkoopprijsExcl: cloudspot.MustParseDecimal("1.80"), VerkoopprijsIncl: cloudspot.MustParseDecimal("2.18")}},
		EAN:             []string{"05411234567897"},
		Samenstellingen: []cloudspot.Translation{{Text: "Water, gerstemout, hop", Taal: "nl", TaalDisplay: "Nederlands"}, {Text: "Eau, malt d'orge, houblon", Taal: "fr", TaalDisplay: "Français"}},
	}},
}

// TestCategorieen: the fixture's tree comes back from the API with the ids
// Server.CategorieID finds, and a product's categories by those ids.
func TestCategorieen(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, cloudspottest.Fixtures{Companies: []cloudspottest.Company{catalogue, {Slug: "ander", Categorieen: []cloudspot.Categorie{{Naam: "Bier"}}}}})
	ctx := context.Background()
	api, err := cloudspot.NewCompanyAPI(srv.CompanyToken("brouwerij", "webshop"), srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := api.Categorieen.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var show func(cs []cloudspot.Categorie, indent string) string
	show = func(cs []cloudspot.Categorie, indent string) string {
		var b strings.Builder
		for _, c := range cs {
			fmt.Fprintf(&b, "%s%s=%d\n", indent, c.Naam, c.ID)
			b.WriteString(show(c.Children, indent+"  "))
		}
		return b.String()
	}
	id := func(path ...string) int64 { return srv.CategorieID("brouwerij", path...) }
	want := fmt.Sprintf("Dranken=%d\n  Bier=%d\n    Trappist=%d\n  Fris=%d\nGeschenken=%d\n",
		id("Dranken"), id("Dranken", "Bier"), id("Dranken", "Bier", "Trappist"), id("Dranken", "Fris"), id("Geschenken"))
	if got := show(tree, ""); got != want {
		t.Errorf("the tree:\n%s\nwant:\n%s", got, want)
	}
	bier, err := api.Categorieen.Get(ctx, id("Dranken", "Bier"))
	if err != nil || bier.Naam != "Bier" || len(bier.Children) != 1 || bier.Children[0].Naam != "Trappist" {
		t.Errorf("Get(Bier) = %+v, %v", bier, err)
	}
	// Another company's category is not found.
	if _, err := api.Categorieen.Get(ctx, srv.CategorieID("ander", "Bier")); !errors.Is(err, cloudspot.ErrNotFound) {
		t.Errorf("another company's category: err = %v, want ErrNotFound", err)
	}

	as, err := api.Artikels.List(ctx)
	if err != nil || len(as) != 1 {
		t.Fatalf("artikels: %v, %v", as, err)
	}
	a := as[0]
	trappist := id("Dranken", "Bier", "Trappist")
	if a.Categorie != "Trappist" || a.CategorieID != trappist || len(a.Categorieen) != 2 ||
		a.Categorieen[0] != (cloudspot.CategorieRef{ID: trappist, Naam: "Trappist"}) || a.Categorieen[1] != (cloudspot.CategorieRef{ID: id("Geschenken"), Naam: "Geschenken"}) {
		t.Errorf("the product's categories: %q %d %+v", a.Categorie, a.CategorieID, a.Categorieen)
	}
	if a.Merk != "Abdij" || a.MerkID != 4 || a.InterneNotitie != "nieuw" || len(a.Fotos) != 1 || !a.Fotos[0].IsHoofdfoto ||
		len(a.EAN) != 1 || a.EAN[0] != "05411234567897" || len(a.Prijscategorieen) != 1 || a.Prijscategorieen[0].VerkoopprijsIncl.String() != "2.18" ||
		len(a.Samenstellingen) != 2 || a.Samenstellingen[1].Taal != "fr" || a.MeerInfo == nil {
		t.Errorf("the richer fields did not pass through: %+v", a)
	}

	// A token without the right to products may not read the categories.
	crm, err := cloudspot.NewCompanyAPI(srv.CompanyToken("brouwerij", "crm"), srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crm.Categorieen.List(ctx); err == nil {
		t.Error("a token without the artikels right read the categories")
	}
}

// TestFixtureMistakes: fixtures the server refuses fail with its reason.
func TestFixtureMistakes(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		c    cloudspottest.Company
		want string
	}{
		"CategorieWithID":  {cloudspottest.Company{Slug: "a", Categorieen: []cloudspot.Categorie{{ID: 7, Naam: "Bier"}}}, `categorie "Bier" has ID 7: leave it 0`},
		"UnknownCategorie": {cloudspottest.Company{Slug: "a", Artikels: []cloudspot.Artikel{{Naam: "X", SKU: "X-1", Categorie: "Bier"}}}, "Bier"},
		"BadVersion":       {cloudspottest.Company{Slug: "a", Tokens: []cloudspottest.CompanyToken{{Name: "t", Artikels: true, APIVersion: "0.9"}}}, `token "t": API version "0.9" is not one this server speaks`},
		"BadEAN":           {cloudspottest.Company{Slug: "a", Artikels: []cloudspot.Artikel{{Naam: "X", SKU: "X-1", EAN: []string{"12ab"}}}}, "EAN"},
	} {
		_, err := cloudspottest.New(context.Background(), cloudspottest.Fixtures{Companies: []cloudspottest.Company{tc.c}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, tc.want)
		}
	}
}

// A test finds the ids the server gave the fixture's categories, to
// compare with what the code under test shows.
func ExampleServer_CategorieID() {
	srv, err := cloudspottest.New(context.Background(), cloudspottest.Fixtures{Companies: []cloudspottest.Company{{
		Slug:   "bakkerij",
		Tokens: []cloudspottest.CompanyToken{{Name: "kassa", Artikels: true}},
		Categorieen: []cloudspot.Categorie{{Naam: "Brood", Children: []cloudspot.Categorie{
			{Naam: "Wit"}, {Naam: "Volkoren"},
		}}},
		Artikels: []cloudspot.Artikel{{Naam: "Volkorenbrood", SKU: "BRO-2", Categorie: "Volkoren", EAN: []string{"5411234567897"}}},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	company, err := cloudspot.NewCompanyAPI(srv.CompanyToken("bakkerij", "kassa"), srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	artikels, err := company.Artikels.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	a := artikels[0]
	fmt.Println(a.Categorie, a.CategorieID == srv.CategorieID("bakkerij", "Brood", "Volkoren"), a.EAN)
	// Output: Volkoren true [5411234567897]
}

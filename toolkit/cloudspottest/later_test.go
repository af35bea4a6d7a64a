package cloudspottest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// catalogue is a company of API version 0.6: a category tree and a product
// with every richer field, named by category names.
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

// TestTokenAPIVersion: a token's fixture version chooses the bodies of a
// client that does not ask, as the reference clients do not.
func TestTokenAPIVersion(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, cloudspottest.Fixtures{Companies: []cloudspottest.Company{catalogue}})
	keys := func(token string) []string {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.BaseURL+"/artikels/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-ERP-TOKEN", srv.CompanyToken("brouwerij", token))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct{ Data []map[string]json.RawMessage }
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Data) != 1 {
			t.Fatalf("GET /artikels/: %d %v %v", resp.StatusCode, body, err)
		}
		var out []string
		for k := range body.Data[0] {
			out = append(out, k)
		}
		return out
	}
	if got := keys("webshop"); len(got) != 14 || strings.Contains(strings.Join(got, ","), "merk") {
		t.Errorf("a token of the default version: keys %v, want the protocol's 14", got)
	}
	if got := keys("kassa-0.6"); len(got) != 28 || !strings.Contains(strings.Join(got, ","), "categorieen") {
		t.Errorf("a token of version 0.6: keys %v, want 28 with categorieen", got)
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

// TestVersion05Fixtures: a company's uid, a user's pin and an app's
// version reach the answers of API version 0.5: the SDK's, which asks for
// the latest, and those of a client that does not ask, in the app's
// version.
func TestVersion05Fixtures(t *testing.T) {
	t.Parallel()
	const uid = "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914"
	srv := cloudspottest.Start(t, cloudspottest.Fixtures{
		Companies: []cloudspottest.Company{{Slug: "acme", UID: uid}},
		Apps: []cloudspottest.App{
			{Slug: "klokapp", APIVersion: "0.5", Permissions: []cloudspottest.Permission{{Slug: "klokapp_use"}}},
			{Slug: "oudeapp", Permissions: []cloudspottest.Permission{{Slug: "oudeapp_use"}}},
		},
		Users: []cloudspottest.User{{Username: "els", Password: "a long password", Company: "acme", Pin: "0427",
			Permissions: []string{"klokapp_use", "oudeapp_use"}}},
	})
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("oudeapp", srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := api.Authenticate(ctx, "els", "a long password")
	if err != nil || s.Company != uid {
		t.Fatalf("the SDK's sign-in: %+v, %v; want company %s", s, err, uid)
	}
	if u, err := api.User(ctx, s.Token); err != nil || u.Pin != "0427" || u.Company != uid {
		t.Errorf("the SDK's user: %+v, %v", u, err)
	}
	// Without the version header, as the reference clients sign in.
	signIn := func(app string) map[string]any {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.BaseURL+"/auth/signin-external-app/", strings.NewReader(`{"username": "els", "password": "a long password"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-ERP-REQUESTOR", app)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("sign-in to %s: %d %v", app, resp.StatusCode, err)
		}
		return body
	}
	if body := signIn("klokapp"); body["company"] != uid {
		t.Errorf("an app of version 0.5: %v, want company %s", body, uid)
	}
	if body := signIn("oudeapp"); len(body) != 2 {
		t.Errorf("an app of the default version: %v, want token and permissions alone", body)
	}
	_, err = cloudspottest.New(ctx, cloudspottest.Fixtures{Companies: []cloudspottest.Company{{Slug: "a"}},
		Users: []cloudspottest.User{{Username: "x", Password: "a long password", Company: "a", Pin: "12"}}})
	if err == nil || !strings.Contains(err.Error(), `user "x"`) {
		t.Errorf("a pin of two digits: %v", err)
	}
}

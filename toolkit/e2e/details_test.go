package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The keys of a product, transcribed from the protocol and from the later
// releases of the reference wrapper, in wire order: what a client of each version
// must get and nothing else.
var (
	keys04 = []string{"naam", "beschrijving", "SKU", "voorraad_bijhouden", "op_voorraad", "product_url",
		"verkoopprijs_excl", "verkoopprijs_incl", "inkoopprijs_excl", "inkoopprijs_incl", "BTW",
		"bestellingtype", "units_per_bestelling", "status"}
	keys06 = slices.Concat([]string{"id"}, keys04, []string{"interne_notitie", "merk", "merk_id", "categorie",
		"categorie_id", "categorieen", "fotos", "prijscategorieen", "EAN", "samenstellingen", "ruwe_grondstoffen",
		"gebruiksaanwijzingen", "meer_info"})
)

// detailsCategorieen is the imported tree: a name used twice (Bonen, under two
// parents) and names with a slash, an ampersand and letters beyond ASCII.
var detailsCategorieen = []erp.NewCategorie{
	{Naam: "Dranken"},
	{Naam: "Koffie", Parents: []string{"Dranken"}},
	{Naam: "Bonen", Parents: []string{"Dranken", "Koffie"}},
	{Naam: "Gemalen / snelfilter", Parents: []string{"Dranken", "Koffie"}},
	{Naam: "Thee & kruiden", Parents: []string{"Dranken"}},
	{Naam: "Bonen", Parents: []string{"Dranken", "Thee & kruiden"}},
	{Naam: "Gebak"},
	{Naam: "Crème brûlée", Parents: []string{"Gebak"}},
}

// detailedArtikels are the imported products: one with every detail set,
// every list with more than one entry and the awkward values each can hold,
// one naming its categories by id, and one with none of them.
func detailedArtikels(ids map[string]int64) []cloudspot.Artikel {
	d := cloudspot.MustParseDecimal
	base := func(sku, naam string) cloudspot.Artikel {
		return cloudspot.Artikel{Naam: naam, SKU: sku, VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek, OpVoorraad: d("12"),
			VerkoopprijsExcl: d("21.70"), VerkoopprijsIncl: d("23.00"), BTW: d("6"),
			Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar}
	}
	full := base("RIJK-1", "Arabica bonen 1 kg")
	full.InterneNotitie = "Leverancier belt op maandag.\nNiet in promo \"zomer\"."
	full.Merk, full.MerkID = "Huisblend", 42
	full.Categorie = "Gemalen / snelfilter"
	full.Categorieen = []cloudspot.CategorieRef{{Naam: "Gemalen / snelfilter"}, {ID: ids["Dranken/Koffie"]}, {Naam: "Crème brûlée"}}
	full.Fotos = []cloudspot.Foto{
		{URL: "https://cdn.example.be/p/rijk-1.jpg", IsHoofdfoto: true},
		{URL: "https://cdn.example.be/p/rijk-1-zijkant.jpg?w=640&h=480"},
	}
	full.Prijscategorieen = []cloudspot.Prijscategorie{
		{Label: "Horeca", LabelID: 2, Type: "VAST", Korting: d("10"), VerkoopprijsExcl: d("19.53"), VerkoopprijsIncl: d("20.70")},
		{Label: "Groothandel", Type: "KORTING", Korting: d("12.5")},
		{},
	}
	full.EAN = []string{"5411234567890", "00012345678905", "40123455"}
	full.Samenstellingen = []cloudspot.Translation{
		{Text: "100 % arabica", Taal: "nl", TaalDisplay: "Nederlands"},
		{Text: "100 % arabica, torréfié à Gand", Taal: "fr", TaalDisplay: "Français"},
	}
	full.RuweGrondstoffen = []cloudspot.Translation{{Text: "Koffiebonen (Brazilië, Ethiopië)", Taal: "nl", TaalDisplay: "Nederlands"}}
	full.Gebruiksaanwijzingen = []cloudspot.Translation{
		{Text: "7 g per kop; water van 92 °C.", Taal: "nl", TaalDisplay: "Nederlands"},
		{Text: "7 g per cup; 92 °C water.", Taal: "en", TaalDisplay: "English"},
		{Text: "7 g pro Tasse.", Taal: "de"},
	}
	full.MeerInfo = []cloudspot.Translation{{Text: "Zie <https://example.be/koffie> — 🫘 \u2028 \\ \"", Taal: "nl", TaalDisplay: "Nederlands"}}

	byID := base("RIJK-2", "Rooibos")
	byID.CategorieID = ids["Dranken/Thee & kruiden/Bonen"]
	byID.Categorieen = []cloudspot.CategorieRef{{ID: ids["Dranken/Thee & kruiden/Bonen"]}, {ID: ids["Gebak"]}}
	byID.EAN = []string{"12345670"}

	return []cloudspot.Artikel{full, byID, base("RIJK-3", "Croissant")}
}

// served is what a client must read for a product that was imported as a:
// every category named both by id and by its current name.
func served(a cloudspot.Artikel, r detailsERP) cloudspot.Artikel {
	byName := func(n string) int64 {
		for id, name := range r.names {
			if name == n {
				return id
			}
		}
		return 0
	}
	if a.CategorieID == 0 && a.Categorie != "" {
		a.CategorieID = byName(a.Categorie)
	}
	a.Categorie = r.names[a.CategorieID]
	refs := make([]cloudspot.CategorieRef, len(a.Categorieen))
	for i, c := range a.Categorieen {
		if c.ID == 0 {
			c.ID = byName(c.Naam)
		}
		refs[i] = cloudspot.CategorieRef{ID: c.ID, Naam: r.names[c.ID]}
	}
	a.Categorieen = refs
	return a
}

// detailsERP is a server whose company "rijk" holds products with every
// detail.
type detailsERP struct {
	srv     *erptest.Server
	token   string // a company token of rijk that may read products
	tokenID int64
	ids     map[string]int64 // the categories' ids by path: "Dranken/Koffie"
	names   map[int64]string // and their names by id
}

// detailsServer starts a server in mode m with the demo and a company "rijk"
// holding products with every detail.
func detailsServer(t *testing.T, m mode) detailsERP {
	t.Helper()
	ctx := context.Background()
	r := detailsERP{srv: m.startDemo(t, erptest.Options{}), ids: map[string]int64{}, names: map[int64]string{}}
	svc := r.srv.Service
	if _, err := svc.CreateCompany(ctx, "rijk", "Rijk BV"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ImportCategorieen(ctx, "rijk", erp.Records(detailsCategorieen)); err != nil {
		t.Fatal(err)
	}
	var walk func(prefix string, cs []cloudspot.Categorie)
	walk = func(prefix string, cs []cloudspot.Categorie) {
		for _, c := range cs {
			r.ids[prefix+c.Naam] = c.ID
			r.names[c.ID] = c.Naam
			walk(prefix+c.Naam+"/", c.Children)
		}
	}
	walk("", erptest.Must(svc.Categorieen(ctx, "rijk"))(t))
	if len(r.names) != len(detailsCategorieen) {
		t.Fatalf("the company has %d categories after the import, want %d: %v", len(r.names), len(detailsCategorieen), r.ids)
	}
	if _, err := svc.ImportArtikels(ctx, "rijk", erp.Records(detailedArtikels(r.ids))); err != nil {
		t.Fatal(err)
	}
	secret, tok, err := svc.IssueCompanyToken(ctx, "rijk", "rijk", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}
	r.token, r.tokenID = secret, tok.ID
	return r
}

// testProductDetails: the SDK reads every field of API version 0.6 from the
// real server as it was imported, whole lists and one product by id, and
// the category tree whole and by id.
func testProductDetails(t *testing.T, m mode) {
	r := detailsServer(t, m)
	ids := r.ids
	ctx := context.Background()
	var want []cloudspot.Artikel
	for _, a := range detailedArtikels(ids) {
		want = append(want, served(a, r))
	}
	api := companyAPI(t, r.srv, r.token)
	ignoreID := cmpopts.IgnoreFields(cloudspot.Artikel{}, "ID")
	// A list the server sends as [] and one the SDK leaves nil are the same.
	opts := cmp.Options{ignoreID, cmpopts.EquateEmpty()}

	got := erptest.Must(api.Artikels.List(ctx))(t)
	if d := cmp.Diff(want, got, opts); d != "" {
		t.Errorf("Artikels.List (-imported +read):\n%s", d)
	}
	var all []cloudspot.Artikel
	for a, err := range api.Artikels.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, a)
	}
	if d := cmp.Diff(got, all, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("Artikels.All differs from List (-List +All):\n%s", d)
	}
	for i, a := range got {
		if a.ID == 0 {
			t.Errorf("%s: the 0.6 list carries no id", a.SKU)
			continue
		}
		one, err := api.Artikels.Get(ctx, a.ID)
		if err != nil {
			t.Errorf("Get(%d): %v", a.ID, err)
		} else if d := cmp.Diff(want[i], one, opts); d != "" || one.ID != a.ID {
			t.Errorf("Get(%d) has id %d (-imported +read):\n%s", a.ID, one.ID, d)
		}
	}

	tree := erptest.Must(api.Categorieen.List(ctx))(t)
	wantTree := []cloudspot.Categorie{
		{ID: ids["Dranken"], Naam: "Dranken", Children: []cloudspot.Categorie{
			{ID: ids["Dranken/Koffie"], Naam: "Koffie", Children: []cloudspot.Categorie{
				{ID: ids["Dranken/Koffie/Bonen"], Naam: "Bonen"},
				{ID: ids["Dranken/Koffie/Gemalen / snelfilter"], Naam: "Gemalen / snelfilter"},
			}},
			{ID: ids["Dranken/Thee & kruiden"], Naam: "Thee & kruiden", Children: []cloudspot.Categorie{
				{ID: ids["Dranken/Thee & kruiden/Bonen"], Naam: "Bonen"},
			}},
		}},
		{ID: ids["Gebak"], Naam: "Gebak", Children: []cloudspot.Categorie{
			{ID: ids["Gebak/Crème brûlée"], Naam: "Crème brûlée"},
		}},
	}
	if d := cmp.Diff(wantTree, tree, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("Categorieen.List (-imported +read):\n%s", d)
	}
	koffie := erptest.Must(api.Categorieen.Get(ctx, ids["Dranken/Koffie"]))(t)
	if d := cmp.Diff(wantTree[0].Children[0], koffie, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("Categorieen.Get(Koffie) (-imported +read):\n%s", d)
	}
	_, err := api.Categorieen.Get(ctx, 1<<40)
	wantAPIError(t, err, http.StatusNotFound, cloudspot.ErrNotFound, "")

	// Another company's token cannot read this company's categories.
	_, err = companyAPI(t, r.srv, demo.CompanyToken).Categorieen.Get(ctx, ids["Gebak"])
	wantAPIError(t, err, http.StatusNotFound, cloudspot.ErrNotFound, "")
}

// testEachVersionGetsItsKeys: a client of version 0.4 (no header, a token
// without a version) and one of 0.5 (the header, or a token set to 0.5)
// get exactly the protocol's keys from a company whose products carry
// every detail; a token set to 0.6 gets the 0.6 keys without asking,
// and a header overrides the token's version.
func testEachVersionGetsItsKeys(t *testing.T, m mode) {
	r := detailsServer(t, m)
	ctx := context.Background()
	client := validatingClient(t)
	var first struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(getObjects(t, client, r.srv.URL+"/artikels/", r.token, "0.6")[0], &first); err != nil || first.ID == 0 {
		t.Fatalf("the first product's id in version 0.6: %d, %v", first.ID, err)
	}
	byID := slices.Concat([]string{"id"}, keys04)
	for _, tc := range []struct {
		name         string
		tokenVersion erp.APIVersion
		header       string
		want, one    []string // the keys of a product in the list, and of ?id=
	}{
		{name: "NoHeader", want: keys04, one: byID},
		{name: "Header04", header: "0.4", want: keys04, one: byID},
		{name: "Header05", header: "0.5", want: keys04, one: byID},
		{name: "Token05", tokenVersion: erp.APIVersion05, want: keys04, one: byID},
		{name: "Token06", tokenVersion: erp.APIVersion06, want: keys06, one: keys06},
		{name: "Token06Header04", tokenVersion: erp.APIVersion06, header: "0.4", want: keys04, one: byID},
		{name: "Header06", header: "0.6", want: keys06, one: keys06},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			secret, tok, err := r.srv.Service.IssueCompanyToken(ctx, "rijk", "e2e-"+tc.name, erp.Rights{Artikels: true})
			if err != nil {
				t.Fatal(err)
			}
			if tc.tokenVersion != "" {
				if err := r.srv.Service.SetCompanyTokenAPIVersion(ctx, tok.ID, tc.tokenVersion); err != nil {
					t.Fatal(err)
				}
			}
			client := validatingClient(t)
			objs := getObjects(t, client, r.srv.URL+"/artikels/", secret, tc.header)
			if len(objs) != 3 {
				t.Fatalf("%d products, want 3", len(objs))
			}
			for _, o := range objs {
				if got := objectKeys(t, o); !slices.Equal(got, tc.want) {
					t.Errorf("a product's keys:\n got %q\nwant %q", got, tc.want)
				}
			}
			one := getObjects(t, client, r.srv.URL+"/artikels/?id="+strconv.FormatInt(first.ID, 10), secret, tc.header)
			if len(one) != 1 {
				t.Fatalf("?id=%d: %d products, want 1", first.ID, len(one))
			}
			if got := objectKeys(t, one[0]); !slices.Equal(got, tc.one) {
				t.Errorf("?id=%d keys:\n got %q\nwant %q", first.ID, got, tc.one)
			}
		})
	}
	// The SDK through a proxy that drops its version header is a 0.4
	// client: it reads the protocol's fields and none of the details.
	t.Run("SDKWithoutHeader", func(t *testing.T) {
		t.Parallel()
		client := validatingClient(t)
		client.Transport = dropVersion{client.Transport}
		api := erptest.Must(cloudspot.NewCompanyAPI(r.token, cloudspot.WithBaseURL(r.srv.URL), cloudspot.WithHTTPClient(client)))(t)
		as := erptest.Must(api.Artikels.List(ctx))(t)
		if len(as) != 3 || as[0].SKU != "RIJK-1" || !as[0].VerkoopprijsIncl.Equal(cloudspot.MustParseDecimal("23.00")) {
			t.Fatalf("read as a 0.4 client: %+v", as)
		}
		for _, a := range as {
			details := a
			details.Naam, details.SKU, details.VoorraadBijhouden, details.OpVoorraad = "", "", "", cloudspot.Decimal{}
			details.VerkoopprijsExcl, details.VerkoopprijsIncl, details.BTW = cloudspot.Decimal{}, cloudspot.Decimal{}, cloudspot.Decimal{}
			details.Bestellingtype, details.Status = "", ""
			if d := cmp.Diff(cloudspot.Artikel{}, details, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("%s read as a 0.4 client carries details (-none +got):\n%s", a.SKU, d)
			}
		}
	})
}

// getObjects GETs a list with the company token and, unless empty, the
// version header, and returns its objects undecoded.
func getObjects(t *testing.T, client *http.Client, url, token, version string) []json.RawMessage {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-ERP-TOKEN", token)
	if version != "" {
		req.Header.Set("X-Cloudspot-API-Version", version)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s (version %q): %s %v %.300s", url, version, res.Status, err, b)
	}
	var body struct{ Data []json.RawMessage }
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return body.Data
}

// objectKeys returns the keys of a JSON object in the order they came.
func objectKeys(t *testing.T, o json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(o))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %.100s", o)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

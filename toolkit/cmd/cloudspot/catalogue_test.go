package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// catalogueSandbox starts an ERP that holds one company with a category tree
// and products with their details (API version 0.6), and returns a sandbox with that
// company's token in its environment. The ERP has nothing else, so the ids
// in the golden files are those of this data alone.
func catalogueSandbox(t *testing.T) (*sandbox, []string, *erptest.Server) {
	t.Helper()
	ctx := context.Background()
	srv := erptest.Start(t, erptest.Options{})
	if _, err := srv.Service.CreateCompany(ctx, "brouwerij", "Brouwerij Noord BV"); err != nil {
		t.Fatal(err)
	}
	token, _, err := srv.Service.IssueCompanyToken(ctx, "brouwerij", "cli", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}
	cat := func(path string) erp.NewCategorie {
		names := strings.Split(path, "|")
		return erp.NewCategorie{Naam: names[len(names)-1], Parents: names[:len(names)-1]}
	}
	if _, err := srv.Service.ImportCategorieen(ctx, "brouwerij", erp.Records([]erp.NewCategorie{
		cat("Dranken"), cat("Dranken|Bier"), cat("Dranken|Bier|Trappist"), cat("Dranken|Wijn"),
		cat("Glazen/bekers"), cat("Glazen/bekers|=1+1"), cat("Glazen/bekers|\u202eevil"),
	})); err != nil {
		t.Fatal(err)
	}
	d := cloudspot.MustParseDecimal
	base := func(sku, naam string) cloudspot.Artikel {
		return cloudspot.Artikel{SKU: sku, Naam: naam, VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek, OpVoorraad: d("24"),
			VerkoopprijsExcl: d("2.10"), VerkoopprijsIncl: d("2.54"), BTW: d("21"), Bestellingtype: cloudspot.BestellingtypeBestelling,
			UnitsPerBestelling: d("24"), Status: cloudspot.ArtikelStatusZichtbaar}
	}
	blond := base("BIE-TRA-BLOND", "Trappist Blond 33 cl")
	blond.Merk, blond.InterneNotitie = "Abdij Noord", "Leverancier belt op maandag."
	blond.Categorie = "Trappist"
	blond.Categorieen = []cloudspot.CategorieRef{{Naam: "Trappist"}, {Naam: "Wijn"}}
	blond.Fotos = []cloudspot.Foto{{URL: "https://cdn.example.be/blond-zijkant.jpg"}, {URL: "https://cdn.example.be/blond.jpg", IsHoofdfoto: true}}
	blond.Prijscategorieen = []cloudspot.Prijscategorie{
		{Label: "Horeca", Type: "VAST", Korting: d("10"), VerkoopprijsExcl: d("1.89"), VerkoopprijsIncl: d("2.29")},
		{Label: "Groothandel", Type: "PERCENTAGE", Korting: d("15")},
	}
	blond.EAN = []string{"5411234567890", "05411234567891"}
	blond.Samenstellingen = []cloudspot.Translation{
		{Text: "Water, gerstemout, hop, gist.", Taal: "nl", TaalDisplay: "Nederlands"},
		{Text: "Eau, malt d'orge, houblon, levure.", Taal: "fr", TaalDisplay: "Français"},
	}
	blond.Gebruiksaanwijzingen = []cloudspot.Translation{{Text: "Schenken op 8 °C.", Taal: "nl", TaalDisplay: "Nederlands"}}
	glas := base("GLS-TUL-033", "Tulpglas 33 cl")
	glas.Categorie = "=1+1"
	glas.Categorieen = []cloudspot.CategorieRef{{Naam: "=1+1"}}
	glas.Fotos = []cloudspot.Foto{{URL: "https://cdn.example.be/tulp.jpg", IsHoofdfoto: true}}
	plain := base("BIE-PIL-025", "Pils 25 cl")
	if _, err := srv.Service.ImportArtikels(ctx, "brouwerij", erp.Records([]cloudspot.Artikel{blond, glas, plain})); err != nil {
		t.Fatal(err)
	}
	return newSandbox(t, srv.URL), []string{"CLOUDSPOT_TOKEN=" + token}, srv
}

// TestGoldenCatalogue runs the commands for categories and products with
// their details against the real server and compares stdout with
// testdata/*.golden.
func TestGoldenCatalogue(t *testing.T) {
	t.Parallel()
	s, env, _ := catalogueSandbox(t)
	for _, tc := range []struct {
		name string
		args []string
		env  []string
	}{
		{"categorieen_table", []string{"categorieen", "list", "-o", "table"}, nil},
		{"categorieen_table_narrow", []string{"categorieen", "list", "-o", "table"}, []string{"COLUMNS=14"}},
		{"categorieen_json", []string{"categorieen", "list", "-o", "json"}, nil},
		{"categorieen_ndjson", []string{"categorieen", "list", "-o", "ndjson"}, nil},
		{"categorieen_csv", []string{"categorieen", "list", "-o", "csv"}, nil},
		{"categorieen_get_table", []string{"categorieen", "get", "2", "-o", "table"}, nil},
		{"categorieen_get_csv", []string{"categorieen", "get", "2", "-o", "csv", "--fields", "path,id"}, nil},
		{"artikels_details_table", []string{"artikels", "list", "-o", "table", "--fields", "SKU,merk,categorie,categorieen,fotos,prijscategorieen,EAN"}, nil},
		{"artikels_details_csv", []string{"artikels", "list", "-o", "csv", "--fields", "all"}, nil},
		{"artikels_details_ndjson", []string{"artikels", "list", "-o", "ndjson", "--fields", "id,SKU,categorie_id,categorieen,EAN,samenstellingen"}, nil},
		{"artikels_details_get_json", []string{"artikels", "get", "1", "-o", "json", "--fields", "all"}, nil},
		{"artikels_details_get_table", []string{"artikels", "get", "1", "-o", "table", "--fields", "id,naam,fotos,samenstellingen,gebruiksaanwijzingen"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.run("", append(tc.env, env...), tc.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			golden(t, tc.name, r.stdout)
		})
	}
}

// TestCatalogueOutputRoundTrips reads the machine formats back: the JSON tree
// is the SDK's Categorie, every CSV row's path leads to its category, and
// -o json keeps a product's lists whole.
func TestCatalogueOutputRoundTrips(t *testing.T) {
	t.Parallel()
	s, env, _ := catalogueSandbox(t)

	var tree []cloudspot.Categorie
	if err := json.Unmarshal([]byte(s.ok("", env, "categorieen", "list", "-o", "json").stdout), &tree); err != nil {
		t.Fatal(err)
	}
	byPath := map[string]int64{}
	var walk func(cs []cloudspot.Categorie, path []string)
	walk = func(cs []cloudspot.Categorie, path []string) {
		for _, c := range cs {
			p := append(path[:len(path):len(path)], strings.NewReplacer(`\`, `\\`, `/`, `\/`).Replace(c.Naam))
			// CSV shows a bidirectional override as an escape, as
			// every cell does.
			byPath[command.Visible(strings.Join(p, "/"), "")] = c.ID
			walk(c.Children, p)
		}
	}
	walk(tree, nil)
	if len(byPath) != 7 {
		t.Fatalf("the JSON tree has %d categories, want 7: %v", len(byPath), byPath)
	}
	rows, err := csv.NewReader(strings.NewReader(s.ok("", env, "categorieen", "list", "-o", "csv", "--fields", "id,path").stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 {
		t.Fatalf("%d CSV rows, want a header and 7", len(rows))
	}
	for _, row := range rows[1:] {
		path := strings.TrimPrefix(row[1], "'") // a formula-like cell is kept as text
		if id, ok := byPath[path]; !ok || row[0] != jsonInt(id) {
			t.Errorf("CSV row %v: the tree has %q as id %d (found %v)", row, path, id, ok)
		}
	}

	var products []cloudspot.Artikel
	if err := json.Unmarshal([]byte(s.ok("", env, "artikels", "list", "-o", "json", "--fields", "all").stdout), &products); err != nil {
		t.Fatal(err)
	}
	if len(products) != 3 || len(products[0].Fotos) != 2 || products[0].Fotos[1].URL != "https://cdn.example.be/blond.jpg" ||
		len(products[0].EAN) != 2 || products[0].EAN[1] != "05411234567891" || products[0].Prijscategorieen[0].VerkoopprijsIncl.String() != "2.29" {
		t.Errorf("-o json --fields all did not keep the lists: %+v", products)
	}
}

func jsonInt(id int64) string { b, _ := json.Marshal(id); return string(b) }

// TestCategorieenErrors: what goes wrong says what to do, with the usual
// exit codes.
func TestCategorieenErrors(t *testing.T) {
	t.Parallel()
	s, env, srv := catalogueSandbox(t)
	klantenOnly, _, err := srv.Service.IssueCompanyToken(context.Background(), "brouwerij", "klanten", erp.Rights{Klanten: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"UnknownID", env, []string{"categorieen", "get", "999"}, 1, "no category with id 999 in the token's company"},
		{"BadID", env, []string{"categorieen", "get", "drie"}, 2, `"drie" is not a category id`},
		{"NoID", env, []string{"categorieen", "get"}, 2, "takes one category id"},
		{"FieldsOfATree", env, []string{"categorieen", "list", "-o", "table", "--fields", "id"}, 2, "--fields chooses the columns of -o ndjson and csv"},
		{"UnknownField", env, []string{"categorieen", "list", "-o", "csv", "--fields", "ouder"}, 2, `no field "ouder"`},
		{"NoRight", []string{"CLOUDSPOT_TOKEN=" + klantenOnly}, []string{"categorieen", "list"}, 1, "no right to see products"},
		{"NoToken", nil, []string{"categorieen", "list"}, 4, "cloudspot login --company"},
		{"UnknownArtikelField", env, []string{"artikels", "list", "--fields", "SKU,foto"}, 2, `no field "foto"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.run("", tc.env, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", r.code, r.stdout, r.stderr, tc.code, tc.want)
			}
			assertOneLine(t, r.stderr)
		})
	}
}

// TestArtikelListsCSVImportsAgain: a CSV export holds each list as its wire JSON,
// what an import reads, so the lists of every product come back whole;
// only a table shows them shortened.
func TestArtikelListsCSVImportsAgain(t *testing.T) {
	t.Parallel()
	s, env, _ := catalogueSandbox(t)
	var want []cloudspot.Artikel
	if err := json.Unmarshal([]byte(s.ok("", env, "artikels", "list", "-o", "json", "--fields", "all").stdout), &want); err != nil {
		t.Fatal(err)
	}
	csvOut := s.ok("", env, "artikels", "list", "-o", "csv", "--fields", "all").stdout
	var got []cloudspot.Artikel
	for rec, err := range importfile.Artikels(strings.NewReader(csvOut), importfile.CSV) {
		if err != nil || len(rec.Problems) > 0 {
			t.Fatalf("the CSV export does not import: %v %v", err, rec.Problems)
		}
		got = append(got, rec.Value)
	}
	lists := func(a cloudspot.Artikel) string {
		return fmt.Sprintf("%+v", []any{a.Categorieen, a.Fotos, a.Prijscategorieen, a.EAN, a.Samenstellingen, a.RuweGrondstoffen, a.Gebruiksaanwijzingen, a.MeerInfo})
	}
	if len(got) != len(want) || len(want) != 3 {
		t.Fatalf("the CSV export imports as %d products, want the %d listed", len(got), len(want))
	}
	for i := range want {
		if g, w := lists(got[i]), lists(want[i]); g != w {
			t.Errorf("%s: the lists imported from CSV\n%s\nwant\n%s", want[i].SKU, g, w)
		}
	}
}

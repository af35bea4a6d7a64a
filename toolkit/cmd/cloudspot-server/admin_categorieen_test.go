package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestAdminCategorieen imports a category tree in both formats, lists it
// with its ids, imports products that name categories by name and by id,
// and reads them over HTTP in API version 0.6 from a server on the same
// database.
func TestAdminCategorieen(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	dir := t.TempDir()
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	tree := filepath.Join(dir, "tree.json")
	writeFile(t, tree, `[{"naam": "Dranken", "children": [{"naam": "Bier", "children": [{"naam": "Trappist"}]}, {"naam": "Wijn"}]}, {"naam": "Ontbijt"}]`)
	if out := a.ok("", "import", "categorieen", "--company", "acme", tree); out != "imported categorieen into acme: 5 created, 0 already there\n" {
		t.Errorf("import: %q", out)
	}
	paths := filepath.Join(dir, "paths.csv")
	writeFile(t, paths, "categorie\nDranken/Bier\nDranken/Fris\\/Sap\n")
	if out := a.ok("", "import", "categorieen", "--company", "acme", paths); out != "imported categorieen into acme: 1 created, 1 already there\n" {
		t.Errorf("second import: %q", out)
	}
	want := "ID  NAAM\n" +
		"1   Dranken\n" +
		"2     Bier\n" +
		"3       Trappist\n" +
		"4     Wijn\n" +
		"6     Fris/Sap\n" +
		"5   Ontbijt\n"
	if out := a.ok("", "categorieen", "list", "--company", "acme"); out != want {
		t.Errorf("categorieen list:\n%s\nwant:\n%s", out, want)
	}
	var got any
	if err := json.Unmarshal([]byte(a.ok("", "categorieen", "list", "--company", "acme", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	leaf := func(id float64, naam string) map[string]any {
		return map[string]any{"id": id, "naam": naam, "children": []any{}}
	}
	wantJSON := []any{
		map[string]any{"id": 1.0, "naam": "Dranken", "children": []any{
			map[string]any{"id": 2.0, "naam": "Bier", "children": []any{leaf(3, "Trappist")}},
			leaf(4, "Wijn"), leaf(6, "Fris/Sap"),
		}},
		leaf(5, "Ontbijt"),
	}
	if diff := cmp.Diff(wantJSON, got); diff != "" {
		t.Errorf("categorieen list --json (-want +got):\n%s", diff)
	}

	// Bad files import nothing and say why.
	bad := filepath.Join(dir, "bad.csv")
	writeFile(t, bad, "categorie\nSnoep\nKoffie/Bonen\nDranken//Bier\n")
	_, errOut, code := a.run("", "import", "categorieen", "--company", "acme", bad)
	for _, want := range []string{"2 problems; nothing was imported", `record 2 (line 3): naam: its parent "Koffie" is neither stored nor earlier in the file`, "record 3 (line 4): categorie: the path \"Dranken//Bier\" has an empty name"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("a bad categories file: exit %d; stderr lacks %q:\n%s", code, want, errOut)
		}
	}
	withID := filepath.Join(dir, "ids.json")
	writeFile(t, withID, `[{"id": 1, "naam": "Dranken"}]`)
	a.fails(1, "ids are given by the server", "", "import", "categorieen", "--company", "acme", withID)
	if out := a.ok("", "categorieen", "list", "--company", "acme"); out != want {
		t.Errorf("a refused import changed the tree:\n%s", out)
	}
	a.fails(1, "does not exist", "", "categorieen", "list", "--company", "nosuch")
	a.fails(2, "no arguments", "", "categorieen", "list", "acme")

	// Products name categories by name or id.
	artikels := filepath.Join(dir, "artikels.json")
	writeFile(t, artikels, `[{"naam": "Westmalle Tripel", "SKU": "B-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR",
	  "merk": "Westmalle", "categorie": "Trappist", "categorieen": [3, "Ontbijt"], "EAN": ["5411234567897"],
	  "fotos": [{"url": "https://img.example.com/tripel.jpg", "is_hoofdfoto": true}]}]`)
	a.ok("", "import", "artikels", "--company", "acme", artikels)
	unknown := filepath.Join(dir, "unknown.json")
	writeFile(t, unknown, `[{"naam": "Cola", "SKU": "F-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "categorie": "Frisdrank"}]`)
	a.fails(1, "Frisdrank", "", "import", "artikels", "--company", "acme", unknown)

	secret := strings.TrimSpace(a.ok("", "token", "create", "--company", "acme", "--name", "shop", "--rights", "artikels"))
	srv := erptest.Start(t, erptest.Options{Store: openForTest(t, a.db)})
	body := getJSON(t, srv.URL+"/artikels/", secret, "0.6")
	data, _ := body["data"].([]any)
	if len(data) != 1 {
		t.Fatalf("GET /artikels/ in 0.6: %v", body)
	}
	p := data[0].(map[string]any)
	if p["categorie"] != "Trappist" || p["categorie_id"] != 3.0 || p["merk"] != "Westmalle" ||
		!reflect.DeepEqual(p["categorieen"], []any{map[string]any{"id": 3.0, "naam": "Trappist"}, map[string]any{"id": 5.0, "naam": "Ontbijt"}}) {
		t.Errorf("the imported product in 0.6: %v", p)
	}
	// What the API sends in 0.6 imports again as it is, and changes
	// nothing: an export is a file to edit and import.
	export := getBody(t, srv.URL+"/artikels/", secret, "0.6")
	exported := filepath.Join(dir, "export.json")
	writeFile(t, exported, string(export))
	if out := a.ok("", "import", "artikels", "--company", "acme", exported); out != "imported artikels into acme: 0 created, 1 updated\n" {
		t.Errorf("importing the export: %q", out)
	}
	if again := getBody(t, srv.URL+"/artikels/", secret, "0.6"); string(again) != string(export) {
		t.Errorf("the export imported again changed the product:\n%s\nwas\n%s", again, export)
	}
	cats := getJSON(t, srv.URL+"/categories/?id=2", secret, "")
	if !reflect.DeepEqual(cats["data"], []any{map[string]any{"id": 2.0, "naam": "Bier", "children": []any{leaf(3, "Trappist")}}}) {
		t.Errorf("GET /categories/?id=2: %v", cats)
	}
}

// TestAdminCategorieenInParallel: administrators importing the same tree
// at once get it once: every import succeeds or says why, and no category
// is created twice.
func TestAdminCategorieenInParallel(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	tree := filepath.Join(t.TempDir(), "tree.csv")
	writeFile(t, tree, "categorie\nDranken\nDranken/Bier\nDranken/Wijn\nOntbijt\n")
	const n = 6
	var wg sync.WaitGroup
	results := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, errOut, code := a.run("", "import", "categorieen", "--company", "acme", tree)
			results[i] = fmt.Sprintf("exit %d: %s%s", code, out, errOut)
		}()
	}
	wg.Wait()
	created := 0
	for _, r := range results {
		var c, there int
		if _, err := fmt.Sscanf(r, "exit 0: imported categorieen into acme: %d created, %d already there", &c, &there); err != nil {
			t.Errorf("a parallel import: %s", r)
			continue
		}
		created += c
	}
	want := "ID  NAAM\n1   Dranken\n2     Bier\n3     Wijn\n4   Ontbijt\n"
	if out := a.ok("", "categorieen", "list", "--company", "acme"); out != want || created != 4 {
		t.Errorf("after %d parallel imports, %d created in all; the tree:\n%s", n, created, out)
	}
}

// TestAdminCategorieenListIsInert: a category's name, chosen by whoever
// writes the import file, cannot turn the administrator's terminal around,
// in the table or in JSON.
func TestAdminCategorieenListIsInert(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	tree := filepath.Join(t.TempDir(), "tree.json")
	writeFile(t, tree, `[{"naam": "Bier\u202e reeB"}]`)
	a.ok("", "import", "categorieen", "--company", "acme", tree)
	out := a.ok("", "categorieen", "list", "--company", "acme")
	for i, r := range out {
		if (unicode.IsControl(r) && r != '\n') || unicode.Is(unicode.Bidi_Control, r) {
			t.Fatalf("categorieen list: %U at byte %d reaches the terminal:\n%q", r, i, out)
		}
	}
	if !strings.Contains(out, `Bier\u202e reeB`) {
		t.Errorf("categorieen list does not show the name's escape:\n%s", out)
	}
	// In JSON the same name, escaped: a JSON reader gets it as it is.
	out = a.ok("", "categorieen", "list", "--company", "acme", "--json")
	var got []cloudspot.Categorie
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 || got[0].Naam != "Bier\u202e reeB" || strings.ContainsRune(out, '\u202e') {
		t.Errorf("categorieen list --json: %+v, %v\n%s", got, err, out)
	}
}

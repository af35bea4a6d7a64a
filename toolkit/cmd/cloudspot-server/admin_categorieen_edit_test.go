package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// statusOf GETs url with a company token and returns the status.
func statusOf(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-ERP-TOKEN", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// TestAdminCategorieenEdit renames, moves and deletes categories with the
// binary, on each engine, while a server on the same database answers: the
// categories call and the products of 0.6 show each change at once, to a
// token whose check the server keeps in memory. What is refused says why
// and changes nothing.
func TestAdminCategorieenEdit(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			a := &adminRun{t: t, bin: bin, db: e.DB(t)}
			dir := t.TempDir()
			a.ok("", "company", "create", "acme", "--name", "Acme BV")
			tree := filepath.Join(dir, "tree.csv")
			writeFile(t, tree, "categorie\nDranken\nDranken/Bier\nDranken/Bier/Trappist\nDranken/Wijn\nEten\nEten/Brood\n")
			a.ok("", "import", "categorieen", "--company", "acme", tree)
			artikels := filepath.Join(dir, "artikels.json")
			writeFile(t, artikels, `[
			  {"naam": "Westmalle", "SKU": "B-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "categorie_id": 3, "categorieen": [3, 4]},
			  {"naam": "Desem", "SKU": "E-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "categorie_id": 6, "categorieen": [6, 2]}]`)
			a.ok("", "import", "artikels", "--company", "acme", artikels)
			secret := strings.TrimSpace(a.ok("", "token", "create", "--company", "acme", "--name", "shop", "--rights", "artikels"))
			st, err := erpserver.OpenDB(context.Background(), a.db)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			srv := erptest.Start(t, erptest.Options{Store: st})

			// shown is the tree and each product's categories as the API
			// sends them, in one line.
			shown := func() string {
				t.Helper()
				var b strings.Builder
				var walk func(cs []any)
				walk = func(cs []any) {
					for i, c := range cs {
						c := c.(map[string]any)
						if i > 0 {
							b.WriteString(" ")
						}
						fmt.Fprintf(&b, "%v:%v", c["id"], c["naam"])
						if ch := c["children"].([]any); len(ch) > 0 {
							b.WriteString("(")
							walk(ch)
							b.WriteString(")")
						}
					}
				}
				walk(getJSON(t, srv.URL+"/categories/", secret, "")["data"].([]any))
				for _, p := range getJSON(t, srv.URL+"/artikels/", secret, "0.6")["data"].([]any) {
					p := p.(map[string]any)
					var refs []string
					for _, r := range p["categorieen"].([]any) {
						r := r.(map[string]any)
						refs = append(refs, fmt.Sprintf("%v:%v", r["id"], r["naam"]))
					}
					fmt.Fprintf(&b, " | %v main %v:%v in [%s]", p["SKU"], p["categorie_id"], p["categorie"], strings.Join(refs, " "))
				}
				return b.String()
			}
			want := func(what, w string) {
				t.Helper()
				if got := shown(); got != w {
					t.Fatalf("%s, the API shows\n%s\nwant\n%s", what, got, w)
				}
			}
			want("at first", "1:Dranken(2:Bier(3:Trappist) 4:Wijn) 5:Eten(6:Brood) | B-1 main 3:Trappist in [3:Trappist 4:Wijn] | E-1 main 6:Brood in [6:Brood 2:Bier]")

			if out := a.ok("", "categorieen", "rename", "--company", "acme", "3", "Abdij & Trappist"); out != "category 3 of acme is now named \"Abdij & Trappist\"\n" {
				t.Errorf("rename: %q", out)
			}
			want("after the rename", "1:Dranken(2:Bier(3:Abdij & Trappist) 4:Wijn) 5:Eten(6:Brood) | B-1 main 3:Abdij & Trappist in [3:Abdij & Trappist 4:Wijn] | E-1 main 6:Brood in [6:Brood 2:Bier]")
			if out := a.ok("", "categorieen", "move", "--company", "acme", "2", "--parent", "6"); out != "category 2 of acme is now under category 6\n" {
				t.Errorf("move: %q", out)
			}
			if out := a.ok("", "categorieen", "move", "--company", "acme", "4", "--root"); out != "category 4 of acme is now among the roots\n" {
				t.Errorf("move --root: %q", out)
			}
			after := "1:Dranken 5:Eten(6:Brood(2:Bier(3:Abdij & Trappist))) 4:Wijn | B-1 main 3:Abdij & Trappist in [3:Abdij & Trappist 4:Wijn] | E-1 main 6:Brood in [6:Brood 2:Bier]"
			want("after the moves", after)

			// Refused, each with its reason; nothing changes.
			a.fails(1, "would make a cycle", "", "categorieen", "move", "--company", "acme", "5", "--parent", "3")
			a.fails(1, "category 1 has a sibling named \"Eten\" already", "", "categorieen", "rename", "--company", "acme", "1", "Eten")
			a.ok("", "categorieen", "rename", "--company", "acme", "1", "Wijn2")
			a.ok("", "categorieen", "rename", "--company", "acme", "1", "Dranken")
			a.fails(1, "has 3 subcategories: delete them first, or delete it recursively with them (--recursive deletes them too)", "", "categorieen", "delete", "--company", "acme", "5")
			a.fails(1, "there is no category 99 in company acme", "", "categorieen", "delete", "--company", "acme", "99")
			a.fails(1, `company "nosuch" does not exist`, "", "categorieen", "rename", "--company", "nosuch", "1", "X")
			a.fails(2, "give either --parent ID or --root", "", "categorieen", "move", "--company", "acme", "2")
			a.fails(2, "give either --parent ID or --root", "", "categorieen", "move", "--company", "acme", "2", "--root", "--parent", "1")
			a.fails(2, `--parent "x" is not a category id`, "", "categorieen", "move", "--company", "acme", "2", "--parent", "x")
			a.fails(2, `ID "-1" is not a category id`, "", "categorieen", "delete", "--company", "acme", "--", "-1")
			a.fails(2, "a category id and its new name", "", "categorieen", "rename", "--company", "acme", "1")
			a.fails(2, `ID "99999999999999999999" is not a category id`, "", "categorieen", "rename", "--company", "acme", "99999999999999999999", "X")
			a.fails(2, `ID "0" is not a category id`, "", "categorieen", "move", "--company", "acme", "0", "--root")
			a.fails(1, "naam: text must be UTF-8", "", "categorieen", "rename", "--company", "acme", "1", "Dranken \xff")
			a.fails(1, "naam: holds a control character", "", "categorieen", "rename", "--company", "acme", "1", "Dranken\x1b[2J")
			want("after refusals", after)

			out := a.ok("", "categorieen", "delete", "--company", "acme", "6", "--recursive")
			if out != "deleted category 6 of acme with its 2 subcategories\n"+
				"products that listed a deleted category: 2 (they keep their other categories)\n"+
				"products whose main category was deleted: 2 (they now have none)\n" {
				t.Errorf("delete --recursive: %q", out)
			}
			want("after the delete", "1:Dranken 5:Eten 4:Wijn | B-1 main <nil>:<nil> in [4:Wijn] | E-1 main <nil>:<nil> in []")
			if code := statusOf(t, srv.URL+"/categories/?id=6", secret); code != http.StatusNotFound {
				t.Errorf("GET /categories/?id=6 after its delete: %d", code)
			}
			if out := a.ok("", "categorieen", "delete", "--company", "acme", "4"); out != "deleted category 4 of acme\n"+
				"products that listed a deleted category: 1 (they keep their other categories)\n"+
				"products whose main category was deleted: 0 (they now have none)\n" {
				t.Errorf("delete: %q", out)
			}
			// What the API sends imports again: a product without categories.
			export := filepath.Join(dir, "export.json")
			writeFile(t, export, string(getBody(t, srv.URL+"/artikels/", secret, "0.6")))
			a.ok("", "import", "artikels", "--company", "acme", export)
			audit := a.ok("", "audit", "--action", "categorie.")
			for _, action := range []string{"categorie.rename", "categorie.move", "categorie.delete"} {
				if !strings.Contains(audit, action) {
					t.Errorf("the audit log lacks %s:\n%s", action, audit)
				}
			}
		})
	}
}

// TestAdminCategorieenMovesInParallel: two administrators moving two
// categories under each other at once, on each engine: one move succeeds,
// the other sees it and is refused, and the tree never holds a cycle.
func TestAdminCategorieenMovesInParallel(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			a := &adminRun{t: t, bin: bin, db: e.DB(t)}
			a.ok("", "company", "create", "acme", "--name", "Acme BV")
			tree := filepath.Join(t.TempDir(), "tree.csv")
			writeFile(t, tree, "categorie\nA\nB\n")
			a.ok("", "import", "categorieen", "--company", "acme", tree)
			for round := range 3 {
				var wg sync.WaitGroup
				codes := make([]int, 2)
				errs := make([]string, 2)
				for i, args := range [][]string{{"1", "--parent", "2"}, {"2", "--parent", "1"}} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, errs[i], codes[i] = a.run("", append([]string{"categorieen", "move", "--company", "acme"}, args...)...)
					}()
				}
				wg.Wait()
				if codes[0]+codes[1] != 1 || !strings.Contains(errs[0]+errs[1], "would make a cycle") {
					t.Fatalf("round %d: two moves into a cycle at once: exits %v, %q", round, codes, errs)
				}
				var got []cloudspot.Categorie
				if err := json.Unmarshal([]byte(a.ok("", "categorieen", "list", "--company", "acme", "--json")), &got); err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || len(got[0].Children) != 1 || !reflect.DeepEqual(got[0].Children[0].Children, []cloudspot.Categorie{}) {
					t.Fatalf("round %d: the tree %+v, want one root with one child", round, got)
				}
				a.ok("", "categorieen", "move", "--company", "acme", "1", "--root")
				a.ok("", "categorieen", "move", "--company", "acme", "2", "--root")
			}
		})
	}
}

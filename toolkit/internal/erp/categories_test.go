package erp_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// cats are categories to import, each written as its path.
func cats(paths ...string) []erp.NewCategorie {
	out := make([]erp.NewCategorie, len(paths))
	for i, p := range paths {
		names := strings.Split(p, "/")
		out[i] = erp.NewCategorie{Naam: names[len(names)-1], Parents: names[:len(names)-1]}
	}
	return out
}

// render writes a tree as "naam(child, child)" with ids left out.
func render(cs []cloudspot.Categorie) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Naam)
		if c.Children == nil {
			b.WriteString("<nil children>")
		}
		if len(c.Children) > 0 {
			b.WriteString("(" + render(c.Children) + ")")
		}
	}
	return b.String()
}

// importErr returns the problems of a refused import, one per line.
func importErr(t *testing.T, err error) string {
	t.Helper()
	var ie *erp.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an ImportError", err)
	}
	var lines []string
	for _, p := range ie.Problems {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

func TestCategorieen(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		res, err := w.svc.ImportCategorieen(ctx, "acme", erp.Records(cats("Dranken", "Dranken/Koffie", "Dranken/Thee", "Dranken/Thee/Groen", "Eten")))
		if err != nil || res.Created != 5 {
			t.Fatalf("first import: %+v, %v", res, err)
		}
		// Existing ones stay; new ones come after their siblings, in file
		// order; none is deleted.
		res, err = w.svc.ImportCategorieen(ctx, "acme", erp.Records(cats("Dranken/Thee", "Dranken/Bier", "Aperitief", "Dranken/Bier/Trappist")))
		if err != nil || res.Created != 3 || res.Updated != 1 {
			t.Fatalf("second import: %+v, %v", res, err)
		}
		tree := erptest.Must(w.svc.Categorieen(ctx, "acme"))(t)
		if got, want := render(tree), "Dranken(Koffie, Thee(Groen), Bier(Trappist)), Eten, Aperitief"; got != want {
			t.Errorf("tree %s, want %s", got, want)
		}
		if got := render(erptest.Must(w.svc.CategorieenForToken(ctx, w.acmeProducts))(t)); got != render(tree) {
			t.Errorf("the token's tree %s, want the company's %s", got, render(tree))
		}
		// One by id, with its subtree; another company's is not found.
		thee := tree[0].Children[1]
		got := erptest.Must(w.svc.CategorieForToken(ctx, w.acmeAll, thee.ID))(t)
		if got.ID != thee.ID || render([]cloudspot.Categorie{got}) != "Thee(Groen)" {
			t.Errorf("CategorieForToken(Thee) = %+v", got)
		}
		_, err = w.svc.CategorieForToken(ctx, w.globexAll, thee.ID)
		wantCode(t, "globex asking for acme's category", err, erp.ENotFound, "Category not found.")
		_, err = w.svc.CategorieForToken(ctx, w.acmeClients, thee.ID)
		wantCode(t, "a token without the right to see products", err, erp.EForbidden, "")
		if tree := erptest.Must(w.svc.Categorieen(ctx, "globex"))(t); tree == nil || len(tree) != 0 {
			t.Errorf("globex's tree = %#v, want empty and not nil", tree)
		}
		_, err = w.svc.Categorieen(ctx, "nosuch")
		wantCode(t, "a missing company", err, erp.ENotFound, `company "nosuch" does not exist`)
		audit := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditImportCategorieen}))(t)
		if len(audit) != 2 || audit[1].Detail != "company acme: 3 created, 1 existed" {
			t.Errorf("audit of the imports: %+v", audit)
		}
	})
}

// TestImportCategorieenProblems: each rule of a category file, broken once,
// is a problem of its record, and the file is refused whole.
func TestImportCategorieenProblems(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		erptest.Must(w.svc.ImportCategorieen(ctx, "acme", erp.Records(cats("Bestaand"))))(t)
		deep := strings.Repeat("n/", erp.MaxCategorieDepth) + "te diep"
		var deepParents []string
		for i := range erp.MaxCategorieDepth - 1 {
			deepParents = append(deepParents, fmt.Sprint("d", i))
		}
		file := append(cats(
			"Bestaand/Kind",       // 1: fine, a stored parent
			"Nieuw", "Nieuw/Kind", // 2, 3: fine, a parent earlier in the file
			"Later/Kind", "Later", // 4: its parent comes after it
			"Bestaand/Kind",          // 6: the same as record 1
			"  ",                     // 7: no name
			"Bad\x1fname",            // 8: a control character
			strings.Repeat("é", 201), // 9: too long
			deep,                     // 10: too deep
			"Bad \xff",               // 11: not UTF-8
		), erp.NewCategorie{Naam: "Diepst", Parents: deepParents}) // 12: deep enough, but its parents do not exist
		_, err := w.svc.ImportCategorieen(ctx, "acme", erp.Records(file))
		got := importErr(t, err)
		for _, want := range []string{
			`record 4: naam: its parent "Later" is neither stored nor earlier in the file`,
			"record 6: naam: the same as record 1",
			"record 7: naam: is required",
			"record 8: naam: holds a control character",
			"record 9: naam: longer than 200 characters",
			"record 10: naam: 11 levels deep; a tree has at most 10",
			"record 11: naam: text must be UTF-8",
			`record 12: naam: its parent "d0/d1/d2/d3/d4/d5/d6/d7/d8" is neither stored nor earlier in the file`,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("problems lack %q:\n%s", want, got)
			}
		}
		for _, fine := range []string{"record 1:", "record 2:", "record 3:", "record 5:"} {
			if strings.Contains(got, fine) {
				t.Errorf("a good record is reported (%s):\n%s", fine, got)
			}
		}
		if tree := render(erptest.Must(w.svc.Categorieen(ctx, "acme"))(t)); tree != "Bestaand" {
			t.Errorf("a refused import changed the tree: %s", tree)
		}
		// Ten levels are allowed.
		tenLevels := cats("d0", "d0/d1", "d0/d1/d2", "d0/d1/d2/d3", "d0/d1/d2/d3/d4", "d0/d1/d2/d3/d4/d5", "d0/d1/d2/d3/d4/d5/d6",
			"d0/d1/d2/d3/d4/d5/d6/d7", "d0/d1/d2/d3/d4/d5/d6/d7/d8", "d0/d1/d2/d3/d4/d5/d6/d7/d8/d9")
		if res, err := w.svc.ImportCategorieen(ctx, "acme", erp.Records(tenLevels)); err != nil || res.Created != 10 {
			t.Errorf("a tree ten levels deep: %+v, %v", res, err)
		}
	})
}

// TestImportCategorieenInParallel imports the same tree many times at once:
// each category is created once, whichever import gets there first.
func TestImportCategorieenInParallel(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		file := cats("A", "A/B", "A/B/C", "D", "D/E")
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for range 8 {
			wg.Go(func() {
				res, err := w.svc.ImportCategorieen(ctx, "acme", erp.Records(file))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				created += res.Created
				mu.Unlock()
			})
		}
		wg.Wait()
		if got := render(erptest.Must(w.svc.Categorieen(ctx, "acme"))(t)); got != "A(B(C)), D(E)" || created != 5 {
			t.Errorf("after parallel imports: %s, %d created in all; want A(B(C)), D(E) and 5", got, created)
		}
	})
}

// roots are n categories at the root, named prefix0, prefix1, ...
func roots(prefix string, n int) []erp.NewCategorie {
	out := make([]erp.NewCategorie, n)
	for i := range out {
		out[i] = erp.NewCategorie{Naam: fmt.Sprint(prefix, i)}
	}
	return out
}

// TestImportCategorieenCap: a company holds at most MaxCompanyCategorieen
// categories, whether one file passes the cap or several imports at once
// do together.
func TestImportCategorieenCap(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		count := func() int {
			n := 0
			var walk func([]cloudspot.Categorie)
			walk = func(cs []cloudspot.Categorie) {
				for _, c := range cs {
					n++
					walk(c.Children)
				}
			}
			walk(erptest.Must(w.svc.Categorieen(ctx, "acme"))(t))
			return n
		}
		erptest.Must(w.svc.ImportCategorieen(ctx, "acme", erp.Records(roots("c", erp.MaxCompanyCategorieen-12))))(t)

		// Existing categories do not count again; the first new one past
		// the cap is the first problem.
		file := append(cats("c0", "c1"), roots("n", 4)...)
		_, err := w.svc.ImportCategorieen(ctx, "acme", erp.Records(file))
		if err != nil {
			t.Fatalf("an import up to the cap: %v", err)
		}
		file = append(cats("c2"), roots("p", 10)...)
		_, err = w.svc.ImportCategorieen(ctx, "acme", erp.Records(file))
		got := importErr(t, err)
		want := fmt.Sprintf("record 10: naam: a company has at most %d categories", erp.MaxCompanyCategorieen)
		if !strings.HasPrefix(got, want) || strings.Contains(got, "record 9:") {
			t.Errorf("an import past the cap: problems\n%s\nwant them to start at %q", got, want)
		}
		if n := count(); n != erp.MaxCompanyCategorieen-8 {
			t.Fatalf("a refused import changed the tree: %d categories", n)
		}

		// Six imports of two new categories each at once, where room is
		// left for eight: four pass and the others are refused, whether
		// they saw the others' categories before they began or not.
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = w.svc.ImportCategorieen(ctx, "acme", erp.Records(roots(fmt.Sprint("par", i, "-"), 2)))
			})
		}
		wg.Wait()
		passed := 0
		for _, err := range errs {
			switch {
			case err == nil:
				passed++
			case !strings.Contains(err.Error(), fmt.Sprintf("a company has at most %d categories", erp.MaxCompanyCategorieen)):
				t.Errorf("a refused parallel import: %v, want it to name the cap", err)
			}
		}
		if n := count(); passed != 4 || n != erp.MaxCompanyCategorieen {
			t.Errorf("after parallel imports: %d passed and %d categories; want 4 and %d", passed, n, erp.MaxCompanyCategorieen)
		}
	})
}

// TestImportCategorieenTrimsNames: spaces around a name are not part of it,
// whichever file format brought them (CSV trims them when reading), so
// "Bier " is the same category as "Bier".
func TestImportCategorieenTrimsNames(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		file := []erp.NewCategorie{
			{Naam: "Dranken"},
			{Naam: " Bier\t", Parents: []string{"Dranken "}},
		}
		res, err := w.svc.ImportCategorieen(ctx, "acme", erp.Records(file))
		if err != nil || res.Created != 2 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		res, err = w.svc.ImportCategorieen(ctx, "acme", erp.Records([]erp.NewCategorie{{Naam: "Bier", Parents: []string{"Dranken"}}}))
		if err != nil || res.Created != 0 || res.Updated != 1 {
			t.Fatalf("importing Bier again: %+v, %v", res, err)
		}
		_, err = w.svc.ImportCategorieen(ctx, "acme", erp.Records([]erp.NewCategorie{{Naam: "Wijn"}, {Naam: "Wijn  "}}))
		if got := importErr(t, err); got != "record 2: naam: the same as record 1" {
			t.Errorf("a name given twice, once with spaces: %s", got)
		}
		tree := erptest.Must(w.svc.Categorieen(ctx, "acme"))(t)
		if got := render(tree); got != "Dranken(Bier)" || tree[0].Children[0].Naam != "Bier" {
			t.Errorf("tree %q, want Dranken(Bier) with names trimmed", got)
		}
	})
	for _, naam := range []string{" Bier", "Bier ", "Bier\u00a0"} {
		if msg := erp.CheckCategorieNaam(naam); msg != "has spaces around it" {
			t.Errorf("CheckCategorieNaam(%q) = %q, want it refused", naam, msg)
		}
	}
}

// TestImportArtikelsCategories: a product names each category by id or by
// a name no other category of the company has, and gets their current
// names; anything else is a problem of its record.
func TestImportArtikelsCategories(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		erptest.Must(w.svc.ImportCategorieen(ctx, "acme", erp.Records(cats("Dranken", "Dranken/Bier", "Eten", "Eten/Bier", "Eten/Brood"))))(t)
		erptest.Must(w.svc.ImportCategorieen(ctx, "globex", erp.Records(cats("Vreemd"))))(t)
		ids := map[string]int64{}
		var walk func(cs []cloudspot.Categorie, prefix string)
		walk = func(cs []cloudspot.Categorie, prefix string) {
			for _, c := range cs {
				ids[prefix+c.Naam] = c.ID
				walk(c.Children, prefix+c.Naam+"/")
			}
		}
		walk(erptest.Must(w.svc.Categorieen(ctx, "acme"))(t), "")
		walk(erptest.Must(w.svc.Categorieen(ctx, "globex"))(t), "")

		good := artikel("GOOD-1")
		good.Categorie = "Brood"
		good.Categorieen = []cloudspot.CategorieRef{{ID: ids["Eten"], Naam: "Eten"}, {ID: ids["Dranken/Bier"]}, {Naam: "Dranken"}}
		if _, err := w.svc.ImportArtikels(ctx, "acme", erp.Records([]cloudspot.Artikel{good})); err != nil {
			t.Fatal(err)
		}
		as := erptest.Must(w.svc.ArtikelsForToken(ctx, w.acmeAll))(t)
		got := as[len(as)-1]
		wantRefs := []cloudspot.CategorieRef{{ID: ids["Eten"], Naam: "Eten"}, {ID: ids["Dranken/Bier"], Naam: "Bier"}, {ID: ids["Dranken"], Naam: "Dranken"}}
		if got.SKU != "GOOD-1" || got.CategorieID != ids["Eten/Brood"] || got.Categorie != "Brood" || !slices.Equal(got.Categorieen, wantRefs) {
			t.Errorf("stored %q in %d %q and %v; want %d Brood and %v", got.SKU, got.CategorieID, got.Categorie, got.Categorieen, ids["Eten/Brood"], wantRefs)
		}

		bad := func(sku string, change func(a *cloudspot.Artikel)) cloudspot.Artikel {
			a := artikel(sku)
			change(&a)
			return a
		}
		_, err := w.svc.ImportArtikels(ctx, "acme", erp.Records([]cloudspot.Artikel{
			bad("B-1", func(a *cloudspot.Artikel) { a.Categorie = "Bier" }),
			bad("B-2", func(a *cloudspot.Artikel) { a.Categorie = "Snoep" }),
			bad("B-3", func(a *cloudspot.Artikel) { a.CategorieID = ids["Vreemd"] }),
			bad("B-4", func(a *cloudspot.Artikel) { a.CategorieID, a.Categorie = ids["Eten"], "Dranken" }),
			bad("B-5", func(a *cloudspot.Artikel) {
				a.Categorieen = []cloudspot.CategorieRef{{Naam: "Eten"}, {ID: ids["Eten"]}}
			}),
			bad("B-6", func(a *cloudspot.Artikel) { a.Categorieen = []cloudspot.CategorieRef{{ID: 1 << 40}} }),
			bad("B-7", func(a *cloudspot.Artikel) { a.Categorieen = []cloudspot.CategorieRef{{}} }),
		}))
		problems := importErr(t, err)
		for _, want := range []string{
			`record 1: categorie: 2 categories are named "Bier": name it by id`,
			`record 2: categorie: there is no category named "Snoep" in this company`,
			fmt.Sprintf("record 3: categorie_id: there is no category %d in this company", ids["Vreemd"]),
			fmt.Sprintf(`record 4: categorie_id: category %d is named "Eten", not "Dranken"`, ids["Eten"]),
			fmt.Sprintf(`record 5: categorieen: entry 2: category %d ("Eten") is listed twice`, ids["Eten"]),
			fmt.Sprintf("record 6: categorieen: entry 1: there is no category %d in this company", int64(1<<40)),
			`record 7: categorieen: entry 1: there is no category named "" in this company`,
		} {
			if !strings.Contains(problems, want) {
				t.Errorf("problems lack %q:\n%s", want, problems)
			}
		}
		if n := len(erptest.Must(w.svc.ArtikelsForToken(ctx, w.acmeAll))(t)); n != len(as) {
			t.Errorf("a refused import changed the products: %d, want %d", n, len(as))
		}
	})
}

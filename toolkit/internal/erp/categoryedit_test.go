package erp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// idOf finds a category of acme by its path.
func idOf(t *testing.T, w *world, path string) int64 {
	t.Helper()
	names := strings.Split(path, "/")
	cs := erptest.Must(w.svc.Categorieen(context.Background(), "acme"))(t)
	for i, n := range names {
		found := false
		for _, c := range cs {
			if c.Naam == n {
				if i == len(names)-1 {
					return c.ID
				}
				cs, found = c.Children, true
				break
			}
		}
		if !found {
			break
		}
	}
	t.Fatalf("no category %q", path)
	return 0
}

// TestEditCategorieen: each rule of rename, move and delete, broken once,
// refuses the change with its reason and leaves the tree as it was; what
// is done is audited.
func TestEditCategorieen(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		erptest.Must(w.svc.ImportCategorieen(ctx, "acme", erp.Records(cats("Dranken", "Dranken/Bier", "Dranken/Bier/Trappist", "Dranken/Wijn", "Eten", "Eten/Bier"))))(t)
		erptest.Must(w.svc.ImportCategorieen(ctx, "globex", erp.Records(cats("Vreemd"))))(t)
		tree := func() string { return render(erptest.Must(w.svc.Categorieen(ctx, "acme"))(t)) }
		start := tree()
		dranken, bier, trappist, eten := idOf(t, w, "Dranken"), idOf(t, w, "Dranken/Bier"), idOf(t, w, "Dranken/Bier/Trappist"), idOf(t, w, "Eten")
		vreemd := erptest.Must(w.svc.Categorieen(ctx, "globex"))(t)[0].ID

		for _, tc := range []struct {
			what string
			err  error
			code string
			msg  string
		}{
			{"an empty name", w.svc.RenameCategorie(ctx, "acme", bier, " "), erp.EInvalid, "naam: is required"},
			{"a control character", w.svc.RenameCategorie(ctx, "acme", bier, "a\tb"), erp.EInvalid, "naam: holds a control character"},
			{"invalid UTF-8", w.svc.RenameCategorie(ctx, "acme", bier, "Bier \xff"), erp.EInvalid, "naam: text must be UTF-8"},
			{"a NUL", w.svc.RenameCategorie(ctx, "acme", bier, "Bier\x00"), erp.EInvalid, "naam: holds a control character"},
			{"too long", w.svc.RenameCategorie(ctx, "acme", bier, strings.Repeat("é", erp.MaxCategorieNaam+1)), erp.EInvalid, "naam: longer than 200 characters"},
			{"a sibling's name", w.svc.RenameCategorie(ctx, "acme", bier, "Wijn"), erp.EConflict, `category ` + fmt.Sprint(bier) + ` has a sibling named "Wijn" already`},
			{"another company's", w.svc.RenameCategorie(ctx, "acme", vreemd, "Mijn"), erp.ENotFound, fmt.Sprintf("there is no category %d in company acme", vreemd)},
			{"a missing company", w.svc.RenameCategorie(ctx, "nosuch", bier, "X"), erp.ENotFound, `company "nosuch" does not exist`},
			{"a move under itself", w.svc.MoveCategorie(ctx, "acme", bier, bier), erp.EInvalid, "would make a cycle"},
			{"a move under its grandchild", w.svc.MoveCategorie(ctx, "acme", dranken, trappist), erp.EInvalid, "would make a cycle"},
			{"a move next to its namesake", w.svc.MoveCategorie(ctx, "acme", bier, eten), erp.EConflict, `is named as its new sibling`},
			{"a move under another company's", w.svc.MoveCategorie(ctx, "acme", bier, vreemd), erp.ENotFound, "(the new parent)"},
			{"another company's moved", w.svc.MoveCategorie(ctx, "acme", vreemd, 0), erp.ENotFound, "there is no category"},
			{"a delete with children", func() error { _, err := w.svc.DeleteCategorie(ctx, "acme", dranken, false); return err }(), erp.EConflict, `category ` + fmt.Sprint(dranken) + ` ("Dranken") has 3 subcategories`},
			{"another company's deleted", func() error { _, err := w.svc.DeleteCategorie(ctx, "acme", vreemd, true); return err }(), erp.ENotFound, "there is no category"},
		} {
			wantCode(t, tc.what, tc.err, tc.code, "")
			if tc.err != nil && !strings.Contains(tc.err.Error(), tc.msg) {
				t.Errorf("%s: %q lacks %q", tc.what, tc.err, tc.msg)
			}
		}
		if got := tree(); got != start {
			t.Fatalf("refused changes changed the tree to %s", got)
		}

		// The depth limit counts the moved subtree: a chain as deep as
		// allowed takes no subtree of two levels at its end.
		chain := []string{"K0"}
		for i := 1; i < erp.MaxCategorieDepth-1; i++ {
			chain = append(chain, chain[i-1]+fmt.Sprintf("/K%d", i))
		}
		erptest.Must(w.svc.ImportCategorieen(ctx, "acme", erp.Records(cats(chain...))))(t)
		last := idOf(t, w, chain[len(chain)-1]) // MaxCategorieDepth-1 levels deep
		err := w.svc.MoveCategorie(ctx, "acme", bier, last)
		wantCode(t, "a move too deep", err, erp.EInvalid, "")
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("makes the tree %d levels deep; it has at most %d", erp.MaxCategorieDepth+1, erp.MaxCategorieDepth)) {
			t.Errorf("a move too deep: %v", err)
		}
		if err := w.svc.MoveCategorie(ctx, "acme", trappist, last); err != nil {
			t.Errorf("a leaf to the deepest level allowed: %v", err)
		}

		// What is allowed, and its audit.
		must(t, w.svc.RenameCategorie(ctx, "acme", bier, strings.Repeat("é", erp.MaxCategorieNaam)))
		must(t, w.svc.RenameCategorie(ctx, "acme", bier, "Bieren"))
		must(t, w.svc.MoveCategorie(ctx, "acme", bier, eten))
		must(t, w.svc.MoveCategorie(ctx, "acme", trappist, 0))
		res := erptest.Must(w.svc.DeleteCategorie(ctx, "acme", eten, true))(t)
		if res.Categorieen != 3 {
			t.Errorf("deleting Eten with Bier and Bieren: %+v", res)
		}
		// A category under a parent with a larger id is found by its path
		// when the tree is imported again.
		must(t, w.svc.MoveCategorie(ctx, "acme", dranken, idOf(t, w, "K0")))
		res2, err := w.svc.ImportCategorieen(ctx, "acme", erp.Records(cats("K0/Dranken/Wijn", "K0/Dranken/Wijn/Rood")))
		if err != nil || res2.Created != 1 || res2.Updated != 1 {
			t.Errorf("importing paths through a moved category: %+v, %v", res2, err)
		}
		must(t, w.svc.MoveCategorie(ctx, "acme", dranken, 0))
		if got, want := tree(), "K0(K1(K2(K3(K4(K5(K6(K7(K8)))))))), Trappist, Dranken(Wijn(Rood))"; got != want {
			t.Errorf("tree %s, want %s", got, want)
		}
		var details []string
		for _, e := range erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: "categorie."}))(t) {
			details = append(details, e.Action+": "+e.Detail)
		}
		want := []string{
			fmt.Sprintf("categorie.move: company acme: category %d moved under category %d", trappist, last),
			fmt.Sprintf(`categorie.rename: company acme: category %d now named %q`, bier, strings.Repeat("é", 50)+"…"), // clipped to 100 bytes
			fmt.Sprintf(`categorie.rename: company acme: category %d now named "Bieren"`, bier),
			fmt.Sprintf("categorie.move: company acme: category %d moved under category %d", bier, eten),
			fmt.Sprintf("categorie.move: company acme: category %d moved among the roots", trappist),
			fmt.Sprintf(`categorie.delete: company acme: category %d ("Eten") deleted with 2 subcategories; products that listed one: 0, whose main category was one: 0`, eten),
			fmt.Sprintf("categorie.move: company acme: category %d moved under category %d", dranken, idOf(t, w, "K0")),
			fmt.Sprintf("categorie.move: company acme: category %d moved among the roots", dranken),
		}
		if strings.Join(details, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit:\n%s\nwant\n%s", strings.Join(details, "\n"), strings.Join(want, "\n"))
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

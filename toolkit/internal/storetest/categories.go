package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// categorieTests hold erp.CategorieStore to its rules: each company's tree,
// imported, read whole or as a subtree, renamed, moved and deleted, with
// the products that name its categories.
var categorieTests = []test{
	{"Categorieen", testCategorieen},
	{"EditCategorieen", testEditCategorieen},
	{"ConcurrentMoves", testConcurrentMoves},
	{"DeleteWhileImporting", testDeleteWhileImporting},
	{"ListsFollowCategories", testListsFollowCategories},
}

// cat is a category to import: its path, root first.
func cat(path string) erp.NewCategorie {
	names := strings.Split(path, "/")
	return erp.NewCategorie{Naam: names[len(names)-1], Parents: names[:len(names)-1]}
}

// catTree lists a company's categories as "parent > naam @position", in the
// store's order.
func catTree(t *testing.T, st erp.CategorieStore, companyID int64) []string {
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

func categoryID(t *testing.T, st erp.CategorieStore, companyID int64, naam string) int64 {
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

// paths lists a company's categories as "path @position", sorted: a moved
// category may come before its parent in the store's order.
func paths(t *testing.T, st erp.CategorieStore, companyID int64) []string {
	t.Helper()
	cs := erptest.Must(st.Categorieen(ctx, companyID))(t)
	byID := map[int64]erp.StoredCategorie{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	var out []string
	for _, c := range cs {
		p := c.Naam
		for up, n := c.ParentID, 0; up != 0; up, n = byID[up].ParentID, n+1 {
			parent, ok := byID[up]
			if !ok || n > len(cs) {
				t.Fatalf("category %q has a parent %d that is not the company's, or a cycle", c.Naam, c.ParentID)
			}
			p = parent.Naam + "/" + p
		}
		out = append(out, fmt.Sprintf("%s @%d", p, c.Position))
	}
	slices.Sort(out)
	return out
}

// pathID returns the id of the category at path ("Dranken/Bier").
func pathID(t *testing.T, st erp.CategorieStore, companyID int64, path string) int64 {
	t.Helper()
	cs := erptest.Must(st.Categorieen(ctx, companyID))(t)
	byID := map[int64]erp.StoredCategorie{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	for _, c := range cs {
		p := c.Naam
		for up, n := c.ParentID, 0; up != 0 && n <= len(cs); up, n = byID[up].ParentID, n+1 {
			p = byID[up].Naam + "/" + p
		}
		if p == path {
			return c.ID
		}
	}
	t.Fatalf("no category %q", path)
	return 0
}

// noCycle refuses to put id under parent when parent is id or below it.
func noCycle(id, parent int64) func([]erp.StoredCategorie) error {
	return func(cs []erp.StoredCategorie) error {
		up := map[int64]int64{}
		for _, c := range cs {
			up[c.ID] = c.ParentID
		}
		for p, n := parent, 0; p != 0 && n <= len(cs); p, n = up[p], n+1 {
			if p == id {
				return erp.Errorf(erp.EInvalid, "cycle")
			}
		}
		return nil
	}
}

func testEditCategorieen(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	b := newFixture(t, st, "globex")
	wantResult(t, erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each([]erp.NewCategorie{
		cat("Dranken"), cat("Dranken/Bier"), cat("Dranken/Wijn"), cat("Eten"), cat("Eten/Brood")})))(t), 5, 0)
	erptest.Must(st.ImportCategorieen(ctx, b.company.ID, erp.Each([]erp.NewCategorie{cat("Vreemd")})))(t)
	id := func(path string) int64 { return pathID(t, st, a.company.ID, path) }
	theirs := categoryID(t, st, b.company.ID, "Vreemd")
	want := func(what string, w ...string) {
		t.Helper()
		if got := paths(t, st, a.company.ID); !slices.Equal(got, w) {
			t.Fatalf("%s:\n%q\nwant\n%q", what, got, w)
		}
	}

	// Rename: the products show the new name at once.
	p := artikel("P-1", "Pils")
	p.CategorieID, p.Categorieen = id("Dranken/Bier"), []cloudspot.CategorieRef{{ID: id("Dranken/Wijn")}, {ID: id("Dranken/Bier")}, {ID: id("Eten/Brood")}}
	q := artikel("P-2", "Brood")
	q.CategorieID, q.Categorieen = id("Eten/Brood"), []cloudspot.CategorieRef{{ID: id("Eten/Brood")}}
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{p, q})))(t), 2, 0)
	check(t, st.RenameCategorie(ctx, a.company.ID, id("Dranken/Bier"), "Pils & Co"))
	got := erptest.Must(st.Artikels(ctx, a.company.ID))(t)
	if got[0].Categorie != "Pils & Co" || got[0].Categorieen[1].Naam != "Pils & Co" {
		t.Errorf("after a rename the product shows %q and %+v", got[0].Categorie, got[0].Categorieen)
	}
	wantCode(t, "renaming next to a sibling of that name", st.RenameCategorie(ctx, a.company.ID, id("Dranken/Wijn"), "Pils & Co"), erp.EConflict)
	wantCode(t, "renaming another company's category", st.RenameCategorie(ctx, a.company.ID, theirs, "Mijn"), erp.ENotFound)
	wantCode(t, "renaming into text no engine stores", st.RenameCategorie(ctx, a.company.ID, id("Dranken/Wijn"), "Nul\x00"), erp.EInvalid)
	check(t, st.RenameCategorie(ctx, a.company.ID, id("Eten"), "Pils & Co")) // a cousin may share the name
	check(t, st.RenameCategorie(ctx, a.company.ID, id("Dranken/Pils & Co"), "Bier"))
	check(t, st.RenameCategorie(ctx, a.company.ID, id("Pils & Co"), "Eten"))
	tree := []string{"Dranken @1", "Dranken/Bier @1", "Dranken/Wijn @2", "Eten @2", "Eten/Brood @1"}
	want("after renames", tree...)

	// Move: check sees the categories as they stand; the moved one goes
	// last among its new siblings, and a refusal changes nothing.
	var seen []erp.StoredCategorie
	check(t, st.MoveCategorie(ctx, a.company.ID, id("Dranken"), id("Eten/Brood"), func(cs []erp.StoredCategorie) error { seen = cs; return nil }))
	if len(seen) != 5 {
		t.Errorf("check was given %d categories, want the company's 5", len(seen))
	}
	want("Dranken under Brood", "Eten @2", "Eten/Brood @1", "Eten/Brood/Dranken @1", "Eten/Brood/Dranken/Bier @1", "Eten/Brood/Dranken/Wijn @2")
	refused := erp.Errorf(erp.EInvalid, "no")
	if err := st.MoveCategorie(ctx, a.company.ID, id("Eten/Brood/Dranken/Bier"), 0, func([]erp.StoredCategorie) error { return refused }); !errors.Is(err, refused) {
		t.Errorf("a move check refused: %v, want check's error", err)
	}
	dranken := id("Eten/Brood/Dranken")
	check(t, st.MoveCategorie(ctx, a.company.ID, dranken, 0, noCycle(dranken, 0)))
	tree = []string{"Dranken @3", "Dranken/Bier @1", "Dranken/Wijn @2", "Eten @2", "Eten/Brood @1"}
	want("Dranken among the roots again, last", tree...)
	erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each([]erp.NewCategorie{cat("Eten/Bier")})))(t)
	wantCode(t, "a move next to a sibling of the same name", st.MoveCategorie(ctx, a.company.ID, id("Dranken/Bier"), id("Eten"), func([]erp.StoredCategorie) error { return nil }), erp.EConflict)
	wantCode(t, "moving another company's category", st.MoveCategorie(ctx, a.company.ID, theirs, 0, func([]erp.StoredCategorie) error { return nil }), erp.ENotFound)
	tree = append(tree, "Eten/Bier @2")
	slices.Sort(tree)
	want("after refused moves", tree...)
	// A move under the parent it has puts it last among its siblings.
	check(t, st.MoveCategorie(ctx, a.company.ID, id("Dranken/Bier"), dranken, noCycle(id("Dranken/Bier"), dranken)))
	want("Bier moved within Dranken", "Dranken @3", "Dranken/Bier @3", "Dranken/Wijn @2", "Eten @2", "Eten/Bier @2", "Eten/Brood @1")
	// The store lists every category after a move, with its children
	// whatever their ids.
	if got := artikels(t, st, a.company.ID); got[0].Categorie != "Bier" || got[1].Categorie != "Brood" {
		t.Errorf("products after the moves: %q, %q", got[0].Categorie, got[1].Categorie)
	}

	// Delete: products keep their place and lose the category; a main
	// category deleted is none.
	var plan []erp.StoredCategorie
	res := erptest.Must(st.DeleteCategorieen(ctx, a.company.ID, func(cs []erp.StoredCategorie) ([]int64, error) {
		plan = cs
		return []int64{id("Eten/Brood"), id("Dranken/Bier")}, nil
	}))(t)
	if res != (erp.CategorieDeletion{Categorieen: 2, Listed: 2, Main: 2}) || len(plan) != 6 {
		t.Errorf("deleting Brood and Bier: %+v (plan given %d categories)", res, len(plan))
	}
	want("after the delete", "Dranken @3", "Dranken/Wijn @2", "Eten @2", "Eten/Bier @2")
	got = erptest.Must(st.Artikels(ctx, a.company.ID))(t)
	if len(got) != 2 || got[0].CategorieID != 0 || got[0].Categorie != "" || len(got[0].Categorieen) != 1 || got[0].Categorieen[0].Naam != "Wijn" ||
		got[1].CategorieID != 0 || len(got[1].Categorieen) != 0 {
		t.Errorf("products after the delete: %+v", got)
	}
	// All or nothing: another company's category, or a parent before its
	// child, deletes nothing.
	for what, ids := range map[string][]int64{
		"another company's": {id("Dranken/Wijn"), theirs},
		"a parent first":    {id("Dranken"), id("Dranken/Wijn")},
	} {
		_, err := st.DeleteCategorieen(ctx, a.company.ID, func([]erp.StoredCategorie) ([]int64, error) { return ids, nil })
		if err == nil {
			t.Errorf("deleting %s succeeded", what)
		}
		want("after deleting "+what, "Dranken @3", "Dranken/Wijn @2", "Eten @2", "Eten/Bier @2")
	}
	if _, err := st.DeleteCategorieen(ctx, a.company.ID, func([]erp.StoredCategorie) ([]int64, error) { return nil, refused }); !errors.Is(err, refused) {
		t.Errorf("a delete plan refused: %v", err)
	}
	if got := paths(t, st, b.company.ID); !slices.Equal(got, []string{"Vreemd @1"}) {
		t.Errorf("globex's tree: %q", got)
	}
	_, err := st.DeleteCategorieen(ctx, a.company.ID+100, func([]erp.StoredCategorie) ([]int64, error) { return nil, nil })
	wantCode(t, "deleting in a missing company", err, erp.ENotFound)
}

// testDeleteWhileImporting deletes a category while an import of products
// names it, many times: either the import comes first and the delete takes
// the category from its product, or the delete comes first and the import
// is refused; never a product naming a category that is gone.
func testDeleteWhileImporting(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	for round := range 5 {
		naam := fmt.Sprint("C", round)
		erptest.Must(st.ImportCategorieen(ctx, f.company.ID, erp.Each([]erp.NewCategorie{cat(naam)})))(t)
		c := pathID(t, st, f.company.ID, naam)
		p := artikel(fmt.Sprint("P-", round), "Product")
		p.CategorieID, p.Categorieen = c, []cloudspot.CategorieRef{{ID: c}}
		var res erp.CategorieDeletion
		errs := parallel(2, func(i int) error {
			if i == 0 {
				_, err := st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports([]cloudspot.Artikel{p}))
				return err
			}
			var err error
			res, err = st.DeleteCategorieen(ctx, f.company.ID, func([]erp.StoredCategorie) ([]int64, error) { return []int64{c}, nil })
			return err
		})
		check(t, errs[1])
		switch {
		case errs[0] == nil && res != (erp.CategorieDeletion{Categorieen: 1, Listed: 1, Main: 1}):
			t.Errorf("round %d: the import came first, yet the delete says %+v", round, res)
		case errs[0] != nil && (erp.ErrorCode(errs[0]) != erp.EInvalid || res != (erp.CategorieDeletion{Categorieen: 1})):
			t.Errorf("round %d: the delete came first (%+v); the import: %v", round, res, errs[0])
		}
		for _, got := range erptest.Must(st.Artikels(ctx, f.company.ID))(t) {
			if got.CategorieID != 0 || len(got.Categorieen) != 0 {
				t.Errorf("round %d: product %s still names %d %+v", round, got.SKU, got.CategorieID, got.Categorieen)
			}
		}
	}
}

// testConcurrentMoves moves two categories under each other at once, many
// times: whichever goes second sees the first's result and refuses, so
// that there is never a cycle.
func testConcurrentMoves(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	erptest.Must(st.ImportCategorieen(ctx, f.company.ID, erp.Each([]erp.NewCategorie{cat("A"), cat("B")})))(t)
	a, b := categoryID(t, st, f.company.ID, "A"), categoryID(t, st, f.company.ID, "B")
	for round := range 5 {
		// Each check waits a while for the other to be checking too: a
		// store that let both read the tree before either moved would
		// let both pass.
		var checking atomic.Int32
		meet := func(check func([]erp.StoredCategorie) error) func([]erp.StoredCategorie) error {
			return func(cs []erp.StoredCategorie) error {
				checking.Add(1)
				for end := time.Now().Add(100 * time.Millisecond); checking.Load() < 2 && time.Now().Before(end); {
					time.Sleep(time.Millisecond)
				}
				return check(cs)
			}
		}
		errs := parallel(2, func(i int) error {
			if i == 0 {
				return st.MoveCategorie(ctx, f.company.ID, a, b, meet(noCycle(a, b)))
			}
			return st.MoveCategorie(ctx, f.company.ID, b, a, meet(noCycle(b, a)))
		})
		if ok := (errs[0] == nil) != (errs[1] == nil); !ok {
			t.Fatalf("round %d: two moves that together make a cycle: %v", round, errs)
		}
		for _, err := range errs {
			if err != nil && erp.ErrorCode(err) != erp.EInvalid {
				t.Fatalf("round %d: the refused move: %v", round, err)
			}
		}
		paths(t, st, f.company.ID) // fails on a cycle
		check(t, st.MoveCategorie(ctx, f.company.ID, a, 0, noCycle(a, 0)))
		check(t, st.MoveCategorie(ctx, f.company.ID, b, 0, noCycle(b, 0)))
	}
}

// testListsFollowCategories: a product's wire JSON names its categories, so
// a rename shows in the lists of version 0.6 at once, and a deletion takes
// the category out of them; the protocol's list, which names none, is the
// same bytes before and after.
func testListsFollowCategories(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier"), cat("Gebak")})))(t)
	dranken, bier, gebak := categoryID(t, st, a.company.ID, "Dranken"), categoryID(t, st, a.company.ID, "Bier"), categoryID(t, st, a.company.ID, "Gebak")
	erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{
		detailedArtikel("B-1", bier, dranken, bier), detailedArtikel("G-1", gebak, gebak), artikel("P-1", "Plain"),
	})))(t)
	protocol := listRows(t, st, a.company.ID, erp.ArtikelsBody)
	categories := func(what string, want ...string) {
		t.Helper()
		var got []string
		for _, row := range listRows(t, st, a.company.ID, erp.DetailedArtikelsBody) {
			var p struct {
				Categorie   *string
				CategorieID *int64 `json:"categorie_id"`
				Categorieen []struct {
					ID   int64
					Naam string
				}
			}
			if err := json.Unmarshal([]byte(row), &p); err != nil {
				t.Fatal(err)
			}
			s := fmt.Sprintf("%v/%v:", deref(p.Categorie), deref(p.CategorieID))
			for _, c := range p.Categorieen {
				s += fmt.Sprintf(" %d %s", c.ID, c.Naam)
			}
			got = append(got, s)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the 0.6 list names %q, want %q", what, got, want)
		}
		if now := listRows(t, st, a.company.ID, erp.ArtikelsBody); !slices.Equal(now, protocol) {
			t.Errorf("%s changed the protocol's list", what)
		}
	}
	categories("after the import", fmt.Sprintf("Bier/%d: %d Dranken %d Bier", bier, dranken, bier), fmt.Sprintf("Gebak/%d: %d Gebak", gebak, gebak), "<nil>/<nil>:")
	check(t, st.RenameCategorie(ctx, a.company.ID, bier, "Pils \"Oud\" <&>"))
	categories("after a rename", fmt.Sprintf("Pils \"Oud\" <&>/%d: %d Dranken %d Pils \"Oud\" <&>", bier, dranken, bier), fmt.Sprintf("Gebak/%d: %d Gebak", gebak, gebak), "<nil>/<nil>:")
	check(t, st.MoveCategorie(ctx, a.company.ID, bier, gebak, noCycle(bier, gebak)))
	categories("after a move", fmt.Sprintf("Pils \"Oud\" <&>/%d: %d Dranken %d Pils \"Oud\" <&>", bier, dranken, bier), fmt.Sprintf("Gebak/%d: %d Gebak", gebak, gebak), "<nil>/<nil>:")
	erptest.Must(st.DeleteCategorieen(ctx, a.company.ID, func([]erp.StoredCategorie) ([]int64, error) { return []int64{bier}, nil }))(t)
	categories("after a deletion", fmt.Sprintf("<nil>/<nil>: %d Dranken", dranken), fmt.Sprintf("Gebak/%d: %d Gebak", gebak, gebak), "<nil>/<nil>:")
}

// deref shows a pointer's value, or <nil>.
func deref[T any](p *T) any {
	if p == nil {
		return "<nil>"
	}
	return *p
}

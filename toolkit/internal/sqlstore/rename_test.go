package sqlstore_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

// TestRenamedCategoryShowsEverywhere: a product keeps its categories by id,
// so a renamed category shows with its new name in every product at once,
// in every way a product is read: read back whole, and in the wire JSON
// that the rename writes again in its own transaction.
func TestRenamedCategoryShowsEverywhere(t *testing.T) {
	ctx := context.Background()
	for name, open := range map[string]func(t *testing.T) *sqlstore.Store{
		"sqlite": func(t *testing.T) *sqlstore.Store {
			return erptest.Must(sqlite.Open(ctx, filepath.Join(t.TempDir(), "erp.db")))(t)
		},
		"postgres": func(t *testing.T) *sqlstore.Store { return erptest.Must(postgres.Open(ctx, erptest.PostgresDSN(t)))(t) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := open(t)
			defer st.Close()
			c := &erp.Company{Slug: "acme", Name: "Acme", CreatedAt: time.Now()}
			if err := st.CreateCompany(ctx, c); err != nil {
				t.Fatal(err)
			}
			erptest.Must(st.ImportCategorieen(ctx, c.ID, erp.Each([]erp.NewCategorie{{Naam: "Oud"}})))(t)
			id := erptest.Must(st.Categorieen(ctx, c.ID))(t)[0].ID
			var as []cloudspot.Artikel
			for _, sku := range []string{"A-1", "A-2"} {
				as = append(as, cloudspot.Artikel{Naam: sku, SKU: sku, CategorieID: id, Categorieen: []cloudspot.CategorieRef{{ID: id}}})
			}
			erptest.Must(st.ImportArtikels(ctx, c.ID, erp.ArtikelImports(as)))(t)
			if err := st.RenameCategorie(ctx, c.ID, id, "Nieuw"); err != nil {
				t.Fatal(err)
			}
			renamed := func(what string, p cloudspot.Artikel) {
				t.Helper()
				if p.Categorie != "Nieuw" || len(p.Categorieen) != 1 || p.Categorieen[0].Naam != "Nieuw" {
					t.Errorf("%s %s after the rename: %q, %+v", what, p.SKU, p.Categorie, p.Categorieen)
				}
			}
			listed := erptest.Must(st.Artikels(ctx, c.ID))(t)
			if len(listed) != len(as) {
				t.Fatalf("listed %d products, want %d", len(listed), len(as))
			}
			for _, p := range listed {
				renamed("listed", p.Artikel)
			}
			one := erptest.Must(st.Artikel(ctx, c.ID, listed[1].ID))(t)
			if one.SKU != "A-2" {
				t.Fatalf("by id %d: %s, want A-2", listed[1].ID, one.SKU)
			}
			renamed("by id", one.Artikel)
			// Streamed, all of them and one by id.
			rows := 0
			err := st.StreamList(ctx, c.ID, erp.DetailedArtikelsBody, func(int64) error { return nil }, func(row []byte) error {
				rows++
				if !strings.Contains(string(row), `"naam":"Nieuw"`) || strings.Contains(string(row), "Oud") {
					t.Errorf("streamed after the rename: %s", row)
				}
				return nil
			})
			if err != nil || rows != len(as) {
				t.Errorf("streamed %d rows (%v), want %d", rows, err, len(as))
			}
			err = st.StreamArtikel(ctx, c.ID, listed[1].ID, true, func(row []byte) error {
				if !strings.Contains(string(row), `"categorie":"Nieuw"`) || strings.Contains(string(row), "Oud") {
					t.Errorf("streamed by id after the rename: %s", row)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

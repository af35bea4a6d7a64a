package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestSeedTwice: seeding a database that holds the demo creates nothing and
// is not an error, so a server started with --demo can restart.
func TestSeedTwice(t *testing.T) {
	ctx := context.Background()
	svc := erptest.Must(erp.NewService(erp.Config{Store: erptest.OpenSQLite(t)}))(t)
	first, err := demo.Seed(ctx, svc)
	if err != nil || !first.Created {
		t.Fatalf("first Seed = %+v, %v; want created", first, err)
	}
	again, err := demo.Seed(ctx, svc)
	if err != nil || again.Created {
		t.Fatalf("second Seed = %+v, %v; want nothing created", again, err)
	}
	users := erptest.Must(svc.Users(ctx))(t)
	tokens := erptest.Must(svc.CompanyTokens(ctx, demo.Company))(t)
	if len(users) != 2 || len(tokens) != 1 {
		t.Errorf("after two seeds: %d users and %d company tokens, want 2 and 1", len(users), len(tokens))
	}
}

// TestCatalogueOfVersion06: the demo shows what API version 0.6 adds: a
// category tree of several levels that every product is in, brands,
// photos on a reserved example domain, price categories, EAN codes and
// texts in Dutch, French and English.
func TestCatalogueOfVersion06(t *testing.T) {
	ctx := context.Background()
	svc := erptest.Must(erp.NewService(erp.Config{Store: erptest.OpenSQLite(t)}))(t)
	erptest.Must(demo.Seed(ctx, svc))(t)
	tree := erptest.Must(svc.Categorieen(ctx, demo.Company))(t)
	depth := 0
	var walk func(cs []cloudspot.Categorie, d int)
	walk = func(cs []cloudspot.Categorie, d int) {
		depth = max(depth, d)
		for _, c := range cs {
			walk(c.Children, d+1)
		}
	}
	walk(tree, 0)
	if len(tree) < 5 || depth < 3 {
		t.Errorf("the category tree has %d roots and %d levels; want a few of each", len(tree), depth)
	}
	artikels := erptest.Must(svc.ArtikelsForToken(ctx, demo.CompanyToken))(t)
	count := map[string]int{}
	for _, a := range artikels {
		if a.Categorie == "" || a.CategorieID == 0 || len(a.Categorieen) == 0 {
			t.Errorf("%s is in no category", a.SKU)
		}
		if a.Merk != "" {
			count["merk"]++
		}
		for _, f := range a.Fotos {
			if !strings.HasPrefix(f.URL, "https://img.example.com/") {
				t.Errorf("%s: photo %s is not on the reserved example domain", a.SKU, f.URL)
			}
			count["foto"]++
		}
		count["prijscategorie"] += len(a.Prijscategorieen)
		count["EAN"] += len(a.EAN)
		for _, tr := range [][]cloudspot.Translation{a.Samenstellingen, a.RuweGrondstoffen, a.Gebruiksaanwijzingen, a.MeerInfo} {
			for _, x := range tr {
				count[x.Taal]++
			}
		}
		if a.InterneNotitie != "" {
			count["notitie"]++
		}
	}
	for _, what := range []string{"merk", "foto", "prijscategorie", "EAN", "nl", "fr", "en", "notitie"} {
		if count[what] == 0 {
			t.Errorf("no product of the demo has a %s", what)
		}
	}
}

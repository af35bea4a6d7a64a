package storetest

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// testDeleteCompany deletes one of two companies, each with a user holding
// a grant and a token, a company token, products and clients: the deleted
// one's rows are all gone, the other's all there.
func testDeleteCompany(t *testing.T, st erp.Store) {
	app := &erp.App{Slug: "app", Name: "App", CreatedAt: t0}
	check(t, st.CreateApp(ctx, app))
	perm := &erp.Permission{AppID: app.ID, Slug: "app_use", Label: "use"}
	check(t, st.CreatePermission(ctx, perm))
	type made struct {
		f         fixture
		userToken []byte
		compToken []byte
	}
	var all []made
	for _, slug := range []string{"gone", "kept"} {
		f := newFixture(t, st, slug)
		check(t, st.Grant(ctx, f.user.ID, perm.ID))
		ut := &erp.UserToken{Hash: []byte("user-token-" + slug), UserID: f.user.ID, AppSlug: "app", CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.AddDate(1, 0, 0)}
		check(t, st.CreateUserToken(ctx, ut))
		ct := &erp.CompanyToken{Hash: []byte("company-token-" + slug), Name: "t", CompanyID: f.company.ID, Rights: erp.Rights{Artikels: true}, CreatedAt: t0, LastUsedAt: t0}
		check(t, st.CreateCompanyToken(ctx, ct))
		erptest.Must(st.ImportCategorieen(ctx, f.company.ID, erp.Each([]erp.NewCategorie{cat("Root"), cat("Root/Child"), cat("Root/Child/Grandchild")})))(t)
		leaf := categoryID(t, st, f.company.ID, "Grandchild")
		erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("SKU-1", slug), richArtikel("SKU-2", leaf, leaf)})))(t)
		erptest.Must(st.ImportKlanten(ctx, f.company.ID, erp.Each([]cloudspot.Klant{klant(1, slug)})))(t)
		all = append(all, made{f, ut.Hash, ct.Hash})
	}
	gone, kept := all[0], all[1]
	check(t, st.DeleteCompany(ctx, gone.f.company.ID))

	_, err := st.CompanyByID(ctx, gone.f.company.ID)
	wantCode(t, "the deleted company", err, erp.ENotFound)
	_, err = st.UserByUsername(ctx, gone.f.user.Username)
	wantCode(t, "its user", err, erp.ENotFound)
	_, err = st.UserTokenByHash(ctx, gone.userToken)
	wantCode(t, "its user's token", err, erp.ENotFound)
	_, err = st.CompanyTokenByHash(ctx, gone.compToken)
	wantCode(t, "its company token", err, erp.ENotFound)
	if ps := artikels(t, st, gone.f.company.ID); len(ps) != 0 {
		t.Errorf("%d products left", len(ps))
	}
	if cs := catTree(t, st, gone.f.company.ID); len(cs) != 0 {
		t.Errorf("categories left: %q", cs)
	}
	if cs := klanten(t, st, gone.f.company.ID); len(cs) != 0 {
		t.Errorf("%d clients left", len(cs))
	}

	erptest.Must(st.CompanyByID(ctx, kept.f.company.ID))(t)
	erptest.Must(st.UserTokenByHash(ctx, kept.userToken))(t)
	erptest.Must(st.CompanyTokenByHash(ctx, kept.compToken))(t)
	if g := erptest.Must(st.Granted(ctx, kept.f.user.ID, app.ID))(t); len(g) != 1 {
		t.Errorf("the other company's user has %d grants, want 1", len(g))
	}
	if ps := artikels(t, st, kept.f.company.ID); len(ps) != 2 || ps[1].Categorie != "Grandchild" || len(ps[1].Categorieen) != 1 || len(ps[1].Fotos) != 2 {
		t.Errorf("the other company's products = %+v, want 2, the second with its category and photos", ps)
	}
	if cs := catTree(t, st, kept.f.company.ID); len(cs) != 3 {
		t.Errorf("the other company's categories: %q, want 3", cs)
	}
	wantCode(t, "deleting it again", st.DeleteCompany(ctx, gone.f.company.ID), erp.ENotFound)
}

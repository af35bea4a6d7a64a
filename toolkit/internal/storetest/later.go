package storetest

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// testLaterAPI covers what the later API versions store: a company's uid
// (kept at creation, replaced, unique when set), a user's pin and an app's
// default version.
func testLaterAPI(t *testing.T, st erp.Store) {
	const uid = "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914"
	a := &erp.Company{Slug: "alpha", Name: "Alpha", UID: uid, CreatedAt: t0}
	check(t, st.CreateCompany(ctx, a))
	if got := erptest.Must(st.CompanyByID(ctx, a.ID))(t).UID; got != uid {
		t.Errorf("uid read back %q, want %q", got, uid)
	}
	// Companies without a uid (made before uids existed) do not collide.
	b := newFixture(t, st, "bravo")
	newFixture(t, st, "charlie")
	wantCode(t, "another company's uid", st.SetCompanyUID(ctx, b.company.ID, uid), erp.EConflict)
	wantCode(t, "a new company with a taken uid", st.CreateCompany(ctx, &erp.Company{Slug: "delta", Name: "D", UID: uid, CreatedAt: t0}), erp.EConflict)
	check(t, st.SetCompanyUID(ctx, b.company.ID, "B-1"))
	if got := erptest.Must(st.CompanyBySlug(ctx, "bravo"))(t).UID; got != "B-1" {
		t.Errorf("uid after SetCompanyUID = %q, want B-1", got)
	}
	wantCode(t, "the uid of a missing company", st.SetCompanyUID(ctx, b.company.ID+100, "x"), erp.ENotFound)

	check(t, st.SetUserPin(ctx, b.user.ID, "0042"))
	if got := erptest.Must(st.UserByID(ctx, b.user.ID))(t).Pin; got != "0042" {
		t.Errorf("pin read back %q, want 0042 (leading zeros kept)", got)
	}
	check(t, st.SetUserPin(ctx, b.user.ID, ""))
	if got := erptest.Must(st.UserByUsername(ctx, b.user.Username))(t).Pin; got != "" {
		t.Errorf("pin after clearing = %q", got)
	}
	wantCode(t, "the pin of a missing user", st.SetUserPin(ctx, b.user.ID+100, "1234"), erp.ENotFound)

	app := &erp.App{Slug: "timeapp", Name: "TimeApp", CreatedAt: t0}
	check(t, st.CreateApp(ctx, app))
	if got := erptest.Must(st.AppBySlug(ctx, "timeapp"))(t).APIVersion; got != "" {
		t.Errorf("a new app's version = %q, want none chosen", got)
	}
	check(t, st.SetAppAPIVersion(ctx, app.ID, erp.APIVersion05))
	if got := erptest.Must(st.Apps(ctx))(t)[0].APIVersion; got != erp.APIVersion05 {
		t.Errorf("app version read back %q, want 0.5", got)
	}
	wantCode(t, "the version of a missing app", st.SetAppAPIVersion(ctx, app.ID+100, erp.APIVersion05), erp.ENotFound)

	tok := &erp.CompanyToken{Hash: []byte("company-token"), Name: "t", CompanyID: b.company.ID, Rights: erp.Rights{Artikels: true}, CreatedAt: t0, LastUsedAt: t0}
	check(t, st.CreateCompanyToken(ctx, tok))
	if got := erptest.Must(st.CompanyTokenByID(ctx, tok.ID))(t).APIVersion; got != "" {
		t.Errorf("a new company token's version = %q, want none chosen", got)
	}
	before := erptest.Must(st.TokenChanges(ctx))(t)
	check(t, st.SetCompanyTokenAPIVersion(ctx, tok.ID, erp.APIVersion06))
	if got := erptest.Must(st.CompanyTokenByHash(ctx, tok.Hash))(t).APIVersion; got != erp.APIVersion06 {
		t.Errorf("company token version read back %q, want 0.6", got)
	}
	if got := erptest.Must(st.CompanyTokens(ctx, b.company.ID))(t)[0].APIVersion; got != erp.APIVersion06 {
		t.Errorf("company token version listed %q, want 0.6", got)
	}
	if after := erptest.Must(st.TokenChanges(ctx))(t); after == before {
		t.Error("a company token's new version did not move TokenChanges: token checks would keep the old one")
	}
	wantCode(t, "the version of a missing company token", st.SetCompanyTokenAPIVersion(ctx, tok.ID+100, erp.APIVersion06), erp.ENotFound)
}

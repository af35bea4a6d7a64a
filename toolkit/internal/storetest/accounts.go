package storetest

import (
	"reflect"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

func testCompanies(t *testing.T, st erp.Store) {
	if cs := erptest.Must(st.Companies(ctx))(t); len(cs) != 0 || cs == nil {
		t.Fatalf("Companies of an empty store = %#v, want an empty, non-nil list", cs)
	}
	b := &erp.Company{Slug: "bravo", Name: "Bravo BV", CreatedAt: t0}
	check(t, st.CreateCompany(ctx, b))
	a := &erp.Company{Slug: "alpha", Name: "Alpha Ça Va SRL", CreatedAt: t0.Add(1000)}
	check(t, st.CreateCompany(ctx, a))
	if b.ID == 0 || a.ID == 0 || a.ID == b.ID {
		t.Fatalf("ids %d and %d: want two distinct ids", b.ID, a.ID)
	}
	wantCode(t, "a second company with the same slug", st.CreateCompany(ctx, &erp.Company{Slug: "bravo", Name: "X", CreatedAt: t0}), erp.EConflict)

	got := erptest.Must(st.CompanyBySlug(ctx, "alpha"))(t)
	if got.ID != a.ID || got.Slug != "alpha" || got.Name != "Alpha Ça Va SRL" {
		t.Errorf("CompanyBySlug = %+v, want %+v", got, a)
	}
	sameTime(t, "CreatedAt", got.CreatedAt, t0.Add(1000))
	got = erptest.Must(st.CompanyByID(ctx, b.ID))(t)
	if got.Slug != "bravo" {
		t.Errorf("CompanyByID = %+v, want bravo", got)
	}
	_, err := st.CompanyBySlug(ctx, "charlie")
	wantCode(t, "CompanyBySlug of a missing company", err, erp.ENotFound)
	_, err = st.CompanyBySlug(ctx, "ALPHA")
	wantCode(t, "CompanyBySlug is case-sensitive", err, erp.ENotFound)
	_, err = st.CompanyByID(ctx, a.ID+b.ID+100)
	wantCode(t, "CompanyByID of a missing company", err, erp.ENotFound)

	cs := erptest.Must(st.Companies(ctx))(t)
	if len(cs) != 2 || cs[0].Slug != "bravo" || cs[1].Slug != "alpha" {
		t.Errorf("Companies = %+v, want bravo then alpha (creation order)", cs)
	}
}

func testUsers(t *testing.T, st erp.Store) {
	c := &erp.Company{Slug: "acme", Name: "Acme", CreatedAt: t0}
	check(t, st.CreateCompany(ctx, c))
	u := &erp.User{Username: "francoise", PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA", FirstName: "Françoise",
		LastName: "Müller", Email: "f@acme.be", CompanyID: c.ID, Active: true, CreatedAt: t0}
	check(t, st.CreateUser(ctx, u))
	if u.ID == 0 {
		t.Fatal("CreateUser set no id")
	}
	off := &erp.User{Username: "off", PasswordHash: "h", CompanyID: c.ID, Active: false, CreatedAt: t0}
	check(t, st.CreateUser(ctx, off))

	for _, got := range []*erp.User{erptest.Must(st.UserByUsername(ctx, "francoise"))(t), erptest.Must(st.UserByID(ctx, u.ID))(t)} {
		want := *u
		want.CreatedAt = got.CreatedAt
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("read back %+v, want %+v", *got, want)
		}
		sameTime(t, "CreatedAt", got.CreatedAt, t0)
	}
	if got := erptest.Must(st.UserByID(ctx, off.ID))(t); got.Active {
		t.Error("an inactive user reads back active")
	}
	wantCode(t, "a second user with the same name", st.CreateUser(ctx, &erp.User{Username: "francoise", PasswordHash: "h", CompanyID: c.ID, Active: true, CreatedAt: t0}), erp.EConflict)
	if err := st.CreateUser(ctx, &erp.User{Username: "orphan", PasswordHash: "h", CompanyID: c.ID + 1000, Active: true, CreatedAt: t0}); err == nil {
		t.Error("a user of a missing company was created")
	}
	_, err := st.UserByUsername(ctx, "nobody")
	wantCode(t, "UserByUsername of a missing user", err, erp.ENotFound)
	_, err = st.UserByID(ctx, u.ID+off.ID+100)
	wantCode(t, "UserByID of a missing user", err, erp.ENotFound)
}

func testUserOrder(t *testing.T, st erp.Store) {
	c := &erp.Company{Slug: "acme", Name: "Acme", CreatedAt: t0}
	check(t, st.CreateCompany(ctx, c))
	for _, name := range []string{"bob", "Zoë", "alice", "Bob", "émile", "_x"} {
		check(t, st.CreateUser(ctx, &erp.User{Username: name, PasswordHash: "h", CompanyID: c.ID, Active: true, CreatedAt: t0}))
	}
	var got []string
	for _, u := range erptest.Must(st.Users(ctx))(t) {
		got = append(got, u.Username)
	}
	// Byte order, whatever the database's locale: upper case first, then
	// "_", lower case, and non-ASCII last.
	want := []string{"Bob", "Zoë", "_x", "alice", "bob", "émile"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Users = %q, want %q", got, want)
	}
}

func testSetUserPassword(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	check(t, st.SetUserPassword(ctx, f.user.ID, "$argon2id$new"))
	if got := erptest.Must(st.UserByID(ctx, f.user.ID))(t); got.PasswordHash != "$argon2id$new" {
		t.Errorf("hash = %q after SetUserPassword", got.PasswordHash)
	}
	wantCode(t, "SetUserPassword of a missing user", st.SetUserPassword(ctx, f.user.ID+100, "x"), erp.ENotFound)
}

func testDeactivation(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	other := &erp.User{Username: "other", PasswordHash: "h", CompanyID: f.company.ID, Active: true, CreatedAt: t0}
	check(t, st.CreateUser(ctx, other))
	early := newUserToken(t, st, f.user.ID, "timeapp", 1)
	if n := erptest.Must(st.RevokeUserTokens(ctx, f.user.ID, t0.Add(1e9)))(t); n != 1 {
		t.Fatalf("revoked %d tokens, want 1", n)
	}
	live1 := newUserToken(t, st, f.user.ID, "timeapp", 2)
	live2 := newUserToken(t, st, f.user.ID, "other-app", 3)
	others := newUserToken(t, st, other.ID, "timeapp", 4)

	at := t0.Add(5e9)
	check(t, st.SetUserActive(ctx, f.user.ID, false, at))
	if u := erptest.Must(st.UserByID(ctx, f.user.ID))(t); u.Active {
		t.Fatal("the user is still active")
	}
	for _, tok := range []*erp.UserToken{live1, live2} {
		sameTime(t, "RevokedAt of a live token", erptest.Must(st.UserTokenByHash(ctx, tok.Hash))(t).RevokedAt, at)
	}
	sameTime(t, "RevokedAt of a token revoked before", erptest.Must(st.UserTokenByHash(ctx, early.Hash))(t).RevokedAt, t0.Add(1e9))
	if r := erptest.Must(st.UserTokenByHash(ctx, others.Hash))(t).RevokedAt; !r.IsZero() {
		t.Errorf("another user's token was revoked at %v", r)
	}

	// Activating again does not bring tokens back.
	check(t, st.SetUserActive(ctx, f.user.ID, true, t0.Add(6e9)))
	if u := erptest.Must(st.UserByID(ctx, f.user.ID))(t); !u.Active {
		t.Fatal("the user is not active again")
	}
	sameTime(t, "RevokedAt after reactivation", erptest.Must(st.UserTokenByHash(ctx, live1.Hash))(t).RevokedAt, at)

	wantCode(t, "SetUserActive of a missing user", st.SetUserActive(ctx, other.ID+100, false, at), erp.ENotFound)
}

func testAppsAndPermissions(t *testing.T, st erp.Store) {
	if as := erptest.Must(st.Apps(ctx))(t); len(as) != 0 || as == nil {
		t.Fatalf("Apps of an empty store = %#v, want an empty, non-nil list", as)
	}
	ta := &erp.App{Slug: "timeapp", Name: "TimeApp", CreatedAt: t0}
	check(t, st.CreateApp(ctx, ta))
	crm := &erp.App{Slug: "crm", Name: "CRM", CreatedAt: t0}
	check(t, st.CreateApp(ctx, crm))
	wantCode(t, "a second app with the same slug", st.CreateApp(ctx, &erp.App{Slug: "crm", Name: "x", CreatedAt: t0}), erp.EConflict)
	if got := erptest.Must(st.AppBySlug(ctx, "timeapp"))(t); got.ID != ta.ID || got.Name != "TimeApp" {
		t.Errorf("AppBySlug = %+v", got)
	}
	_, err := st.AppBySlug(ctx, "nope")
	wantCode(t, "AppBySlug of a missing app", err, erp.ENotFound)
	if as := erptest.Must(st.Apps(ctx))(t); len(as) != 2 || as[0].Slug != "crm" || as[1].Slug != "timeapp" {
		t.Errorf("Apps = %+v, want crm, timeapp (by slug)", as)
	}

	use := &erp.Permission{AppID: ta.ID, Slug: "timeapp_use", Label: "TimeApp: toegang"}
	check(t, st.CreatePermission(ctx, use))
	tt := &erp.Permission{AppID: ta.ID, Slug: "timeapp_timetracking_use", Label: "Timetrackings", ParentID: use.ID}
	check(t, st.CreatePermission(ctx, tt))
	crmUse := &erp.Permission{AppID: crm.ID, Slug: "crm_use", Label: "CRM"}
	check(t, st.CreatePermission(ctx, crmUse))
	create := &erp.Permission{AppID: ta.ID, Slug: "timeapp_timetracking_create", Label: "Aanmaken", ParentID: tt.ID}
	check(t, st.CreatePermission(ctx, create))

	wantCode(t, "a parent in another app", st.CreatePermission(ctx, &erp.Permission{AppID: crm.ID, Slug: "crm_x", Label: "x", ParentID: use.ID}), erp.EInvalid)
	wantCode(t, "a missing parent", st.CreatePermission(ctx, &erp.Permission{AppID: crm.ID, Slug: "crm_y", Label: "y", ParentID: create.ID + 100}), erp.EInvalid)
	wantCode(t, "a second permission with the same slug", st.CreatePermission(ctx, &erp.Permission{AppID: crm.ID, Slug: "timeapp_use", Label: "dup"}), erp.EConflict)

	got := erptest.Must(st.PermissionBySlug(ctx, "timeapp_timetracking_create"))(t)
	if *got != *create {
		t.Errorf("PermissionBySlug = %+v, want %+v", *got, *create)
	}
	if got := erptest.Must(st.PermissionBySlug(ctx, "timeapp_use"))(t); got.ParentID != 0 {
		t.Errorf("a root reads back with parent %d", got.ParentID)
	}
	_, err = st.PermissionBySlug(ctx, "nope")
	wantCode(t, "PermissionBySlug of a missing permission", err, erp.ENotFound)

	ps := erptest.Must(st.Permissions(ctx, ta.ID))(t)
	if want := []erp.Permission{*use, *tt, *create}; !reflect.DeepEqual(ps, want) {
		t.Errorf("Permissions(timeapp) = %+v, want %+v", ps, want)
	}
	if ps := erptest.Must(st.Permissions(ctx, crm.ID))(t); len(ps) != 1 || ps[0].Slug != "crm_use" {
		t.Errorf("Permissions(crm) = %+v", ps)
	}
}

// tree creates an app with the tree root → a → a1, root → b and returns
// the permissions by slug.
func tree(t *testing.T, st erp.Store) (*erp.App, map[string]*erp.Permission) {
	t.Helper()
	app := &erp.App{Slug: "timeapp", Name: "TimeApp", CreatedAt: t0}
	check(t, st.CreateApp(ctx, app))
	ps := map[string]*erp.Permission{}
	for _, p := range [][2]string{{"root", ""}, {"a", "root"}, {"a1", "a"}, {"b", "root"}} {
		perm := &erp.Permission{AppID: app.ID, Slug: p[0], Label: p[0]}
		if p[1] != "" {
			perm.ParentID = ps[p[1]].ID
		}
		check(t, st.CreatePermission(ctx, perm))
		ps[p[0]] = perm
	}
	return app, ps
}

func granted(t *testing.T, st erp.Store, userID, appID int64) []string {
	t.Helper()
	out := []string{}
	for _, p := range erptest.Must(st.Granted(ctx, userID, appID))(t) {
		out = append(out, p.Slug)
	}
	return out
}

func testGrantNeedsParent(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	app, ps := tree(t, st)
	wantCode(t, "granting a child before its parent", st.Grant(ctx, f.user.ID, ps["a"].ID), erp.EInvalid)
	check(t, st.Grant(ctx, f.user.ID, ps["root"].ID))
	wantCode(t, "granting a grandchild before its parent", st.Grant(ctx, f.user.ID, ps["a1"].ID), erp.EInvalid)
	check(t, st.Grant(ctx, f.user.ID, ps["a"].ID))
	check(t, st.Grant(ctx, f.user.ID, ps["a1"].ID))
	check(t, st.Grant(ctx, f.user.ID, ps["a1"].ID)) // twice is no error
	if got, want := granted(t, st, f.user.ID, app.ID), []string{"root", "a", "a1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Granted = %q, want %q (parents first, once each)", got, want)
	}
	wantCode(t, "granting a missing permission", st.Grant(ctx, f.user.ID, ps["b"].ID+100), erp.ENotFound)
	wantCode(t, "granting to a missing user", st.Grant(ctx, f.user.ID+100, ps["root"].ID), erp.ENotFound)

	other := &erp.App{Slug: "crm", Name: "CRM", CreatedAt: t0}
	check(t, st.CreateApp(ctx, other))
	if got := erptest.Must(st.Granted(ctx, f.user.ID, other.ID))(t); len(got) != 0 || got == nil {
		t.Errorf("Granted in an app without grants = %#v, want an empty, non-nil list", got)
	}
}

func testRevokeCascades(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	other := &erp.User{Username: "other", PasswordHash: "h", CompanyID: f.company.ID, Active: true, CreatedAt: t0}
	check(t, st.CreateUser(ctx, other))
	app, ps := tree(t, st)
	for _, u := range []int64{f.user.ID, other.ID} {
		for _, s := range []string{"root", "a", "a1", "b"} {
			check(t, st.Grant(ctx, u, ps[s].ID))
		}
	}
	check(t, st.Revoke(ctx, f.user.ID, ps["a"].ID))
	if got, want := granted(t, st, f.user.ID, app.ID), []string{"root", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after revoking a: %q, want %q", got, want)
	}
	check(t, st.Revoke(ctx, f.user.ID, ps["a"].ID)) // nothing left to revoke: no error
	check(t, st.Revoke(ctx, f.user.ID, ps["root"].ID))
	if got := granted(t, st, f.user.ID, app.ID); len(got) != 0 {
		t.Errorf("after revoking the root: %q, want none", got)
	}
	if got, want := granted(t, st, other.ID, app.ID), []string{"root", "a", "a1", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("another user's grants changed: %q, want %q", got, want)
	}
	wantCode(t, "revoking from a missing user", st.Revoke(ctx, other.ID+100, ps["root"].ID), erp.ENotFound)
}

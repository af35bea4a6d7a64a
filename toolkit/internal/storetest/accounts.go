package storetest

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// accountTests hold erp.AccountStore to its rules: companies, users, apps
// with their permission trees, and grants.
var accountTests = []test{
	{"Companies", testCompanies},
	{"CompanyUID", testCompanyUID},
	{"Users", testUsers},
	{"UserOrderIsBytewise", testUserOrder},
	{"SetUserPassword", testSetUserPassword},
	{"SetUserPin", testSetUserPin},
	{"DeactivationRevokesTokens", testDeactivation},
	{"AppsAndPermissions", testAppsAndPermissions},
	{"AppAPIVersion", testAppAPIVersion},
	{"GrantNeedsParent", testGrantNeedsParent},
	{"RevokeCascades", testRevokeCascades},
	{"PermissionLabel", testPermissionLabel},
	{"DeletePermission", testDeletePermission},
	{"ConcurrentCreates", testConcurrentCompanyCreates},
	{"ConcurrentGrantAndRevoke", testConcurrentGrantRevoke},
	{"DeleteCompany", testDeleteCompany},
	{"TextEveryEngineStores", testAccountText},
}

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

// testCompanyUID: a company's uid is kept at creation, replaced, and unique
// when set; companies without one do not collide.
func testCompanyUID(t *testing.T, st erp.Store) {
	const uid = "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914"
	a := &erp.Company{Slug: "alpha", Name: "Alpha", UID: uid, CreatedAt: t0}
	check(t, st.CreateCompany(ctx, a))
	if got := erptest.Must(st.CompanyByID(ctx, a.ID))(t).UID; got != uid {
		t.Errorf("uid read back %q, want %q", got, uid)
	}
	b := newFixture(t, st, "bravo")
	newFixture(t, st, "charlie")
	wantCode(t, "another company's uid", st.SetCompanyUID(ctx, b.company.ID, uid), erp.EConflict)
	wantCode(t, "a new company with a taken uid", st.CreateCompany(ctx, &erp.Company{Slug: "delta", Name: "D", UID: uid, CreatedAt: t0}), erp.EConflict)
	check(t, st.SetCompanyUID(ctx, b.company.ID, "B-1"))
	if got := erptest.Must(st.CompanyBySlug(ctx, "bravo"))(t).UID; got != "B-1" {
		t.Errorf("uid after SetCompanyUID = %q, want B-1", got)
	}
	wantCode(t, "the uid of a missing company", st.SetCompanyUID(ctx, b.company.ID+100, "x"), erp.ENotFound)
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

// testSetUserPin: a pin is kept as given, leading zeros included, and ""
// clears it.
func testSetUserPin(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	check(t, st.SetUserPin(ctx, f.user.ID, "0042"))
	if got := erptest.Must(st.UserByID(ctx, f.user.ID))(t).Pin; got != "0042" {
		t.Errorf("pin read back %q, want 0042 (leading zeros kept)", got)
	}
	check(t, st.SetUserPin(ctx, f.user.ID, ""))
	if got := erptest.Must(st.UserByUsername(ctx, f.user.Username))(t).Pin; got != "" {
		t.Errorf("pin after clearing = %q", got)
	}
	wantCode(t, "the pin of a missing user", st.SetUserPin(ctx, f.user.ID+100, "1234"), erp.ENotFound)
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

// testAppAPIVersion: a new app has no version chosen; a version set reads
// back in every listing.
func testAppAPIVersion(t *testing.T, st erp.Store) {
	app := &erp.App{Slug: "timeapp", Name: "TimeApp", CreatedAt: t0}
	check(t, st.CreateApp(ctx, app))
	if got := erptest.Must(st.AppBySlug(ctx, "timeapp"))(t).APIVersion; got != "" {
		t.Errorf("a new app's version = %q, want none chosen", got)
	}
	check(t, st.SetAppAPIVersion(ctx, app.ID, erp.APIVersion05))
	if got := erptest.Must(st.Apps(ctx))(t)[0].APIVersion; got != erp.APIVersion05 {
		t.Errorf("app version read back %q, want 0.5", got)
	}
	if got := erptest.Must(st.AppBySlug(ctx, "timeapp"))(t).APIVersion; got != erp.APIVersion05 {
		t.Errorf("app version by slug %q, want 0.5", got)
	}
	wantCode(t, "the version of a missing app", st.SetAppAPIVersion(ctx, app.ID+100, erp.APIVersion05), erp.ENotFound)
}

// tree creates an app with the tree root → a → a1, root → b and returns
// the permissions by slug.
func tree(t *testing.T, st erp.AccountStore) (*erp.App, map[string]*erp.Permission) {
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

func granted(t *testing.T, st erp.AccountStore, userID, appID int64) []string {
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

func testPermissionLabel(t *testing.T, st erp.Store) {
	app, ps := tree(t, st)
	check(t, st.SetPermissionLabel(ctx, ps["a"].ID, "Tijdregistraties “bewerken” <b>"))
	got := erptest.Must(st.Permissions(ctx, app.ID))(t)
	labels := map[string]string{}
	for _, p := range got {
		labels[p.Slug] = p.Label
	}
	if want := map[string]string{"root": "root", "a": "Tijdregistraties “bewerken” <b>", "a1": "a1", "b": "b"}; !reflect.DeepEqual(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
	wantCode(t, "labelling a missing permission", st.SetPermissionLabel(ctx, ps["b"].ID+100, "x"), erp.ENotFound)
	wantCode(t, "a label with a NUL", st.SetPermissionLabel(ctx, ps["a"].ID, "nul\x00"), erp.EInvalid)
}

// testDeletePermission deletes a permission with its subtree and the
// grants of them, from every user, and leaves the rest of the tree alone.
func testDeletePermission(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	other := &erp.User{Username: "other", PasswordHash: "h", CompanyID: f.company.ID, Active: true, CreatedAt: t0}
	check(t, st.CreateUser(ctx, other))
	app, ps := tree(t, st)
	deeper := &erp.Permission{AppID: app.ID, Slug: "a1x", Label: "a1x", ParentID: ps["a1"].ID}
	check(t, st.CreatePermission(ctx, deeper))
	for _, s := range []string{"root", "a", "a1", "b"} {
		check(t, st.Grant(ctx, f.user.ID, ps[s].ID))
	}
	check(t, st.Grant(ctx, other.ID, ps["root"].ID))
	check(t, st.Grant(ctx, other.ID, ps["a"].ID))
	perms, grants, err := st.DeletePermission(ctx, ps["a"].ID)
	check(t, err)
	if perms != 3 || grants != 3 {
		t.Errorf("deleting a (with a1 and a1x) deleted %d permissions and %d grants, want 3 and 3", perms, grants)
	}
	var slugs []string
	for _, p := range erptest.Must(st.Permissions(ctx, app.ID))(t) {
		slugs = append(slugs, p.Slug)
	}
	if want := []string{"root", "b"}; !reflect.DeepEqual(slugs, want) {
		t.Errorf("the tree after the deletion: %q, want %q", slugs, want)
	}
	if got, want := granted(t, st, f.user.ID, app.ID), []string{"root", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("grants after the deletion: %q, want %q", got, want)
	}
	if got, want := granted(t, st, other.ID, app.ID), []string{"root"}; !reflect.DeepEqual(got, want) {
		t.Errorf("the other user's grants after the deletion: %q, want %q", got, want)
	}
	_, err = st.PermissionBySlug(ctx, "a1x")
	wantCode(t, "a grandchild of a deleted permission", err, erp.ENotFound)
	_, _, err = st.DeletePermission(ctx, ps["a"].ID)
	wantCode(t, "deleting a deleted permission", err, erp.ENotFound)
	// The slug is free again.
	check(t, st.CreatePermission(ctx, &erp.Permission{AppID: app.ID, Slug: "a", Label: "again", ParentID: ps["root"].ID}))
}

// testConcurrentCompanyCreates races creations of one slug: exactly one
// wins and the others get EConflict.
func testConcurrentCompanyCreates(t *testing.T, st erp.Store) {
	const n = 8
	errs := parallel(n, func(i int) error {
		return st.CreateCompany(ctx, &erp.Company{Slug: "same", Name: fmt.Sprint("try ", i), CreatedAt: t0})
	})
	won := 0
	for _, err := range errs {
		switch erp.ErrorCode(err) {
		case "":
			won++
		case erp.EConflict:
		default:
			t.Errorf("creating a company in a race: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d racing creations of one company succeeded, want 1", won, n)
	}
	if cs := erptest.Must(st.Companies(ctx))(t); len(cs) != 1 {
		t.Errorf("%d companies after the race, want 1", len(cs))
	}
}

// testConcurrentGrantRevoke races grants of a child with revocations of its
// parent: whatever the order, no user ends up holding a permission without
// its parent.
func testConcurrentGrantRevoke(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	app, ps := tree(t, st)
	for round := range 10 {
		check(t, st.Grant(ctx, f.user.ID, ps["root"].ID))
		check(t, st.Grant(ctx, f.user.ID, ps["a"].ID))
		errs := parallel(2, func(i int) error {
			if i == 0 {
				return st.Revoke(ctx, f.user.ID, ps["a"].ID)
			}
			return st.Grant(ctx, f.user.ID, ps["a1"].ID)
		})
		check(t, errs[0])
		if err := errs[1]; err != nil && erp.ErrorCode(err) != erp.EInvalid {
			t.Fatalf("round %d: grant: %v", round, err)
		}
		held := map[int64]bool{}
		for _, p := range erptest.Must(st.Granted(ctx, f.user.ID, app.ID))(t) {
			held[p.ID] = true
		}
		for _, p := range erptest.Must(st.Granted(ctx, f.user.ID, app.ID))(t) {
			if p.ParentID != 0 && !held[p.ParentID] {
				t.Fatalf("round %d: %s is held without its parent", round, p.Slug)
			}
		}
		check(t, st.Revoke(ctx, f.user.ID, ps["root"].ID))
	}
}

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
		erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("SKU-1", slug), detailedArtikel("SKU-2", leaf, leaf)})))(t)
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

// testAccountText checks that every engine refuses the same text: what one
// engine cannot store (invalid UTF-8, NUL) no engine accepts, and nothing
// refused is half-written.
func testAccountText(t *testing.T, st erp.Store) {
	for i, bad := range []string{"bad \xc3", "nul \x00 inside"} {
		wantCode(t, fmt.Sprintf("company name %q", bad), st.CreateCompany(ctx, &erp.Company{Slug: fmt.Sprint("c", i), Name: bad, CreatedAt: t0}), erp.EInvalid)
		wantCode(t, fmt.Sprintf("app name %q", bad), st.CreateApp(ctx, &erp.App{Slug: fmt.Sprint("a", i), Name: bad, CreatedAt: t0}), erp.EInvalid)
	}
	f := newFixture(t, st, "acme")
	wantCode(t, "user name", st.CreateUser(ctx, &erp.User{Username: "u", PasswordHash: "h", FirstName: "\xff", CompanyID: f.company.ID, Active: true, CreatedAt: t0}), erp.EInvalid)
	wantCode(t, "company uid", st.SetCompanyUID(ctx, f.company.ID, "uid\x00"), erp.EInvalid)
	wantCode(t, "pin", st.SetUserPin(ctx, f.user.ID, "\xff"), erp.EInvalid)
	if cs := erptest.Must(st.Companies(ctx))(t); len(cs) != 1 {
		t.Errorf("%d companies, want only the fixture's", len(cs))
	}
	if as := erptest.Must(st.Apps(ctx))(t); len(as) != 0 {
		t.Errorf("%d apps, want none", len(as))
	}
	if us := erptest.Must(st.Users(ctx))(t); len(us) != 1 {
		t.Errorf("%d users, want only the fixture's", len(us))
	}
}

package storetest

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// tokenTests hold erp.TokenStore to its rules: user and company tokens, and
// the number that token checks watch.
var tokenTests = []test{
	{"UserTokens", testUserTokens},
	{"RevokeUserToken", testRevokeUserToken},
	{"RevokeUserTokens", testRevokeUserTokens},
	{"CompanyTokenName", testCompanyTokenName},
	{"PurgeUserTokens", testPurgeUserTokens},
	{"CompanyTokens", testCompanyTokens},
	{"CompanyTokenAPIVersion", testCompanyTokenAPIVersion},
	{"ConcurrentCreates", testConcurrentTokenCreates},
	{"TokenChanges", testTokenChanges},
}

// hash returns a distinct 32-byte token hash holding the bytes that text
// columns would mangle (0x00, 0xff).
func hash(n byte) []byte {
	h := bytes.Repeat([]byte{0x00, 0xff, n}, 11)[:32]
	h[31] = n
	return h
}

func newUserToken(t *testing.T, st erp.TokenStore, userID int64, app string, n byte) *erp.UserToken {
	t.Helper()
	tok := &erp.UserToken{Hash: hash(n), UserID: userID, AppSlug: app, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour)}
	check(t, st.CreateUserToken(ctx, tok))
	if tok.ID == 0 {
		t.Fatal("CreateUserToken set no id")
	}
	return tok
}

func testUserTokens(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	tok := newUserToken(t, st, f.user.ID, "timeapp", 1)
	second := newUserToken(t, st, f.user.ID, "unknown-app", 2)
	if second.ID == tok.ID {
		t.Fatal("two tokens share an id")
	}
	got := erptest.Must(st.UserTokenByHash(ctx, tok.Hash))(t)
	if !reflect.DeepEqual(*got, *tok) {
		t.Errorf("UserTokenByHash = %+v, want %+v", *got, *tok)
	}
	sameTime(t, "ExpiresAt", got.ExpiresAt, tok.ExpiresAt)
	if !got.RevokedAt.IsZero() {
		t.Errorf("a new token reads back revoked at %v", got.RevokedAt)
	}
	_, err := st.UserTokenByHash(ctx, hash(99))
	wantCode(t, "UserTokenByHash of an unknown hash", err, erp.ENotFound)
	_, err = st.UserTokenByHash(ctx, tok.Hash[:31])
	wantCode(t, "UserTokenByHash of a prefix of a hash", err, erp.ENotFound)
	wantCode(t, "a second token with the same hash", st.CreateUserToken(ctx, &erp.UserToken{Hash: hash(1), UserID: f.user.ID, AppSlug: "x",
		CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0}), erp.EConflict)

	used := t0.Add(90 * time.Minute)
	check(t, st.TouchUserToken(ctx, tok.ID, used))
	sameTime(t, "LastUsedAt after a touch", erptest.Must(st.UserTokenByHash(ctx, tok.Hash))(t).LastUsedAt, used)
	sameTime(t, "LastUsedAt of another token", erptest.Must(st.UserTokenByHash(ctx, second.Hash))(t).LastUsedAt, t0)
}

func testRevokeUserToken(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	g := newFixture(t, st, "bakker")
	one := newUserToken(t, st, f.user.ID, "timeapp", 1)
	two := newUserToken(t, st, f.user.ID, "crm", 2)
	theirs := newUserToken(t, st, g.user.ID, "timeapp", 3)
	at := t0.Add(time.Hour)
	check(t, st.RevokeUserToken(ctx, f.user.ID, one.ID, at))
	sameTime(t, "the revoked token's RevokedAt", erptest.Must(st.UserTokenByHash(ctx, one.Hash))(t).RevokedAt, at)
	if got := erptest.Must(st.UserTokenByHash(ctx, two.Hash))(t).RevokedAt; !got.IsZero() {
		t.Errorf("the user's other token was revoked at %v", got)
	}
	wantCode(t, "revoking another user's token by its id", st.RevokeUserToken(ctx, f.user.ID, theirs.ID, at), erp.ENotFound)
	if got := erptest.Must(st.UserTokenByHash(ctx, theirs.Hash))(t).RevokedAt; !got.IsZero() {
		t.Errorf("another user's token was revoked at %v", got)
	}
	wantCode(t, "revoking a missing token", st.RevokeUserToken(ctx, f.user.ID, theirs.ID+100, at), erp.ENotFound)
	check(t, st.RevokeUserToken(ctx, f.user.ID, one.ID, at.Add(time.Hour)))
	sameTime(t, "a token revoked twice keeps its first RevokedAt", erptest.Must(st.UserTokenByHash(ctx, one.Hash))(t).RevokedAt, at)
}

func testRevokeUserTokens(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	g := newFixture(t, st, "globex")
	a := newUserToken(t, st, f.user.ID, "timeapp", 1)
	b := newUserToken(t, st, f.user.ID, "crm", 2)
	other := newUserToken(t, st, g.user.ID, "timeapp", 3)
	at := t0.Add(time.Hour)
	if n := erptest.Must(st.RevokeUserTokens(ctx, f.user.ID, at))(t); n != 2 {
		t.Errorf("revoked %d tokens, want 2", n)
	}
	for _, tok := range []*erp.UserToken{a, b} {
		sameTime(t, "RevokedAt", erptest.Must(st.UserTokenByHash(ctx, tok.Hash))(t).RevokedAt, at)
	}
	if r := erptest.Must(st.UserTokenByHash(ctx, other.Hash))(t).RevokedAt; !r.IsZero() {
		t.Errorf("another user's token was revoked at %v", r)
	}
	if n := erptest.Must(st.RevokeUserTokens(ctx, f.user.ID, at.Add(time.Hour)))(t); n != 0 {
		t.Errorf("revoking again revoked %d tokens, want 0", n)
	}
	sameTime(t, "RevokedAt after revoking again", erptest.Must(st.UserTokenByHash(ctx, a.Hash))(t).RevokedAt, at)
}

func testCompanyTokenName(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	ct := &erp.CompanyToken{Hash: hash(2), Name: "webshop", CompanyID: f.company.ID, Rights: erp.Rights{Artikels: true}, CreatedAt: t0, LastUsedAt: t0}
	check(t, st.CreateCompanyToken(ctx, ct))
	check(t, st.SetCompanyTokenName(ctx, ct.ID, "webshop “oud” <i>"))
	got := erptest.Must(st.CompanyTokenByID(ctx, ct.ID))(t)
	if got.Name != "webshop “oud” <i>" || !bytes.Equal(got.Hash, ct.Hash) || got.Rights != ct.Rights {
		t.Errorf("after renaming: %+v", got)
	}
	wantCode(t, "renaming a missing token", st.SetCompanyTokenName(ctx, ct.ID+100, "x"), erp.ENotFound)
	wantCode(t, "a name with a NUL", st.SetCompanyTokenName(ctx, ct.ID, "nul\x00"), erp.EInvalid)
}

func testCompanyTokens(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	g := newFixture(t, st, "globex")
	if ts := erptest.Must(st.CompanyTokens(ctx, f.company.ID))(t); len(ts) != 0 || ts == nil {
		t.Fatalf("CompanyTokens without tokens = %#v, want an empty, non-nil list", ts)
	}
	var toks []*erp.CompanyToken
	for i, r := range []erp.Rights{{Artikels: true, Klanten: true}, {Artikels: true}, {Klanten: true}, {}} {
		tok := &erp.CompanyToken{Hash: hash(byte(10 + i)), Name: "token ✓ " + r.String(), CompanyID: f.company.ID, Rights: r, CreatedAt: t0, LastUsedAt: t0}
		check(t, st.CreateCompanyToken(ctx, tok))
		toks = append(toks, tok)
	}
	theirs := &erp.CompanyToken{Hash: hash(20), Name: "theirs", CompanyID: g.company.ID, Rights: erp.Rights{Artikels: true}, CreatedAt: t0, LastUsedAt: t0}
	check(t, st.CreateCompanyToken(ctx, theirs))
	wantCode(t, "a second company token with the same hash", st.CreateCompanyToken(ctx, &erp.CompanyToken{Hash: hash(10), Name: "dup",
		CompanyID: g.company.ID, CreatedAt: t0, LastUsedAt: t0}), erp.EConflict)

	for _, tok := range toks {
		for _, got := range []*erp.CompanyToken{erptest.Must(st.CompanyTokenByHash(ctx, tok.Hash))(t), erptest.Must(st.CompanyTokenByID(ctx, tok.ID))(t)} {
			if !reflect.DeepEqual(*got, *tok) {
				t.Errorf("read back %+v, want %+v", *got, *tok)
			}
		}
	}
	list := erptest.Must(st.CompanyTokens(ctx, f.company.ID))(t)
	if len(list) != len(toks) {
		t.Fatalf("CompanyTokens = %d tokens, want %d (only the company's own)", len(list), len(toks))
	}
	for i := range list {
		if list[i].ID != toks[i].ID {
			t.Errorf("CompanyTokens[%d] = token %d, want %d (creation order)", i, list[i].ID, toks[i].ID)
		}
	}
	_, err := st.CompanyTokenByHash(ctx, hash(99))
	wantCode(t, "CompanyTokenByHash of an unknown hash", err, erp.ENotFound)
	_, err = st.CompanyTokenByID(ctx, theirs.ID+100)
	wantCode(t, "CompanyTokenByID of a missing token", err, erp.ENotFound)

	used := t0.Add(time.Hour)
	check(t, st.TouchCompanyToken(ctx, toks[0].ID, used))
	sameTime(t, "LastUsedAt after a touch", erptest.Must(st.CompanyTokenByID(ctx, toks[0].ID))(t).LastUsedAt, used)
	sameTime(t, "LastUsedAt of another token", erptest.Must(st.CompanyTokenByID(ctx, toks[1].ID))(t).LastUsedAt, t0)

	revoked := t0.Add(2 * time.Hour)
	check(t, st.RevokeCompanyToken(ctx, toks[1].ID, revoked))
	check(t, st.RevokeCompanyToken(ctx, toks[1].ID, revoked.Add(time.Hour)))
	sameTime(t, "RevokedAt after revoking twice", erptest.Must(st.CompanyTokenByHash(ctx, toks[1].Hash))(t).RevokedAt, revoked)
	if r := erptest.Must(st.CompanyTokenByID(ctx, toks[0].ID))(t).RevokedAt; !r.IsZero() {
		t.Errorf("another token was revoked at %v", r)
	}
	wantCode(t, "revoking a missing token", st.RevokeCompanyToken(ctx, theirs.ID+100, revoked), erp.ENotFound)
}

func testPurgeUserTokens(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	other := newFixture(t, st, "globex")
	day := 24 * time.Hour
	token := func(user int64, n byte, expires time.Time) *erp.UserToken {
		tok := &erp.UserToken{Hash: hash(n), UserID: user, AppSlug: "timeapp", CreatedAt: t0.Add(-60 * day), LastUsedAt: t0, ExpiresAt: expires}
		check(t, st.CreateUserToken(ctx, tok))
		return tok
	}
	revokeAll := func(user int64, at time.Time) {
		if n := erptest.Must(st.RevokeUserTokens(ctx, user, at))(t); n != 1 {
			t.Fatalf("revoked %d tokens, want 1", n)
		}
	}
	live := token(f.user.ID, 1, t0.Add(day))
	expiredLongAgo := token(f.user.ID, 2, t0.Add(-10*day))
	expiredRecently := token(f.user.ID, 3, t0.Add(-day))
	revokedLongAgo := token(other.user.ID, 4, t0.Add(day))
	revokeAll(other.user.ID, t0.Add(-9*day))
	revokedRecently := token(other.user.ID, 5, t0.Add(day))
	revokeAll(other.user.ID, t0.Add(-time.Hour))

	if n := erptest.Must(st.PurgeUserTokens(ctx, t0.Add(-7*day)))(t); n != 2 {
		t.Errorf("PurgeUserTokens deleted %d tokens, want 2", n)
	}
	for _, tok := range []*erp.UserToken{expiredLongAgo, revokedLongAgo} {
		_, err := st.UserTokenByHash(ctx, tok.Hash)
		wantCode(t, "a purged token", err, erp.ENotFound)
	}
	for _, tok := range []*erp.UserToken{live, expiredRecently, revokedRecently} {
		if _, err := st.UserTokenByHash(ctx, tok.Hash); err != nil {
			t.Errorf("token %d should have been kept: %v", tok.ID, err)
		}
	}
	got := erptest.Must(st.UserTokens(ctx, f.user.ID))(t)
	if len(got) != 2 || got[0].ID != expiredRecently.ID || got[1].ID != live.ID {
		t.Errorf("UserTokens = %+v, want the recently expired token, then the live one (newest first)", got)
	}
	if n := erptest.Must(st.PurgeUserTokens(ctx, t0.Add(-7*day)))(t); n != 0 {
		t.Errorf("a second purge deleted %d tokens, want 0", n)
	}
}

// testCompanyTokenAPIVersion: a new company token has no version chosen; a
// version set reads back by hash, by id and in the company's list.
func testCompanyTokenAPIVersion(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	tok := &erp.CompanyToken{Hash: hash(1), Name: "t", CompanyID: f.company.ID, Rights: erp.Rights{Artikels: true}, CreatedAt: t0, LastUsedAt: t0}
	check(t, st.CreateCompanyToken(ctx, tok))
	if got := erptest.Must(st.CompanyTokenByID(ctx, tok.ID))(t).APIVersion; got != "" {
		t.Errorf("a new company token's version = %q, want none chosen", got)
	}
	check(t, st.SetCompanyTokenAPIVersion(ctx, tok.ID, erp.APIVersion06))
	if got := erptest.Must(st.CompanyTokenByHash(ctx, tok.Hash))(t).APIVersion; got != erp.APIVersion06 {
		t.Errorf("company token version read back %q, want 0.6", got)
	}
	if got := erptest.Must(st.CompanyTokenByID(ctx, tok.ID))(t).APIVersion; got != erp.APIVersion06 {
		t.Errorf("company token version by id %q, want 0.6", got)
	}
	if got := erptest.Must(st.CompanyTokens(ctx, f.company.ID))(t)[0].APIVersion; got != erp.APIVersion06 {
		t.Errorf("company token version listed %q, want 0.6", got)
	}
	wantCode(t, "the version of a missing company token", st.SetCompanyTokenAPIVersion(ctx, tok.ID+100, erp.APIVersion06), erp.ENotFound)
}

// testConcurrentTokenCreates creates many tokens of one user at once: each
// gets an id of its own, and all of them are found and revoked.
func testConcurrentTokenCreates(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	toks := make([]*erp.UserToken, 32)
	for _, err := range parallel(len(toks), func(i int) error {
		toks[i] = &erp.UserToken{Hash: hash(byte(i)), UserID: f.user.ID, AppSlug: "timeapp", CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(1e12)}
		return st.CreateUserToken(ctx, toks[i])
	}) {
		check(t, err)
	}
	ids := map[int64]bool{}
	for _, tok := range toks {
		if ids[tok.ID] {
			t.Fatalf("two tokens got id %d", tok.ID)
		}
		ids[tok.ID] = true
		if got := erptest.Must(st.UserTokenByHash(ctx, tok.Hash))(t); got.ID != tok.ID {
			t.Errorf("token %d reads back as %d", tok.ID, got.ID)
		}
	}
	if n := erptest.Must(st.RevokeUserTokens(ctx, f.user.ID, t0))(t); n != len(toks) {
		t.Errorf("revoked %d tokens, want %d", n, len(toks))
	}
}

// testTokenChanges: every change that a token check could see moves
// TokenChanges forward, in every engine; issuing a token and recording its
// use do not, so that a busy server keeps its checks in memory.
func testTokenChanges(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	app := &erp.App{Slug: "timeapp", Name: "TimeApp", CreatedAt: t0}
	check(t, st.CreateApp(ctx, app))
	root := &erp.Permission{AppID: app.ID, Slug: "timeapp_use", Label: "use"}
	check(t, st.CreatePermission(ctx, root))
	last := erptest.Must(st.TokenChanges(ctx))(t)
	moves := func(what string, err error) {
		t.Helper()
		check(t, err)
		n := erptest.Must(st.TokenChanges(ctx))(t)
		if n <= last {
			t.Errorf("%s: TokenChanges %d, was %d; want it moved forward", what, n, last)
		}
		last = n
	}
	stays := func(what string, err error) {
		t.Helper()
		check(t, err)
		if n := erptest.Must(st.TokenChanges(ctx))(t); n != last {
			t.Errorf("%s: TokenChanges %d, was %d; want it unmoved", what, n, last)
			last = n
		}
	}

	ut := &erp.UserToken{Hash: hash(1), UserID: f.user.ID, AppSlug: "timeapp", CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	stays("issuing a user token", st.CreateUserToken(ctx, ut))
	stays("recording a user token's use", st.TouchUserToken(ctx, ut.ID, t0.Add(time.Minute)))
	ct := &erp.CompanyToken{Hash: hash(2), Name: "t", CompanyID: f.company.ID, Rights: erp.Rights{Artikels: true}, CreatedAt: t0, LastUsedAt: t0}
	stays("issuing a company token", st.CreateCompanyToken(ctx, ct))
	stays("recording a company token's use", st.TouchCompanyToken(ctx, ct.ID, t0.Add(time.Minute)))

	moves("granting", st.Grant(ctx, f.user.ID, root.ID))
	moves("revoking a grant", st.Revoke(ctx, f.user.ID, root.ID))
	moves("setting an app's version", st.SetAppAPIVersion(ctx, app.ID, erp.APIVersion05))
	moves("adding an app", st.CreateApp(ctx, &erp.App{Slug: "crm", Name: "CRM", CreatedAt: t0}))
	moves("setting a company's uid", st.SetCompanyUID(ctx, f.company.ID, "acme-uid"))
	moves("setting a user's pin", st.SetUserPin(ctx, f.user.ID, "1234"))
	moves("setting a user's password", st.SetUserPassword(ctx, f.user.ID, "$argon2id$other"))
	moves("setting a company token's version", st.SetCompanyTokenAPIVersion(ctx, ct.ID, erp.APIVersion06))
	moves("revoking a company token", st.RevokeCompanyToken(ctx, ct.ID, t0.Add(time.Hour)))
	newUserToken(t, st, f.user.ID, "timeapp", 3)
	last = erptest.Must(st.TokenChanges(ctx))(t)
	_, err := st.RevokeUserTokens(ctx, f.user.ID, t0.Add(time.Hour))
	moves("revoking a user's tokens", err)
	moves("revoking one user token", st.RevokeUserToken(ctx, f.user.ID, ut.ID, t0.Add(time.Hour)))
	moves("relabelling a permission", st.SetPermissionLabel(ctx, root.ID, "Use"))
	check(t, st.Grant(ctx, f.user.ID, root.ID))
	last = erptest.Must(st.TokenChanges(ctx))(t)
	_, _, err = st.DeletePermission(ctx, root.ID)
	moves("deleting a granted permission", err)
	moves("deactivating a user", st.SetUserActive(ctx, f.user.ID, false, t0.Add(time.Hour)))
	moves("deleting a company", st.DeleteCompany(ctx, f.company.ID))
}

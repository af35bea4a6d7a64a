// Package storetest is the conformance suite of erp.Store: every storage
// engine runs it, so that each rule of the interface (not-found and conflict
// errors, the permission tree's rules, atomic deactivation and imports,
// company isolation, ordering) holds the same way in every engine.
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) erp.Store { return openMyEngine(t) })
//	}
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Run runs the suite. open must return an empty, migrated store of the
// test's own, closed when the test ends; subtests run in parallel, each on
// its own store.
func Run(t *testing.T, open func(t *testing.T) erp.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st erp.Store)
	}{
		{"Companies", testCompanies},
		{"Users", testUsers},
		{"UserOrderIsBytewise", testUserOrder},
		{"SetUserPassword", testSetUserPassword},
		{"DeactivationRevokesTokens", testDeactivation},
		{"AppsAndPermissions", testAppsAndPermissions},
		{"GrantNeedsParent", testGrantNeedsParent},
		{"RevokeCascades", testRevokeCascades},
		{"UserTokens", testUserTokens},
		{"RevokeUserTokens", testRevokeUserTokens},
		{"PurgeUserTokens", testPurgeUserTokens},
		{"CompanyTokens", testCompanyTokens},
		{"ImportArtikels", testImportArtikels},
		{"ImportArtikelsAllOrNothing", testImportArtikelsAllOrNothing},
		{"ImportKlanten", testImportKlanten},
		{"ImportKlantenAllOrNothing", testImportKlantenAllOrNothing},
		{"CompanyIsolation", testCompanyIsolation},
		{"TextEveryEngineStores", testText},
		{"ConcurrentImports", testConcurrentImports},
		{"ConcurrentCreates", testConcurrentCreates},
		{"ConcurrentGrantAndRevoke", testConcurrentGrantRevoke},
		{"DeleteCompany", testDeleteCompany},
		{"LaterAPI", testLaterAPI},
		{"Categorieen", testCategorieen},
		{"RichArtikels", testRichArtikels},
		{"EditCategorieen", testEditCategorieen},
		{"ConcurrentMoves", testConcurrentMoves},
		{"DeleteWhileImporting", testDeleteWhileImporting},
		{"ImportKeepsRich", testImportKeepsRich},
		{"SignInCounts", testSignInCounts},
		{"ConcurrentSignInCounts", testConcurrentSignInCounts},
		{"Ping", func(t *testing.T, st erp.Store) {
			if err := st.Ping(context.Background()); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

var ctx = context.Background()

// t0 has microseconds, the precision every engine keeps.
var t0 = time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err carries the domain error code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := erp.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || (!want.IsZero() && got.Location() != time.UTC) {
		t.Errorf("%s = %v, want %v (UTC)", what, got, want)
	}
}

// fixture is a company with a user, the usual start of a test.
type fixture struct {
	company *erp.Company
	user    *erp.User
}

func newFixture(t *testing.T, st erp.Store, slug string) fixture {
	t.Helper()
	c := &erp.Company{Slug: slug, Name: "Company " + slug, CreatedAt: t0}
	check(t, st.CreateCompany(ctx, c))
	u := &erp.User{Username: "user-" + slug, PasswordHash: "$argon2id$fake", CompanyID: c.ID, Active: true, CreatedAt: t0}
	check(t, st.CreateUser(ctx, u))
	return fixture{c, u}
}

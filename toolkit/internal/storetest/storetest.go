// Package storetest is the conformance suite of erp.Store: every storage
// engine runs it, so that each rule of the interface (not-found and conflict
// errors, the permission tree's rules, atomic deactivation and imports,
// company isolation, ordering) holds the same way in every engine.
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) erp.Store { return openMyEngine(t) })
//	}
//
// The suite has one part per aggregate, each in the file named for it and
// run as a subtest of that name: Accounts (accounts.go, erp.AccountStore),
// Tokens (tokens.go, erp.TokenStore), Catalogue (catalogue.go,
// erp.CatalogueStore), Categorieen (categories.go, erp.CategorieStore),
// SignIn (signin.go, erp.SignInStore), Audit (audit.go, erp.AuditStore),
// Pages (pages.go, erp.CataloguePages) and Console (console.go,
// erp.ConsoleStore).
// A part sets up what it needs through the other aggregates' stores, and
// one part runs alone with, for example, -run 'TestStore/Tokens/'.
package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// test is one test of a part: it gets an empty store of its own.
type test struct {
	name string
	fn   func(t *testing.T, st erp.Store)
}

// Run runs the suite. open must return an empty, migrated store of the
// test's own, closed when the test ends; subtests run in parallel, each on
// its own store.
func Run(t *testing.T, open func(t *testing.T) erp.Store) {
	for _, part := range []struct {
		name  string
		tests []test
	}{
		{"Accounts", accountTests},
		{"Tokens", tokenTests},
		{"Catalogue", catalogueTests},
		{"Categorieen", categorieTests},
		{"SignIn", signInTests},
		{"Audit", auditTests},
		{"Pages", pageTests},
		{"Console", consoleTests},
		{"Store", []test{{"Ping", testPing}}},
	} {
		t.Run(part.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range part.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.fn(t, open(t))
				})
			}
		})
	}
}

func testPing(t *testing.T, st erp.Store) {
	if err := st.Ping(ctx); err != nil {
		t.Fatal(err)
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

func newFixture(t *testing.T, st erp.AccountStore, slug string) fixture {
	t.Helper()
	c := &erp.Company{Slug: slug, Name: "Company " + slug, CreatedAt: t0}
	check(t, st.CreateCompany(ctx, c))
	u := &erp.User{Username: "user-" + slug, PasswordHash: "$argon2id$fake", CompanyID: c.ID, Active: true, CreatedAt: t0}
	check(t, st.CreateUser(ctx, u))
	return fixture{c, u}
}

// parallel runs fn n times at once and returns the errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

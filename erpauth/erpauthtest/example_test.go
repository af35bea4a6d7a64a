package erpauthtest_test

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/erpauth"
	"github.com/cloudspot-toolkit/cloudspot/erpauth/erpauthtest"
)

// A store of your own passes the suite that the built-in ones pass; newStore
// makes a new, empty one for each subtest (a Redis store under a key prefix
// of its own, an SQL store on a fresh table). erpauth's tests run it
// against MemoryStore and CookieStore.
func ExampleTestStore() {
	_ = func(t *testing.T) {
		erpauthtest.TestStore(t, func(t *testing.T) erpauth.Store {
			return erpauth.NewMemoryStore(0) // yours here
		})
	}
}

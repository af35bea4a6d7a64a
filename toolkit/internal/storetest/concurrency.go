package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

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

// testConcurrentImports imports the same records several times at once:
// each record is created exactly once and counted created exactly once.
func testConcurrentImports(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	const runs, records = 4, 20
	var ps []cloudspot.Artikel
	var ks []cloudspot.Klant
	for i := range records {
		ps = append(ps, artikel(fmt.Sprintf("SKU-%02d", i), fmt.Sprint("Product ", i)))
		ks = append(ks, klant(int64(i+1), fmt.Sprint("Klant ", i)))
	}
	var mu sync.Mutex
	var total erp.ImportResult
	errs := parallel(2*runs, func(i int) error {
		var r erp.ImportResult
		var err error
		if i%2 == 0 {
			r, err = st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(ps))
		} else {
			r, err = st.ImportKlanten(ctx, f.company.ID, erp.Each(ks))
		}
		mu.Lock()
		total.Created += r.Created
		total.Updated += r.Updated
		mu.Unlock()
		return err
	})
	for _, err := range errs {
		check(t, err)
	}
	wantResult(t, total, 2*records, 2*(runs-1)*records)
	if n := len(erptest.Must(st.Artikels(ctx, f.company.ID))(t)); n != records {
		t.Errorf("%d products, want %d", n, records)
	}
	if n := len(erptest.Must(st.Klanten(ctx, f.company.ID))(t)); n != records {
		t.Errorf("%d clients, want %d", n, records)
	}
}

// testConcurrentCreates races creations: of one slug exactly one wins and
// the others get EConflict; tokens created together all get their own ids.
func testConcurrentCreates(t *testing.T, st erp.Store) {
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
	c := erptest.Must(st.CompanyBySlug(ctx, "same"))(t)
	u := &erp.User{Username: "racer", PasswordHash: "h", CompanyID: c.ID, Active: true, CreatedAt: t0}
	check(t, st.CreateUser(ctx, u))
	toks := make([]*erp.UserToken, 4*n)
	for _, err := range parallel(len(toks), func(i int) error {
		toks[i] = &erp.UserToken{Hash: hash(byte(i)), UserID: u.ID, AppSlug: "timeapp", CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(1e12)}
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
	if n := erptest.Must(st.RevokeUserTokens(ctx, u.ID, t0))(t); n != len(toks) {
		t.Errorf("revoked %d tokens, want %d", n, len(toks))
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

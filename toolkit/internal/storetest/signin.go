package storetest

import (
	"crypto/sha256"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// signInTests hold erp.SignInStore to its rules: counted attempts, refunds
// and windows, also under concurrent attempts.
var signInTests = []test{
	{"SignInCounts", testSignInCounts},
	{"ConcurrentSignInCounts", testConcurrentSignInCounts},
	{"KnownAddresses", testKnownAddresses},
	{"ConcurrentKnownAddresses", testConcurrentKnownAddresses},
}

func limitKey(name string, max int, window time.Duration) erp.LimitKey {
	h := sha256.Sum256([]byte(name))
	return erp.LimitKey{Key: h[:], Limit: erp.Limit{Max: max, Window: window}}
}

// testSignInCounts: a counter allows Max attempts per window, a refused
// attempt counts against no other key, a refund gives one back, and a new
// window starts once the last one ended.
func testSignInCounts(t *testing.T, st erp.Store) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	tight := limitKey("tight", 2, time.Minute)
	loose := limitKey("loose", 100, time.Hour)
	count := func(at time.Time, keys ...erp.LimitKey) time.Time {
		t.Helper()
		by, until, err := st.CountSignIn(ctx, keys, at)
		if err != nil {
			t.Fatal(err)
		}
		// In every call below, the key used up is the last one given.
		if (by < 0) != until.IsZero() || (by >= 0 && by != len(keys)-1) {
			t.Fatalf("CountSignIn of %d keys: blocked by key %d until %v, want the last key or none", len(keys), by, until)
		}
		return until
	}
	for i := range 2 {
		if until := count(t0, loose, tight); !until.IsZero() {
			t.Fatalf("attempt %d refused until %v; the limit is 2", i+1, until)
		}
	}
	if until := count(t0.Add(10*time.Second), loose, tight); !until.Equal(t0.Add(time.Minute)) {
		t.Fatalf("third attempt: refused until %v, want the end of the window %v", until, t0.Add(time.Minute))
	}
	// Only two attempts reached the loose key: 98 more fit.
	for i := range 98 {
		if until := count(t0, loose); !until.IsZero() {
			t.Fatalf("loose attempt %d refused: the refused attempt on tight was counted on loose too", i+3)
		}
	}
	if until := count(t0, loose); until.IsZero() {
		t.Fatal("the 101st attempt on a limit of 100 passed")
	}
	if err := st.RefundSignIn(ctx, []erp.LimitKey{tight}, t0.Add(20*time.Second)); err != nil {
		t.Fatal(err)
	}
	if until := count(t0.Add(20*time.Second), tight); !until.IsZero() {
		t.Fatal("a refunded attempt was not given back")
	}
	if until := count(t0.Add(20*time.Second), tight); until.IsZero() {
		t.Fatal("a third attempt passed after one refund")
	}
	forget := tight
	forget.Forget = true
	if err := st.RefundSignIn(ctx, []erp.LimitKey{forget}, t0.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if until := count(t0.Add(30*time.Second), tight); !until.IsZero() {
			t.Fatalf("attempt %d after the counter was cleared was refused", i+1)
		}
	}
	// Clearing started a new window at 30 s.
	if until := count(t0.Add(time.Minute), tight); !until.Equal(t0.Add(90 * time.Second)) {
		t.Fatalf("third attempt in the new window: refused until %v, want %v", until, t0.Add(90*time.Second))
	}
	if until := count(t0.Add(90*time.Second), tight); !until.IsZero() {
		t.Fatal("still refused after the window ended")
	}
	n, err := st.PurgeSignInCounts(ctx, t0.Add(time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("purge at the end of both windows: %d, %v; want 2", n, err)
	}
}

// testConcurrentSignInCounts counts many attempts at once on one key: no
// more than Max pass, however they interleave.
func testConcurrentSignInCounts(t *testing.T, st erp.Store) {
	now := time.Now()
	const limit, attempts = 10, 60
	shared := limitKey("shared", limit, time.Hour)
	var passed atomic.Int32
	errs := parallel(attempts, func(i int) error {
		// Each attempt also counts a key of its own, as a sign-in counts
		// its address and username beside the pair.
		own := limitKey(string(rune('a'+i%26))+string(rune('a'+i/26)), 100, time.Hour)
		by, until, err := st.CountSignIn(ctx, []erp.LimitKey{own, shared}, now)
		switch {
		case err != nil:
		case until.IsZero() && by == -1:
			passed.Add(1)
		case by != 1:
			return fmt.Errorf("an attempt blocked until %v by key %d, want the shared key 1", until, by)
		}
		return err
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := passed.Load(); p != limit {
		t.Errorf("%d of %d concurrent attempts passed a limit of %d", p, attempts, limit)
	}
}

func knownAddress(name string, userID int64, until time.Time) erp.KnownAddress {
	h := sha256.Sum256([]byte(name))
	return erp.KnownAddress{Key: h[:], UserID: userID, Until: until}
}

// testKnownAddresses: a remembered address is known until its time, a new
// sign-in from it moves that time, a user keeps only the newest addresses,
// and the purge deletes the expired ones.
func testKnownAddresses(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	g := newFixture(t, st, "globex")
	known := func(a erp.KnownAddress, at time.Time) bool {
		t.Helper()
		return erptest.Must(st.IsKnownAddress(ctx, a.Key, at))(t)
	}
	home := knownAddress("home", f.user.ID, t0.Add(time.Hour))
	if known(home, t0) {
		t.Fatal("an address never remembered is known")
	}
	check(t, st.RememberAddress(ctx, home, 3))
	if !known(home, t0) || !known(home, t0.Add(time.Hour-time.Microsecond)) {
		t.Error("a remembered address is not known before its time")
	}
	if known(home, t0.Add(time.Hour)) {
		t.Error("an address is still known at its time")
	}
	home.Until = t0.Add(2 * time.Hour)
	check(t, st.RememberAddress(ctx, home, 3))
	if !known(home, t0.Add(90*time.Minute)) {
		t.Error("remembering an address again did not move its time")
	}

	// Three more of the user's addresses, each newer: only the three
	// newest stay; another user's address is not the user's to lose.
	other := knownAddress("other user's", g.user.ID, t0.Add(time.Minute))
	check(t, st.RememberAddress(ctx, other, 3))
	var newer []erp.KnownAddress
	for i := range 3 {
		a := knownAddress(fmt.Sprint("address ", i), f.user.ID, t0.Add(time.Duration(3+i)*time.Hour))
		check(t, st.RememberAddress(ctx, a, 3))
		newer = append(newer, a)
	}
	if known(home, t0) {
		t.Error("the oldest of four addresses stayed known; a user keeps 3")
	}
	for i, a := range newer {
		if !known(a, t0) {
			t.Errorf("newer address %d was forgotten", i)
		}
	}
	if !known(other, t0) {
		t.Error("another user's address was forgotten")
	}

	if n := erptest.Must(st.PurgeKnownAddresses(ctx, t0.Add(210*time.Minute)))(t); n != 2 {
		t.Errorf("purging at 3h30 deleted %d addresses, want 2 (the other user's and the one until 3h)", n)
	}
	if !known(newer[1], t0) || !known(newer[2], t0) || known(newer[0], t0) {
		t.Error("the purge deleted the wrong addresses")
	}
	check(t, st.DeleteCompany(ctx, f.company.ID))
	if known(newer[2], t0) {
		t.Error("a deleted company's user still has a known address")
	}
}

// testConcurrentKnownAddresses remembers many addresses of one user at once:
// every call succeeds, and the next one leaves the user the newest few.
// (Calls at once may each keep their own address for a moment: the bound
// holds from the next sign-in on.)
func testConcurrentKnownAddresses(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	const n, keep = 40, 5
	addr := func(i int) erp.KnownAddress {
		return knownAddress(fmt.Sprint("address ", i), f.user.ID, t0.Add(time.Duration(i+1)*time.Minute))
	}
	for _, err := range parallel(n, func(i int) error { return st.RememberAddress(ctx, addr(i), keep) }) {
		check(t, err)
	}
	check(t, st.RememberAddress(ctx, addr(n), keep))
	var kept []int
	for i := range n + 1 {
		if erptest.Must(st.IsKnownAddress(ctx, addr(i).Key, t0))(t) {
			kept = append(kept, i)
		}
	}
	if want := []int{n - 4, n - 3, n - 2, n - 1, n}; fmt.Sprint(kept) != fmt.Sprint(want) {
		t.Errorf("known after %d addresses at once and one more: %v, want the newest %d %v", n, kept, keep, want)
	}
}

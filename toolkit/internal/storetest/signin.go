package storetest

import (
	"crypto/sha256"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// signInTests hold erp.SignInStore to its rules: counted attempts, refunds
// and windows, also under concurrent attempts.
var signInTests = []test{
	{"SignInCounts", testSignInCounts},
	{"ConcurrentSignInCounts", testConcurrentSignInCounts},
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
		until, err := st.CountSignIn(ctx, keys, at)
		if err != nil {
			t.Fatal(err)
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
		until, err := st.CountSignIn(ctx, []erp.LimitKey{own, shared}, now)
		if err == nil && until.IsZero() {
			passed.Add(1)
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

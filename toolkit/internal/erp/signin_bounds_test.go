package erp_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The rules that keep what an anonymous client sends from growing the
// database or locking a user out, on the Service over each engine.

// inParallel runs fn n times at once and counts the error codes ("" for
// none).
func inParallel(n int, fn func(i int) error) map[string]int {
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			c := erp.ErrorCode(fn(i))
			mu.Lock()
			codes[c]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// attemptsIn sums the attempts of entries, and counts the entries, of a
// sign-in audit action.
func attemptsIn(t *testing.T, w *world, action string) (entries int, attempts int64) {
	t.Helper()
	for _, e := range erptest.Must(w.svc.Audit(context.Background(), erp.AuditFilter{Action: action}))(t) {
		entries++
		attempts += e.Attempts
	}
	return entries, attempts
}

// TestAuditOfAttemptsIsBounded: a flood of failed and refused sign-ins, with
// a new username and a new address each, writes at most the budget of
// entries a minute and one entry that counts the rest; every attempt is
// counted in some entry. A minute later the budget is there again.
func TestAuditOfAttemptsIsBounded(t *testing.T) {
	t.Parallel()
	const budget, n = 5, 120
	cfg := erp.Config{AuditBudget: budget, SignInLimits: erp.SignInLimits{PerAddress: erp.Limit{Max: 1}}}
	forEachEngine(t, cfg, func(t *testing.T, w *world) {
		ctx := context.Background()
		codes := inParallel(n, func(i int) error {
			// Two attempts an address: one failure, one refused.
			addr := fmt.Sprintf("198.51.%d.%d", i/250, i%250)
			w.svc.SignInFrom(ctx, addr, "timeapp", fmt.Sprintf("nobody-%d", i), "guess")
			_, err := w.svc.SignInFrom(ctx, addr, "timeapp", fmt.Sprintf("nobody-%d", i), "guess")
			return err
		})
		if codes[erp.ETooMany] != n {
			t.Fatalf("second attempts: %v, want all %d refused", codes, n)
		}
		all := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: "signin."}))(t)
		var total int64
		for _, e := range all {
			total += e.Attempts
		}
		suppressed, counted := attemptsIn(t, w, erp.AuditSuppressed)
		if len(all) > budget+1 || suppressed != 1 || total != 2*n {
			t.Errorf("%d attempts: %d entries (%d of them for the suppressed, counting %d), counting %d attempts; want at most %d + 1 entries counting all",
				2*n, len(all), suppressed, counted, total, budget)
		}
		w.advance(time.Minute)
		w.svc.SignInFrom(ctx, "203.0.113.99", "timeapp", "nobody-new", "guess")
		if after := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditSignInFailed, Since: w.now()}))(t); len(after) != 1 {
			t.Errorf("a failure a minute later: %d entries, want its own", len(after))
		}
	})
}

// TestKnownAddressSparesTheUser: a username locked by failures from
// addresses it never signed in from still signs in, with the right
// password, from an address where it signed in before; from a new address
// it is refused. The known address stays subject to its own limit.
func TestKnownAddressSparesTheUser(t *testing.T) {
	t.Parallel()
	const perUser = 20
	cfg := erp.Config{SignInLimits: erp.SignInLimits{PerUser: erp.Limit{Max: perUser}}}
	forEachEngine(t, cfg, func(t *testing.T, w *world) {
		ctx := context.Background()
		const home = "192.0.2.10"
		if _, err := w.svc.SignInFrom(ctx, home, "timeapp", "an", password); err != nil {
			t.Fatal(err)
		}
		// The attack: 100 wrong passwords at once from 50 other addresses.
		codes := inParallel(100, func(i int) error {
			_, err := w.svc.SignInFrom(ctx, fmt.Sprintf("198.51.100.%d", i%50), "timeapp", "an", fmt.Sprint("guess ", i))
			return err
		})
		if codes[erp.EUnauthorized] > perUser {
			t.Fatalf("attack: %v, want at most %d checked", codes, perUser)
		}
		_, err := w.svc.SignInFrom(ctx, "203.0.113.5", "timeapp", "an", password)
		wantCode(t, "the right password from a new address", err, erp.ETooMany, "")
		if _, err := w.svc.SignInFrom(ctx, home, "timeapp", "an", password); err != nil {
			t.Fatalf("the right password from the address the user signed in from before: %v", err)
		}
		// The same IPv6 /64 is the same address.
		if _, err := w.svc.SignInFrom(ctx, erp.ClientAddress("[2001:db8:5:6::1]:1"), "timeapp", "bert", password); err != nil {
			t.Fatal(err)
		}
		inParallel(100, func(i int) error {
			_, err := w.svc.SignInFrom(ctx, fmt.Sprintf("198.51.101.%d", i%50), "timeapp", "bert", "guess")
			return err
		})
		if _, err := w.svc.SignInFrom(ctx, erp.ClientAddress("[2001:db8:5:6:ffff::9]:2"), "timeapp", "bert", password); err != nil {
			t.Errorf("bert from another address of the /64 it signed in from: %v", err)
		}
		// The known address keeps its own limit: ten wrong passwords from
		// it, and it is refused there too.
		for i := range erp.DefaultSignInLimits().PerPair.Max {
			w.svc.SignInFrom(ctx, home, "timeapp", "an", fmt.Sprint("typo ", i))
		}
		_, err = w.svc.SignInFrom(ctx, home, "timeapp", "an", password)
		wantCode(t, "the right password from the known address after its own limit", err, erp.ETooMany, "")
		// Known addresses expire.
		w.advance(erp.KnownAddressTTL + time.Hour)
		if n := erptest.Must(w.svc.PurgeTokens(ctx))(t); n < 0 {
			t.Fatal(n)
		}
		for range perUser + 1 {
			w.svc.SignInFrom(ctx, "198.51.102.1", "timeapp", "bert", "guess")
			w.svc.SignInFrom(ctx, "198.51.102.2", "timeapp", "bert", "guess")
		}
		_, err = w.svc.SignInFrom(ctx, erp.ClientAddress("[2001:db8:5:6::1]:1"), "timeapp", "bert", password)
		wantCode(t, "the right password from an address known a month and more ago", err, erp.ETooMany, "")
	})
}

// TestSuccessfulSignInsAreLimited: a valid password signs in at most the
// Successes limit a minute, however many sign-ins run at once; each refused
// one issues no token, and the audit log grows by one entry for them all.
func TestSuccessfulSignInsAreLimited(t *testing.T) {
	t.Parallel()
	const max, n = 5, 40
	cfg := erp.Config{SignInLimits: erp.SignInLimits{Successes: erp.Limit{Max: max, Window: time.Minute}}}
	forEachEngine(t, cfg, func(t *testing.T, w *world) {
		ctx := context.Background()
		codes := inParallel(n, func(i int) error {
			_, err := w.svc.SignInFrom(ctx, fmt.Sprintf("198.51.100.%d", i), "unknown-app", "an", password)
			return err
		})
		if codes[""] != max || codes[erp.ETooMany] != n-max {
			t.Errorf("%d right passwords at once: %v, want %d signed in and the rest too_many", n, codes, max)
		}
		if toks := erptest.Must(w.svc.UserTokens(ctx, "an"))(t); len(toks) != max {
			t.Errorf("%d tokens issued, want %d", len(toks), max)
		}
		if entries, attempts := attemptsIn(t, w, erp.AuditThrottled); entries != 1 || attempts != n-max {
			t.Errorf("refused sign-ins: %d entries counting %d, want 1 counting %d", entries, attempts, n-max)
		}
		w.advance(time.Minute)
		w.signIn(t, "timeapp", "an")
	})
}

// TestAppSlugIsBounded: a sign-in naming an app slug longer than
// MaxAppSlugLen is refused before anything is counted or checked, whatever
// the password; one of MaxAppSlugLen characters is an unknown app.
func TestAppSlugIsBounded(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		long := strings.Repeat("é", erp.MaxAppSlugLen+1)
		for _, pw := range []string{password, "wrong"} {
			_, err := w.svc.SignInFrom(ctx, "203.0.113.7", long, "an", pw)
			wantCode(t, "a slug of MaxAppSlugLen+1 characters", err, erp.EInvalid, "")
		}
		if es := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: "signin."}))(t); len(es) != 0 {
			t.Errorf("a refused slug was audited: %+v", es)
		}
		s, err := w.svc.SignInFrom(ctx, "203.0.113.7", strings.Repeat("é", erp.MaxAppSlugLen), "an", password)
		if err != nil || len(s.Permissions) != 0 {
			t.Errorf("a slug of MaxAppSlugLen characters: %v, %v; want an unknown app's sign-in", s, err)
		}
	})
}

// TestSignOut: a token's holder revokes it; from the next call on it is
// refused, the user's other tokens are not, and a token presented by
// another app cannot be signed out.
func TestSignOut(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		a := w.signIn(t, "timeapp", "an")
		b := w.signIn(t, "timeapp", "an")
		wantCode(t, "signing out through another app", w.svc.SignOut(ctx, "otherapp", a.Token), erp.EUnauthorized, "")
		if err := w.svc.SignOut(ctx, "TimeApp", a.Token); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.PermissionsForToken(ctx, "timeapp", a.Token)
		wantCode(t, "the signed-out token", err, erp.EUnauthorized, "")
		wantCode(t, "signing out twice", w.svc.SignOut(ctx, "timeapp", a.Token), erp.EUnauthorized, "")
		if _, err := w.svc.PermissionsForToken(ctx, "timeapp", b.Token); err != nil {
			t.Errorf("the user's other token: %v", err)
		}
		wantCode(t, "a company token", w.svc.SignOut(ctx, "timeapp", w.acmeAll), erp.EUnauthorized, "")
		if es := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditSignOut}))(t); len(es) != 1 || es[0].Username != "an" || es[0].App != "timeapp" {
			t.Errorf("sign-out entries %+v, want one of an in timeapp", es)
		}
	})
}

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

// TestConsoleAccounts: console users are accounts of their own, apart from
// ERP users of the same name; a session lives until it is idle too long,
// old enough, signed out, or its user is deactivated or given a new
// password; and every step is in the audit log with the console user as
// actor.
func TestConsoleAccounts(t *testing.T) {
	t.Parallel()
	limits := erp.ConsoleSessionLimits{Idle: 30 * time.Minute, Lifetime: 2 * time.Hour}
	forEachEngine(t, erp.Config{ConsoleSessions: limits}, func(t *testing.T, w *world) {
		ctx := context.Background()
		const addr = "198.51.100.4"
		// "an" is an ERP user: her ERP password is no console password.
		_, _, err := w.svc.ConsoleSignIn(ctx, addr, "an", password)
		wantCode(t, "an ERP user at the console", err, erp.EUnauthorized, erp.MsgBadCredentials)
		erptest.Must(w.svc.CreateConsoleUser(ctx, "an", "console password 1"))(t)
		_, err = w.svc.CreateConsoleUser(ctx, "an", "console password 2")
		wantCode(t, "a console user created twice", err, erp.EConflict, "")
		_, err = w.svc.CreateConsoleUser(ctx, "with space", "console password 2")
		wantCode(t, "a console username with a space", err, erp.EInvalid, "")
		_, err = w.svc.CreateConsoleUser(ctx, "short", "1234567")
		wantCode(t, "a short console password", err, erp.EInvalid, "")
		if _, err := w.svc.SignIn(ctx, "timeapp", "an", "console password 1"); erp.ErrorCode(err) != erp.EUnauthorized {
			t.Errorf("the console password signs the ERP user in: %v", err)
		}

		_, _, err = w.svc.ConsoleSignIn(ctx, addr, "an", "wrong password")
		wantCode(t, "a wrong console password", err, erp.EUnauthorized, erp.MsgBadCredentials)
		_, _, err = w.svc.ConsoleSignIn(ctx, addr, "nobody", "wrong password")
		wantCode(t, "an unknown console user", err, erp.EUnauthorized, erp.MsgBadCredentials)
		secret, u, err := w.svc.ConsoleSignIn(ctx, addr, "an", "console password 1")
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "an" || len(secret) < 40 {
			t.Fatalf("signed in as %+v with a secret of %d characters", u, len(secret))
		}
		session := func(what, secret string, ok bool) {
			t.Helper()
			got, err := w.svc.ConsoleSession(ctx, secret)
			switch {
			case ok && (err != nil || got.Username != "an"):
				t.Errorf("%s: %+v, %v; want an's session", what, got, err)
			case !ok:
				wantCode(t, what, err, erp.EUnauthorized, erp.MsgSessionEnded)
			}
		}
		session("a fresh session", secret, true)
		// The last character changed, whatever it was.
		tampered := secret[:len(secret)-1] + map[bool]string{true: "y", false: "x"}[strings.HasSuffix(secret, "x")]
		session("a tampered secret", tampered, false)
		session("no secret", "", false)
		session("a huge secret", strings.Repeat("x", 1<<16), false)

		// Idle: 29 minutes at a time keep it alive (each use is recorded
		// once it is a minute old), 30 without a request end it.
		for range 3 {
			w.advance(29 * time.Minute)
			session("a session used every 29 minutes", secret, true)
		}
		w.advance(30 * time.Minute)
		session("a session idle for 30 minutes", secret, false)

		// Lifetime: used every 20 minutes, it ends 2 hours after sign-in.
		secret, _, err = w.svc.ConsoleSignIn(ctx, addr, "an", "console password 1")
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			w.advance(20 * time.Minute)
			session("a session within its lifetime", secret, true)
		}
		w.advance(20 * time.Minute)
		session("a session at the end of its lifetime", secret, false)

		// Signing out, deactivation and a new password end sessions.
		secret, _, _ = w.svc.ConsoleSignIn(ctx, addr, "an", "console password 1")
		if err := w.svc.ConsoleSignOut(ctx, secret); err != nil {
			t.Fatal(err)
		}
		session("a signed-out session", secret, false)
		secret, _, _ = w.svc.ConsoleSignIn(ctx, addr, "an", "console password 1")
		if err := w.svc.SetConsoleUserActive(ctx, "an", false); err != nil {
			t.Fatal(err)
		}
		session("the session of a deactivated console user", secret, false)
		_, _, err = w.svc.ConsoleSignIn(ctx, addr, "an", "console password 1")
		wantCode(t, "a deactivated console user signing in", err, erp.EUnauthorized, erp.MsgBadCredentials)
		if err := w.svc.SetConsoleUserActive(ctx, "an", true); err != nil {
			t.Fatal(err)
		}
		secret, _, _ = w.svc.ConsoleSignIn(ctx, addr, "an", "console password 1")
		if err := w.svc.SetConsoleUserPassword(ctx, "an", "console password 2"); err != nil {
			t.Fatal(err)
		}
		session("a session from before a new password", secret, false)
		if _, _, err := w.svc.ConsoleSignIn(ctx, addr, "an", "console password 2"); err != nil {
			t.Errorf("the new password: %v", err)
		}
		wantCode(t, "a missing console user's password", w.svc.SetConsoleUserPassword(ctx, "nobody", "console password 2"), erp.ENotFound, "")

		var lines []string
		for _, e := range erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: "console."}))(t) {
			lines = append(lines, fmt.Sprintf("%s|%s|%s|%s", e.Action, e.Actor, e.Address, e.Detail))
			if strings.Contains(fmt.Sprintf("%+v", e), "console password") {
				t.Errorf("an audit entry holds a password: %+v", e)
			}
		}
		text := strings.Join(lines, "\n")
		for _, want := range []string{
			"console.user.create||", "console.signin.failure||" + addr + "|unknown console username",
			"console.signin.failure|console:an|" + addr + "|wrong password",
			"console.signin.success|console:an|" + addr + "|",
			"console.signout|console:an||",
			"console.user.deactivate||",
			"console.signin.failure|console:an|" + addr + "|deactivated console user",
			"console.user.password||",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the audit log lacks %q:\n%s", want, text)
			}
		}
	})
}

// TestConsoleSignInLimits: the console's sign-in is held to the API's
// limits, in parallel, on counters of its own per username: guessing at a
// console user does not lock out the ERP user of that name.
func TestConsoleSignInLimits(t *testing.T) {
	t.Parallel()
	limits := erp.SignInLimits{PerPair: erp.Limit{Max: 5}, PerUser: erp.Limit{Max: -1}, PerAddress: erp.Limit{Max: -1}}
	forEachEngine(t, erp.Config{SignInLimits: limits}, func(t *testing.T, w *world) {
		ctx := context.Background()
		const addr = "198.51.100.9"
		erptest.Must(w.svc.CreateConsoleUser(ctx, "an", "console password 1"))(t)
		const n = 40
		var wg sync.WaitGroup
		codes := make([]string, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := w.svc.ConsoleSignIn(ctx, addr, "an", fmt.Sprint("guess ", i))
				codes[i] = erp.ErrorCode(err)
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for _, c := range codes {
			count[c]++
		}
		if count[erp.EUnauthorized] != 5 || count[erp.ETooMany] != n-5 {
			t.Errorf("%d guesses at once: %v; want 5 checked and the rest refused", n, count)
		}
		_, _, err := w.svc.ConsoleSignIn(ctx, addr, "an", "console password 1")
		wantCode(t, "the right console password after the limit", err, erp.ETooMany, "")
		if _, err := w.svc.SignInFrom(ctx, addr, "timeapp", "an", password); err != nil {
			t.Errorf("the ERP user of the same name from the same address: %v", err)
		}
		if _, _, err := w.svc.ConsoleSignIn(ctx, "198.51.100.10", "an", "console password 1"); err != nil {
			t.Errorf("the console user from another address: %v", err)
		}
	})
}

// TestConsoleSessionOfADeactivatedUser: a session that the store still
// holds for a deactivated console user (a sign-in that checked the user
// just before the deactivation, which ended the sessions there were, and
// stored its session just after) is no session: the user's state is
// checked at every request, not only at sign-in.
func TestConsoleSessionOfADeactivatedUser(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		u := erptest.Must(w.svc.CreateConsoleUser(ctx, "an", "console password 1"))(t)
		if err := w.svc.SetConsoleUserActive(ctx, "an", false); err != nil {
			t.Fatal(err)
		}
		secret := erp.NewToken()
		now := w.now()
		if err := w.store.CreateConsoleSession(ctx, &erp.ConsoleSession{Hash: erp.HashToken(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now}); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.ConsoleSession(ctx, secret)
		wantCode(t, "the late session of a deactivated console user", err, erp.EUnauthorized, erp.MsgSessionEnded)
	})
}

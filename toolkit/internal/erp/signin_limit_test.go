package erp_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// TestSignInLimit: after PerUser.Max failures a username is refused,
// even with the right password, until the window has passed; others are
// not; unknown usernames are counted alike.
func TestSignInLimit(t *testing.T) {
	t.Parallel()
	const max, window = 3, 15 * time.Minute
	forEachEngine(t, erp.Config{SignInLimits: erp.SignInLimits{PerUser: erp.Limit{Max: max, Window: window}}}, func(t *testing.T, w *world) {
		ctx := context.Background()
		for i := range max {
			_, err := w.svc.SignIn(ctx, "timeapp", "an", fmt.Sprintf("guess %d", i))
			wantCode(t, fmt.Sprintf("failure %d", i+1), err, erp.EUnauthorized, erp.MsgBadCredentials)
			w.advance(time.Minute)
		}
		_, err := w.svc.SignIn(ctx, "timeapp", "an", password)
		wantCode(t, "the right password after the limit", err, erp.ETooMany, "")
		w.signIn(t, "timeapp", "bert")

		for i := range max {
			_, err := w.svc.SignIn(ctx, "timeapp", "nobody", fmt.Sprintf("guess %d", i))
			wantCode(t, fmt.Sprintf("unknown user, failure %d", i+1), err, erp.EUnauthorized, erp.MsgBadCredentials)
		}
		_, err = w.svc.SignIn(ctx, "timeapp", "nobody", "guess")
		wantCode(t, "unknown user after the limit", err, erp.ETooMany, "")

		// The first failure leaves the window 15 minutes after it was made.
		w.advance(window - max*time.Minute)
		w.signIn(t, "timeapp", "an")
	})
}

// TestSignInLimitClearedBySuccess: a successful sign-in forgets the
// failures before it.
func TestSignInLimitClearedBySuccess(t *testing.T) {
	t.Parallel()
	const max = 3
	forEachEngine(t, erp.Config{SignInLimits: erp.SignInLimits{PerUser: erp.Limit{Max: max}}}, func(t *testing.T, w *world) {
		ctx := context.Background()
		for round := range 3 {
			for i := range max - 1 {
				_, err := w.svc.SignIn(ctx, "timeapp", "an", "guess")
				wantCode(t, fmt.Sprintf("round %d, failure %d", round, i+1), err, erp.EUnauthorized, "")
			}
			w.signIn(t, "timeapp", "an")
		}
	})
}

// TestSignInLimitInParallel: guesses sent all at once, from many
// addresses, get no more password checks than guesses sent one by one: the
// limit holds against a burst.
func TestSignInLimitInParallel(t *testing.T) {
	t.Parallel()
	const max, burst = 5, 40
	forEachEngine(t, erp.Config{SignInLimits: erp.SignInLimits{PerUser: erp.Limit{Max: max}}}, func(t *testing.T, w *world) {
		ctx := context.Background()
		codes := make(chan string, burst)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range burst {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				// From addresses of their own: the username's limit holds
				// whoever guesses.
				_, err := w.svc.SignInFrom(ctx, fmt.Sprintf("198.51.100.%d", i), "timeapp", "an", fmt.Sprintf("guess %d", i))
				codes <- erp.ErrorCode(err)
			}()
		}
		close(start)
		wg.Wait()
		close(codes)
		counts := map[string]int{}
		for c := range codes {
			counts[c]++
		}
		if counts[erp.EUnauthorized] > max || counts[erp.EUnauthorized]+counts[erp.ETooMany] != burst {
			t.Errorf("%d guesses at once: %v; want at most %d checked (unauthorized), the rest too_many", burst, counts, max)
		}
		_, err := w.svc.SignIn(ctx, "timeapp", "an", password)
		wantCode(t, "the right password after the burst", err, erp.ETooMany, "")
	})
}

package erp_test

import (
	"context"
	"fmt"
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

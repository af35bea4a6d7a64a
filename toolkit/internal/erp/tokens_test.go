package erp_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// TestUserTokenBoundToItsApp: a user token works only for the app it was
// issued to, and carries only that app's permissions.
func TestUserTokenBoundToItsApp(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		timeapp := w.signIn(t, "timeapp", "an")
		otherapp := w.signIn(t, "otherapp", "an")
		if want := []string{"timeapp_use", "timeapp_timetracking_use"}; !slices.Equal(timeapp.Permissions, want) {
			t.Errorf("sign-in for timeapp: permissions %v, want %v (the user's in that app only)", timeapp.Permissions, want)
		}
		if want := []string{"otherapp_use"}; !slices.Equal(otherapp.Permissions, want) {
			t.Errorf("sign-in for otherapp: permissions %v, want %v", otherapp.Permissions, want)
		}
		for _, tc := range []struct {
			token, requestor string
			want             []string // nil: refused
		}{
			{timeapp.Token, "timeapp", []string{"timeapp_use", "timeapp_timetracking_use"}},
			{timeapp.Token, "TimeApp", []string{"timeapp_use", "timeapp_timetracking_use"}},
			{timeapp.Token, "otherapp", nil},
			{timeapp.Token, "nosuchapp", nil},
			{timeapp.Token, "", nil},
			{timeapp.Token, "timeapp_", nil},
			{otherapp.Token, "otherapp", []string{"otherapp_use"}},
			{otherapp.Token, "timeapp", nil},
			{w.acmeAll, "timeapp", nil},
			{strings.ToLower(timeapp.Token), "timeapp", nil},
			{timeapp.Token[:47], "timeapp", nil},
			{"", "timeapp", nil},
		} {
			what := "token of " + map[bool]string{true: "timeapp", false: "otherapp or none"}[tc.token == timeapp.Token] + " presented by " + tc.requestor
			ps, err := w.svc.PermissionsForToken(ctx, tc.requestor, tc.token)
			_, uerr := w.svc.ProfileForToken(ctx, tc.requestor, tc.token, "")
			if tc.want == nil {
				wantCode(t, what+": permissions", err, erp.EUnauthorized, erp.MsgNoValidToken)
				wantCode(t, what+": user", uerr, erp.EUnauthorized, erp.MsgNoValidToken)
				continue
			}
			wantCode(t, what+": permissions", err, "", "")
			wantCode(t, what+": user", uerr, "", "")
			if !slices.Equal(ps, tc.want) {
				t.Errorf("%s: permissions %v, want %v", what, ps, tc.want)
			}
		}
		// A user token is no company token.
		_, err := w.svc.ArtikelsForToken(ctx, timeapp.Token)
		wantCode(t, "user token as a company token", err, erp.EUnauthorized, erp.MsgNoValidToken)
	})
}

// TestSignInForAnUnknownApp: by default the user signs in with no
// permissions and a token for that app alone; a strict service refuses.
func TestSignInForAnUnknownApp(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		s := w.signIn(t, "NoSuchApp", "an")
		if s.Permissions == nil || len(s.Permissions) != 0 {
			t.Errorf("permissions %#v, want an empty list", s.Permissions)
		}
		ps, err := w.svc.PermissionsForToken(ctx, "nosuchapp", s.Token)
		wantCode(t, "the token, for its own app", err, "", "")
		if len(ps) != 0 {
			t.Errorf("permissions for the token %v, want none", ps)
		}
		_, err = w.svc.PermissionsForToken(ctx, "timeapp", s.Token)
		wantCode(t, "the token, for a known app", err, erp.EUnauthorized, erp.MsgNoValidToken)
	})
	forEachEngine(t, erp.Config{StrictApps: true}, func(t *testing.T, w *world) {
		_, err := w.svc.SignIn(context.Background(), "nosuchapp", "an", password)
		wantCode(t, "strict: sign-in for an unknown app", err, erp.EForbidden, "")
		w.signIn(t, "timeapp", "an")
	})
}

// TestUserTokenRevocation: revoking signs a user out of every app at once,
// and no one else; so does a new password.
func TestUserTokenRevocation(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		a1, a2 := w.signIn(t, "timeapp", "an"), w.signIn(t, "otherapp", "an")
		b := w.signIn(t, "timeapp", "bert")
		n, err := w.svc.RevokeUserTokens(ctx, "an")
		if err != nil || n != 2 {
			t.Fatalf("RevokeUserTokens = %d, %v; want the 2 live tokens", n, err)
		}
		_, err = w.svc.PermissionsForToken(ctx, "timeapp", a1.Token)
		wantCode(t, "revoked timeapp token", err, erp.EUnauthorized, erp.MsgNoValidToken)
		_, err = w.svc.PermissionsForToken(ctx, "otherapp", a2.Token)
		wantCode(t, "revoked otherapp token", err, erp.EUnauthorized, erp.MsgNoValidToken)
		_, err = w.svc.PermissionsForToken(ctx, "timeapp", b.Token)
		wantCode(t, "another user's token", err, "", "")
		if n, err := w.svc.RevokeUserTokens(ctx, "an"); err != nil || n != 0 {
			t.Errorf("revoking again = %d, %v; want 0: revoked tokens are not live", n, err)
		}
		a3 := w.signIn(t, "timeapp", "an")
		_, err = w.svc.PermissionsForToken(ctx, "timeapp", a3.Token)
		wantCode(t, "a sign-in after revocation", err, "", "")

		// A new password revokes too, and the old one stops working.
		if err := w.svc.SetPassword(ctx, "an", "a brand new password"); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.PermissionsForToken(ctx, "timeapp", a3.Token)
		wantCode(t, "a token from before the new password", err, erp.EUnauthorized, erp.MsgNoValidToken)
		_, err = w.svc.SignIn(ctx, "timeapp", "an", password)
		wantCode(t, "the old password", err, erp.EUnauthorized, erp.MsgBadCredentials)
		if _, err := w.svc.SignIn(ctx, "timeapp", "an", "a brand new password"); err != nil {
			t.Errorf("the new password: %v", err)
		}
		_, err = w.svc.RevokeUserTokens(ctx, "nobody")
		wantCode(t, "revoking an unknown user's tokens", err, erp.ENotFound, "")
	})
}

// TestUserDeactivation: a deactivated user cannot sign in (told exactly
// what a wrong password is told) and their tokens stop working; coming back
// does not revive the old tokens.
func TestUserDeactivation(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		s := w.signIn(t, "timeapp", "an")
		b := w.signIn(t, "timeapp", "bert")
		if err := w.svc.SetUserActive(ctx, "an", false); err != nil {
			t.Fatal(err)
		}
		_, wrong := w.svc.SignIn(ctx, "timeapp", "bert", "not the password")
		_, err := w.svc.SignIn(ctx, "timeapp", "an", password)
		wantCode(t, "a deactivated user signing in", err, erp.EUnauthorized, erp.ErrorMessage(wrong))
		_, err = w.svc.ProfileForToken(ctx, "timeapp", s.Token, "")
		wantCode(t, "a deactivated user's token", err, erp.EUnauthorized, erp.MsgNoValidToken)
		_, err = w.svc.ProfileForToken(ctx, "timeapp", b.Token, "")
		wantCode(t, "another user's token", err, "", "")

		if err := w.svc.SetUserActive(ctx, "an", true); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.ProfileForToken(ctx, "timeapp", s.Token, "")
		wantCode(t, "a token from before the deactivation, after reactivation", err, erp.EUnauthorized, erp.MsgNoValidToken)
		again := w.signIn(t, "timeapp", "an")
		u, err := w.svc.ProfileForToken(ctx, "timeapp", again.Token, "")
		if err != nil || u.Username != "an" {
			t.Errorf("a sign-in after reactivation: %+v, %v", u, err)
		}
	})
}

// TestUserTokenExpiry: a token lives exactly its TTL on the service's
// clock, and is purged only once its retention has passed too.
func TestUserTokenExpiry(t *testing.T) {
	t.Parallel()
	for _, ttl := range []time.Duration{0, time.Hour} {
		want := ttl
		if want == 0 {
			want = 30 * 24 * time.Hour // the default
		}
		t.Run(want.String(), func(t *testing.T) {
			t.Parallel()
			forEachEngine(t, erp.Config{TokenTTL: ttl}, func(t *testing.T, w *world) {
				ctx := context.Background()
				s := w.signIn(t, "timeapp", "an")
				w.advance(want - time.Second)
				_, err := w.svc.PermissionsForToken(ctx, "timeapp", s.Token)
				wantCode(t, "a second before expiry", err, "", "")
				w.advance(time.Second)
				_, err = w.svc.PermissionsForToken(ctx, "timeapp", s.Token)
				wantCode(t, "at expiry", err, erp.EUnauthorized, erp.MsgNoValidToken)

				if n, err := w.svc.PurgeTokens(ctx); err != nil || n != 0 {
					t.Errorf("purge right after expiry = %d, %v; want 0: expired tokens are kept %s", n, err, erp.TokenRetention)
				}
				w.advance(erp.TokenRetention + time.Second)
				if n, err := w.svc.PurgeTokens(ctx); err != nil || n != 1 {
					t.Errorf("purge after the retention = %d, %v; want 1", n, err)
				}
				if ts, err := w.svc.UserTokens(ctx, "an"); err != nil || len(ts) != 0 {
					t.Errorf("tokens after the purge: %d, %v; want none", len(ts), err)
				}
			})
		})
	}
}

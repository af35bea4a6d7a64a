package httpapi_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// Token checks are answered from memory; these tests hold them to the
// database. Two servers share one database, each with its own connections
// and its own memory, as two processes do: a change made through either is
// seen by both on the very next call, after their caches were filled.

func twoServersOn(t *testing.T, e erptest.Engine) (a, b *erptest.Server) {
	t.Helper()
	db := e.DB(t)
	a = erptest.Start(t, erptest.Options{DB: db, Demo: true})
	b = erptest.Start(t, erptest.Options{DB: db})
	return a, b
}

func TestTokenChangesSeenAtOnce(t *testing.T) {
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			a, b := twoServersOn(t, e)
			ctx := context.Background()
			apis := []*cloudspot.UserAPI{
				erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(a.URL)))(t),
				erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(b.URL)))(t),
			}
			session := erptest.Must(apis[0].Authenticate(ctx, demo.Username, demo.Password))(t)
			// wantPerms asks both servers twice: the first call may fill
			// a cache, the second is answered from it.
			wantPerms := func(what string, want ...string) {
				t.Helper()
				for _, api := range apis {
					for range 2 {
						got, err := api.Permissions(ctx, session.Token)
						if err != nil || !slices.Equal(got, want) {
							t.Fatalf("%s: permissions %q, %v; want %q", what, got, err, want)
						}
					}
				}
			}
			wantRejected := func(what, token string) {
				t.Helper()
				for _, api := range apis {
					if _, err := api.Permissions(ctx, token); !errors.Is(err, cloudspot.ErrNoValidToken) {
						t.Errorf("%s: permissions: %v, want ErrNoValidToken", what, err)
					}
					if _, err := api.User(ctx, token); !errors.Is(err, cloudspot.ErrNoValidToken) {
						t.Errorf("%s: user: %v, want ErrNoValidToken", what, err)
					}
				}
			}

			wantPerms("after sign-in", demo.Granted()...)
			if err := b.Service.Revoke(ctx, demo.Username, "timeapp_timetracking_use"); err != nil {
				t.Fatal(err)
			}
			wantPerms("after a revoked grant", "timeapp_use")
			if err := a.Service.Grant(ctx, demo.Username, "timeapp_timetracking_use"); err != nil {
				t.Fatal(err)
			}
			wantPerms("after a new grant", "timeapp_use", "timeapp_timetracking_use")

			erptest.Must(b.Service.RevokeUserTokens(ctx, demo.Username))(t)
			wantRejected("a revoked token", session.Token)

			session = erptest.Must(apis[1].Authenticate(ctx, demo.Username, demo.Password))(t)
			wantPerms("a new sign-in", "timeapp_use", "timeapp_timetracking_use")
			if err := a.Service.SetUserActive(ctx, demo.Username, false); err != nil {
				t.Fatal(err)
			}
			wantRejected("a token of a deactivated user", session.Token)

			secret, ct, err := a.Service.IssueCompanyToken(ctx, demo.Company, "cache", erp.Rights{Artikels: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, srv := range []*erptest.Server{a, b} {
				company := erptest.Must(cloudspot.NewCompanyAPI(secret, cloudspot.WithBaseURL(srv.URL)))(t)
				for range 2 {
					erptest.Must(company.Artikels.List(ctx))(t)
				}
			}
			if err := b.Service.RevokeCompanyToken(ctx, ct.ID); err != nil {
				t.Fatal(err)
			}
			for _, srv := range []*erptest.Server{a, b} {
				company := erptest.Must(cloudspot.NewCompanyAPI(secret, cloudspot.WithBaseURL(srv.URL)))(t)
				if _, err := company.Artikels.List(ctx); !errors.Is(err, cloudspot.ErrNoValidToken) {
					t.Errorf("a revoked company token: %v, want ErrNoValidToken", err)
				}
			}
		})
	}
}

// TestDeactivationUnderLoad deactivates a user while both servers answer
// a stream of parallel checks of the user's token: every check that starts
// after the deactivation returned is refused, on both servers.
func TestDeactivationUnderLoad(t *testing.T) {
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			a, b := twoServersOn(t, e)
			ctx := context.Background()
			apis := []*cloudspot.UserAPI{
				erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(a.URL)))(t),
				erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(b.URL)))(t),
			}
			token := erptest.Must(apis[0].Authenticate(ctx, demo.Username, demo.Password))(t).Token

			var deactivated atomic.Bool // set once SetUserActive returned
			var accepted, refused, late atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						after := deactivated.Load()
						_, err := apis[w%2].Permissions(ctx, token)
						switch {
						case err == nil && after:
							late.Add(1)
						case err == nil:
							accepted.Add(1)
						case errors.Is(err, cloudspot.ErrNoValidToken):
							refused.Add(1)
						default:
							t.Errorf("check under load: %v", err)
							return
						}
					}
				}()
			}
			for accepted.Load() < 200 && !t.Failed() {
				time.Sleep(time.Millisecond)
			}
			if err := b.Service.SetUserActive(ctx, demo.Username, false); err != nil {
				t.Fatal(err)
			}
			deactivated.Store(true)
			for refused.Load()+late.Load() < 200 && !t.Failed() {
				time.Sleep(time.Millisecond)
			}
			close(stop)
			wg.Wait()
			if n := late.Load(); n > 0 {
				t.Errorf("%d checks that started after the deactivation accepted the token", n)
			}
		})
	}
}

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

// twoServersOn starts two servers on one database of engine e, the demo
// in it, and returns them with a client of the demo's app for each.
func twoServersOn(t *testing.T, e erptest.Engine) (a, b *erptest.Server, apis []*cloudspot.UserAPI) {
	t.Helper()
	db := e.DB(t)
	a = erptest.Start(t, erptest.Options{DB: db, Demo: true})
	b = erptest.Start(t, erptest.Options{DB: db})
	apis = []*cloudspot.UserAPI{
		erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(a.URL)))(t),
		erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(b.URL)))(t),
	}
	return a, b, apis
}

func TestTokenChangesSeenAtOnce(t *testing.T) {
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			a, b, apis := twoServersOn(t, e)
			ctx := context.Background()
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
// after the deactivation returned is refused, on both servers. The test
// moves on when enough checks were answered, not after a while: each wait
// ends on that event, on the checks stopping, or at a deadline that only a
// hang reaches.
func TestDeactivationUnderLoad(t *testing.T) {
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			_, b, apis := twoServersOn(t, e)
			token := erptest.Must(apis[0].Authenticate(context.Background(), demo.Username, demo.Password))(t).Token

			ctx, cancel := context.WithCancel(context.Background())
			var deactivated atomic.Bool // set once SetUserActive returned
			var late atomic.Int64       // checks that started after it and passed
			accepted, afterwards := newMilestone(200), newMilestone(200)
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Go(func() {
					for ctx.Err() == nil {
						after := deactivated.Load()
						_, err := apis[w%2].Permissions(ctx, token)
						switch {
						case ctx.Err() != nil:
							return
						case err == nil && after:
							late.Add(1)
							afterwards.add()
						case err == nil:
							accepted.add()
						case errors.Is(err, cloudspot.ErrNoValidToken):
							afterwards.add()
						default:
							t.Errorf("check under load: %v", err)
							return
						}
					}
				})
			}
			checking := make(chan struct{}) // closed when every worker stopped
			go func() { wg.Wait(); close(checking) }()
			defer func() { cancel(); <-checking }()

			accepted.wait(t, checking, "checks accepted before the deactivation")
			if err := b.Service.SetUserActive(context.Background(), demo.Username, false); err != nil {
				t.Fatal(err)
			}
			deactivated.Store(true)
			afterwards.wait(t, checking, "checks answered after the deactivation")
			cancel()
			<-checking
			if n := late.Load(); n > 0 {
				t.Errorf("%d checks that started after the deactivation accepted the token", n)
			}
		})
	}
}

// milestone counts events and closes reached when the count gets to at.
type milestone struct {
	n       atomic.Int64
	at      int64
	reached chan struct{}
}

func newMilestone(at int64) *milestone {
	return &milestone{at: at, reached: make(chan struct{})}
}

func (m *milestone) add() {
	if m.n.Add(1) == m.at {
		close(m.reached)
	}
}

// hangBound is how long a wait for an event may last before the test calls
// it a hang: far beyond what the event takes on a loaded machine, so that
// only a hang reaches it.
const hangBound = 2 * time.Minute

// wait returns once the milestone is reached. It fails the test when the
// events stop coming first (stopped is closed: the producers quit, after
// reporting why) or when hangBound passes.
func (m *milestone) wait(t *testing.T, stopped <-chan struct{}, what string) {
	t.Helper()
	timer := time.NewTimer(hangBound)
	defer timer.Stop()
	select {
	case <-m.reached:
	case <-stopped:
		t.Fatalf("%d of %d %s, then the checks stopped", m.n.Load(), m.at, what)
	case <-timer.C:
		t.Fatalf("%d of %d %s after %s: the checks hang", m.n.Load(), m.at, what, hangBound)
	}
}

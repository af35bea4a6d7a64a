package erpauth_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

// TestRecheck: what the ERP changes reaches the app at the first request
// one Recheck later: a revoked token ends the session, a permission taken
// away closes its page, the app's own permission taken away signs the
// user out. Before then, no request asks the ERP.
func TestRecheck(t *testing.T) {
	t.Parallel()
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			erp := startStandIn(t)
			var mu sync.Mutex
			var changes []string
			app := startApp(t, erp, erpauth.Config{Store: st.make(t), AppName: "TimeApp", AppPermission: "timeapp_use", Recheck: 5 * time.Minute,
				PermissionsChanged: func(_ context.Context, u erpauth.User, before cloudspot.Permissions) {
					mu.Lock()
					defer mu.Unlock()
					changes = append(changes, u.Username+": "+strings.Join(before, ",")+" → "+strings.Join(u.Permissions, ","))
				}})
			jan, lotte := app.client(t), app.client(t)
			jan.mustSignIn("jan")
			lotte.mustSignIn("lotte")
			checks := erp.count("auth/get-permissions")

			erp.setPermissions("jan", "timeapp_use")
			erp.revoke("lotte")
			app.clock.advance(4 * time.Minute)
			wantStatus(t, jan.get("/tt"), http.StatusOK) // the ERP's answer of 4 minutes ago stands
			wantStatus(t, lotte.get("/"), http.StatusOK)
			if n := erp.count("auth/get-permissions") - checks; n != 0 {
				t.Errorf("%d checks before the Recheck was due", n)
			}

			app.clock.advance(time.Minute)
			res := jan.get("/tt")
			wantStatus(t, res, http.StatusForbidden)
			wantBody(t, res, "You do not have the permission timeapp_timetracking_use.")
			wantStatus(t, jan.get("/"), http.StatusOK) // still signed in
			wantRedirect(t, lotte.get("/"), "/login?next=%2F")
			wantBody(t, lotte.get("/login"), "Your session has ended. Please log in again.")
			if n := erp.count("auth/get-permissions") - checks; n != 2 {
				t.Errorf("%d checks for two sessions, want 2", n)
			}
			mu.Lock()
			if want := []string{"jan: timeapp_use,timeapp_timetracking_use,timeapp_timetracking_create → timeapp_use"}; !slices.Equal(changes, want) {
				t.Errorf("PermissionsChanged calls %q, want %q", changes, want)
			}
			mu.Unlock()

			erp.setPermissions("jan")
			app.clock.advance(5 * time.Minute)
			wantRedirect(t, jan.get("/"), "/login?next=%2F")
			wantBody(t, jan.get("/login"), "Your ERP account no longer has access to TimeApp.")
			if !strings.Contains(app.logs.String(), `"reason":"the ERP no longer accepts the token"`) {
				t.Error("no record of the session ended by the ERP")
			}
		})
	}
}

// TestRecheckOncePerSession: however many requests of one session arrive
// when its Recheck is due, the ERP is asked once; requests that bring the
// cookie from before the check (a CookieStore's) use its answer too.
func TestRecheckOncePerSession(t *testing.T) {
	t.Parallel()
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			erp := startStandIn(t)
			app := startApp(t, erp, erpauth.Config{Store: st.make(t)})
			c := app.client(t)
			c.mustSignIn("jan")
			stale := c.cookie("erpauth").Value
			// The ERP answers slowly, so that the requests pile up behind
			// the first check.
			asked, release := make(chan struct{}, 1), make(chan struct{})
			var once sync.Once
			free := func() { once.Do(func() { close(release) }) }
			t.Cleanup(free) // before the app stops, should the test fail
			erp.setFault(func(w http.ResponseWriter, r *http.Request) bool {
				if strings.Contains(r.URL.Path, "get-permissions") {
					select {
					case asked <- struct{}{}:
					default:
					}
					<-release
				}
				return false
			})
			before := erp.count("auth/get-permissions")
			app.clock.advance(6 * time.Minute)
			const n = 100
			var wg sync.WaitGroup
			statuses := make(chan int, n)
			for range n {
				wg.Go(func() {
					res, err := c.hc.Get(app.srv.URL + "/tt")
					if err != nil {
						t.Error(err)
						return
					}
					res.Body.Close()
					statuses <- res.StatusCode
				})
			}
			// Let the first check through once the ERP has been asked.
			select {
			case <-asked:
			case <-time.After(time.Minute): // only keeps a broken test from hanging
				t.Fatal("no request asked the ERP")
			}
			free()
			wg.Wait()
			close(statuses)
			for s := range statuses {
				if s != http.StatusOK {
					t.Errorf("a request got %d", s)
				}
			}
			// The browser that had not yet got the new cookie.
			late := app.client(t)
			late.setCookie("erpauth", stale)
			wantStatus(t, late.get("/tt"), http.StatusOK)
			if got := erp.count("auth/get-permissions") - before; got != 1 {
				t.Errorf("%d requests of one session asked the ERP %d times, want once", n+1, got)
			}
		})
	}
}

// TestRecheckERPDown: while the ERP cannot be reached, the app fails
// closed, or keeps the ERP's last answer for the Grace the app chose.
func TestRecheckERPDown(t *testing.T) {
	t.Parallel()
	t.Run("FailClosed", func(t *testing.T) {
		t.Parallel()
		erp := startStandIn(t)
		app := startApp(t, erp, erpauth.Config{})
		c := app.client(t)
		token := c.mustSignIn("jan")
		erp.setFault(downPage)
		app.clock.advance(5 * time.Minute)
		for _, res := range []response{c.get("/"), c.get("/tt"), c.post("/tt", url.Values{"csrf": {token}}), c.get("/tt", "Accept", "application/json")} {
			wantStatus(t, res, http.StatusBadGateway)
			wantBody(t, res, "The ERP could not be reached. Please try again in a moment.")
			if strings.Contains(res.body, "created") || strings.Contains(res.body, "nginx") {
				t.Errorf("the page:\n%s", res.body)
			}
		}
		erp.setFault(nil)
		app.clock.advance(5 * time.Second)         // a failed check stands that long
		wantStatus(t, c.get("/tt"), http.StatusOK) // the session lived through it
	})
	t.Run("Grace", func(t *testing.T) {
		t.Parallel()
		erp := startStandIn(t)
		app := startApp(t, erp, erpauth.Config{Recheck: 5 * time.Minute, Grace: 10 * time.Minute})
		c := app.client(t)
		c.mustSignIn("jan")
		erp.setFault(downPage)
		app.clock.advance(14 * time.Minute)
		wantStatus(t, c.get("/tt"), http.StatusOK)
		if !strings.Contains(app.logs.String(), "ERP not reachable, the last answer stands") {
			t.Error("no record of the grace")
		}
		app.clock.advance(time.Minute)
		wantStatus(t, c.get("/tt"), http.StatusBadGateway)
		// A revocation while the ERP was down reaches the app once it is back.
		erp.setFault(nil)
		erp.revoke("jan")
		app.clock.advance(5 * time.Second)
		wantRedirect(t, c.get("/tt"), "/login?next=%2Ftt")
	})
}

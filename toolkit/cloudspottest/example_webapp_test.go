package cloudspottest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/erpauth"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// clock is the app's clock in these examples, moved by hand past
// erpauth's Recheck.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// startTimeApp starts the web app under test: erpauth in front of the
// server srv, a home page for any signed-in user and a page that needs
// timeapp_timetracking_create. It returns the app's URL.
func startTimeApp(t testing.TB, srv *cloudspottest.Server, now func() time.Time) string {
	userAPI, err := cloudspot.NewUserAPI("timeapp", srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := erpauth.New(userAPI, erpauth.Config{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/login", auth.LoginHandler())
	mux.Handle("/{$}", auth.Require()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := erpauth.UserFrom(r.Context())
		fmt.Fprintf(w, "Hello %s %v", u.Name(), u.Permissions)
	})))
	mux.Handle("/create", auth.Require("timeapp_timetracking_create")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "New entry")
	})))
	app := httptest.NewServer(mux)
	t.Cleanup(app.Close)
	return app.URL
}

// show opens a page of the app and prints its status, the path it ended
// on after redirects, and the text of the app's own pages.
func show(t testing.TB, c *http.Client, url string) {
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	text := ""
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		text = string(b)
	}
	fmt.Println(strings.TrimSpace(fmt.Sprint(res.StatusCode, " ", res.Request.URL.Path, " ", text)))
}

// A test of your own app as a signed-in user, without a browser.
func ExampleServer_SignIn() {
	runTest(func(t testing.TB) {
		srv := cloudspottest.Start(t, shop)
		app := startTimeApp(t, srv, nil)

		jan := srv.SignIn(t, app+"/login", "jan") // an *http.Client with jan's session
		show(t, jan, app+"/")
		show(t, jan, app+"/create")
		show(t, http.DefaultClient, app+"/") // no session: the login page
	})
	// Output:
	// 200 / Hello Jan Peeters [timeapp_use]
	// 403 /create
	// 200 /login
}

// A permission granted mid-test reaches a signed-in user at the app's
// next check with the ERP (erpauth's Recheck, five minutes by default).
func ExampleServer_Grant() {
	runTest(func(t testing.TB) {
		srv := cloudspottest.Start(t, shop)
		clk := &clock{now: time.Now()}
		app := startTimeApp(t, srv, clk.Now)
		jan := srv.SignIn(t, app+"/login", "jan")

		srv.Grant(t, "jan", "timeapp_timetracking_create")
		show(t, jan, app+"/create") // the app's last answer from the ERP stands
		clk.advance(5 * time.Minute)
		show(t, jan, app+"/create")
	})
	// Output:
	// 403 /create
	// 200 /create New entry
}

func ExampleServer_Revoke() {
	runTest(func(t testing.TB) {
		srv := cloudspottest.Start(t, shop)
		clk := &clock{now: time.Now()}
		app := startTimeApp(t, srv, clk.Now)
		jan := srv.SignIn(t, app+"/login", "jan")

		srv.Revoke(t, "jan", "timeapp_use")
		clk.advance(5 * time.Minute)
		show(t, jan, app+"/")
	})
	// Output: 200 / Hello Jan Peeters []
}

// Revoked tokens end the app's session at its next check: the user is back
// on the login page.
func ExampleServer_RevokeTokens() {
	runTest(func(t testing.TB) {
		srv := cloudspottest.Start(t, shop)
		clk := &clock{now: time.Now()}
		app := startTimeApp(t, srv, clk.Now)
		jan := srv.SignIn(t, app+"/login", "jan")

		fmt.Println(srv.RevokeTokens(t, "jan"), "token revoked")
		clk.advance(5 * time.Minute)
		show(t, jan, app+"/")
	})
	// Output:
	// 1 token revoked
	// 200 /login
}

package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestERPRedirectsCarryNoCredentials puts a stand-in in front of the ERP
// that redirects the sign-in (307, which would resend the body) and then
// the token check (302) to another origin: the app refuses both, and the
// other origin never sees the password or the token.
func TestERPRedirectsCarryNoCredentials(t *testing.T) {
	t.Parallel()
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	target, err := url.Parse(erpSrv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var leaked atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), demo.Password) || r.Header.Get("X-ERP-TOKEN") != "" {
			leaked.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"token": "x", "permissions": []}`))
	}))
	t.Cleanup(elsewhere.Close)
	var redirect atomic.Value // the path prefix to redirect, or ""
	redirect.Store("")
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := redirect.Load().(string); p != "" && strings.Contains(r.URL.Path, p) {
			code := http.StatusFound
			if r.Method == http.MethodPost {
				code = http.StatusTemporaryRedirect
			}
			http.Redirect(w, r, elsewhere.URL+r.URL.Path, code)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	clock := erptest.NewClock()
	srv := startHandler(t, config{ERPURL: front.URL + target.Path, Now: clock.Now}, false)

	redirect.Store("/auth/signin-external-app")
	c := newClient(t, srv)
	page := c.get("/")
	res := c.post("/", url.Values{"csrf": {csrf(t, page.body)}, "username": {demo.Username}, "password": {demo.Password}})
	if res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusFound || strings.Contains(res.body, "Welcome!") {
		t.Errorf("a sign-in redirected to another origin signed in: %d", res.StatusCode)
	}

	redirect.Store("")
	c.login(demo.Username, demo.Password)
	redirect.Store("/auth/get-permissions")
	clock.Advance(recheck) // the token check is due
	if res := c.get("/dashboard"); res.StatusCode == http.StatusOK {
		t.Errorf("a token check redirected to another origin showed the dashboard")
	}
	if n := leaked.Load(); n != 0 {
		t.Errorf("the other origin received the password or the token %d times", n)
	}
}

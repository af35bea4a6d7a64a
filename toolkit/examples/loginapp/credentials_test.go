package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
)

// TestERPRedirectKeepsThePassword: an ERP address that redirects sign-ins
// to another origin (every redirect code) gets the user a 502, and the
// other side never sees the password.
func TestERPRedirectKeepsThePassword(t *testing.T) {
	t.Parallel()
	var reached atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"token": "t", "permissions": ["timeapp_use"]}`)
	}))
	t.Cleanup(elsewhere.Close)
	for _, code := range []int{301, 302, 303, 307, 308} {
		erp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+r.URL.Path, code)
		}))
		t.Cleanup(erp.Close)
		c := newClient(t, startHandler(t, config{ERPURL: erp.URL + "/api/v1"}, false))
		page := c.get("/")
		res := c.post("/", url.Values{"csrf": {csrf(t, page.body)}, "username": {demo.Username}, "password": {demo.Password}})
		wantStatus(t, res, http.StatusBadGateway)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("%d sign-ins reached another origin", n)
	}
}

// TestPlainHTTPToAnotherMachine: the app refuses to start with an ERP on
// another machine over plain http unless told the network is trusted.
func TestPlainHTTPToAnotherMachine(t *testing.T) {
	t.Parallel()
	var stdout, stderr strings.Builder
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-erp", "http://erp.lan:8000/api/v1"}, func(string) string { return "" }, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "-insecure-http") || stdout.Len() != 0 {
		t.Errorf("run: %v, printed %q; want a refusal pointing to -insecure-http before listening", err, stdout.String())
	}
	cfg, err := parseConfig([]string{"-erp", "http://erp.lan:8000/api/v1", "-insecure-http"}, func(string) string { return "" }, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newApp(cfg); err != nil {
		t.Errorf("with -insecure-http: %v", err)
	}
}

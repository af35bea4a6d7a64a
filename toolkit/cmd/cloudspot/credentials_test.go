package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
)

// TestPlainHTTPNeedsOptIn: a password or token goes over plain http only to
// this machine, unless --insecure-http says the network is trusted.
func TestPlainHTTPNeedsOptIn(t *testing.T) {
	t.Parallel()
	dns := newNoSuchHosts(t)
	env := map[string]string{"CLOUDSPOT_TOKEN": demo.CompanyToken}
	const base = "http://erp.invalid/api/v1"
	r := runInProcess(t, dns.transport(), env, "--base-url", base, "artikels", "list")
	if r.code != 2 || !strings.Contains(r.stderr, "--insecure-http") {
		t.Errorf("without --insecure-http: exit %d, stderr %q; want 2 and a pointer to --insecure-http", r.code, r.stderr)
	}
	assertOneLine(t, r.stderr)
	if asked := dns.names(); len(asked) != 0 {
		t.Errorf("without --insecure-http the program looked up %q: it must not try", asked)
	}
	// With the flag the request is made: the name is looked up (and the
	// test's DNS server knows none).
	r = runInProcess(t, dns.transport(), env, "--base-url", base, "--insecure-http", "artikels", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "cannot find the host erp.invalid") || !slices.Contains(dns.names(), "erp.invalid") {
		t.Errorf("with --insecure-http: exit %d, stderr %q, names looked up %q; want 1, the unknown host, and erp.invalid asked", r.code, r.stderr, dns.names())
	}
}

// TestRedirectsKeepCredentials: an ERP that redirects to another port
// (another origin) gets no token and no password sent there, whatever the
// redirect code; the CLI says why it stopped.
func TestRedirectsKeepCredentials(t *testing.T) {
	t.Parallel()
	var leaked atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-ERP-TOKEN") != "" || strings.Contains(string(b), "password") {
			leaked.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data": [], "token": "t", "permissions": []}`)
	}))
	t.Cleanup(elsewhere.Close)
	for _, code := range []int{301, 302, 303, 307, 308} {
		redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+r.URL.Path, code)
		}))
		t.Cleanup(redirecting.Close)
		s := newSandbox(t, redirecting.URL+"/api/v1")
		for _, args := range [][]string{{"artikels", "list"}, {"login", "--app", "timeapp", "--username", "demo", "--password-stdin"}} {
			r := s.run("pw-secret\n", companyEnv, args...)
			if r.code != 1 {
				t.Errorf("%d, %s: exit %d, want 1; stderr %q", code, args[0], r.code, r.stderr)
			}
			assertOneLine(t, r.stderr)
			if strings.Contains(r.stderr, "pw-secret") {
				t.Errorf("%d, %s: stderr shows the password: %q", code, args[0], r.stderr)
			}
		}
	}
	if n := leaked.Load(); n != 0 {
		t.Errorf("%d requests carried credentials to another origin", n)
	}
}

// TestExplainTooLarge: an answer larger than the SDK reads is explained in
// the CLI's words, not the SDK's option names.
func TestExplainTooLarge(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data": [{"naam": "`+strings.Repeat("a", 4096)+`"}]}`)
	}))
	t.Cleanup(srv.Close)
	base := srv.URL + "/api/v1"
	api, err := cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base), cloudspot.WithMaxResponseBytes(1024))
	if err != nil {
		t.Fatal(err)
	}
	_, err = api.Artikels.List(context.Background())
	c := &cli{}
	msg := c.explain(err, base, tokenSource{company: true}).Error()
	if !strings.Contains(msg, "larger than the 1 GiB cloudspot reads") || strings.Contains(msg, "WithMaxResponseBytes") {
		t.Errorf("explained as %q", msg)
	}
}

package e2e_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestCredentialsStayAtTheirOrigin puts the real server behind fronts that
// redirect: to the server on its own port (another origin), the SDK sends
// nothing, whatever the call; within one origin, a 307 carries the sign-in
// to the real server and back.
func TestCredentialsStayAtTheirOrigin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := erptest.Start(t, erptest.Options{Demo: true})
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	// Everything that reaches the real server passes here and is counted.
	var reached atomic.Int64
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	counted := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(counted.Close)

	for _, code := range []int{301, 302, 303, 307, 308} {
		front := httptest.NewServer(http.RedirectHandler(counted.URL+target.Path, code))
		t.Cleanup(front.Close)
		// RedirectHandler sends every path to one place; that is enough,
		// since nothing may follow it.
		users := erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(front.URL+"/api/v1")))(t)
		company := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(front.URL+"/api/v1")))(t)
		_, errSignIn := users.Authenticate(ctx, demo.Username, demo.Password)
		_, errList := company.Artikels.List(ctx)
		for _, err := range []error{errSignIn, errList} {
			if !errors.Is(err, cloudspot.ErrInsecure) {
				t.Errorf("%d: err = %v, want ErrInsecure", code, err)
			}
		}
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("%d requests reached the server through a redirect to another origin", n)
	}

	// Within one origin: /old/... answers 307 to the same path without
	// /old, which the front passes to the real server.
	var front *httptest.Server
	front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/old"); ok {
			http.Redirect(w, r, front.URL+rest, http.StatusTemporaryRedirect)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	users := erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(front.URL+"/old"+target.Path)))(t)
	s, err := users.Authenticate(ctx, demo.Username, demo.Password)
	if err != nil || s.Token == "" {
		t.Fatalf("sign-in through a same-origin 307: %v", err)
	}
	if err := s.LoadUser(ctx); err != nil || s.User.FirstName == "" {
		t.Errorf("get-user through a same-origin 307: %v (%+v)", err, s.User)
	}
}

// TestResponseLimitAgainstTheServer: the demo's product list passes the
// default limit and is refused, with nothing returned, under a small one.
func TestResponseLimitAgainstTheServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := erptest.Start(t, erptest.Options{Demo: true})
	company := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(srv.URL)))(t)
	all, err := company.Artikels.List(ctx)
	if err != nil || len(all) == 0 {
		t.Fatalf("List with the default limit: %d products, %v", len(all), err)
	}
	small := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(srv.URL), cloudspot.WithMaxResponseBytes(4096)))(t)
	got, err := small.Artikels.List(ctx)
	if !errors.Is(err, cloudspot.ErrResponseTooLarge) || got != nil {
		t.Errorf("List under a 4 KiB limit: %d products, %v; want none and ErrResponseTooLarge", len(got), err)
	}
}

// Package cloudspottest starts a real Cloudspot ERP server for the tests of
// code that uses the SDK. The server is cloudspot-server itself, in the
// test's process, on a fresh SQLite database in a temporary directory, with
// the companies, users, apps, company tokens, categories, products and
// clients a test declares in Go, in every API version the server speaks
// (a company token or an app can be set to answer clients that do not ask
// in 0.5 or 0.6, as the reference clients of those versions need):
//
//	srv := cloudspottest.Start(t, cloudspottest.Fixtures{...})
//	api, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "shop"), srv.Options()...)
//
// Because it is the real server, a test sees exactly what the ERP's protocol
// sends: the same errors, statuses and bodies, tokens that expire and can be
// revoked, permissions that follow the app's tree. Faults (a slow answer, an
// error status, a proxy's HTML page, a body cut short) can be injected per
// call to test error handling.
//
// A web app that signs its users in with the ERP (package erpauth) is tested
// as a signed-in user with SignIn, which gives an *http.Client holding the
// app's session; Grant, Revoke and RevokeTokens change the user's
// permissions and tokens mid-test, as an ERP administrator does.
//
// Import it only from _test.go files: a program's own build then links none
// of it, and the server's dependencies stay test dependencies.
package cloudspottest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// Server is a running ERP. Its methods are safe for concurrent use.
type Server struct {
	// BaseURL is the API's base URL, "http://127.0.0.1:PORT/api/v1", to
	// give to cloudspot.WithBaseURL (Options does).
	BaseURL string

	http   *httptest.Server
	erp    *erpserver.Temp
	tokens map[[2]string]string // company slug, token name → secret
	// passwords are the fixtures' users' passwords, for SignIn.
	passwords map[string]string
	faults    *faults
	once      sync.Once
}

// Start starts a server with fixtures f and stops it when the test ends. A
// fixture the server refuses (a short password, a permission of no app, a
// product without a SKU) fails the test with the server's reason.
func Start(t testing.TB, f Fixtures) *Server {
	t.Helper()
	s, err := New(context.Background(), f)
	if err != nil {
		t.Fatalf("cloudspottest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// New starts a server with fixtures f outside a test, for instance in
// TestMain to share one server between tests. Call Close when done.
func New(ctx context.Context, f Fixtures) (*Server, error) {
	// Cheap hashes: a test signs users in often, and the passwords are
	// fixtures, not secrets.
	tmp, err := erpserver.OpenTemp(ctx, erpserver.Config{Config: erp.Config{
		Argon2:       erp.Argon2Params{Memory: 64, Time: 1, Threads: 1},
		SignInLimits: f.signInLimits(),
	}})
	if err != nil {
		return nil, err
	}
	s := &Server{erp: tmp, tokens: map[[2]string]string{}, passwords: map[string]string{}, faults: &faults{}}
	if err := s.seed(ctx, tmp.Service, f); err != nil {
		tmp.Close()
		return nil, err
	}
	// The list bodies go beside the database, removed with it.
	s.http = httptest.NewServer(s.faults.wrap(httpapi.New(tmp.Service, nil, httpapi.ListFiles(tmp.Dir, 0))))
	s.BaseURL = s.http.URL + httpapi.Prefix
	return s, nil
}

// Close stops the server and deletes its database. Calls in flight are
// finished first; calling Close again does nothing.
func (s *Server) Close() {
	s.once.Do(func() {
		s.http.Close()
		s.erp.Close()
	})
}

// Options returns the SDK options that point a client at this server,
// followed by extra; pass them to cloudspot.NewUserAPI or NewCompanyAPI.
func (s *Server) Options(extra ...cloudspot.Option) []cloudspot.Option {
	return append([]cloudspot.Option{cloudspot.WithBaseURL(s.BaseURL), cloudspot.WithHTTPClient(s.Client())}, extra...)
}

// Client returns an HTTP client for this server, for code that takes an
// *http.Client rather than SDK options.
func (s *Server) Client() *http.Client { return s.http.Client() }

// CompanyToken returns the secret of the company token that the fixtures
// named name under company. It panics when there is no such token, which
// is a mistake in the test itself.
func (s *Server) CompanyToken(company, name string) string {
	secret, ok := s.tokens[[2]string{company, name}]
	if !ok {
		panic(fmt.Sprintf("cloudspottest: no company token %q for company %q in the fixtures", name, company))
	}
	return secret
}

// CategorieID returns the id the server gave the category at path (its
// name after the names of its parents, root first) of company, as products
// and GET /categories/ show it. It panics when the fixtures hold no such
// category, which is a mistake in the test itself.
func (s *Server) CategorieID(company string, path ...string) int64 {
	cs, err := s.erp.Service.Categorieen(context.Background(), company)
	if err != nil {
		panic(fmt.Sprintf("cloudspottest: categories of company %q: %v", company, err))
	}
	for i, naam := range path {
		found := false
		for _, c := range cs {
			if c.Naam == naam {
				if i == len(path)-1 {
					return c.ID
				}
				cs, found = c.Children, true
				break
			}
		}
		if !found {
			break
		}
	}
	panic(fmt.Sprintf("cloudspottest: no category %q in company %q in the fixtures", strings.Join(path, "/"), company))
}

package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The end-to-end suite: the SDK against the real server, over real HTTP, on
// a real database. Each test starts its own server with the demo data.

// A mode is one way of serving the API: a storage engine, with the server
// in the test's process or as the built binary in a process of its own.
type mode struct {
	engine  erptest.Engine
	process bool
}

// startDemo starts a server with the demo data in mode m.
func (m mode) startDemo(t *testing.T, o erptest.Options) *erptest.Server {
	t.Helper()
	o.Demo = true
	o.Process = m.process
	o.DB = m.engine.DB(t)
	return erptest.Start(t, o)
}

// TestEndToEnd runs the suite once per mode: every engine, in-process and
// as a separate process.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	suite := []struct {
		name string
		test func(*testing.T, mode)
	}{
		{"SignIn", testSignIn},
		{"SignInUnknownApp", testSignInUnknownApp},
		{"TokenCalls", testTokenCalls},
		{"NoTokenFailsBeforeSending", testNoTokenFailsBeforeSending},
		{"RevocationAndDeactivation", testRevocationAndDeactivation},
		{"CompanyData", testCompanyData},
		{"CompanyTokenRights", testCompanyTokenRights},
		{"ArtikelByID", testArtikelByID},
		{"SignInThrottle", testSignInThrottle},
		{"CompanyIsolation", testCompanyIsolation},
		{"ConcurrentSignIns", testConcurrentSignIns},
		{"ProductDetails", testProductDetails},
		{"EachVersionGetsItsKeys", testEachVersionGetsItsKeys},
	}
	for _, e := range erptest.Engines(t) {
		for _, process := range []bool{false, true} {
			m := mode{engine: e, process: process}
			name := e.Name + map[bool]string{false: "/in-process", true: "/process"}[process]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				for _, tc := range suite {
					t.Run(tc.name, func(t *testing.T) {
						t.Parallel()
						tc.test(t, m)
					})
				}
			})
		}
	}
}

func userAPI(t *testing.T, srv *erptest.Server, app string) *cloudspot.UserAPI {
	t.Helper()
	return erptest.Must(cloudspot.NewUserAPI(app, cloudspot.WithBaseURL(srv.URL), cloudspot.WithHTTPClient(validatingClient(t))))(t)
}

func companyAPI(t *testing.T, srv *erptest.Server, token string) *cloudspot.CompanyAPI {
	t.Helper()
	return erptest.Must(cloudspot.NewCompanyAPI(token, cloudspot.WithBaseURL(srv.URL), cloudspot.WithHTTPClient(validatingClient(t))))(t)
}

// wantAPIError checks that err is an *cloudspot.Error with the status, the
// category and (when not empty) the server's message.
func wantAPIError(t *testing.T, err error, status int, kind error, msg string) {
	t.Helper()
	var e *cloudspot.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *cloudspot.Error", err, err)
	}
	if e.StatusCode != status {
		t.Errorf("status = %d, want %d (%v)", e.StatusCode, status, err)
	}
	if kind != nil && !errors.Is(err, kind) {
		t.Errorf("err = %v, want errors.Is %v", err, kind)
	}
	if msg != "" && e.Message != msg {
		t.Errorf("message = %q, want %q", e.Message, msg)
	}
}

func testSignIn(t *testing.T, m mode) {
	srv := m.startDemo(t, erptest.Options{})
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		// The slug is lower-cased, as the reference client does.
		s, err := userAPI(t, srv, "TimeApp").Authenticate(ctx, demo.Username, demo.Password)
		if err != nil {
			t.Fatal(err)
		}
		if body, ok := strings.CutPrefix(s.Token, "csu_"); !ok || len(body) != 54 || strings.Trim(body, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != "" {
			t.Errorf("token %q: want csu_ and 54 letters and digits (48 random, a 6-character checksum)", s.Token)
		}
		if got := strings.Join(s.Permissions, " "); got != strings.Join(demo.Granted(), " ") {
			t.Errorf("permissions = %s, want %s", got, strings.Join(demo.Granted(), " "))
		}
		if !s.Permissions.Has("timeapp_timetracking_create") || s.Permissions.Has("timeapp_timetracking_edit") {
			t.Errorf("Has: wrong answer for %v", s.Permissions)
		}
	})
	t.Run("EachSignInIsANewToken", func(t *testing.T) {
		t.Parallel()
		api := userAPI(t, srv, "timeapp")
		a := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
		b := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
		if a.Token == b.Token {
			t.Fatal("two sign-ins returned the same token")
		}
		for _, s := range []*cloudspot.Session{a, b} {
			if _, err := api.Permissions(ctx, s.Token); err != nil {
				t.Errorf("token of a sign-in does not work: %v", err)
			}
		}
	})
	for _, tc := range []struct{ name, user, password string }{
		{"ErrWrongPassword", demo.Username, "not-the-password"},
		{"ErrUnknownUser", "nobody", demo.Password},
		{"ErrEmptyPassword", demo.Username, ""},
		{"ErrUsernameCase", strings.ToUpper(demo.Username), demo.Password},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := userAPI(t, srv, "timeapp").Authenticate(ctx, tc.user, tc.password)
			wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrBadCredentials, "Username or password not correct.")
		})
	}
}

func testSignInUnknownApp(t *testing.T, m mode) {
	ctx := context.Background()
	t.Run("OKWithoutPermissions", func(t *testing.T) {
		t.Parallel()
		srv := m.startDemo(t, erptest.Options{})
		api := userAPI(t, srv, "timeap") // a typo: documented to sign in anyway
		s, err := api.Authenticate(ctx, demo.Username, demo.Password)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Permissions) != 0 {
			t.Errorf("permissions for an unknown app = %v, want none", s.Permissions)
		}
		ps, err := api.Permissions(ctx, s.Token)
		if err != nil || len(ps) != 0 {
			t.Errorf("Permissions = %v, %v; want none, nil", ps, err)
		}
		if u, err := api.User(ctx, s.Token); err != nil || u.FirstName != "Jan" {
			t.Errorf("User = %+v, %v", u, err)
		}
		// Its token is not a timeapp token.
		if _, err := userAPI(t, srv, "timeapp").Permissions(ctx, s.Token); !errors.Is(err, cloudspot.ErrNoValidToken) {
			t.Errorf("unknown app's token used for timeapp: err = %v, want ErrNoValidToken", err)
		}
	})
	t.Run("ErrStrict", func(t *testing.T) {
		t.Parallel()
		srv := m.startDemo(t, erptest.Options{StrictApps: true})
		_, err := userAPI(t, srv, "timeap").Authenticate(ctx, demo.Username, demo.Password)
		wantAPIError(t, err, http.StatusForbidden, cloudspot.ErrBadCredentials, "Unknown external app.")
		if _, err := userAPI(t, srv, "timeapp").Authenticate(ctx, demo.Username, demo.Password); err != nil {
			t.Errorf("known app in strict mode: %v", err)
		}
	})
}

func testTokenCalls(t *testing.T, m mode) {
	srv := m.startDemo(t, erptest.Options{})
	ctx := context.Background()
	api := userAPI(t, srv, "timeapp")
	s := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)

	t.Run("Permissions", func(t *testing.T) {
		t.Parallel()
		ps, err := api.Permissions(ctx, s.Token)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(ps, " "); got != strings.Join(demo.Granted(), " ") {
			t.Errorf("permissions = %s", got)
		}
	})
	t.Run("User", func(t *testing.T) {
		t.Parallel()
		u, err := api.User(ctx, s.Token)
		if err != nil {
			t.Fatal(err)
		}
		// The SDK asks for the newest bodies: version 0.5 adds the
		// company's uid and the pin.
		want := cloudspot.User{FirstName: "Jan", LastName: "Peeters", Email: "jan.peeters@koffiehuis-demo.be", Company: demo.CompanyUID, Pin: demo.Pin}
		if u != want {
			t.Errorf("user = %+v, want %+v", u, want)
		}
	})
	t.Run("SessionMirrorsTheReference", func(t *testing.T) {
		t.Parallel()
		sess := api.Session(s.Token)
		if err := sess.LoadPermissions(ctx); err != nil {
			t.Fatal(err)
		}
		if err := sess.LoadUser(ctx); err != nil {
			t.Fatal(err)
		}
		if len(sess.Permissions) != 3 || sess.User.Name() != "Jan Peeters" {
			t.Errorf("session = %+v", sess)
		}
	})
	t.Run("ErrGarbageToken", func(t *testing.T) {
		t.Parallel()
		_, err := api.Permissions(ctx, "not-a-token")
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "No valid token found.")
		_, err = api.User(ctx, s.Token+"x")
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "No valid token found.")
	})
	t.Run("ErrOtherApp", func(t *testing.T) {
		t.Parallel()
		// A token is bound to the app that signed in, even for a known app.
		if _, err := srv.Service.CreateApp(ctx, "stockapp", "StockApp"); err != nil {
			t.Fatal(err)
		}
		_, err := userAPI(t, srv, "stockapp").Permissions(ctx, s.Token)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
		_, err = userAPI(t, srv, "stockapp").User(ctx, s.Token)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
	})
	t.Run("ErrCompanyTokenAsUserToken", func(t *testing.T) {
		t.Parallel()
		_, err := api.User(ctx, demo.CompanyToken)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
	})
}

// countingTransport counts the requests that reach the network.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func testNoTokenFailsBeforeSending(t *testing.T, m mode) {
	srv := m.startDemo(t, erptest.Options{})
	ctx := context.Background()
	ct := &countingTransport{}
	hc := &http.Client{Transport: ct}
	users := erptest.Must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(srv.URL), cloudspot.WithHTTPClient(hc)))(t)
	company := erptest.Must(cloudspot.NewCompanyAPI("  ", cloudspot.WithBaseURL(srv.URL), cloudspot.WithHTTPClient(hc)))(t)
	calls := map[string]func() error{
		"Permissions": func() error { _, err := users.Permissions(ctx, ""); return err },
		"User":        func() error { _, err := users.User(ctx, ""); return err },
		"Artikels":    func() error { _, err := company.Artikels.List(ctx); return err },
		"Klanten":     func() error { _, err := company.Klanten.List(ctx); return err },
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, cloudspot.ErrNoValidToken) {
			t.Errorf("%s: err = %v, want ErrNoValidToken", name, err)
		}
		if err != nil && !strings.Contains(err.Error(), "No token found") {
			t.Errorf("%s: err = %q, want the reference's 'No token found' text", name, err)
		}
	}
	if n := ct.n.Load(); n != 0 {
		t.Errorf("%d requests were sent without a token, want 0", n)
	}
}

func testRevocationAndDeactivation(t *testing.T, m mode) {
	ctx := context.Background()

	t.Run("RevokedToken", func(t *testing.T) {
		t.Parallel()
		srv := m.startDemo(t, erptest.Options{})
		api := userAPI(t, srv, "timeapp")
		s := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
		if n, err := srv.Service.RevokeUserTokens(ctx, demo.Username); err != nil || n != 1 {
			t.Fatalf("RevokeUserTokens = %d, %v; want 1", n, err)
		}
		_, err := api.Permissions(ctx, s.Token)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
		// Signing in again gives a working token.
		s2 := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
		if _, err := api.User(ctx, s2.Token); err != nil {
			t.Error(err)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		t.Parallel()
		srv := m.startDemo(t, erptest.Options{})
		api := userAPI(t, srv, "timeapp")
		s := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
		other := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
		if err := api.SignOut(ctx, s.Token); err != nil {
			t.Fatal(err)
		}
		_, err := api.Permissions(ctx, s.Token)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
		wantAPIError(t, api.SignOut(ctx, s.Token), http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
		if _, err := api.User(ctx, other.Token); err != nil {
			t.Errorf("the user's other token after signing one out: %v", err)
		}
		// Another app's client cannot sign the token out.
		wantAPIError(t, userAPI(t, srv, "otherapp").SignOut(ctx, other.Token), http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
	})
	t.Run("DeactivatedUser", func(t *testing.T) {
		t.Parallel()
		srv := m.startDemo(t, erptest.Options{})
		api := userAPI(t, srv, "timeapp")
		s := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
		if err := srv.Service.SetUserActive(ctx, demo.Username, false); err != nil {
			t.Fatal(err)
		}
		_, err := api.Authenticate(ctx, demo.Username, demo.Password)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrBadCredentials, "Username or password not correct.")
		_, err = api.User(ctx, s.Token)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
		// Reactivation does not bring revoked tokens back.
		if err := srv.Service.SetUserActive(ctx, demo.Username, true); err != nil {
			t.Fatal(err)
		}
		if _, err := api.User(ctx, s.Token); !errors.Is(err, cloudspot.ErrNoValidToken) {
			t.Errorf("old token after reactivation: err = %v, want ErrNoValidToken", err)
		}
		if _, err := api.Authenticate(ctx, demo.Username, demo.Password); err != nil {
			t.Errorf("sign-in after reactivation: %v", err)
		}
	})
	t.Run("ExpiredToken", func(t *testing.T) {
		t.Parallel()
		// The server runs on the real clock here (a server process has no
		// other), so the tokens are issued in the past instead: by a
		// service on the same database whose clock is behind.
		srv := m.startDemo(t, erptest.Options{})
		api := userAPI(t, srv, "timeapp")
		issuedAgo := func(ago time.Duration) string {
			t.Helper()
			past := erptest.Must(erp.NewService(erp.Config{Store: srv.Store, Now: func() time.Time { return time.Now().Add(-ago) }}))(t)
			return erptest.Must(past.SignIn(ctx, demo.App, demo.Username, demo.Password))(t).Token
		}
		const ttl = 30 * 24 * time.Hour
		if _, err := api.Permissions(ctx, issuedAgo(ttl-time.Hour)); err != nil {
			t.Errorf("a token an hour before its expiry: %v", err)
		}
		_, err := api.Permissions(ctx, issuedAgo(ttl+time.Hour))
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
	})
	if !m.process {
		// Only a server in the test's process can be given a clock.
		t.Run("ExpiryToTheSecond", func(t *testing.T) {
			t.Parallel()
			var now atomic.Int64
			now.Store(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).UnixMicro())
			clock := func() time.Time { return time.UnixMicro(now.Load()) }
			srv := m.startDemo(t, erptest.Options{Now: clock})
			api := userAPI(t, srv, "timeapp")
			s := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
			now.Add((30*24*time.Hour - time.Second).Microseconds())
			if _, err := api.Permissions(ctx, s.Token); err != nil {
				t.Fatalf("a second before expiry: %v", err)
			}
			now.Add(time.Second.Microseconds())
			_, err := api.Permissions(ctx, s.Token)
			wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
		})
	}
	t.Run("PermissionChangesShowAtOnce", func(t *testing.T) {
		t.Parallel()
		srv := m.startDemo(t, erptest.Options{})
		api := userAPI(t, srv, "timeapp")
		s := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
		if err := srv.Service.Grant(ctx, demo.Username, "timeapp_timetracking_edit"); err != nil {
			t.Fatal(err)
		}
		if ps := erptest.Must(api.Permissions(ctx, s.Token))(t); !ps.Has("timeapp_timetracking_edit") {
			t.Errorf("after grant: %v", ps)
		}
		// Revoking a parent takes its children with it.
		if err := srv.Service.Revoke(ctx, demo.Username, "timeapp_timetracking_use"); err != nil {
			t.Fatal(err)
		}
		if ps := erptest.Must(api.Permissions(ctx, s.Token))(t); strings.Join(ps, " ") != "timeapp_use" {
			t.Errorf("after revoking timeapp_timetracking_use: %v, want [timeapp_use]", ps)
		}
	})
}

func testCompanyData(t *testing.T, m mode) {
	srv := m.startDemo(t, erptest.Options{})
	ctx := context.Background()
	api := companyAPI(t, srv, demo.CompanyToken)

	t.Run("Artikels", func(t *testing.T) {
		t.Parallel()
		as, err := api.Artikels.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 74 {
			t.Fatalf("%d products, want the demo's 74", len(as))
		}
		first := as[0]
		if first.SKU != "KOF-ARA-1000" || first.VerkoopprijsExcl.String() != "21.70" || first.VerkoopprijsIncl.String() != "23.00" ||
			first.BTW.String() != "6" || first.VoorraadBijhouden != cloudspot.VoorraadBijhoudenFysiek || first.Status != cloudspot.ArtikelStatusZichtbaar {
			t.Errorf("first product = %+v", first)
		}
		// Every incl. price is the excl. price plus VAT, to the cent: exact
		// decimals make that checkable.
		for _, a := range as {
			factor := new(big.Rat).Add(big.NewRat(1, 1), new(big.Rat).Quo(a.BTW.Rat(), big.NewRat(100, 1)))
			want := new(big.Rat).Mul(a.VerkoopprijsExcl.Rat(), factor).FloatString(2)
			if want != a.VerkoopprijsIncl.Rat().FloatString(2) {
				t.Errorf("%s: incl %s, want %s", a.SKU, a.VerkoopprijsIncl, want)
			}
		}
	})
	t.Run("Klanten", func(t *testing.T) {
		t.Parallel()
		ks, err := api.Klanten.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ks) != 66 {
			t.Fatalf("%d clients, want the demo's 66", len(ks))
		}
		var companies, people int
		for _, k := range ks {
			if k.IsBedrijf {
				companies++
				if k.Bedrijfsnaam == "" || !k.Geboortedatum.IsZero() {
					t.Errorf("company client %d: %+v", k.Klantennummer, k)
				}
			} else {
				people++
				if k.Geboortedatum.IsZero() || k.Bedrijfsnaam != "" {
					t.Errorf("person client %d: %+v", k.Klantennummer, k)
				}
			}
		}
		if companies == 0 || people == 0 {
			t.Errorf("%d companies, %d people: want both", companies, people)
		}
	})
	t.Run("ErrGarbageToken", func(t *testing.T) {
		t.Parallel()
		_, err := companyAPI(t, srv, "nope").Artikels.List(ctx)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "No valid token found.")
	})
	t.Run("ErrUserTokenAsCompanyToken", func(t *testing.T) {
		t.Parallel()
		s := erptest.Must(userAPI(t, srv, "timeapp").Authenticate(ctx, demo.Username, demo.Password))(t)
		_, err := companyAPI(t, srv, s.Token).Klanten.List(ctx)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
	})
}

// testArtikelByID covers GET /artikels/?id=: one product,
// with its id, and only of the token's own company.
func testArtikelByID(t *testing.T, m mode) {
	srv := m.startDemo(t, erptest.Options{})
	ctx := context.Background()
	api := companyAPI(t, srv, demo.CompanyToken)
	all := erptest.Must(api.Artikels.List(ctx))(t)
	ps := erptest.Must(srv.Store.Artikels(ctx, erptest.Must(srv.Store.CompanyBySlug(ctx, demo.Company))(t).ID))(t)
	// The SDK asks for the latest version, whose lists carry the ids.
	for i, a := range all {
		if a.ID != ps[i].ID {
			t.Fatalf("the list sends %s with id %d, want %d", a.SKU, a.ID, ps[i].ID)
		}
	}
	got, err := api.Artikels.Get(ctx, ps[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := all[3]
	want.ID = ps[3].ID
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get(%d) (-want +got):\n%s", ps[3].ID, diff)
	}
	_, err = api.Artikels.Get(ctx, 1<<40)
	wantAPIError(t, err, http.StatusNotFound, cloudspot.ErrNotFound, "Product not found.")

	// Another company cannot read the demo's product by its id.
	if _, err := srv.Service.CreateCompany(ctx, "other", "Other BV"); err != nil {
		t.Fatal(err)
	}
	secret, _, err := srv.Service.IssueCompanyToken(ctx, "other", "other", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = companyAPI(t, srv, secret).Artikels.Get(ctx, ps[3].ID)
	wantAPIError(t, err, http.StatusNotFound, cloudspot.ErrNotFound, "Product not found.")
	// And a token without the right to see products cannot either.
	clientsOnly, _, err := srv.Service.IssueCompanyToken(ctx, demo.Company, "clients", erp.Rights{Klanten: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = companyAPI(t, srv, clientsOnly).Artikels.Get(ctx, ps[3].ID)
	wantAPIError(t, err, http.StatusForbidden, cloudspot.ErrForbidden, "")
}

// testSignInThrottle: after 10 failed sign-ins for a username the server
// refuses more for a while, even with the right password, and says so.
func testSignInThrottle(t *testing.T, m mode) {
	ctx := context.Background()
	var now atomic.Int64
	now.Store(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).UnixMicro())
	o := erptest.Options{}
	if !m.process {
		o.Now = func() time.Time { return time.UnixMicro(now.Load()) }
	}
	srv := m.startDemo(t, o)
	api := userAPI(t, srv, "timeapp")
	for i := range 10 {
		_, err := api.Authenticate(ctx, demo.Username, fmt.Sprintf("guess-%d", i))
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrBadCredentials, "")
	}
	_, err := api.Authenticate(ctx, demo.Username, demo.Password)
	wantAPIError(t, err, http.StatusTooManyRequests, cloudspot.ErrRateLimited, "Too many failed sign-ins; try again later.")
	// Unknown usernames are counted alike: the answer reveals nothing.
	for range 11 {
		_, err = api.Authenticate(ctx, "nobody", "x")
	}
	wantAPIError(t, err, http.StatusTooManyRequests, cloudspot.ErrRateLimited, "")
	// Other users are not affected.
	if _, err := api.Authenticate(ctx, demo.Viewer, demo.Password); err != nil {
		t.Errorf("another user: %v", err)
	}
	if !m.process {
		// Only a server in the test's process can be given a clock; the
		// window itself is also tested on the service.
		t.Run("WindowPasses", func(t *testing.T) {
			now.Add((15 * time.Minute).Microseconds())
			if _, err := api.Authenticate(ctx, demo.Username, demo.Password); err != nil {
				t.Errorf("after the window: %v", err)
			}
		})
	} else {
		// A server process counts in the database and keeps nothing of its
		// own: once the counters are gone, as they are when their window
		// has ended and they are purged, it lets the user in again.
		t.Run("CountersExpire", func(t *testing.T) {
			if _, err := srv.Store.PurgeSignInCounts(ctx, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if _, err := api.Authenticate(ctx, demo.Username, demo.Password); err != nil {
				t.Errorf("after the counters expired: %v", err)
			}
		})
	}
}

func testCompanyTokenRights(t *testing.T, m mode) {
	srv := m.startDemo(t, erptest.Options{})
	ctx := context.Background()
	issue := func(r erp.Rights) *cloudspot.CompanyAPI {
		secret, _, err := srv.Service.IssueCompanyToken(ctx, demo.Company, "rights test "+r.String(), r)
		if err != nil {
			t.Fatal(err)
		}
		return companyAPI(t, srv, secret)
	}
	productsOnly := issue(erp.Rights{Artikels: true})
	clientsOnly := issue(erp.Rights{Klanten: true})

	if _, err := productsOnly.Artikels.List(ctx); err != nil {
		t.Errorf("products token, products: %v", err)
	}
	_, err := productsOnly.Klanten.List(ctx)
	wantAPIError(t, err, http.StatusForbidden, cloudspot.ErrForbidden, "This token does not have the right to see clients.")
	if _, err := clientsOnly.Klanten.List(ctx); err != nil {
		t.Errorf("clients token, clients: %v", err)
	}
	_, err = clientsOnly.Artikels.List(ctx)
	wantAPIError(t, err, http.StatusForbidden, cloudspot.ErrForbidden, "This token does not have the right to see products.")

	t.Run("Revoked", func(t *testing.T) {
		secret, tok, err := srv.Service.IssueCompanyToken(ctx, demo.Company, "to revoke", erp.Rights{Artikels: true, Klanten: true})
		if err != nil {
			t.Fatal(err)
		}
		api := companyAPI(t, srv, secret)
		if _, err := api.Artikels.List(ctx); err != nil {
			t.Fatal(err)
		}
		if err := srv.Service.RevokeCompanyToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = api.Artikels.List(ctx)
		wantAPIError(t, err, http.StatusUnauthorized, cloudspot.ErrNoValidToken, "")
	})
}

func testCompanyIsolation(t *testing.T, m mode) {
	srv := m.startDemo(t, erptest.Options{})
	ctx := context.Background()
	if _, err := srv.Service.CreateCompany(ctx, "other", "Other BV"); err != nil {
		t.Fatal(err)
	}
	// Same SKU and client number as the demo company: keys are per company.
	_, err := srv.Service.ImportArtikels(ctx, "other", erp.Records([]cloudspot.Artikel{{
		Naam: "Ander product", SKU: "KOF-ARA-1000", VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet,
		Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar, BTW: cloudspot.NewDecimal(21, 0),
	}}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = srv.Service.ImportKlanten(ctx, "other", erp.Records([]cloudspot.Klant{{Klantennummer: 1001, Achternaam: "Andere"}}))
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := srv.Service.IssueCompanyToken(ctx, "other", "other", erp.Rights{Artikels: true, Klanten: true})
	if err != nil {
		t.Fatal(err)
	}
	other := companyAPI(t, srv, secret)
	as := erptest.Must(other.Artikels.List(ctx))(t)
	ks := erptest.Must(other.Klanten.List(ctx))(t)
	if len(as) != 1 || as[0].Naam != "Ander product" || len(ks) != 1 || ks[0].Achternaam != "Andere" {
		t.Errorf("other company sees %d products, %d clients: %+v %+v", len(as), len(ks), as, ks)
	}
	demoAs := erptest.Must(companyAPI(t, srv, demo.CompanyToken).Artikels.List(ctx))(t)
	for _, a := range demoAs {
		if a.Naam == "Ander product" {
			t.Error("the demo company sees the other company's product")
		}
	}
	if len(demoAs) != 74 {
		t.Errorf("demo company has %d products, want 74", len(demoAs))
	}
}

// TestConcurrentSignIns serves many users at once through one UserAPI: the
// SDK keeps no per-user state and SQLite writers queue instead of failing.
func testConcurrentSignIns(t *testing.T, m mode) {
	srv := m.startDemo(t, erptest.Options{})
	ctx := context.Background()
	api := userAPI(t, srv, "timeapp")
	const n = 24
	var wg sync.WaitGroup
	tokens := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := demo.Username
			if i%2 == 1 {
				user = demo.Viewer
			}
			s, err := api.Authenticate(ctx, user, demo.Password)
			if err != nil {
				errs[i] = err
				return
			}
			ps, err := api.Permissions(ctx, s.Token)
			if err == nil && len(ps) != map[bool]int{true: 1, false: 3}[i%2 == 1] {
				err = fmt.Errorf("%s got permissions %v", user, ps)
			}
			tokens[i], errs[i] = s.Token, err
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Errorf("sign-in %d: %v", i, errs[i])
		}
		if tokens[i] != "" && seen[tokens[i]] {
			t.Errorf("token %d issued twice", i)
		}
		seen[tokens[i]] = true
	}
}

func TestServerDown(t *testing.T) {
	t.Parallel()
	api := erptest.Must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erptest.RefusingURL(t))))(t)
	_, err := api.Authenticate(context.Background(), "demo", "x")
	if err == nil || errors.Is(err, cloudspot.ErrBadCredentials) {
		t.Fatalf("err = %v: an unreachable server is not bad credentials", err)
	}
	var e *cloudspot.Error
	if errors.As(err, &e) {
		t.Errorf("err = %v: no response, so no *cloudspot.Error", err)
	}
	if !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("err = %q, want it to say the connection was refused", err)
	}
}

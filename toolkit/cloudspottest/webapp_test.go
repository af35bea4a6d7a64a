package cloudspottest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// fatalTB records the first Fatal of a helper under test instead of
// failing the test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f)
}

func (f *fatalTB) Fatal(args ...any) {
	f.msg = fmt.Sprint(args...)
	panic(f)
}

// fatalOf runs fn with a fatalTB and returns what it failed with, or "".
func fatalOf(t *testing.T, fn func(tb testing.TB)) (msg string) {
	tb := &fatalTB{TB: t}
	defer func() {
		if r := recover(); r != nil && r != any(tb) {
			panic(r)
		}
		msg = tb.msg
	}()
	fn(tb)
	return ""
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	f := shop
	f.Users = append(append([]cloudspottest.User(nil), shop.Users...), cloudspottest.User{Username: "gone", Password: "correct horse", Company: "acme", Inactive: true})
	srv := cloudspottest.Start(t, f)
	app := startTimeApp(t, srv, nil)

	jan := srv.SignIn(t, app+"/login", "jan")
	res, err := jan.Get(app + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" {
		t.Errorf("the signed-in client got %d at %s", res.StatusCode, res.Request.URL.Path)
	}
	// Each client is a session of its own.
	other := srv.SignIn(t, app+"/login", "jan")
	if jan.Jar == other.Jar {
		t.Error("two sign-ins share a cookie jar")
	}

	for _, tc := range []struct{ name, url, user, want string }{
		{"RefusedByTheApp", app + "/login", "gone", "the app answered 401: Username or password not correct."},
		{"NotInTheFixtures", app + "/login", "nobody", `no user "nobody" in the fixtures`},
		{"NoLoginForm", app + "/nothing-here", "jan", "without a login form with a csrf field"},
		{"NoApp", "http://127.0.0.1:1/login", "jan", "opening the login page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := fatalOf(t, func(tb testing.TB) { srv.SignIn(tb, tc.url, tc.user) })
			if !strings.Contains(msg, tc.want) {
				t.Errorf("SignIn failed with %q, want %q", msg, tc.want)
			}
		})
	}
}

// TestSignInReadsAnyForm: the csrf field is found whatever the order of
// its attributes and their quotes.
func TestSignInReadsAnyForm(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, shop)
	var mu sync.Mutex
	var got []string
	for _, input := range []string{
		`<input type="hidden" name="csrf" value="tok&amp;en">`,
		`<INPUT VALUE='tok&amp;en' NAME='csrf' TYPE=hidden>`,
		`<input name=csrf value=tok&amp;en>`,
	} {
		app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				fmt.Fprintf(w, `<form method="post"><input name="other" value="x">%s</form>`, input)
				return
			}
			r.ParseForm()
			mu.Lock()
			got = append(got, r.PostFormValue("csrf")+" "+r.PostFormValue("username")+" "+r.PostFormValue("password"))
			mu.Unlock()
			http.Redirect(w, r, "/", http.StatusSeeOther)
		}))
		t.Cleanup(app.Close)
		srv.SignIn(t, app.URL+"/login", "jan")
	}
	for _, g := range got {
		if g != "tok&en jan correct horse" {
			t.Errorf("the form sent %q", g)
		}
	}
	if len(got) != 3 {
		t.Errorf("%d forms sent, want 3", len(got))
	}
}

// TestGrantRevoke: the changes reach the ERP's answers at once, and a
// mistake in the test fails it.
func TestGrantRevoke(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := cloudspottest.Start(t, shop)
	api, err := cloudspot.NewUserAPI("timeapp", srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := api.Authenticate(ctx, "jan", "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	perms := func() cloudspot.Permissions {
		t.Helper()
		p, err := api.Permissions(ctx, s.Token)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	srv.Grant(t, "jan", "timeapp_timetracking_create")
	if p := perms(); !p.Has("timeapp_timetracking_create") {
		t.Errorf("after Grant: %q", p)
	}
	srv.Revoke(t, "jan", "timeapp_use") // with the permission under it
	if p := perms(); len(p) != 0 {
		t.Errorf("after Revoke: %q", p)
	}
	if n := srv.RevokeTokens(t, "jan"); n != 1 {
		t.Errorf("RevokeTokens = %d, want 1", n)
	}
	if _, err := api.Permissions(ctx, s.Token); !errors.Is(err, cloudspot.ErrNoValidToken) {
		t.Errorf("a revoked token: %v", err)
	}
	for _, tc := range []struct {
		name string
		fn   func(tb testing.TB)
		want string
	}{
		{"GrantUnknownPermission", func(tb testing.TB) { srv.Grant(tb, "jan", "timeapp_nothing") }, "Grant timeapp_nothing to jan"},
		{"GrantUnknownUser", func(tb testing.TB) { srv.Grant(tb, "nobody", "timeapp_use") }, "Grant timeapp_use to nobody"},
		{"RevokeUnknownUser", func(tb testing.TB) { srv.Revoke(tb, "nobody", "timeapp_use") }, "Revoke timeapp_use from nobody"},
		{"RevokeTokensUnknownUser", func(tb testing.TB) { srv.RevokeTokens(tb, "nobody") }, "RevokeTokens of nobody"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if msg := fatalOf(t, tc.fn); !strings.Contains(msg, tc.want) {
				t.Errorf("failed with %q, want %q", msg, tc.want)
			}
		})
	}
}

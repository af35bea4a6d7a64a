package erpauth_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/erpauth"
	"github.com/cloudspot-toolkit/cloudspot/erpauth/erpauthtest"
)

// stores are the built-in stores, each made fresh for one app.
var stores = []struct {
	name string
	make func(t *testing.T) erpauth.Store
}{
	{"memory", func(*testing.T) erpauth.Store { return erpauth.NewMemoryStore(0) }},
	{"cookie", func(t *testing.T) erpauth.Store {
		st, err := erpauth.NewCookieStore(0, keys(1)...)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}},
}

func TestStores(t *testing.T) {
	t.Parallel()
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			erpauthtest.TestStore(t, st.make)
		})
	}
}

// TestFixation: a sign-in always starts a session with a new id, whatever
// session id the browser brought (one planted by an attacker, or the
// user's own); the one it brought is over.
func TestFixation(t *testing.T) {
	t.Parallel()
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			erp := startStandIn(t)
			app := startApp(t, erp, erpauth.Config{Store: st.make(t)})

			// The victim opens the login form; the attacker, signed in,
			// plants their session cookie in the victim's browser; the
			// victim signs in as themself.
			victim := app.client(t)
			form := victim.get("/login")
			attacker := app.client(t)
			attacker.mustSignIn("lotte")
			planted := attacker.cookie("erpauth").Value
			victim.setCookie("erpauth", planted)
			wantRedirect(t, victim.post("/login", url.Values{"csrf": {loginToken(t, form.body)}, "username": {"jan"}, "password": {password}}), "/")
			mine := victim.cookie("erpauth").Value
			if mine == planted {
				t.Fatal("the sign-in kept the session id the browser brought")
			}
			wantBody(t, victim.get("/"), "page / for jan")
			// The planted session ended with the sign-in, so the attacker
			// does not share the victim's: their cookie is refused.
			wantRedirect(t, attacker.get("/"), "/login?next=%2F")
			// A made-up id is no session either.
			forger := app.client(t)
			forger.setCookie("erpauth", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
			wantRedirect(t, forger.get("/"), "/login?next=%2F")

			// Signing in again while signed in (with a login form opened
			// in another tab) gives a new id too.
			tab := app.client(t)
			form = tab.get("/login")
			victim.setCookie("erpauth_csrf", tab.cookie("erpauth_csrf").Value)
			wantRedirect(t, victim.post("/login", url.Values{"csrf": {loginToken(t, form.body)}, "username": {"jan"}, "password": {password}}), "/")
			if victim.cookie("erpauth").Value == mine {
				t.Error("a second sign-in kept the session id")
			}
			old := app.client(t)
			old.setCookie("erpauth", mine)
			wantRedirect(t, old.get("/"), "/login?next=%2F")
		})
	}
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{IdleTimeout: time.Hour, MaxAge: 3 * time.Hour})
	c := app.client(t)
	c.mustSignIn("jan")
	for range 3 { // use keeps the session, up to its MaxAge
		app.clock.advance(50 * time.Minute)
		wantStatus(t, c.get("/"), http.StatusOK)
	}
	app.clock.advance(31 * time.Minute)
	wantRedirect(t, c.get("/"), "/login?next=%2F")
	wantBody(t, c.get("/login"), "Your session has ended. Please log in again.")

	c.mustSignIn("jan")
	app.clock.advance(time.Hour)
	wantRedirect(t, c.get("/tt"), "/login?next=%2Ftt")
	if k := c.cookie("erpauth"); k != nil {
		t.Errorf("the expired session's cookie stayed: %v", k)
	}
}

// TestLogout: a logout ends the session on the server: a copy of the
// cookie taken before it is refused afterwards.
func TestLogout(t *testing.T) {
	t.Parallel()
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			erp := startStandIn(t)
			app := startApp(t, erp, erpauth.Config{Store: st.make(t)})
			c := app.client(t)
			token := c.mustSignIn("jan")
			copied := c.cookie("erpauth").Value

			res := c.post("/logout", url.Values{"csrf": {token}})
			wantRedirect(t, res, "/login")
			if k := setCookieOf(res, "erpauth"); k == nil || k.MaxAge >= 0 {
				t.Errorf("the logout did not delete the session cookie: %v", k)
			}
			wantBody(t, c.get("/login"), "You have been logged out.")
			wantRedirect(t, c.get("/"), "/login?next=%2F")

			thief := app.client(t)
			thief.setCookie("erpauth", copied)
			wantRedirect(t, thief.get("/"), "/login?next=%2F")
			wantStatus(t, thief.get("/login"), http.StatusOK)
			// The ERP revoked the session's token.
			if n := erp.liveTokens("jan"); n != 0 {
				t.Errorf("after the logout the ERP accepts %d of jan's tokens, want 0", n)
			}
			// A logout without a session only clears the cookie.
			wantRedirect(t, app.client(t).post("/logout", url.Values{}), "/login")
			wantStatus(t, app.client(t).get("/logout"), http.StatusMethodNotAllowed)
		})
	}
}

// TestLogoutWithoutSignOut: an ERP without the sign-out call keeps the
// token valid until it expires; the session ends all the same, and the log
// says what stays valid.
func TestLogoutWithoutSignOut(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	erp.setFault(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/v1/auth/signout/" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message": "Not found."}`)
		return true
	})
	app := startApp(t, erp, erpauth.Config{})
	c := app.client(t)
	token := c.mustSignIn("jan")
	wantRedirect(t, c.post("/logout", url.Values{"csrf": {token}}), "/login")
	wantRedirect(t, c.get("/"), "/login?next=%2F")
	if n := erp.liveTokens("jan"); n != 1 {
		t.Errorf("the ERP accepts %d of jan's tokens, want the 1 it could not revoke", n)
	}
	if logs := app.logs.String(); !strings.Contains(logs, "stays valid until it expires") {
		t.Errorf("the log does not say the token stays valid:\n%s", logs)
	}
}

// TestCookieStore: the session travels sealed; a new key first opens the
// sessions sealed with the old one, and a list without it does not.
func TestCookieStore(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	k := keys(3)
	old, err := erpauth.NewCookieStore(0, k[0])
	if err != nil {
		t.Fatal(err)
	}
	app := startApp(t, erp, erpauth.Config{Store: old, Keys: [][]byte{k[0]}})
	c := app.client(t)
	c.mustSignIn("jan")
	value := c.cookie("erpauth").Value
	if strings.Contains(value, "jan") || len(value) < 200 {
		t.Errorf("the cookie %q is not a sealed session", value)
	}

	ctx := context.Background()
	rotated, err := erpauth.NewCookieStore(0, k[1], k[0])
	if err != nil {
		t.Fatal(err)
	}
	s, err := rotated.Load(ctx, value)
	if err != nil || s.User.Username != "jan" || !strings.HasPrefix(s.User.Token, "csu_") {
		t.Fatalf("a store with the key second does not open the session: %v, %v", s, err)
	}
	fresh, err := rotated.Update(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Load(ctx, fresh); !errors.Is(err, erpauth.ErrNoSession) {
		t.Errorf("a store without the new key opened a session sealed with it: %v", err)
	}
	dropped, err := erpauth.NewCookieStore(0, k[2], k[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dropped.Load(ctx, value); !errors.Is(err, erpauth.ErrNoSession) {
		t.Errorf("a store without the old key opened a session sealed with it: %v", err)
	}
	if _, err := erpauth.NewCookieStore(0, []byte("short")); err == nil {
		t.Error("a 5-byte key was accepted")
	}
	if _, err := erpauth.NewCookieStore(0); err == nil {
		t.Error("no key was accepted")
	}
}

// TestCookieStoreEndedIsBounded: the list of ended sessions holds at most
// its maximum; one pushed out of it stays ended, as do the sessions
// created before it.
func TestCookieStoreEndedIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := erpauth.NewCookieStore(3, keys(1)...)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var cookies []string
	var sessions []*erpauth.Session
	for i := range 6 {
		s := &erpauth.Session{ID: strings.Repeat(string(rune('a'+i)), 43), User: erpauth.User{Username: "u"},
			Created: now.Add(time.Duration(i) * time.Second), Expires: now.Add(time.Hour)}
		v, err := st.Create(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		cookies, sessions = append(cookies, v), append(sessions, s)
	}
	for _, i := range []int{1, 3, 4, 5} { // four ended, one more than it holds
		if err := st.Delete(ctx, sessions[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i, v := range cookies {
		_, err := st.Load(ctx, v)
		// 0 was created before the oldest ended one that the list let go
		// of, so it ended too; 2 was created after it and lives.
		if live := i == 2; live != (err == nil) {
			t.Errorf("session %d: Load = %v", i, err)
		}
	}
}

func TestMemoryStoreIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := erpauth.NewMemoryStore(3)
	now := time.Now()
	var cookies []string
	for i := range 5 {
		s := &erpauth.Session{ID: strings.Repeat(string(rune('a'+i)), 43), Expires: now.Add(time.Hour)}
		v, _ := st.Create(ctx, s)
		cookies = append(cookies, v)
		if i == 2 {
			st.Load(ctx, cookies[0]) // used: the least recently used are now 1, then 2
		}
	}
	if st.Len() != 3 {
		t.Errorf("the store holds %d sessions, want 3", st.Len())
	}
	for i, v := range cookies {
		_, err := st.Load(ctx, v)
		if live := i != 1 && i != 2; live != (err == nil) {
			t.Errorf("session %d: Load = %v", i, err)
		}
	}
}

// TestSecureCookies: over TLS, or when told, every cookie is Secure and
// named with __Host-.
func TestSecureCookies(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{})
	tlsSrv := httptest.NewTLSServer(app.srv.Config.Handler)
	t.Cleanup(tlsSrv.Close)
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, hc: &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	c.base, _ = url.Parse(tlsSrv.URL)
	page := c.get("/login")
	k := setCookieOf(page, "__Host-erpauth_csrf")
	if k == nil {
		t.Fatalf("no __Host- form cookie over TLS: %q", page.Header.Values("Set-Cookie"))
	}
	checkCookie(t, k, true)
	res := c.post("/login", url.Values{"csrf": {loginToken(t, page.body)}, "username": {"jan"}, "password": {password}})
	wantRedirect(t, res, "/")
	k = setCookieOf(res, "__Host-erpauth")
	if k == nil {
		t.Fatalf("no __Host- session cookie over TLS: %q", res.Header.Values("Set-Cookie"))
	}
	checkCookie(t, k, true)
	wantStatus(t, c.get("/"), http.StatusOK)

	told := startApp(t, erp, erpauth.Config{SecureCookies: true})
	page = told.client(t).get("/login")
	if k := setCookieOf(page, "__Host-erpauth_csrf"); k == nil || !k.Secure {
		t.Errorf("SecureCookies on plain HTTP: %q", page.Header.Values("Set-Cookie"))
	}
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	for _, cfg := range []erpauth.Config{
		{Keys: [][]byte{[]byte("too short")}},
		{IdleTimeout: -time.Second},
		{Recheck: -time.Minute},
		{LoginPath: "login"},
		{LoginPath: "//evil.example/login"},
		{AfterLogin: "https://evil.example/"},
		{CookieName: "bad name"},
		{CookieName: "__Host-x"},
	} {
		if _, err := erpauth.New(erp.userAPI(), cfg); err == nil {
			t.Errorf("New(%+v) accepted it", cfg)
		}
	}
	if _, err := erpauth.New(nil, erpauth.Config{}); err == nil {
		t.Error("New(nil) accepted it")
	}
}

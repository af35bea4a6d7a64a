package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// setup starts a demo ERP and the app's handler in front of it.
func setup(t *testing.T) (*erptest.Server, *httptest.Server) {
	t.Helper()
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	return erpSrv, startHandler(t, config{ERPURL: erpSrv.URL}, false)
}

func TestLogin(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	c := newClient(t, srv)

	page := c.get("/")
	wantStatus(t, page, http.StatusOK)
	for _, s := range []string{"<h1>Login external app</h1>", `<label for="username">Username</label>`, `<label for="password">Password</label>`, ">Login</button>"} {
		if !strings.Contains(page.body, s) {
			t.Errorf("login page lacks %q", s)
		}
	}
	nonce := findSetCookie(page.Response, loginCSRFCookie)
	if nonce == nil {
		t.Fatal("login page set no CSRF cookie")
	}
	checkCookieFlags(t, nonce, false)

	res := c.post("/", url.Values{"csrf": {csrf(t, page.body)}, "username": {demo.Username}, "password": {demo.Password}})
	wantRedirect(t, res, "/dashboard")
	sc := findSetCookie(res.Response, sessionCookie)
	if sc == nil {
		t.Fatal("sign-in set no session cookie")
	}
	checkCookieFlags(t, sc, false)
	if got := findSetCookie(res.Response, loginCSRFCookie); got == nil || got.MaxAge >= 0 {
		t.Errorf("sign-in did not delete the login CSRF cookie: %v", got)
	}

	dash := c.get("/dashboard")
	wantStatus(t, dash, http.StatusOK)
	if got := dash.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("dashboard Cache-Control = %q, want no-store", got)
	}
	if !strings.Contains(dash.body, "<h1>Welcome!</h1>") || !strings.Contains(dash.body, ">Jan Peeters<") {
		t.Errorf("dashboard lacks the welcome or the name:\n%s", dash.body)
	}
	if got := permissionsIn(dash.body); !slices.Equal(got, demo.Granted()) {
		t.Errorf("dashboard permissions = %q, want %q", got, demo.Granted())
	}

	// The page shows the ERP token masked, never whole, and the session
	// cookie is not it.
	shown := between(dash.body, `<code id="token">`, "</code>")
	if !maskedTokenRE.MatchString(shown) {
		t.Errorf("the page shows %q as the token, want it masked", shown)
	}
	if whole := wholeTokenRE.FindString(dash.body); whole != "" {
		t.Errorf("the page holds a whole token %q", whole)
	}
	if wholeTokenRE.MatchString(sc.Value) {
		t.Error("the session cookie holds the ERP token")
	}

	// A signed-in user who opens the login page goes to the dashboard.
	wantRedirect(t, c.get("/"), "/dashboard")
}

func TestLoginBadCredentials(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	for _, tc := range []struct{ name, user, pw string }{
		{"WrongPassword", demo.Username, "not-the-password"},
		{"UnknownUser", "nobody", demo.Password},
		{"EmptyPassword", demo.Username, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, srv)
			page := c.get("/")
			res := c.post("/", url.Values{"csrf": {csrf(t, page.body)}, "username": {tc.user}, "password": {tc.pw}})
			wantStatus(t, res, http.StatusUnauthorized)
			if !strings.Contains(res.body, "Username or password not correct.") {
				t.Errorf("no bad-credentials message:\n%s", res.body)
			}
			if want := `name="username" value="` + tc.user + `"`; !strings.Contains(res.body, want) {
				t.Errorf("username not kept: want %s in\n%s", want, res.body)
			}
			if tc.pw != "" && strings.Contains(res.body, tc.pw) {
				t.Error("the page repeats the password")
			}
			if findSetCookie(res.Response, sessionCookie) != nil {
				t.Error("a refused sign-in set a session cookie")
			}
			// The form shown again works.
			c.post("/", url.Values{"csrf": {csrf(t, res.body)}, "username": {demo.Username}, "password": {demo.Password}})
			wantStatus(t, c.get("/dashboard"), http.StatusOK)
		})
	}
}

// TestLoginThrottled: after too many failed sign-ins the form says so
// (429), and how long to wait, not that the ERP is down.
func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	c := newClient(t, srv)
	page := c.get("/")
	var res response
	for i := range 11 {
		pw := "guess-" + strconv.Itoa(i)
		if i == 10 {
			pw = demo.Password
		}
		res = c.post("/", url.Values{"csrf": {csrf(t, page.body)}, "username": {demo.Username}, "password": {pw}})
		page = res
	}
	wantStatus(t, res, http.StatusTooManyRequests)
	m := regexp.MustCompile(`Too many failed sign-ins. Please try again in (\d+) minutes.`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no throttling message:\n%s", res.body)
	}
	if n, _ := strconv.Atoi(m[1]); n < 1 || n > 15 {
		t.Errorf("the page says to wait %s minutes; the window is 15", m[1])
	}
	if ra, _ := strconv.Atoi(res.Header.Get("Retry-After")); ra < 1 || ra > 900 {
		t.Errorf("Retry-After %q, want 1 to 900 seconds", res.Header.Get("Retry-After"))
	}
	if findSetCookie(res.Response, sessionCookie) != nil {
		t.Error("a throttled sign-in set a session cookie")
	}
}

func TestLoginWithoutAppAccess(t *testing.T) {
	t.Parallel()
	erpSrv, srv := setup(t)
	addUser(t, erpSrv.Service, "outsider")
	c := newClient(t, srv)
	page := c.get("/")
	res := c.post("/", url.Values{"csrf": {csrf(t, page.body)}, "username": {"outsider"}, "password": {demo.Password}})
	wantStatus(t, res, http.StatusForbidden)
	if !strings.Contains(res.body, "has no access to TimeApp") {
		t.Errorf("no access message:\n%s", res.body)
	}
	if c.cookie(sessionCookie) != nil {
		t.Error("a user without timeapp_use got a session")
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	creds := url.Values{"username": {demo.Username}, "password": {demo.Password}}
	with := func(v url.Values, k, val string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		out.Set(k, val)
		return out
	}

	t.Run("LoginWithoutToken", func(t *testing.T) {
		c := newClient(t, srv)
		c.get("/")
		wantStatus(t, c.post("/", creds), http.StatusForbidden)
		wantRedirect(t, c.get("/dashboard"), "/?next=%2Fdashboard")
	})
	t.Run("LoginWithoutCookie", func(t *testing.T) {
		// An attacker's page can copy a token from its own visit, but
		// not the victim's cookie that it was made for.
		attacker := newClient(t, srv)
		token := csrf(t, attacker.get("/").body)
		victim := newClient(t, srv)
		wantStatus(t, victim.post("/", with(creds, "csrf", token)), http.StatusForbidden)
		victim.get("/") // a nonce of the victim's own, still not the attacker's
		wantStatus(t, victim.post("/", with(creds, "csrf", token)), http.StatusForbidden)
	})
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Origin", "http://evil.example"},
	} {
		t.Run("LoginCrossOrigin/"+h[0]+"="+h[1], func(t *testing.T) {
			c := newClient(t, srv)
			token := csrf(t, c.get("/").body)
			res := c.post("/", with(creds, "csrf", token), h...)
			wantStatus(t, res, http.StatusForbidden)
			if !strings.Contains(res.body, "sent from another site") {
				t.Errorf("refusal page:\n%s", res.body)
			}
			// The same form from the app's own origin goes through.
			wantRedirect(t, c.post("/", with(creds, "csrf", token), "Origin", srv.URL, "Sec-Fetch-Site", "same-origin"), "/dashboard")
		})
	}

	c := newClient(t, srv)
	dash := c.login(demo.Username, demo.Password)
	token := csrf(t, dash)
	entry := url.Values{"description": {"forged"}}
	t.Run("SignedInWithoutToken", func(t *testing.T) {
		wantStatus(t, c.post("/timetracking", entry), http.StatusForbidden)
		wantStatus(t, c.post("/logout", url.Values{}), http.StatusForbidden)
	})
	t.Run("SignedInWrongToken", func(t *testing.T) {
		other := newClient(t, srv)
		otherToken := csrf(t, other.login(demo.Username, demo.Password))
		wantStatus(t, c.post("/timetracking", with(entry, "csrf", otherToken)), http.StatusForbidden)
		wantStatus(t, c.post("/logout", url.Values{"csrf": {otherToken}}), http.StatusForbidden)
	})
	t.Run("SignedInCrossOrigin", func(t *testing.T) {
		wantStatus(t, c.post("/timetracking", with(entry, "csrf", token), "Sec-Fetch-Site", "cross-site"), http.StatusForbidden)
		wantStatus(t, c.post("/logout", url.Values{"csrf": {token}}, "Origin", "http://evil.example"), http.StatusForbidden)
	})
	// None of it did anything.
	tt := c.get("/timetracking")
	wantStatus(t, tt, http.StatusOK)
	if strings.Contains(tt.body, "forged") {
		t.Error("a refused post created an entry")
	}
}

func TestTimetrackingPermissions(t *testing.T) {
	t.Parallel()
	erpSrv, srv := setup(t)
	addUser(t, erpSrv.Service, "reader", "timeapp_use", "timeapp_timetracking_use")

	t.Run("Viewer", func(t *testing.T) {
		c := newClient(t, srv)
		dash := c.login(demo.Viewer, demo.Password)
		if got := permissionsIn(dash); !slices.Equal(got, []string{"timeapp_use"}) {
			t.Errorf("viewer's permissions = %q", got)
		}
		if strings.Contains(dash, `href="/timetracking"`) {
			t.Error("the dashboard links to time tracking without the permission")
		}
		res := c.get("/timetracking")
		wantStatus(t, res, http.StatusForbidden)
		if !strings.Contains(res.body, "You do not have the permission timeapp_timetracking_use.") {
			t.Errorf("refusal page:\n%s", res.body)
		}
		wantStatus(t, c.post("/timetracking", url.Values{"csrf": {csrf(t, dash)}, "description": {"x"}}), http.StatusForbidden)
	})
	t.Run("ReaderCannotCreate", func(t *testing.T) {
		c := newClient(t, srv)
		dash := c.login("reader", demo.Password)
		res := c.get("/timetracking")
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(res.body, `id="create"`) || !strings.Contains(res.body, `id="no-create"`) {
			t.Errorf("the create button is shown without timeapp_timetracking_create:\n%s", res.body)
		}
		// Hiding the button is not the protection: the POST is refused.
		post := c.post("/timetracking", url.Values{"csrf": {csrf(t, dash)}, "description": {"sneaky"}})
		wantStatus(t, post, http.StatusForbidden)
		if !strings.Contains(post.body, "timeapp_timetracking_create") {
			t.Errorf("refusal page:\n%s", post.body)
		}
	})
	t.Run("DemoCreates", func(t *testing.T) {
		c := newClient(t, srv)
		dash := c.login(demo.Username, demo.Password)
		if !strings.Contains(dash, `href="/timetracking"`) {
			t.Error("no link to time tracking on the dashboard")
		}
		res := c.get("/timetracking")
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.body, `id="create"`) {
			t.Fatalf("no create button:\n%s", res.body)
		}
		wantRedirect(t, c.post("/timetracking", url.Values{"csrf": {csrf(t, res.body)}, "description": {"Espresso machine <repair>"}}), "/timetracking")
		res = c.get("/timetracking")
		if !strings.Contains(res.body, "Espresso machine &lt;repair&gt;") {
			t.Errorf("the new entry is not listed (escaped):\n%s", res.body)
		}
		wantStatus(t, c.post("/timetracking", url.Values{"csrf": {csrf(t, res.body)}, "description": {"  "}}), http.StatusUnprocessableEntity)
	})
}

func TestLogout(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	c := newClient(t, srv)
	dash := c.login(demo.Username, demo.Password)
	id := c.cookie(sessionCookie).Value

	res := c.post("/logout", url.Values{"csrf": {csrf(t, dash)}})
	wantRedirect(t, res, "/")
	if sc := findSetCookie(res.Response, sessionCookie); sc == nil || sc.MaxAge >= 0 {
		t.Errorf("logout did not delete the session cookie: %v", sc)
	}
	page := c.get("/")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "You have been logged out.") {
		t.Errorf("no logout message:\n%s", page.body)
	}
	if strings.Contains(c.get("/").body, "You have been logged out.") {
		t.Error("the flash message is shown twice")
	}
	wantRedirect(t, c.get("/dashboard"), "/?next=%2Fdashboard")

	// The old session id is dead on the server, not only in the browser.
	replay := newClient(t, srv)
	replay.hc.Jar.SetCookies(replay.base, []*http.Cookie{{Name: sessionCookie, Value: id, Path: "/"}})
	wantRedirect(t, replay.get("/dashboard"), "/?next=%2Fdashboard")
}

func TestSessionFixation(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	c := newClient(t, srv)
	c.login(demo.Username, demo.Password)
	first := c.cookie(sessionCookie).Value
	// Signing in again, with the old cookie still there, gives a new id
	// and ends the old session.
	page := c.get("/")
	wantRedirect(t, page, "/dashboard")
	c.hc.Jar.SetCookies(c.base, []*http.Cookie{{Name: sessionCookie, Value: first, Path: "/"}})
	nonce := newClient(t, srv)
	form := nonce.get("/")
	c.hc.Jar.SetCookies(c.base, []*http.Cookie{{Name: loginCSRFCookie, Value: nonce.cookie(loginCSRFCookie).Value, Path: "/"}})
	wantRedirect(t, c.post("/", url.Values{"csrf": {csrf(t, form.body)}, "username": {demo.Viewer}, "password": {demo.Password}}), "/dashboard")
	second := c.cookie(sessionCookie).Value
	if second == first {
		t.Fatal("the session id did not change on sign-in")
	}
	old := newClient(t, srv)
	old.hc.Jar.SetCookies(old.base, []*http.Cookie{{Name: sessionCookie, Value: first, Path: "/"}})
	wantRedirect(t, old.get("/dashboard"), "/?next=%2Fdashboard")
	// A made-up session id is not accepted either.
	old.hc.Jar.SetCookies(old.base, []*http.Cookie{{Name: sessionCookie, Value: "nHcm2Vx4v9aKpQ0bL7tR1sY3uW5zX8cD6eF2gH4iJ0k", Path: "/"}})
	wantRedirect(t, old.get("/dashboard"), "/?next=%2Fdashboard")
}

// TestRevokedToken: a token revoked in the ERP ends the session at the
// first request one Recheck later.
func TestRevokedToken(t *testing.T) {
	t.Parallel()
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	clock := erptest.NewClock()
	srv := startHandler(t, config{ERPURL: erpSrv.URL, Now: clock.Now}, false)
	c := newClient(t, srv)
	c.login(demo.Username, demo.Password)
	if n, err := erpSrv.Service.RevokeUserTokens(context.Background(), demo.Username); err != nil || n == 0 {
		t.Fatalf("revoke: %d, %v", n, err)
	}
	clock.Advance(recheck - time.Second)
	wantStatus(t, c.get("/dashboard"), http.StatusOK) // the ERP's answer at sign-in stands until the Recheck
	clock.Advance(time.Second)
	res := c.get("/dashboard")
	wantRedirect(t, res, "/?next=%2Fdashboard")
	if sc := findSetCookie(res.Response, sessionCookie); sc == nil || sc.MaxAge >= 0 {
		t.Errorf("the session cookie was not deleted: %v", sc)
	}
	page := c.get("/")
	if !strings.Contains(page.body, "Your session has ended. Please log in again.") {
		t.Errorf("no message on the login page:\n%s", page.body)
	}
}

func TestAccessWithdrawn(t *testing.T) {
	t.Parallel()
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	clock := erptest.NewClock()
	srv := startHandler(t, config{ERPURL: erpSrv.URL, Now: clock.Now}, false)
	c := newClient(t, srv)
	c.login(demo.Viewer, demo.Password)
	if err := erpSrv.Service.Revoke(context.Background(), demo.Viewer, "timeapp_use"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(recheck)
	wantRedirect(t, c.get("/dashboard"), "/?next=%2Fdashboard")
	if page := c.get("/"); !strings.Contains(page.body, "no longer has access to TimeApp") {
		t.Errorf("no message on the login page:\n%s", page.body)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	clock := erptest.NewClock()
	advance := clock.Advance
	srv := startHandler(t, config{ERPURL: erpSrv.URL, SessionIdle: time.Hour, SessionMaxAge: 3 * time.Hour, Now: clock.Now}, false)

	c := newClient(t, srv)
	c.login(demo.Username, demo.Password)
	for range 3 { // active use keeps the session, up to the maximum age
		advance(50 * time.Minute)
		wantStatus(t, c.get("/dashboard"), http.StatusOK)
	}
	advance(50 * time.Minute)
	wantRedirect(t, c.get("/dashboard"), "/?next=%2Fdashboard")

	c.login(demo.Username, demo.Password)
	advance(61 * time.Minute)
	wantRedirect(t, c.get("/dashboard"), "/?next=%2Fdashboard")
	if page := c.get("/"); !strings.Contains(page.body, "Your session has ended.") {
		t.Errorf("no message after the idle timeout:\n%s", page.body)
	}
}

func TestERPUnreachable(t *testing.T) {
	t.Parallel()
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	target, err := url.Parse(erpSrv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var down atomic.Bool
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("<html><head><title>502 Bad Gateway</title></head></html>"))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	clock := erptest.NewClock()
	srv := startHandler(t, config{ERPURL: front.URL + target.Path, Now: clock.Now}, false)

	c := newClient(t, srv)
	dash := c.login(demo.Username, demo.Password)
	down.Store(true)
	clock.Advance(recheck) // the check with the ERP is due: it fails closed
	for _, res := range []response{
		c.get("/dashboard"),
		c.get("/timetracking"),
		c.post("/timetracking", url.Values{"csrf": {csrf(t, dash)}, "description": {"x"}}),
	} {
		wantStatus(t, res, http.StatusBadGateway)
		if !strings.Contains(res.body, "The ERP could not be reached.") {
			t.Errorf("502 page:\n%s", res.body)
		}
	}
	down.Store(false)
	clock.Advance(5 * time.Second)                    // a failed check stands that long
	wantStatus(t, c.get("/dashboard"), http.StatusOK) // the session survived

	// Signing in while no ERP listens at all.
	ln := httptest.NewServer(http.NotFoundHandler())
	deadURL := ln.URL + "/api/v1"
	ln.Close()
	dead := startHandler(t, config{ERPURL: deadURL}, false)
	d := newClient(t, dead)
	page := d.get("/")
	res := d.post("/", url.Values{"csrf": {csrf(t, page.body)}, "username": {demo.Username}, "password": {demo.Password}})
	wantStatus(t, res, http.StatusBadGateway)
	if !strings.Contains(res.body, "The ERP could not be reached.") {
		t.Errorf("502 page:\n%s", res.body)
	}
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	for _, tc := range []struct {
		name string
		cfg  config
		tls  bool
	}{
		{"HTTPS", config{ERPURL: erpSrv.URL}, true},
		{"Flag", config{ERPURL: erpSrv.URL, SecureCookies: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startHandler(t, tc.cfg, tc.tls)
			c := newClient(t, srv)
			page := c.get("/")
			nonce := findSetCookie(page.Response, "__Host-"+loginCSRFCookie)
			if nonce == nil {
				t.Fatalf("no __Host- CSRF cookie: %q", page.Header.Values("Set-Cookie"))
			}
			checkCookieFlags(t, nonce, true)
			// Over TLS, or behind a TLS proxy, browsers are told to keep
			// to HTTPS.
			if got := page.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
				t.Errorf("Strict-Transport-Security = %q, want max-age=31536000", got)
			}
			if !tc.tls {
				return // Go's cookie jar does not send Secure cookies over plain HTTP
			}
			res := c.post("/", url.Values{"csrf": {csrf(t, page.body)}, "username": {demo.Username}, "password": {demo.Password}})
			wantRedirect(t, res, "/dashboard")
			sc := findSetCookie(res.Response, "__Host-"+sessionCookie)
			if sc == nil {
				t.Fatalf("no __Host- session cookie: %q", res.Header.Values("Set-Cookie"))
			}
			checkCookieFlags(t, sc, true)
			wantStatus(t, c.get("/dashboard"), http.StatusOK)
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	c := newClient(t, srv)
	for _, path := range []string{"/", "/static/style.css", "/no-such-page", "/dashboard"} {
		res := c.get(path)
		want := map[string]string{
			"Content-Security-Policy": contentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Frame-Options":         "DENY",
		}
		for k, v := range want {
			if got := res.Header.Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
			}
		}
		if got := res.Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("GET %s over plain HTTP without -secure-cookies: HSTS %q", path, got)
		}
	}
	for _, s := range []string{"script-src", "unsafe-inline"} {
		if strings.Contains(contentSecurityPolicy, s) {
			t.Errorf("the CSP allows %s", s)
		}
	}
	if css := c.get("/static/style.css"); css.StatusCode != http.StatusOK || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %s %s", css.Status, css.Header.Get("Content-Type"))
	}
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    config
		wantErr string
	}{
		{name: "Defaults", want: config{Addr: "127.0.0.1:8001", ERPURL: "http://localhost:8000/api/v1"}},
		{name: "Env", env: map[string]string{"LOGINAPP_ADDR": ":9000", "CLOUDSPOT_BASE_URL": "http://erp:8000/api/v1", "LOGINAPP_SECURE_COOKIES": "true"},
			want: config{Addr: ":9000", ERPURL: "http://erp:8000/api/v1", SecureCookies: true}},
		{name: "FlagsOverEnv", args: []string{"-addr", "127.0.0.1:0", "-erp", "https://erp.example/api/v1", "-secure-cookies=false"},
			env:  map[string]string{"LOGINAPP_ADDR": ":9000", "LOGINAPP_SECURE_COOKIES": "1"},
			want: config{Addr: "127.0.0.1:0", ERPURL: "https://erp.example/api/v1"}},
		{name: "BadBool", env: map[string]string{"LOGINAPP_SECURE_COOKIES": "maybe"}, wantErr: "LOGINAPP_SECURE_COOKIES"},
		{name: "BadFlag", args: []string{"-port", "1"}, wantErr: "flag provided but not defined"},
		{name: "ExtraArgs", args: []string{"serve"}, wantErr: "unexpected arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			got, err := parseConfig(tc.args, env(tc.env), &stderr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Addr != tc.want.Addr || got.ERPURL != tc.want.ERPURL || got.SecureCookies != tc.want.SecureCookies {
				t.Errorf("config = %+v, want %+v", got, tc.want)
			}
		})
	}
	// A bad ERP URL stops the program before it listens.
	var stdout, stderr strings.Builder
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-erp", "ftp://erp"}, env(nil), &stdout, &stderr)
	if err == nil || stdout.Len() != 0 {
		t.Errorf("run with a bad ERP URL: %v, printed %q", err, stdout.String())
	}
}

// TestRun runs the program itself and signs in through it.
func TestRun(t *testing.T) {
	t.Parallel()
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	base := startApp(t, erpSrv.URL)
	c := newClientFor(t, base, http.DefaultTransport)
	dash := c.login(demo.Username, demo.Password)
	if !strings.Contains(dash, "Jan Peeters") {
		t.Errorf("dashboard:\n%s", dash)
	}
}

// findSetCookie returns the cookie of that name that res sets, or nil.
func findSetCookie(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func checkCookieFlags(t *testing.T, c *http.Cookie, secure bool) {
	t.Helper()
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.Secure != secure {
		t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Path=%q Domain=%q Secure=%v; want HttpOnly, Lax, /, host-only, Secure=%v",
			c.Name, c.HttpOnly, c.SameSite, c.Path, c.Domain, c.Secure, secure)
	}
}

// permissionsIn lists the permission slugs a dashboard shows.
func permissionsIn(body string) []string {
	list := between(body, `<ul id="permissions">`, "</ul>")
	var out []string
	for _, part := range strings.Split(list, "<code>")[1:] {
		out = append(out, strings.TrimSpace(part[:strings.Index(part, "</code>")]))
	}
	return out
}

// between is the text between the first start and the next end, or "".
func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, end)
	return in
}

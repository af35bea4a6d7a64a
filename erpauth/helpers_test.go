package erpauth_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

// clock is a test's clock, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now()} }

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

// logBuffer collects what several goroutines log.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testApp is a small app behind erpauth, in front of a stand-in ERP:
//
//	/login       the login page
//	POST /logout
//	/            any signed-in user: their name, company, email, permissions, form token
//	/tt          timeapp_timetracking_use (GET shows, POST creates)
//	/any         one of timeapp_admin and timeapp_timetracking_create
//	/both        timeapp_use and timeapp_admin
type testApp struct {
	srv   *httptest.Server
	auth  *erpauth.Auth
	erp   *standIn
	clock *clock
	logs  *logBuffer
}

func startApp(t *testing.T, erp *standIn, cfg erpauth.Config) *testApp {
	t.Helper()
	a := &testApp{erp: erp, clock: newClock(), logs: &logBuffer{}}
	if cfg.Now == nil {
		cfg.Now = a.clock.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	auth, err := erpauth.New(erp.userAPI(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.auth = auth
	page := func(w http.ResponseWriter, r *http.Request) {
		u, ok := erpauth.UserFrom(r.Context())
		if !ok {
			http.Error(w, "no user on the context", 500)
			return
		}
		if r.Method == http.MethodPost {
			fmt.Fprintf(w, "created by %s\n", u.Username)
			return
		}
		fmt.Fprintf(w, "page %s for %s\nname=%s\ncompany=%s\nemail=%s\npermissions=%s\ntoken=%v\ncsrf=%s\n", r.URL.Path, u.Username, u.Name(),
			u.Company, u.Email, strings.Join(u.Permissions, ","), strings.HasPrefix(u.Token, "csu_"), erpauth.CSRFToken(r.Context()))
	}
	mux := http.NewServeMux()
	mux.Handle("/login", auth.LoginHandler())
	mux.Handle("POST /logout", auth.LogoutHandler())
	mux.Handle("/{$}", auth.Require()(http.HandlerFunc(page)))
	mux.Handle("/tt", auth.Require("timeapp_timetracking_use")(http.HandlerFunc(page)))
	mux.Handle("/any", auth.RequireAny("timeapp_admin", "timeapp_timetracking_create")(http.HandlerFunc(page)))
	mux.Handle("/both", auth.Require("timeapp_use", "timeapp_admin")(http.HandlerFunc(page)))
	a.srv = httptest.NewServer(mux)
	t.Cleanup(a.srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("erpauth's log:\n%s", a.logs.String())
		}
	})
	return a
}

// client is a browser without a screen: its own cookie jar, and redirects
// not followed, so that a test sees every status and Location.
type client struct {
	t    *testing.T
	base *url.URL
	hc   *http.Client
}

func (a *testApp) client(t *testing.T) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(a.srv.URL)
	return &client{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	*http.Response
	body string
}

func (c *client) do(method, path string, form url.Values, header ...string) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base.String()+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{res, string(b)}
}

func (c *client) get(path string, header ...string) response {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil, header...)
}

func (c *client) post(path string, form url.Values, header ...string) response {
	c.t.Helper()
	return c.do(http.MethodPost, path, form, header...)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// loginToken is the form token of a login page.
func loginToken(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field in the page:\n%s", page)
	}
	return m[1]
}

// formToken is the session's form token, as the test app's pages show it.
func formToken(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^csrf=(\S+)$`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form token in the page:\n%s", page)
	}
	return m[1]
}

// signIn sends the login form, as a browser that opened it first, and
// returns the answer.
func (c *client) signIn(username, pw string, extra ...string) response {
	c.t.Helper()
	page := c.get("/login")
	form := url.Values{"csrf": {loginToken(c.t, page.body)}, "username": {username}, "password": {pw}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return c.post("/login", form)
}

// mustSignIn signs in and returns the form token of the new session.
func (c *client) mustSignIn(username string) string {
	c.t.Helper()
	res := c.signIn(username, password)
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign-in as %s: %s\n%s", username, res.Status, res.body)
	}
	home := c.get("/")
	if home.StatusCode != http.StatusOK {
		c.t.Fatalf("home after sign-in: %s\n%s", home.Status, home.body)
	}
	return formToken(c.t, home.body)
}

// cookie is the jar's cookie of that name, or nil.
func (c *client) cookie(name string) *http.Cookie {
	for _, k := range c.hc.Jar.Cookies(c.base) {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// setCookie puts a cookie in the jar, as a planted or copied one.
func (c *client) setCookie(name, value string) {
	c.hc.Jar.SetCookies(c.base, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

func wantStatus(t *testing.T, res response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: %s, want %d\n%s", res.Request.Method, res.Request.URL, res.Status, status, res.body)
	}
}

func wantRedirect(t *testing.T, res response, location string) {
	t.Helper()
	wantStatus(t, res, http.StatusSeeOther)
	if got := res.Header.Get("Location"); got != location {
		t.Fatalf("%s %s: Location %q, want %q", res.Request.Method, res.Request.URL, got, location)
	}
}

func wantBody(t *testing.T, res response, sub string) {
	t.Helper()
	if !strings.Contains(res.body, sub) {
		t.Fatalf("%s %s: the page lacks %q:\n%s", res.Request.Method, res.Request.URL, sub, res.body)
	}
}

// setCookieOf returns the cookie of that name that res sets, or nil.
func setCookieOf(res response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// keys returns n random keys.
func keys(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = make([]byte, erpauth.MinKeySize)
		rand.Read(out[i])
	}
	return out
}

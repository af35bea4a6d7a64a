package e2e_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/erpauth"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The erpauth suite: a web app behind erpauth in front of the real server,
// over real HTTP, on each storage engine (the server keeps its tokens,
// permissions and sign-in counters there). The app's users connect from
// addresses of their own in 127.0.0.0/8; the app reaches the server from
// 127.0.0.1.

func TestERPAuth(t *testing.T) {
	t.Parallel()
	suite := []struct {
		name string
		test func(*testing.T, erptest.Engine)
	}{
		{"SignIn", testAuthSignIn},
		{"CompanyFromTheERP", testAuthCompany},
		{"ERPTrouble", testAuthERPTrouble},
		{"Sessions", testAuthSessions},
		{"Recheck", testAuthRecheck},
		{"RecheckOncePerSession", testAuthRecheckOnce},
		{"ConcurrentSessions", testAuthConcurrentSessions},
		{"BruteForce", testAuthBruteForce},
	}
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range suite {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.test(t, e)
				})
			}
		})
	}
}

// cheapHashes make the many sign-ins of these tests quick; the limits and
// the answers are the server's own.
var cheapHashes = erp.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// calls counts the requests the server answered, by route, and those it
// judged: all but its 503s (busy, its database unavailable), after which
// the request was not looked at and may come again.
type calls struct {
	mu     sync.Mutex
	n      map[string]int
	judged map[string]int
}

func (c *calls) observe(route, _ string, status int, _ time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[route]++
	if status != http.StatusServiceUnavailable {
		c.judged[route]++
	}
}

func (c *calls) of(call string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n["/api/v1/auth/"+call]
}

func (c *calls) judgedOf(call string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.judged["/api/v1/auth/"+call]
}

// postAgainWhileBusy sends a form, and again while the app answers 502
// (the server was busy), at most 10 times, as a person presses the button
// again: a loaded test machine makes the server's database busy at times,
// which the app rightly says and which is not what these tests test.
func (c *webClient) postAgainWhileBusy(path string, form url.Values) answer {
	var a answer
	for range 10 {
		if a = c.post(path, form); a.status != http.StatusBadGateway {
			return a
		}
	}
	return a
}

// authStack is the server, and an app behind erpauth in front of it:
//
//	/login, POST /logout   erpauth's
//	/                      any signed-in user: who, their company, permissions and form token
//	/tt                    timeapp_timetracking_use; POST creates
type authStack struct {
	erp   *erptest.Server
	app   *httptest.Server
	clock *erptest.Clock
	calls *calls
	logs  *erptest.Buffer
	store erpauth.Store
}

// startAuth starts the server with the demo on engine e, with o, and the
// app in front of it with cfg (its clock, logger and store unless set).
func startAuth(t *testing.T, e erptest.Engine, o erptest.Options, cfg erpauth.Config) *authStack {
	t.Helper()
	s := &authStack{clock: erptest.NewClock(), calls: &calls{n: map[string]int{}, judged: map[string]int{}}, logs: &erptest.Buffer{}}
	o.Demo, o.Store, o.Argon2, o.Observer = true, e.Open(t), cheapHashes, s.calls.observe
	s.erp = erptest.Start(t, o)
	if cfg.Now == nil {
		cfg.Now = s.clock.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(s.logs, nil))
	}
	if cfg.Store == nil {
		cfg.Store = erpauth.NewMemoryStore(0)
	}
	s.store = cfg.Store
	s.app = startAuthApp(t, s.erp.URL, cfg)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("erpauth's log:\n%s", s.logs.String())
		}
	})
	return s
}

// startAuthApp serves the test app in front of the ERP at erpURL.
func startAuthApp(t *testing.T, erpURL string, cfg erpauth.Config, opts ...cloudspot.Option) *httptest.Server {
	t.Helper()
	api, err := cloudspot.NewUserAPI("timeapp", append([]cloudspot.Option{cloudspot.WithBaseURL(erpURL)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := erpauth.New(api, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/login", auth.LoginHandler())
	mux.Handle("POST /logout", auth.LogoutHandler())
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := erpauth.UserFrom(r.Context())
		if r.Method == http.MethodPost {
			fmt.Fprintf(w, "created by %s\n", u.Username)
			return
		}
		fmt.Fprintf(w, "page %s\nname=%s\nemail=%s\ncompany=%s\npermissions=%s\ntoken=%v\ncsrf=%s\n", r.URL.Path, u.Name(), u.Email, u.Company,
			strings.Join(u.Permissions, ","), strings.HasPrefix(u.Token, "csu_"), erpauth.CSRFToken(r.Context()))
	})
	mux.Handle("/{$}", auth.Require()(page))
	mux.Handle("/tt", auth.Require("timeapp_timetracking_use")(page))
	app := httptest.NewServer(mux)
	t.Cleanup(app.Close)
	return app
}

// webClient is a browser without a screen at one address: its own cookies,
// its connections from that address, redirects not followed.
type webClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func (s *authStack) client(t *testing.T, from string) *webClient {
	t.Helper()
	return newWebClient(t, s.app.URL, from)
}

func newWebClient(t *testing.T, base, from string) *webClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	tr := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 100}
	t.Cleanup(tr.CloseIdleConnections)
	return &webClient{t: t, base: base, hc: &http.Client{Jar: jar, Transport: tr, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type answer struct {
	status   int
	location string
	body     string
	header   http.Header
}

// do sends a request; it reports a failure to send with t.Errorf (it may run
// on a goroutine of the test's) and returns a zero answer.
func (c *webClient) do(method, path string, form url.Values, header ...string) answer {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Error(err)
		return answer{}
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Errorf("%s %s: %v", method, path, err)
		return answer{}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b), header: res.Header}
}

func (c *webClient) get(path string, header ...string) answer {
	return c.do(http.MethodGet, path, nil, header...)
}

func (c *webClient) post(path string, form url.Values, header ...string) answer {
	return c.do(http.MethodPost, path, form, header...)
}

var (
	loginTokenRE = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
	formTokenRE  = regexp.MustCompile(`(?m)^csrf=(\S+)$`)
)

// loginForm opens the login page and returns its form token.
func (c *webClient) loginForm() string {
	page := c.get("/login")
	m := loginTokenRE.FindStringSubmatch(page.body)
	if m == nil {
		c.t.Errorf("no login form: %d %s", page.status, page.body)
		return ""
	}
	return m[1]
}

// signIn sends the login form, opened first.
func (c *webClient) signIn(username, password string) answer {
	return c.post("/login", url.Values{"csrf": {c.loginForm()}, "username": {username}, "password": {password}})
}

// mustSignIn signs in and returns the session's form token.
func (c *webClient) mustSignIn(username string) string {
	c.t.Helper()
	if a := c.signIn(username, demo.Password); a.status != http.StatusSeeOther {
		c.t.Fatalf("sign-in as %s: %d\n%s", username, a.status, a.body)
	}
	home := c.get("/")
	m := formTokenRE.FindStringSubmatch(home.body)
	if home.status != http.StatusOK || m == nil {
		c.t.Fatalf("home after sign-in: %d\n%s", home.status, home.body)
	}
	return m[1]
}

func (c *webClient) cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, k := range c.hc.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

func (c *webClient) setCookie(name, value string) {
	u, _ := url.Parse(c.base)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

func want(t *testing.T, a answer, status int, location string) {
	t.Helper()
	if a.status != status || a.location != location {
		t.Fatalf("got %d to %q, want %d to %q\n%s", a.status, a.location, status, location, a.body)
	}
}

func wantIn(t *testing.T, a answer, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(a.body, s) {
			t.Fatalf("the page (%d) lacks %q:\n%s", a.status, s, a.body)
		}
	}
}

// noSecretsLogged fails the test if erpauth's log holds a password or a
// token.
func noSecretsLogged(t *testing.T, logs string, passwords ...string) {
	t.Helper()
	if regexp.MustCompile(`csu_[A-Za-z0-9]`).MatchString(logs) {
		t.Errorf("erpauth's log holds a user token:\n%s", logs)
	}
	for _, p := range passwords {
		if strings.Contains(logs, p) {
			t.Errorf("erpauth's log holds the password %q", p)
		}
	}
}

func testAuthSignIn(t *testing.T, e erptest.Engine) {
	s := startAuth(t, e, erptest.Options{}, erpauth.Config{AppName: "TimeApp", AppPermission: "timeapp_use"})
	c := s.client(t, "127.0.0.11")
	want(t, c.get("/tt"), http.StatusSeeOther, "/login?next=%2Ftt")
	a := c.post("/login", url.Values{"csrf": {c.loginForm()}, "username": {demo.Username}, "password": {demo.Password}, "next": {"/tt"}})
	want(t, a, http.StatusSeeOther, "/tt")
	for _, k := range c.hc.Jar.Cookies(mustURL(t, s.app.URL)) {
		if strings.Contains(k.Value, "csu_") {
			t.Errorf("cookie %s holds the ERP token", k.Name)
		}
	}
	tt := c.get("/tt")
	wantIn(t, tt, "name=Jan Peeters", "company="+demo.CompanyUID, "permissions="+strings.Join(demo.Granted(), ","), "token=true")
	if tt.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", tt.header.Get("Cache-Control"))
	}

	// The same answer for a wrong password and an unknown user.
	var pages []string
	for _, who := range []string{demo.Username, "nobody"} {
		a := s.client(t, "127.0.0.12").signIn(who, "wrong-password-1")
		if a.status != http.StatusUnauthorized {
			t.Fatalf("%s: %d", who, a.status)
		}
		wantIn(t, a, "Username or password not correct.")
		pages = append(pages, strings.ReplaceAll(loginTokenRE.ReplaceAllString(a.body, ""), who, "USER"))
	}
	if pages[0] != pages[1] {
		t.Errorf("an unknown user's page differs from a wrong password's")
	}
	// A user of the company without the app's permission.
	if _, err := s.erp.Service.CreateUser(context.Background(), erp.NewUser{Username: "outsider", Password: demo.Password, Company: demo.Company}); err != nil {
		t.Fatal(err)
	}
	a = s.client(t, "127.0.0.13").signIn("outsider", demo.Password)
	want(t, a, http.StatusForbidden, "")
	wantIn(t, a, "Your ERP account has no access to TimeApp. Ask your ERP administrator for the permission timeapp_use.")

	// A user without the page's permission; a request for JSON.
	v := s.client(t, "127.0.0.14")
	v.mustSignIn(demo.Viewer)
	a = v.get("/tt")
	want(t, a, http.StatusForbidden, "")
	wantIn(t, a, "You do not have the permission timeapp_timetracking_use.")
	a = v.get("/tt", "Accept", "application/json")
	if a.status != http.StatusForbidden || !strings.HasPrefix(a.body, `{"message":"You do not have the permission`) {
		t.Errorf("JSON 403: %d %s", a.status, a.body)
	}
	a = s.client(t, "127.0.0.15").get("/tt", "Accept", "application/json")
	if a.status != http.StatusUnauthorized || a.body != `{"message":"Please log in first."}`+"\n" {
		t.Errorf("JSON 401: %d %s", a.status, a.body)
	}
	noSecretsLogged(t, s.logs.String(), demo.Password, "wrong-password-1")
}

// testAuthCompany: the company's uid is the ERP's answer of version 0.5 and
// later; an ERP that sends older answers leaves it empty.
func testAuthCompany(t *testing.T, e erptest.Engine) {
	s := startAuth(t, e, erptest.Options{}, erpauth.Config{})
	old := startAuthApp(t, s.erp.URL, erpauth.Config{}, cloudspot.WithAPIVersion("0.4"))
	for _, tc := range []struct {
		base, company string
	}{{s.app.URL, demo.CompanyUID}, {old.URL, ""}} {
		c := newWebClient(t, tc.base, "127.0.0.21")
		c.mustSignIn(demo.Username)
		wantIn(t, c.get("/"), "\ncompany="+tc.company+"\n", "email=")
	}
}

func testAuthERPTrouble(t *testing.T, e erptest.Engine) {
	t.Run("ERPThrottle", func(t *testing.T) {
		// With erpauth's own limit off, the server's answers the tenth
		// failure for the username from the app's address: its wait
		// reaches the page.
		s := startAuth(t, e, erptest.Options{}, erpauth.Config{MaxFailedSignIns: -1})
		c := s.client(t, "127.0.0.31")
		var a answer
		for i := range 11 {
			a = c.signIn(demo.Username, "guess-"+strconv.Itoa(i))
		}
		want(t, a, http.StatusTooManyRequests, "")
		m := regexp.MustCompile(`Too many failed sign-ins. Please try again in (\d+) minutes.`).FindStringSubmatch(a.body)
		if m == nil {
			t.Fatalf("the page:\n%s", a.body)
		}
		ra, _ := strconv.Atoi(a.header.Get("Retry-After"))
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > 15 || ra < 1 || ra > 900 || (ra+59)/60 != n {
			t.Errorf("the page says %s minutes, Retry-After %q; want the server's wait of up to 15 minutes", m[1], a.header.Get("Retry-After"))
		}
	})
	t.Run("ERPDown", func(t *testing.T) {
		s := startAuth(t, e, erptest.Options{}, erpauth.Config{})
		target := mustURL(t, s.erp.URL)
		var down atomic.Bool
		proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if down.Load() {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadGateway)
				io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
				return
			}
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(front.Close)
		clock := erptest.NewClock()
		app := startAuthApp(t, front.URL+target.Path, erpauth.Config{Now: clock.Now})
		c := newWebClient(t, app.URL, "127.0.0.32")
		c.mustSignIn(demo.Username)
		down.Store(true)
		a := newWebClient(t, app.URL, "127.0.0.33").signIn(demo.Username, demo.Password)
		want(t, a, http.StatusBadGateway, "")
		wantIn(t, a, "The ERP could not be reached. Please try again in a moment.")
		clock.Advance(5 * time.Minute)
		a = c.get("/tt")
		want(t, a, http.StatusBadGateway, "")
		wantIn(t, a, "The ERP could not be reached.")
		if strings.Contains(a.body, "nginx") || strings.Contains(a.body, "page /tt") {
			t.Errorf("the page:\n%s", a.body)
		}
		down.Store(false)
		clock.Advance(5 * time.Second)
		want(t, c.get("/tt"), http.StatusOK, "")

		// No ERP listening at all.
		ln := httptest.NewServer(http.NotFoundHandler())
		ln.Close()
		a = newWebClient(t, startAuthApp(t, ln.URL+"/api/v1", erpauth.Config{}).URL, "127.0.0.34").signIn(demo.Username, demo.Password)
		want(t, a, http.StatusBadGateway, "")
		wantIn(t, a, "The ERP could not be reached.")
	})
}

// sessionStores are the built-in stores, made fresh for one app.
func sessionStores(t *testing.T) map[string]erpauth.Store {
	cookies, err := erpauth.NewCookieStore(0, []byte("a key of the end-to-end tests, 32 bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]erpauth.Store{"memory": erpauth.NewMemoryStore(0), "cookie": cookies}
}

func testAuthSessions(t *testing.T, e erptest.Engine) {
	for name, store := range sessionStores(t) {
		t.Run(name, func(t *testing.T) {
			s := startAuth(t, e, erptest.Options{}, erpauth.Config{Store: store, Keys: [][]byte{[]byte("a key of the end-to-end tests, 32 bytes or more")},
				IdleTimeout: time.Hour, MaxAge: 3 * time.Hour})

			// Fixation: the attacker's session, planted in the victim's
			// browser before the victim signs in, is replaced and ended.
			victim := s.client(t, "127.0.0.41")
			form := victim.loginForm()
			attacker := s.client(t, "127.0.0.42")
			attacker.mustSignIn(demo.Viewer)
			planted := attacker.cookie("erpauth")
			victim.setCookie("erpauth", planted)
			want(t, victim.post("/login", url.Values{"csrf": {form}, "username": {demo.Username}, "password": {demo.Password}}), http.StatusSeeOther, "/")
			if victim.cookie("erpauth") == planted {
				t.Fatal("the sign-in kept the planted session")
			}
			wantIn(t, victim.get("/"), "name=Jan Peeters")
			want(t, attacker.get("/"), http.StatusSeeOther, "/login?next=%2F")

			// Logout ends the session on the server: a copy of the cookie
			// is refused afterwards; and the ERP revokes the session's
			// token, so that a copy of it is refused too.
			token := formTokenRE.FindStringSubmatch(victim.get("/").body)[1]
			copied := victim.cookie("erpauth")
			live := liveTokens(t, s.erp, demo.Username)
			want(t, victim.post("/logout", url.Values{"csrf": {token}}), http.StatusSeeOther, "/login")
			if after := liveTokens(t, s.erp, demo.Username); after != live-1 {
				t.Errorf("the demo user has %d live tokens after the logout, want %d: the ERP did not revoke the session's token", after, live-1)
			}
			thief := s.client(t, "127.0.0.43")
			thief.setCookie("erpauth", copied)
			want(t, thief.get("/"), http.StatusSeeOther, "/login?next=%2F")

			// Idle and absolute timeouts.
			c := s.client(t, "127.0.0.44")
			c.mustSignIn(demo.Username)
			for range 3 {
				s.clock.Advance(50 * time.Minute)
				want(t, c.get("/"), http.StatusOK, "")
			}
			s.clock.Advance(31 * time.Minute)
			want(t, c.get("/"), http.StatusSeeOther, "/login?next=%2F")
			wantIn(t, c.get("/login"), "Your session has ended. Please log in again.")
			c.mustSignIn(demo.Username)
			s.clock.Advance(time.Hour)
			want(t, c.get("/"), http.StatusSeeOther, "/login?next=%2F")
		})
	}
}

// testAuthRecheck: what an administrator changes in the server reaches a
// signed-in session at its first request one Recheck later.
func testAuthRecheck(t *testing.T, e erptest.Engine) {
	for name, store := range sessionStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var changed atomic.Int32
			s := startAuth(t, e, erptest.Options{}, erpauth.Config{Store: store, Keys: [][]byte{[]byte("a key of the end-to-end tests, 32 bytes or more")},
				AppName: "TimeApp", AppPermission: "timeapp_use",
				PermissionsChanged: func(context.Context, erpauth.User, cloudspot.Permissions) { changed.Add(1) }})
			jan, lotte := s.client(t, "127.0.0.51"), s.client(t, "127.0.0.52")
			jan.mustSignIn(demo.Username)
			lotte.mustSignIn(demo.Viewer)

			if _, err := s.erp.Service.RevokeUserTokens(ctx, demo.Username); err != nil {
				t.Fatal(err)
			}
			if err := s.erp.Service.Revoke(ctx, demo.Viewer, "timeapp_use"); err != nil {
				t.Fatal(err)
			}
			s.clock.Advance(5*time.Minute - time.Second)
			want(t, jan.get("/tt"), http.StatusOK, "") // the ERP's answer at sign-in stands
			want(t, lotte.get("/"), http.StatusOK, "")
			s.clock.Advance(time.Second)
			want(t, jan.get("/tt"), http.StatusSeeOther, "/login?next=%2Ftt")
			wantIn(t, jan.get("/login"), "Your session has ended. Please log in again.")
			want(t, lotte.get("/"), http.StatusSeeOther, "/login?next=%2F")
			wantIn(t, lotte.get("/login"), "Your ERP account no longer has access to TimeApp.")

			// A permission taken away closes its page, and the hook hears
			// of it.
			jan.mustSignIn(demo.Username)
			if err := s.erp.Service.Revoke(ctx, demo.Username, "timeapp_timetracking_use"); err != nil {
				t.Fatal(err)
			}
			s.clock.Advance(5 * time.Minute)
			want(t, jan.get("/tt"), http.StatusForbidden, "")
			want(t, jan.get("/"), http.StatusOK, "")
			if changed.Load() != 1 {
				t.Errorf("PermissionsChanged was called %d times, want once", changed.Load())
			}
		})
	}
}

// testAuthRecheckOnce: a hundred requests of one session when its Recheck
// is due ask the server once.
func testAuthRecheckOnce(t *testing.T, e erptest.Engine) {
	for name, store := range sessionStores(t) {
		t.Run(name, func(t *testing.T) {
			s := startAuth(t, e, erptest.Options{}, erpauth.Config{Store: store, Keys: [][]byte{[]byte("a key of the end-to-end tests, 32 bytes or more")}})
			c := s.client(t, "127.0.0.61")
			c.mustSignIn(demo.Username)
			before := s.calls.of("get-permissions")
			s.clock.Advance(5 * time.Minute)
			var wg sync.WaitGroup
			for range 100 {
				wg.Go(func() {
					if a := c.get("/tt"); a.status != http.StatusOK {
						t.Errorf("a request got %d", a.status)
					}
				})
			}
			wg.Wait()
			if n := s.calls.of("get-permissions") - before; n != 1 {
				t.Errorf("100 requests of one session asked the server %d times, want once", n)
			}
		})
	}
}

// forwarding is the deployment docs/erpauth.md recommends: the app sends
// each user's address, and the server believes it from the app's address.
var forwarding = erptest.Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}

// testAuthConcurrentSessions: 200 users at 200 addresses sign in at once,
// use the app at once, are checked with the ERP once each when their
// Recheck falls due, and log out at once; every session is its own and
// none is left behind.
func testAuthConcurrentSessions(t *testing.T, e erptest.Engine) {
	store := erpauth.NewMemoryStore(0)
	s := startAuth(t, e, forwarding, erpauth.Config{Store: store, ForwardClientAddr: true})
	const n = 200
	clients := make([]*webClient, n)
	tokens := make([]string, n)
	for i := range clients {
		clients[i] = s.client(t, fmt.Sprintf("127.0.%d.%d", 10+i/250, 1+i%250))
	}
	var wg sync.WaitGroup
	all := func(fn func(i int, c *webClient)) {
		for i, c := range clients {
			wg.Go(func() { fn(i, c) })
		}
		wg.Wait()
	}
	// The sign-ins 20 at a time: a password check is the server's costly
	// part, and the server says it is busy when more wait than it checks
	// (a 502 page of the app's). Then all 200 sessions at once.
	signingIn := make(chan struct{}, 20)
	all(func(i int, c *webClient) {
		signingIn <- struct{}{}
		defer func() { <-signingIn }()
		user := demo.Username
		if i%2 == 1 {
			user = demo.Viewer
		}
		if a := c.postAgainWhileBusy("/login", url.Values{"csrf": {c.loginForm()}, "username": {user}, "password": {demo.Password}}); a.status != http.StatusSeeOther {
			t.Errorf("sign-in %d: %d %s", i, a.status, a.body)
			return
		}
		home := c.get("/")
		if m := formTokenRE.FindStringSubmatch(home.body); m != nil {
			tokens[i] = m[1]
		}
	})
	if t.Failed() {
		t.FailNow()
	}
	if got := store.Len(); got != n {
		t.Errorf("the store holds %d sessions, want %d", got, n)
	}
	seen := map[string]bool{}
	for i, tok := range tokens {
		if tok == "" || seen[tok] {
			t.Fatalf("session %d has form token %q, empty or another session's", i, tok)
		}
		seen[tok] = true
	}
	before := s.calls.of("get-permissions")
	s.clock.Advance(5 * time.Minute)
	all(func(i int, c *webClient) {
		wantStatus := map[bool]int{true: http.StatusOK, false: http.StatusForbidden}[i%2 == 0]
		for range 3 {
			if a := c.get("/tt"); a.status != wantStatus {
				t.Errorf("session %d: GET /tt %d, want %d", i, a.status, wantStatus)
			}
		}
		if i%2 == 0 {
			if a := c.post("/tt", url.Values{"csrf": {tokens[i]}}); a.status != http.StatusOK {
				t.Errorf("session %d: POST /tt %d", i, a.status)
			}
			if a := c.post("/tt", url.Values{"csrf": {tokens[(i+2)%n]}}); a.status != http.StatusForbidden {
				t.Errorf("session %d: another session's form token: %d", i, a.status)
			}
		}
	})
	if got := s.calls.of("get-permissions") - before; got != n {
		t.Errorf("%d sessions were checked with the server %d times, want once each", n, got)
	}
	all(func(i int, c *webClient) {
		if a := c.post("/logout", url.Values{"csrf": {tokens[i]}}); a.status != http.StatusSeeOther {
			t.Errorf("logout %d: %d", i, a.status)
		}
	})
	if got := store.Len(); got != 0 {
		t.Errorf("after every logout the store holds %d sessions", got)
	}
}

// testAuthBruteForce: 50 attackers at 50 addresses guess passwords through
// the app at once, 20 guesses each, while a real user at another address
// signs in. erpauth lets each address send the server 10 of them; with the
// users' addresses forwarded, the server counts each attacker apart and
// the real user signs in. Without forwarding, the same attack locks every
// user of the app out at the server: the reason to forward.
func testAuthBruteForce(t *testing.T, e erptest.Engine) {
	for _, tc := range []struct {
		name    string
		forward bool
		user    int // the real user's status after the attack (and, forwarded, during it)
	}{{"Forwarded", true, http.StatusSeeOther}, {"NotForwarded", false, http.StatusTooManyRequests}} {
		t.Run(tc.name, func(t *testing.T) {
			o := erptest.Options{}
			if tc.forward {
				o = forwarding
			}
			s := startAuth(t, e, o, erpauth.Config{ForwardClientAddr: tc.forward})
			var sprayed []string // 25 usernames, not the real user's
			for i := range 25 {
				sprayed = append(sprayed, fmt.Sprintf("user%d", i))
			}
			const attackers, guesses = 50, 20
			var wg sync.WaitGroup
			var sent atomic.Int32
			halfway := make(chan struct{})
			var once sync.Once
			for a := range attackers {
				c := s.client(t, fmt.Sprintf("127.0.1.%d", a+1))
				wg.Go(func() {
					form := c.loginForm()
					for g := range guesses {
						res := c.postAgainWhileBusy("/login", url.Values{"csrf": {form}, "username": {sprayed[(a+g)%len(sprayed)]}, "password": {fmt.Sprintf("guess-%d-%d", a, g)}})
						if sent.Add(1) == attackers*guesses/2 {
							once.Do(func() { close(halfway) })
						}
						switch {
						case res.status == http.StatusUnauthorized:
						case res.status == http.StatusTooManyRequests && res.header.Get("Retry-After") != "" && strings.Contains(res.body, "Too many failed sign-ins. Please try again in "):
						default:
							t.Errorf("guess %d of attacker %d got %d: %.300s", g, a, res.status, res.body)
						}
					}
				})
			}
			user := s.client(t, "127.0.2.1")
			userForm := user.loginForm()
			signInDuring := make(chan answer, 1)
			wg.Go(func() {
				<-halfway
				signInDuring <- user.postAgainWhileBusy("/login", url.Values{"csrf": {userForm}, "username": {demo.Username}, "password": {demo.Password}})
			})
			wg.Wait()
			// Not forwarded, the sign-in during the attack may come before
			// the server's limit for the app's address is used up, or after.
			if a := <-signInDuring; tc.forward && a.status != tc.user {
				t.Errorf("the real user's sign-in during the attack: %d, want %d\n%.300s", a.status, tc.user, a.body)
			}
			after := s.client(t, "127.0.2.2")
			if a := after.postAgainWhileBusy("/login", url.Values{"csrf": {after.loginForm()}, "username": {demo.Username}, "password": {demo.Password}}); a.status != tc.user {
				t.Errorf("the real user's sign-in after the attack: %d, want %d\n%.300s", a.status, tc.user, a.body)
			}
			// Each address had at most 10 guesses judged by the server.
			if n := s.calls.judgedOf("signin-external-app"); n > attackers*10+2 {
				t.Errorf("the server judged %d sign-ins; at most %d guesses and 2 of the user's may reach it", n, attackers*10)
			}
			// erpauth's records say who refused each guess.
			logs := s.logs.String()
			byApp, byERP := strings.Count(logs, `"reason":"too many failed sign-ins from this address"`), strings.Count(logs, `"reason":"the ERP's limit of failed sign-ins"`)
			if byApp != attackers*(guesses-10) {
				t.Errorf("erpauth refused %d guesses itself, want %d (the server %d)", byApp, attackers*(guesses-10), byERP)
			}
			t.Logf("%d guesses: refused by erpauth %d, by the server's limits %d; the server was busy %d times", attackers*guesses,
				byApp, byERP, s.calls.of("signin-external-app")-s.calls.judgedOf("signin-external-app"))
			noSecretsLogged(t, s.logs.String(), demo.Password, "guess-")
		})
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// liveTokens counts a user's tokens that the ERP still accepts.
func liveTokens(t *testing.T, erp *erptest.Server, username string) int {
	t.Helper()
	toks, err := erp.Service.UserTokens(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tok := range toks {
		if tok.RevokedAt.IsZero() {
			n++
		}
	}
	return n
}

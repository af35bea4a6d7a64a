package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The app's cookies (erpauth's, named by its CookieName), before the
// __Host- prefix that secure cookies get.
const (
	sessionCookie   = "loginapp"
	loginCSRFCookie = "loginapp_csrf"
)

// recheck is erpauth's default Recheck, after which a change in the ERP
// reaches the app.
const recheck = 5 * time.Minute

// startApp runs the real program in-process on a free port, pointed at the
// ERP at erpURL, until the test ends, and returns the app's URL (ending in
// "/").
func startApp(t *testing.T, erpURL string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr erptest.Buffer
	done := make(chan error, 1)
	args = append([]string{"-addr", "127.0.0.1:0", "-erp", erpURL}, args...)
	go func() {
		err := run(ctx, args, func(string) string { return "" }, pw, &stderr)
		pw.Close()
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("the app did not start: %v\n%s", <-done, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`^loginapp: listening on (http://\S+/)\n$`).FindStringSubmatch(line)
	if m == nil {
		cancel()
		t.Fatalf("the app's first line is %q", line)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the app stopped with %v", err)
		}
		if t.Failed() {
			t.Logf("the app's log:\n%s", stderr.String())
		}
	})
	return m[1]
}

// startHandler serves newApp(cfg) on an httptest server, with TLS when tls
// is set; cfg.ERPURL must be set.
func startHandler(t *testing.T, cfg config, tls bool) *httptest.Server {
	t.Helper()
	h, err := newApp(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv
}

// client is a plain HTTP client with its own cookie jar that does not
// follow redirects, so tests see every status and Location.
type client struct {
	t    *testing.T
	base *url.URL
	hc   *http.Client
}

func newClient(t *testing.T, srv *httptest.Server) *client {
	t.Helper()
	return newClientFor(t, srv.URL, srv.Client().Transport)
}

// newClientFor is newClient for an app at baseURL, reached through rt.
func newClientFor(t *testing.T, baseURL string, rt http.RoundTripper) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{
		Transport:     rt,
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &client{t: t, base: base, hc: hc}
}

// response is a response with its body read.
type response struct {
	*http.Response
	body string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
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

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base.JoinPath(path).String(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form; header adds request headers, such as the Origin a
// browser would send.
func (c *client) post(path string, form url.Values, header ...string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base.JoinPath(path).String(), strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// cookie returns the jar's cookie of that name, or nil.
func (c *client) cookie(name string) *http.Cookie {
	for _, k := range c.hc.Jar.Cookies(c.base) {
		if k.Name == name {
			return k
		}
	}
	return nil
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the form token in a page.
func csrf(t *testing.T, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf field in the page:\n%s", body)
	}
	return m[1]
}

// login signs in through the login form and checks that it worked; it
// returns the dashboard's body.
func (c *client) login(username, password string) string {
	c.t.Helper()
	page := c.get("/")
	res := c.post("/", url.Values{"csrf": {csrf(c.t, page.body)}, "username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		c.t.Fatalf("sign-in as %s: %s, Location %q\n%s", username, res.Status, res.Header.Get("Location"), res.body)
	}
	dash := c.get("/dashboard")
	if dash.StatusCode != http.StatusOK {
		c.t.Fatalf("dashboard after sign-in: %s\n%s", dash.Status, dash.body)
	}
	return dash.body
}

// wantStatus fails the test unless res has the status.
func wantStatus(t *testing.T, res response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: status %s, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.Status, status, res.body)
	}
}

// wantRedirect fails the test unless res is a 303 to location.
func wantRedirect(t *testing.T, res response, location string) {
	t.Helper()
	wantStatus(t, res, http.StatusSeeOther)
	if got := res.Header.Get("Location"); got != location {
		t.Fatalf("%s %s: Location %q, want %q", res.Request.Method, res.Request.URL.Path, got, location)
	}
}

// addUser creates an ERP user of the demo company with the given timeapp
// permissions.
func addUser(t *testing.T, svc *erp.Service, username string, perms ...string) {
	t.Helper()
	ctx := context.Background()
	_, err := svc.CreateUser(ctx, erp.NewUser{Username: username, Password: demo.Password, FirstName: "Test", LastName: strings.ToUpper(username[:1]) + username[1:], Company: demo.Company})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range perms {
		if err := svc.Grant(ctx, username, p); err != nil {
			t.Fatal(err)
		}
	}
}

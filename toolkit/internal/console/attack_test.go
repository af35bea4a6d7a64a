package console_test

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The attacks: each is refused or harmless, on each engine.

// client is a console client without a browser: a cookie jar, a source
// address of its own on 127.0.0.0/8, and no redirects followed.
type client struct {
	t    testing.TB
	s    *server
	http *http.Client
}

func (s *server) client(t testing.TB, from string) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, s: s, http: &http.Client{Jar: jar, Transport: tr, Timeout: 5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get fetches a page and returns its status and body.
func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.s.url + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends a form and returns the status and where it redirects.
func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	resp, err := c.http.PostForm(c.s.url+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Location")
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token is the form token on a page.
func (c *client) token(path string) string {
	c.t.Helper()
	status, body := c.get(path)
	m := csrfRE.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		c.t.Fatalf("GET %s: %d, no form token", path, status)
	}
	return m[1]
}

// signIn signs in with the form and returns the session's form token.
func (c *client) signIn(username, password string) string {
	c.t.Helper()
	status, to := c.post("/signin", url.Values{"csrf": {c.token("/signin")}, "username": {username}, "password": {password}})
	if status != http.StatusSeeOther || to != "/companies" {
		c.t.Fatalf("sign-in: %d to %q", status, to)
	}
	return c.token("/companies")
}

// session is the session cookie's value.
func (c *client) session() string {
	u, _ := url.Parse(c.s.url)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "cloudspot_console" {
			return ck.Value
		}
	}
	return ""
}

func (s *server) hasCompany(slug string) bool {
	_, err := s.svc.Company(context.Background(), slug)
	return err == nil
}

// TestCrossSiteFormPost has a page of another site (127.0.0.2) post a form
// to the console in the browser of a signed-in console user, with the
// session's own form token (as if it had leaked): the browser says where
// the form came from, and the console refuses it.
func TestCrossSiteFormPost(t *testing.T) {
	t.Parallel()
	engines(t, options{}, func(t *testing.T, s *server) {
		b := s.browser(t, "")
		b.signedIn()
		token := b.Attr(`.signout input[name="csrf"]`, "value")
		attacker := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><title>Win a prize</title>
<form method="post" action="%s/companies">
<input type="hidden" name="csrf" value="%s">
<input type="hidden" name="slug" value="forged">
<input type="hidden" name="name" value="Forged BV">
<button id="prize" type="submit">Claim your prize</button>
</form>`, s.url, token)
		}))
		ln, err := net.Listen("tcp", "127.0.0.2:0")
		if err != nil {
			t.Fatal(err)
		}
		attacker.Listener.Close()
		attacker.Listener = ln
		attacker.Start()
		t.Cleanup(attacker.Close)
		if status := b.Open(attacker.URL + "/"); status != http.StatusOK {
			t.Fatalf("attacker page: %d", status)
		}
		b.want(b.Click("#prize"), http.StatusForbidden, "message")
		if got := b.Text(".message"); !strings.Contains(got, "sent from another site") {
			t.Errorf("message %q", got)
		}
		b.Screenshot("cross-site-refused")
		if s.hasCompany("forged") {
			t.Error("the forged form created a company")
		}
		// The console itself still works for the user.
		b.want(b.Open("/companies"), http.StatusOK, "companies")
	})
}

// TestFormTokens: a form without its token, with a wrong one, with one of
// another session (a replay of a form from before a sign-out, or of another
// user's), is refused and changes nothing; the sign-in form without its
// own token too (a sign-in forged into the attacker's account).
func TestFormTokens(t *testing.T) {
	t.Parallel()
	engines(t, options{}, func(t *testing.T, s *server) {
		erptest.Must(s.svc.CreateConsoleUser(ctx, "bert", "bert's console password"))(t)
		c := s.client(t, "127.0.0.1")
		mine := c.signIn(anna, annaPassword)
		create := func(what, token, slug string, want int) {
			t.Helper()
			form := url.Values{"slug": {slug}, "name": {"Forged"}}
			if token != "" {
				form.Set("csrf", token)
			}
			if status, _ := c.post("/companies", form); status != want {
				t.Errorf("%s: status %d, want %d", what, status, want)
			}
			if got := s.hasCompany(slug); got != (want == http.StatusSeeOther) {
				t.Errorf("%s: company %s exists: %v", what, slug, got)
			}
		}
		create("no token", "", "no-token", http.StatusForbidden)
		wrong := []byte(mine)
		wrong[0] ^= 1 // one byte off
		create("a wrong token", string(wrong), "wrong-token", http.StatusForbidden)
		other := s.client(t, "127.0.0.1")
		create("bert's token", other.signIn("bert", "bert's console password"), "berts-token", http.StatusForbidden)

		// A token from before a sign-out is good for nothing after it.
		if status, _ := c.post("/signout", url.Values{"csrf": {mine}}); status != http.StatusSeeOther {
			t.Fatalf("sign-out: %d", status)
		}
		fresh := c.signIn(anna, annaPassword)
		if fresh == mine {
			t.Fatal("a new session has the old session's form token")
		}
		create("the token of an ended session", mine, "replayed", http.StatusForbidden)
		create("the session's own token", fresh, "genuine", http.StatusSeeOther)

		// Sign-out needs the token too, so no other site signs one out.
		if status, _ := c.post("/signout", url.Values{}); status != http.StatusForbidden {
			t.Errorf("sign-out without its token: %d", status)
		}
		if _, err := s.svc.ConsoleSession(ctx, c.session()); err != nil {
			t.Errorf("the session after a refused sign-out: %v", err)
		}

		// The sign-in form: its token must match its own cookie.
		anon := s.client(t, "127.0.0.1")
		for what, form := range map[string]url.Values{
			"no token":     {"username": {anna}, "password": {annaPassword}},
			"a made token": {"username": {anna}, "password": {annaPassword}, "csrf": {"AAAA"}},
		} {
			if status, _ := anon.post("/signin", form); status != http.StatusForbidden {
				t.Errorf("sign-in with %s: %d", what, status)
			}
		}
		planted := s.client(t, "127.0.0.1")
		u, _ := url.Parse(s.url)
		planted.http.Jar.SetCookies(u, []*http.Cookie{{Name: "cloudspot_console_signin", Value: strings.Repeat("A", 43), Path: "/"}})
		if status, _ := planted.post("/signin", url.Values{"csrf": {anon.token("/signin")}, "username": {anna}, "password": {annaPassword}}); status != http.StatusForbidden {
			t.Errorf("sign-in with another browser's token and a planted cookie: %d", status)
		}
		if n := len(s.audit(erp.AuditFilter{Action: erp.AuditConsoleSignIn})); n != 3 {
			t.Errorf("%d console sign-ins in the audit log, want the test's 3", n)
		}

		// A message planted in the flash cookie (another site on this host
		// may set cookies for it) is not shown.
		u, _ = url.Parse(s.url)
		c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "cloudspot_console_flash", Value: "VmlzaXQgZXZpbC5leGFtcGxl.AAAA", Path: "/"}})
		if _, body := c.get("/companies"); strings.Contains(body, "Visit evil.example") {
			t.Error("the console shows a planted message")
		}

		// An upload without its token first writes nothing.
		status, _ := c.upload("/companies/"+demo.Company+"/import", "", "artikels", "a.csv", "naam,SKU\nx,y\n")
		if status != http.StatusForbidden {
			t.Errorf("an upload without its token: %d", status)
		}
	})
}

// upload posts an import form with its file; token "" leaves the token out.
func (c *client) upload(path, token, kind, name, content string) (int, string) {
	c.t.Helper()
	pr, pw := io.Pipe()
	mw := newMultipart(pw)
	go func() {
		if token != "" {
			mw.field("csrf", token)
		}
		mw.field("kind", kind)
		mw.file("file", name, content)
		pw.CloseWithError(mw.close())
	}()
	req, err := http.NewRequest(http.MethodPost, c.s.url+path, pr)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.contentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Location")
}

// TestSessionEnds: a tampered session cookie, one idle too long, one past
// its lifetime and the session of a console user deactivated meanwhile
// (as admin console-user deactivate does it) all lead to the sign-in page,
// and a form sent in such a session changes nothing.
func TestSessionEnds(t *testing.T) {
	t.Parallel()
	engines(t, options{}, func(t *testing.T, s *server) {
		b := s.browser(t, "")
		b.signedIn()
		var session string
		for _, c := range b.Cookies() {
			if c.Name == "cloudspot_console" {
				session = c.Value
				if !c.HTTPOnly || c.SameSite != "Strict" || !c.Session {
					t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, ending with the browser", c)
				}
			}
		}
		if session == "" {
			t.Fatal("no session cookie")
		}
		if got := b.Eval("document.cookie"); got != "" {
			t.Errorf("page scripts read cookies: %q", got)
		}
		ended := func(what string) {
			t.Helper()
			b.want(b.Open("/companies"), http.StatusOK, "signin")
			if got := b.flash(); got != erp.MsgSessionEnded {
				t.Errorf("%s: flash %q", what, got)
			}
		}
		b.SetCookie("cloudspot_console", session[:len(session)-1]+string("ab"[session[len(session)-1]%2]))
		ended("a tampered session")
		b.SetCookie("cloudspot_console", session)
		b.want(b.Open("/companies"), http.StatusOK, "companies")

		s.advance(31 * time.Minute)
		ended("a session idle for 31 minutes")

		b.signedIn()
		for range 35 { // 11 hours 40, a request every 20 minutes
			s.advance(20 * time.Minute)
			b.want(b.Open("/apps"), http.StatusOK, "apps")
		}
		s.advance(20 * time.Minute)
		ended("a session 12 hours old")

		// Deactivated while the form is on the screen.
		b.signedIn()
		b.want(b.Open("/companies"), http.StatusOK, "companies")
		b.Fill("#slug", "late")
		b.Fill("#name", "Late BV")
		if err := s.svc.SetConsoleUserActive(erp.WithActor(ctx, erp.CLIActor), anna, false); err != nil {
			t.Fatal(err)
		}
		b.want(b.Click("#create-company"), http.StatusOK, "signin")
		if s.hasCompany("late") {
			t.Error("a deactivated console user's form created a company")
		}
		b.want(b.signIn(anna, annaPassword), http.StatusUnauthorized, "signin")
		if got := b.problems(); len(got) != 1 || got[0] != erp.MsgBadCredentials {
			t.Errorf("a deactivated console user signing in: %q", got)
		}
		b.Screenshot("signin-refused")
	})
}

// TestHostileText puts HTML and script into every text the console shows
// that someone else typed (a company's name, a user's, an app's and its
// labels, a token's name, a product's texts, a client's, a category's,
// audit details) and opens every page that shows them: the text is shown
// as text, and no script runs.
func TestHostileText(t *testing.T) {
	t.Parallel()
	engines(t, options{}, func(t *testing.T, s *server) {
		x := func(n int) string {
			return fmt.Sprintf(`<script>window.pwned=%d</script><img src=x onerror="window.pwned=%d">"'><svg onload=window.pwned=%d>`, n, n, n)
		}
		cli := erp.WithActor(ctx, erp.CLIActor)
		erptest.Must(s.svc.CreateCompany(cli, "evil", x(1)))(t)
		erptest.Must(s.svc.CreateUser(cli, erp.NewUser{Username: "eve", Password: "eve's password", FirstName: x(2), LastName: x(3), Company: "evil"}))(t)
		erptest.Must(s.svc.CreateApp(cli, "evilapp", x(4)))(t)
		erptest.Must(s.svc.AddPermission(cli, "evilapp", "evilapp_use", x(5), ""))(t)
		if _, _, err := s.svc.IssueCompanyToken(cli, "evil", x(6), erp.Rights{Artikels: true}); err != nil {
			t.Fatal(err)
		}
		a := cloudspot.Artikel{Naam: x(7), Beschrijving: x(8), SKU: "EVIL-1", VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet,
			Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar, Merk: x(9), InterneNotitie: x(10),
			ProductURL:      "https://example.com/?q=" + url.QueryEscape(x(11)),
			Fotos:           []cloudspot.Foto{{URL: "https://example.com/" + url.PathEscape(x(12)) + ".jpg"}},
			Samenstellingen: []cloudspot.Translation{{Text: x(13), Taal: "nl"}}}
		erptest.Must(s.svc.ImportCategorieen(cli, "evil", erp.Records([]erp.NewCategorie{{Naam: x(14)}})))(t)
		erptest.Must(s.svc.ImportArtikels(cli, "evil", erp.Records([]cloudspot.Artikel{a})))(t)
		erptest.Must(s.svc.ImportKlanten(cli, "evil", erp.Records([]cloudspot.Klant{{Klantennummer: 1, Voornaam: x(15), Achternaam: x(16), IsBedrijf: true, Bedrijfsnaam: x(17), Land: "BE"}})))(t)
		if err := s.svc.RenamePermission(cli, "evilapp_use", x(18)); err != nil {
			t.Fatal(err)
		}
		id := erptest.Must(s.svc.ArtikelPage(ctx, "evil", erp.PageQuery{}))(t).Items[0].ID

		b := s.browser(t, "")
		b.signedIn()
		for _, page := range []string{
			"/companies", "/companies/evil", "/users", "/users/eve", "/users/eve/apps/evilapp", "/apps", "/apps/evilapp",
			"/apps/evilapp/permissions/evilapp_use/remove", "/companies/evil/artikels", fmt.Sprintf("/companies/evil/artikels/%d", id),
			"/companies/evil/klanten", "/companies/evil/categorieen", "/audit", "/companies/evil/artikels?q=" + url.QueryEscape(x(19)),
			"/users?q=" + url.QueryEscape(x(20)),
		} {
			b.Open(page)
			if got := b.Eval(`String(window.pwned)`); got != "undefined" {
				t.Errorf("%s: a script ran (window.pwned = %s)", page, got)
			}
			if got := b.Eval(`String(document.querySelectorAll("script").length) + " " + String(document.querySelectorAll("main img, main svg").length)`); got != "1 0" {
				t.Errorf("%s: scripts and images in the page: %s, want only the console's script", page, got)
			}
			if !strings.Contains(b.Eval(`document.querySelector("main").textContent`), "<script>window.pwned=") {
				t.Errorf("%s does not show the hostile text as text", page)
			}
		}
		b.Screenshot("hostile-text")
	})
}

// TestContentSecurityPolicy: every answer forbids inline script, framing
// and other origins; a script injected into a page past the templates'
// escaping would not run.
func TestContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	engines(t, options{}, func(t *testing.T, s *server) {
		c := s.client(t, "127.0.0.1")
		for _, path := range []string{"/signin", "/companies", "/static/console.css", "/nope"} {
			resp, err := c.http.Get(s.url + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: Content-Security-Policy %q lacks %q", path, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: Content-Security-Policy %q allows inline script", path, csp)
			}
			for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
				if got := resp.Header.Get(h); got != want {
					t.Errorf("%s: %s %q, want %q", path, h, got, want)
				}
			}
		}
		b := s.browser(t, "")
		b.signedIn()
		got := b.Eval(`(() => {
			const s = document.createElement("script");
			s.textContent = "window.inlineRan = true";
			document.body.appendChild(s);
			const d = document.createElement("div");
			d.innerHTML = '<img src="x" onerror="window.handlerRan = true">';
			document.body.appendChild(d);
			return new Promise(r => setTimeout(() => r(String(window.inlineRan) + " " + String(window.handlerRan)), 300));
		})()`)
		if got != "undefined undefined" {
			t.Errorf("an injected inline script and handler: %s, want neither to run", got)
		}
	})
}

// TestSignInBruteForce fires 50 guesses at once at one console user: from
// one address only the pair's limit of them is checked, from 50 addresses
// only the user's limit; the rest are refused before any password check,
// and the right password is then refused too.
func TestSignInBruteForce(t *testing.T) {
	t.Parallel()
	// The default limits, with a username's below the burst's 50.
	limits := erp.DefaultSignInLimits()
	limits.PerUser.Max = 30
	engines(t, options{limits: limits}, func(t *testing.T, s *server) {
		burst := func(from func(i int) string, username string) map[int]int {
			t.Helper()
			const n = 50
			clients := make([]*client, n)
			tokens := make([]string, n)
			for i := range n {
				clients[i] = s.client(t, from(i))
				tokens[i] = clients[i].token("/signin")
			}
			statuses := make([]int, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					statuses[i], _ = clients[i].post("/signin", url.Values{"csrf": {tokens[i]}, "username": {username}, "password": {fmt.Sprint("guess ", i)}})
				}()
			}
			close(start)
			wg.Wait()
			count := map[int]int{}
			for _, st := range statuses {
				count[st]++
			}
			return count
		}
		// Failed checks share audit entries a minute, each counting its
		// attempts.
		failures := func() int {
			n := 0
			for _, e := range s.audit(erp.AuditFilter{Action: erp.AuditConsoleSignInFailed}) {
				n += int(e.Attempts)
			}
			return n
		}

		got := burst(func(int) string { return "127.0.0.5" }, anna)
		if got[http.StatusUnauthorized] != limits.PerPair.Max || got[http.StatusTooManyRequests] != 50-limits.PerPair.Max {
			t.Errorf("50 guesses from one address: %v; want %d checked (401), the rest 429", got, limits.PerPair.Max)
		}
		if n := failures(); n != limits.PerPair.Max {
			t.Errorf("%d password checks failed, want %d", n, limits.PerPair.Max)
		}
		c := s.client(t, "127.0.0.5")
		if status, _ := c.post("/signin", url.Values{"csrf": {c.token("/signin")}, "username": {anna}, "password": {annaPassword}}); status != http.StatusTooManyRequests {
			t.Errorf("the right password from the guessing address: %d, want 429", status)
		}

		erptest.Must(s.svc.CreateConsoleUser(ctx, "bert", "bert's console password"))(t)
		got = burst(func(i int) string { return fmt.Sprintf("127.0.1.%d", 10+i) }, "bert")
		if got[http.StatusUnauthorized] != limits.PerUser.Max || got[http.StatusTooManyRequests] != 50-limits.PerUser.Max {
			t.Errorf("50 guesses from 50 addresses: %v; want %d checked (401), the rest 429", got, limits.PerUser.Max)
		}
		if n := failures(); n != limits.PerPair.Max+limits.PerUser.Max {
			t.Errorf("%d password checks failed in all, want %d", n, limits.PerPair.Max+limits.PerUser.Max)
		}
		// The ERP user of the demo is not locked out by guesses at console
		// users from the same addresses.
		if _, err := s.svc.SignInFrom(ctx, "127.0.0.5", demo.App, demo.Username, demo.Password); err != nil {
			t.Errorf("the demo user from the guessing address: %v", err)
		}
	})
}

// multipartForm writes a form with a file as a browser sends it, fields in
// the order written.
type multipartForm struct{ w *multipart.Writer }

func newMultipart(w io.Writer) *multipartForm { return &multipartForm{multipart.NewWriter(w)} }

func (m *multipartForm) field(name, value string) { m.w.WriteField(name, value) }

func (m *multipartForm) file(name, filename, content string) {
	fw, err := m.w.CreateFormFile(name, filename)
	if err == nil {
		io.WriteString(fw, content)
	}
}

func (m *multipartForm) close() error { return m.w.Close() }

func (m *multipartForm) contentType() string { return m.w.FormDataContentType() }

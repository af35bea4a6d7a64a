package erpauth_test

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{AppName: "TimeApp"})
	c := app.client(t)

	// A page that needs a sign-in sends the browser to the login page,
	// with the page in next.
	wantRedirect(t, c.get("/tt?week=12"), "/login?next=%2Ftt%3Fweek%3D12")
	page := c.get("/login?next=%2Ftt%3Fweek%3D12")
	wantStatus(t, page, http.StatusOK)
	for _, s := range []string{"<h1>Log in to TimeApp</h1>", `name="username"`, `name="password" type="password"`, `name="next" value="/tt?week=12"`, `action="/login"`} {
		wantBody(t, page, s)
	}
	if got := page.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("login page Cache-Control %q", got)
	}
	if got := page.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("login page X-Frame-Options %q", got)
	}
	nonce := setCookieOf(page, "erpauth_csrf")
	if nonce == nil {
		t.Fatal("the login page set no form cookie")
	}
	checkCookie(t, nonce, false)

	res := c.post("/login", url.Values{"csrf": {loginToken(t, page.body)}, "username": {"jan"}, "password": {password}, "next": {"/tt?week=12"}})
	wantRedirect(t, res, "/tt?week=12")
	sc := setCookieOf(res, "erpauth")
	if sc == nil {
		t.Fatal("the sign-in set no session cookie")
	}
	checkCookie(t, sc, false)
	if sc.MaxAge != 0 || !sc.Expires.IsZero() {
		t.Errorf("the session cookie lasts beyond the browser: MaxAge %d, Expires %v", sc.MaxAge, sc.Expires)
	}
	if got := setCookieOf(res, "erpauth_csrf"); got == nil || got.MaxAge >= 0 {
		t.Errorf("the sign-in did not delete the form cookie: %v", got)
	}

	tt := c.get("/tt?week=12")
	wantStatus(t, tt, http.StatusOK)
	for _, s := range []string{"page /tt for jan", "name=Jan Peeters", "company=0f4a2c6e-3b1d-4e8a-9c57-6d2e1f8b4a90",
		"email=jan@koffiehuis.example", "permissions=timeapp_use,timeapp_timetracking_use,timeapp_timetracking_create", "token=true"} {
		wantBody(t, tt, s)
	}
	if got := tt.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("a guarded page's Cache-Control %q, want no-store", got)
	}
	for _, k := range c.hc.Jar.Cookies(c.base) {
		if strings.Contains(k.Value, "csu_") {
			t.Errorf("cookie %s holds the ERP token", k.Name)
		}
	}
	// Signed in, the login page sends the browser on.
	wantRedirect(t, c.get("/login"), "/")
	wantRedirect(t, c.get("/login?next=%2Fany"), "/any")
}

// checkCookie: host-only, for the whole app, out of scripts' reach, not
// sent along with cross-site requests.
func checkCookie(t *testing.T, c *http.Cookie, secure bool) {
	t.Helper()
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.Secure != secure {
		t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Path=%q Domain=%q Secure=%v; want HttpOnly, Lax, /, host-only, Secure=%v",
			c.Name, c.HttpOnly, c.SameSite, c.Path, c.Domain, c.Secure, secure)
	}
}

func TestSignInRefused(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{AppName: "TimeApp", AppPermission: "timeapp_use"})

	// An unknown user and a wrong password get the same page.
	var pages []string
	for _, who := range [][2]string{{"jan", "wrong-password"}, {"nobody", password}} {
		c := app.client(t)
		res := c.signIn(who[0], who[1])
		wantStatus(t, res, http.StatusUnauthorized)
		wantBody(t, res, `<p class="error" role="alert">Username or password not correct.</p>`)
		wantBody(t, res, `value="`+who[0]+`"`)
		if strings.Contains(res.body, who[1]) {
			t.Error("the page repeats the password")
		}
		if setCookieOf(res, "erpauth") != nil {
			t.Error("a refused sign-in set a session cookie")
		}
		pages = append(pages, strings.ReplaceAll(csrfRE.ReplaceAllString(res.body, ""), who[0], "USER"))
	}
	if pages[0] != pages[1] {
		t.Errorf("an unknown user's page differs from a wrong password's:\n%s\n---\n%s", pages[0], pages[1])
	}

	for _, tc := range []struct{ name, user, pw string }{
		{"EmptyPassword", "jan", ""},
		{"EmptyUsername", "", password},
		{"LongUsername", strings.Repeat("j", 151), password},
		{"LongPassword", "jan", strings.Repeat("p", 1025)},
		{"BadUTF8", "jan\xff", password},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := erp.count("auth/signin-external-app")
			res := app.client(t).signIn(tc.user, tc.pw)
			wantStatus(t, res, http.StatusUnauthorized)
			wantBody(t, res, "Username or password not correct.")
			if erp.count("auth/signin-external-app") != before {
				t.Error("a form that no user can have was sent to the ERP")
			}
		})
	}

	t.Run("NoAccessToTheApp", func(t *testing.T) {
		c := app.client(t)
		res := c.signIn("outsider", password)
		wantStatus(t, res, http.StatusForbidden)
		wantBody(t, res, "Your ERP account has no access to TimeApp. Ask your ERP administrator for the permission timeapp_use.")
		if c.cookie("erpauth") != nil {
			t.Error("a user without the app's permission got a session")
		}
	})
}

// TestSignInERPTrouble: whatever goes wrong at the ERP, the user reads a
// clear message on the login form, never a stack trace or a bare 500.
func TestSignInERPTrouble(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		fault      func(w http.ResponseWriter, r *http.Request) bool
		status     int
		message    string
		retryAfter string
	}{
		{"Throttled", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "900")
			w.WriteHeader(429)
			w.Write([]byte(`{"message": "Too many failed sign-ins; try again later."}`))
			return true
		}, 429, "Too many failed sign-ins. Please try again in 15 minutes.", "900"},
		{"ThrottledSeconds", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Retry-After", "42")
			w.WriteHeader(429)
			return true
		}, 429, "Too many failed sign-ins. Please try again in 42 seconds.", "42"},
		{"ProxyPage", downPage, 502, "The ERP could not be reached. Please try again in a moment.", ""},
		{"ServerError", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			w.Write([]byte(`{"message": "Traceback (most recent call last): ..."}`))
			return true
		}, 502, "The ERP could not be reached. Please try again in a moment.", ""},
		{"HTMLOn200", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><title>Wi-Fi login</title></html>"))
			return true
		}, 502, "The ERP could not be reached. Please try again in a moment.", ""},
		{"WrongBaseURL", func(w http.ResponseWriter, r *http.Request) bool {
			http.NotFound(w, r)
			return true
		}, 502, "The ERP could not be reached. Please try again in a moment.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			erp := startStandIn(t)
			app := startApp(t, erp, erpauth.Config{})
			c := app.client(t)
			page := c.get("/login")
			erp.setFault(func(w http.ResponseWriter, r *http.Request) bool {
				return strings.Contains(r.URL.Path, "signin") && tc.fault(w, r)
			})
			res := c.post("/login", url.Values{"csrf": {loginToken(t, page.body)}, "username": {"jan"}, "password": {password}})
			wantStatus(t, res, tc.status)
			wantBody(t, res, `<p class="error" role="alert">`+tc.message+`</p>`)
			wantBody(t, res, `value="jan"`)
			if got := res.Header.Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
			}
			if strings.Contains(res.body, "Traceback") || strings.Contains(res.body, "nginx") {
				t.Error("the page shows what the ERP answered")
			}
			// The form shown again signs in once the ERP is back.
			erp.setFault(nil)
			res = c.post("/login", url.Values{"csrf": {loginToken(t, res.body)}, "username": {"jan"}, "password": {password}})
			wantRedirect(t, res, "/")
		})
	}

	t.Run("NoERPListening", func(t *testing.T) {
		t.Parallel()
		erp := newStandIn()
		erp.srv.Close()
		app := startApp(t, erp, erpauth.Config{})
		res := app.client(t).signIn("jan", password)
		wantStatus(t, res, http.StatusBadGateway)
		wantBody(t, res, "The ERP could not be reached. Please try again in a moment.")
	})
}

// TestNextStaysInTheApp: whatever next a link or a form carries, a sign-in
// lands on a path of this app.
func TestNextStaysInTheApp(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{AfterLogin: "/home"})
	for _, next := range []string{
		"https://evil.example/", "http://evil.example", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example",
		"/%2F%2Fevil.example", "/%2f/evil.example", "/%5Cevil.example", "/%252F%252Fevil.example", "/\t/evil.example", "/%09/evil.example",
		"/\n/evil.example", "javascript:alert(1)", "evil.example", "data:text/html,x", " /x", "/x\x00", "//", "/" + strings.Repeat("a", 2048),
		"https:/evil.example", "/%0d%0aSet-Cookie:x=y",
	} {
		t.Run(url.PathEscape(next), func(t *testing.T) {
			c := app.client(t)
			// From the link, and from the form.
			page := c.get("/login?next=" + url.QueryEscape(next))
			if strings.Contains(page.body, "evil.example") {
				t.Errorf("the login page carries %q on", next)
			}
			res := c.post("/login", url.Values{"csrf": {loginToken(t, page.body)}, "username": {"jan"}, "password": {password}, "next": {next}})
			wantRedirect(t, res, "/home")
		})
	}
	for _, next := range []string{"/tt", "/tt?week=12&x=%2F%2F", "/a/b/c", "/caf%C3%A9", "/search?q=a%20b"} {
		t.Run("Local"+next, func(t *testing.T) {
			c := app.client(t)
			wantRedirect(t, c.signIn("jan", password, "next", next), next)
		})
	}
}

// TestTemplates: the app's own templates get the documented fields.
func TestTemplates(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	login := template.Must(template.New("login").Parse(`<title>{{.AppName}}</title>[{{.Status}}][{{.Action}}][{{.Next}}][{{.Username}}][{{.Error}}][{{.Flash}}]` +
		`<input type="hidden" name="csrf" value="{{.CSRF}}">`))
	errPage := template.Must(template.New("error").Parse(`[{{.AppName}}][{{.Status}}][{{.Title}}][{{.Message}}][{{range .Missing}}({{.}}){{end}}][{{if .User}}{{.User.Name}}{{end}}][{{if .CSRF}}csrf{{end}}][{{.Home}}]`))
	app := startApp(t, erp, erpauth.Config{AppName: "TimeApp", LoginPath: "/login", AfterLogin: "/home", LoginTemplate: login, ErrorTemplate: errPage})
	c := app.client(t)
	res := c.signIn("jan", "not-it", "next", "/tt")
	wantStatus(t, res, http.StatusUnauthorized)
	wantBody(t, res, "<title>TimeApp</title>[401][/login][/tt][jan][Username or password not correct.][]")
	wantRedirect(t, c.signIn("lotte", password), "/home")
	res = c.get("/tt")
	wantStatus(t, res, http.StatusForbidden)
	wantBody(t, res, "[TimeApp][403][No access][You do not have the permission timeapp_timetracking_use. Ask your ERP administrator if you need it.][(timeapp_timetracking_use)][Lotte Janssens][csrf][/home]")
	res = c.post("/tt", url.Values{}, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, res, http.StatusForbidden)
	wantBody(t, res, "[TimeApp][403][Request refused][This form was sent from another site, so it was refused.][][][][/home]")
	// The message after a logout, once.
	home := c.get("/")
	wantStatus(t, home, http.StatusOK)
	wantRedirect(t, c.post("/logout", url.Values{"csrf": {formToken(t, home.body)}}), "/login")
	wantBody(t, c.get("/login"), "[You have been logged out.]")
	if strings.Contains(c.get("/login").body, "logged out") {
		t.Error("the message after the logout is shown twice")
	}
}

// TestRequire: all of, any of, sign-in only; a page for a browser, a bare
// status for a request that asks for JSON.
func TestRequire(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{})
	jan, lotte := app.client(t), app.client(t)
	jan.mustSignIn("jan")
	lotte.mustSignIn("lotte")
	for _, tc := range []struct {
		c       *client
		path    string
		status  int
		missing string
	}{
		{jan, "/", 200, ""}, {jan, "/tt", 200, ""}, {jan, "/any", 200, ""}, {jan, "/both", 403, "You do not have the permission timeapp_admin."},
		{lotte, "/", 200, ""}, {lotte, "/tt", 403, "You do not have the permission timeapp_timetracking_use."},
		{lotte, "/any", 403, "You need one of the permissions timeapp_admin or timeapp_timetracking_create."},
		{lotte, "/both", 403, "You do not have the permission timeapp_admin."},
	} {
		res := tc.c.get(tc.path)
		wantStatus(t, res, tc.status)
		if tc.missing != "" {
			wantBody(t, res, tc.missing)
			js := tc.c.get(tc.path, "Accept", "application/json")
			wantStatus(t, js, http.StatusForbidden)
			if got := js.Header.Get("Content-Type"); got != "application/json" || !strings.HasPrefix(js.body, `{"message":"You`) {
				t.Errorf("JSON 403: %s %q", got, js.body)
			}
		}
	}
	anon := app.client(t)
	js := anon.get("/tt", "Accept", "application/json")
	wantStatus(t, js, http.StatusUnauthorized)
	if js.body != `{"message":"Please log in first."}`+"\n" {
		t.Errorf("JSON 401 body %q", js.body)
	}
	// A browser's Accept names HTML first: it gets the login page.
	wantRedirect(t, anon.get("/tt", "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), "/login?next=%2Ftt")
	wantRedirect(t, anon.get("/tt", "Accept", "text/html, application/json"), "/login?next=%2Ftt")
	// A route nobody may open is a mistake in the app.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("RequireAny() did not panic")
			}
		}()
		app.auth.RequireAny()
	}()
}

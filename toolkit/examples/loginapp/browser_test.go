package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/browsertest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The tests in this file drive the real app, in front of the real ERP with
// its demo data, from a headless Chromium, and save a screenshot of every
// page they reach in $LOGINAPP_ARTEFACTS (by default cloudspot-loginapp-screenshots
// in the system's temporary directory, outside the source tree).

// tab is one page of a fresh headless Chromium with its own profile, so
// every test starts with no cookies.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string // the app's URL, ending in "/"
}

// stepTimeout only keeps a broken test from hanging; nothing is timed.
const stepTimeout = time.Minute

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	return &tab{t: t, ctx: browsertest.New(t, base, "").Ctx, base: base}
}

func (b *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// do runs actions that do not navigate.
func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// open loads a page of the app and returns the status of the document
// (after redirects).
func (b *tab) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.url(path)))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return res.Status
}

// click clicks what sel matches, waits for the page it leads to and
// returns that page's status.
func (b *tab) click(sel string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	return res.Status
}

func (b *tab) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return strings.TrimSuffix(b.base, "/") + path
}

// page is the id of the page's <main>.
func (b *tab) page() string {
	b.t.Helper()
	return b.eval(`document.querySelector("main") ? document.querySelector("main").id : ""`)
}

// eval evaluates a JavaScript expression that gives a string. The tests
// inspect the page with it; the app itself has no JavaScript.
func (b *tab) eval(expr string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("eval %s: %v", expr, err)
	}
	return s
}

// text is the text of the first element sel matches, or "" for none.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return b.eval(fmt.Sprintf(`(e => e ? e.textContent.trim() : "")(document.querySelector(%q))`, sel))
}

// texts are the texts of every element sel matches.
func (b *tab) texts(sel string) []string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent.trim())`, sel)))
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}

// value is the current value of a form field.
func (b *tab) value(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// fill types into a form field.
func (b *tab) fill(sel, text string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.CSS(sel), text))
}

// back goes one page back, as the Back button does, and waits until the
// browser shows the page: from the server, or from the back-forward cache,
// which fires no load event that chromedp.NavigateBack could wait for.
func (b *tab) back() {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	const document = `document.readyState === "complete" && document.querySelector("main") ? String(performance.timeOrigin) : ""`
	from, err := chromedp.Run(ctx, chromedp.Evaluate[string](document))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`history.back()`)); err != nil {
		b.t.Fatal(err)
	}
	// Each document has its own time origin. The evaluation fails while
	// the document changes under it: ask until another one answers.
	for {
		now, err := chromedp.Run(ctx, chromedp.Evaluate[string](document))
		if err == nil && now != "" && now != from {
			return
		}
		if ctx.Err() != nil {
			b.t.Fatalf("going back: no other page within %s", stepTimeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// cookies are the browser's cookies for the app.
func (b *tab) cookies() []*network.Cookie {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base}})
	if err != nil {
		b.t.Fatal(err)
	}
	return res.Cookies
}

// screenshot saves the whole page as name.png among the test artefacts.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	// Outside the source tree: a test run leaves the tree as it found it,
	// ignored files included.
	dir := os.Getenv("LOGINAPP_ARTEFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "cloudspot-loginapp-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

// wantPage fails the test unless the browser shows the page with that id
// and status.
func (b *tab) wantPage(status, wantStatus int64, page string) {
	b.t.Helper()
	if got := b.page(); got != page || status != wantStatus {
		b.t.Fatalf("at %s: page %q with status %d, want %q with %d\n%s",
			b.eval("location.href"), got, status, page, wantStatus, b.eval("document.body.innerText"))
	}
}

// login fills in and sends the login form.
func (b *tab) login(username, password string) int64 {
	b.t.Helper()
	b.wantPage(b.open("/"), http.StatusOK, "login")
	b.fill("#username", username)
	b.fill("#password", password)
	return b.click("#submit")
}

// startBrowserStack starts a demo ERP, the app in front of it and a browser.
func startBrowserStack(t *testing.T) (*erptest.Server, *tab) {
	t.Helper()
	browsertest.ChromePath(t) // skip before starting anything
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	return erpSrv, newTab(t, startApp(t, erpSrv.URL))
}

// maskedTokenRE is the token as the dashboard shows it, wholeTokenRE a
// whole user token, which no page may hold.
var (
	maskedTokenRE = regexp.MustCompile(`^csu_[A-Za-z0-9]{4}…[A-Za-z0-9]{4}$`)
	wholeTokenRE  = regexp.MustCompile(`csu_[A-Za-z0-9]{54}`)
)

func TestBrowserLoginDashboardLogout(t *testing.T) {
	t.Parallel()
	_, b := startBrowserStack(t)

	b.wantPage(b.open("/"), http.StatusOK, "login")
	if got := b.text("h1"); got != "Login external app" {
		t.Errorf("heading %q", got)
	}
	if got := b.texts("label"); !slices.Equal(got, []string{"Username", "Password"}) {
		t.Errorf("labels %q", got)
	}
	if got := b.text("#submit"); got != "Login" {
		t.Errorf("button %q", got)
	}
	b.screenshot("login")

	b.fill("#username", demo.Username)
	b.fill("#password", demo.Password)
	b.wantPage(b.click("#submit"), http.StatusOK, "dashboard")
	if got := b.text("h1"); got != "Welcome!" {
		t.Errorf("heading %q", got)
	}
	if got := b.text("#name"); got != "Jan Peeters" {
		t.Errorf("name %q", got)
	}
	token := b.text("#token")
	if !maskedTokenRE.MatchString(token) {
		t.Errorf("token %q", token)
	}
	if got := b.texts("#permissions li"); !slices.Equal(got, demo.Granted()) {
		t.Errorf("permissions %q, want exactly %q", got, demo.Granted())
	}
	var session *network.Cookie
	for _, c := range b.cookies() {
		if strings.Contains(c.Value, token) {
			t.Errorf("cookie %s holds the ERP token", c.Name)
		}
		if c.Name == sessionCookie {
			session = c
		}
	}
	if session == nil || !session.HTTPOnly || session.SameSite != network.CookieSameSiteLax || !session.Session {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, ending with the browser", session)
	}
	if got := b.eval("document.cookie"); got != "" {
		t.Errorf("page scripts can read cookies: %q", got)
	}
	b.screenshot("dashboard")

	b.wantPage(b.click("#to-timetracking"), http.StatusOK, "timetracking")
	b.fill("#description", "Descaling the espresso machine")
	b.wantPage(b.click("#create"), http.StatusOK, "timetracking")
	if got := b.texts("#entries li"); len(got) != 1 || !strings.HasSuffix(got[0], "Descaling the espresso machine") {
		t.Errorf("entries %q", got)
	}
	b.screenshot("timetracking")

	b.wantPage(b.click(".logout button"), http.StatusOK, "login")
	if got := b.text(".flash"); got != "You have been logged out." {
		t.Errorf("flash %q", got)
	}
	b.screenshot("logged-out")
	for _, c := range b.cookies() {
		if c.Name == sessionCookie {
			t.Errorf("the session cookie outlived the logout: %+v", c)
		}
	}
	b.wantPage(b.open("/dashboard"), http.StatusOK, "login")
	if got := b.text(".flash"); got != "" {
		t.Errorf("flash after logout and reload %q", got)
	}
	b.back()
	if got := b.page(); got != "login" {
		t.Errorf("going back after logout shows the page %q, want the login page", got)
	}
	b.back() // to the time tracking page the form was sent from
	if got := b.page(); got != "login" {
		t.Errorf("going back twice after logout shows the page %q, want the login page", got)
	}
}

func TestBrowserBadPassword(t *testing.T) {
	t.Parallel()
	_, b := startBrowserStack(t)
	b.wantPage(b.login(demo.Username, "wrong-password"), http.StatusUnauthorized, "login")
	if got := b.text(".error"); got != "Username or password not correct." {
		t.Errorf("message %q", got)
	}
	if got := b.value("#username"); got != demo.Username {
		t.Errorf("username field %q, want it kept", got)
	}
	if got := b.value("#password"); got != "" {
		t.Errorf("password field %q, want it empty", got)
	}
	b.screenshot("bad-password")

	// The form shown again signs in.
	b.fill("#password", demo.Password)
	b.wantPage(b.click("#submit"), http.StatusOK, "dashboard")
}

func TestBrowserPermissionRefused(t *testing.T) {
	t.Parallel()
	_, b := startBrowserStack(t)
	b.wantPage(b.login(demo.Viewer, demo.Password), http.StatusOK, "dashboard")
	if got := b.text("#name"); got != "Lotte Janssens" {
		t.Errorf("name %q", got)
	}
	if got := b.texts("#permissions li"); !slices.Equal(got, []string{"timeapp_use"}) {
		t.Errorf("permissions %q", got)
	}
	if got := b.texts("#to-timetracking"); len(got) != 0 {
		t.Error("the dashboard links to time tracking without the permission")
	}
	b.screenshot("dashboard-viewer")

	b.wantPage(b.open("/timetracking"), http.StatusForbidden, "message")
	if got := b.text(".error"); !strings.Contains(got, "timeapp_timetracking_use") {
		t.Errorf("message %q", got)
	}
	b.screenshot("timetracking-refused")
	b.wantPage(b.click("#back"), http.StatusOK, "dashboard")
}

// TestBrowserRevokedToken: a token revoked in the ERP ends the session at
// the first page one Recheck later, on the app's injected clock.
func TestBrowserRevokedToken(t *testing.T) {
	t.Parallel()
	browsertest.ChromePath(t)
	erpSrv := erptest.Start(t, erptest.Options{Demo: true})
	clock := erptest.NewClock()
	b := newTab(t, startHandler(t, config{ERPURL: erpSrv.URL, Now: clock.Now}, false).URL+"/")
	b.wantPage(b.login(demo.Username, demo.Password), http.StatusOK, "dashboard")
	if _, err := erpSrv.Service.RevokeUserTokens(context.Background(), demo.Username); err != nil {
		t.Fatal(err)
	}
	reload := func() int64 {
		ctx, cancel := b.step()
		defer cancel()
		res, err := chromedp.RunResponse(ctx, chromedp.Reload())
		if err != nil {
			t.Fatal(err)
		}
		return res.Status
	}
	clock.Advance(recheck - time.Second)
	b.wantPage(reload(), http.StatusOK, "dashboard") // the ERP's last answer stands until the Recheck
	clock.Advance(time.Second)
	b.wantPage(reload(), http.StatusOK, "login")
	if got := b.text(".flash"); got != "Your session has ended. Please log in again." {
		t.Errorf("flash %q", got)
	}
	b.screenshot("session-ended")
}

// attackerSite serves page, a template of the app's base URL, from
// 127.0.0.2: another site than the app's 127.0.0.1 to the browser.
func attackerSite(t *testing.T, page string, app string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.2 (loopback addresses beyond 127.0.0.1 are needed): %v", err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, page, app)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// landed waits until the browser shows a page of the app, after the
// navigations that another site's page started itself, and returns the
// status of that page's document.
func (b *tab) landed() int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	at := fmt.Sprintf(`location.href.startsWith(%q) && document.readyState === "complete" && document.querySelector("main") ? String(performance.getEntriesByType("navigation")[0].responseStatus) : ""`, b.base)
	for {
		// The evaluation fails while the document changes under it.
		status, err := chromedp.Run(ctx, chromedp.Evaluate[string](at))
		if err == nil && status != "" {
			n, err := strconv.ParseInt(status, 10, 64)
			if err != nil {
				b.t.Fatal(err)
			}
			return n
		}
		if ctx.Err() != nil {
			b.t.Fatalf("the browser did not come to the app within %s; it is at %s", stepTimeout, b.eval("location.href"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBrowserCrossSitePost: pages of another site that send a form to the
// app as soon as they load, while the user is signed in: one to create a
// time entry, one to sign the user in to the attacker's account (login
// CSRF). The app refuses both.
func TestBrowserCrossSitePost(t *testing.T) {
	t.Parallel()
	_, b := startBrowserStack(t)
	b.wantPage(b.login(demo.Username, demo.Password), http.StatusOK, "dashboard")
	app := b.base // http://127.0.0.1:PORT/

	forged := attackerSite(t, `<!doctype html><title>Win a prize</title>
<form id="f" method="post" action="%stimetracking">
<input type="hidden" name="description" value="forged">
<input type="hidden" name="csrf" value="guess">
</form>
<script>document.getElementById("f").submit()</script>`, app)
	if status := b.open(forged); status != http.StatusOK {
		t.Fatalf("attacker page: status %d", status)
	}
	b.wantPage(b.landed(), http.StatusForbidden, "message")
	if got := b.text(".error"); got != "This form was sent from another site, so it was refused." {
		t.Errorf("message %q", got)
	}
	if !strings.HasPrefix(b.eval("location.href"), app) {
		t.Errorf("the refusal is at %s, not the app", b.eval("location.href"))
	}
	b.screenshot("cross-site-refused")

	loginCSRF := attackerSite(t, `<!doctype html><title>Free coffee</title>
<form id="f" method="post" action="%s">
<input type="hidden" name="username" value="viewer">
<input type="hidden" name="password" value="cloudspot-demo">
</form>
<script>document.getElementById("f").submit()</script>`, app)
	b.open(loginCSRF)
	b.wantPage(b.landed(), http.StatusForbidden, "message")

	b.wantPage(b.open("/timetracking"), http.StatusOK, "timetracking")
	if got := b.texts("#entries li"); len(got) != 0 {
		t.Errorf("the forged post created entries %q", got)
	}
	b.wantPage(b.open("/dashboard"), http.StatusOK, "dashboard")
	if got := b.text("#name"); got != "Jan Peeters" {
		t.Errorf("after the forged sign-in the browser is signed in as %q", got)
	}
}

// TestBrowserLandsOnTheAskedPage: a page opened without a session leads to
// the login page, and the sign-in to that page.
func TestBrowserLandsOnTheAskedPage(t *testing.T) {
	t.Parallel()
	_, b := startBrowserStack(t)
	b.wantPage(b.open("/timetracking"), http.StatusOK, "login")
	if got := b.eval("location.pathname + location.search"); got != "/?next=%2Ftimetracking" {
		t.Errorf("the login page is at %s", got)
	}
	b.fill("#username", demo.Username)
	b.fill("#password", demo.Password)
	b.wantPage(b.click("#submit"), http.StatusOK, "timetracking")
	if got := b.eval("location.pathname"); got != "/timetracking" {
		t.Errorf("the sign-in landed on %s", got)
	}
}

// TestBrowserPhone checks that the pages fit a phone's screen.
func TestBrowserPhone(t *testing.T) {
	t.Parallel()
	_, b := startBrowserStack(t)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait, chromedp.EmulateScale(2)))
	fits := func(page string) {
		t.Helper()
		if got := b.eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); got != "true" {
			t.Errorf("%s is wider than the phone: scrollWidth %s, innerWidth %s", page,
				b.eval(`String(document.documentElement.scrollWidth)`), b.eval(`String(window.innerWidth)`))
		}
		if got := b.eval(`getComputedStyle(document.querySelector("main")).fontSize`); got != "16px" {
			t.Errorf("%s: text size %s, want 16px", page, got)
		}
	}
	b.wantPage(b.login(demo.Username, "wrong-password"), http.StatusUnauthorized, "login")
	fits("login")
	b.screenshot("login-phone")
	b.fill("#password", demo.Password)
	b.wantPage(b.click("#submit"), http.StatusOK, "dashboard")
	fits("dashboard")
	b.screenshot("dashboard-phone")
}

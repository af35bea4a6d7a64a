// Package browsertest drives a real headless Chromium for tests of web
// pages, as a person would: it opens pages, fills in forms, clicks, reads
// what the page shows and saves screenshots. Each Tab is a fresh browser
// with a profile of its own, so a test starts without cookies.
//
// Chromium is found at $CHROME_PATH, else as chromium, chromium-browser or
// google-chrome on the PATH; without it a test is skipped, except under
// CI=true, where it fails.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// ChromePath finds Chromium, skipping the test without one (failing it
// under CI=true).
func ChromePath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("CHROME_PATH: %v", err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "browser test: chromium not found; install Debian's chromium package (apt-get install chromium) or set CHROME_PATH"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// StepTimeout only keeps a broken test from hanging; nothing is timed.
const StepTimeout = 2 * time.Minute

// Tab is one page of a fresh headless Chromium.
type Tab struct {
	T    testing.TB
	Ctx  context.Context
	Base string // the site's URL, without a trailing slash
	// Shots is where Screenshot saves its files.
	Shots string
}

// New starts a browser for the site at base until the test ends; its
// screenshots go to shots.
func New(t testing.TB, base, shots string) *Tab {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromePath(t)),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(ctx, 20*time.Second)
		defer scancel()
		chromedp.Cancel(sctx)
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return &Tab{T: t, Ctx: ctx, Base: strings.TrimSuffix(base, "/"), Shots: shots}
}

func (b *Tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.Ctx, StepTimeout)
}

// Do runs actions that do not navigate.
func (b *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.T.Fatal(err)
	}
}

// URL is path on the site; a whole URL stays as it is.
func (b *Tab) URL(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.Base + path
}

// Open loads a page and returns the status of the document it ends on.
func (b *Tab) Open(path string) int64 {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.URL(path)))
	if err != nil {
		b.T.Fatalf("open %s: %v", path, err)
	}
	return res.Status
}

// Click clicks what sel matches, waits for the page it leads to and
// returns that page's status.
func (b *Tab) Click(sel string) int64 {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.T.Fatalf("click %s: %v", sel, err)
	}
	return res.Status
}

// Eval evaluates a JavaScript expression that gives a string, or a promise
// of one, which it awaits; the tests inspect pages with it.
func (b *Tab) Eval(expr string) string {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.T.Fatalf("eval %s: %v", expr, err)
	}
	return s
}

// TryEval is Eval that returns its error, for a page that may be
// navigating (a page that reloads itself): its script's context may be
// gone before it answers.
func (b *Tab) TryEval(expr string) (string, error) {
	ctx, cancel := b.step()
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
}

// Text is the text of the first element sel matches, or "" for none.
func (b *Tab) Text(sel string) string {
	b.T.Helper()
	return b.Eval(fmt.Sprintf(`(e => e ? e.textContent.trim() : "")(document.querySelector(%q))`, sel))
}

// Texts are the texts of every element sel matches.
func (b *Tab) Texts(sel string) []string {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent.trim().replace(/\s+/g, " "))`, sel)))
	if err != nil {
		b.T.Fatal(err)
	}
	return out
}

// Attr is an attribute of the first element sel matches, or "".
func (b *Tab) Attr(sel, name string) string {
	b.T.Helper()
	return b.Eval(fmt.Sprintf(`(e => e ? (e.getAttribute(%q) || "") : "")(document.querySelector(%q))`, name, sel))
}

// Value is the current value of a form field.
func (b *Tab) Value(sel string) string {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.T.Fatal(err)
	}
	return v
}

// Fill replaces what a text field holds with text, typed into it as key
// presses. The field is emptied and focused by a script, not by
// chromedp.Clear and SendKeys: SendKeys reads the node's attributes while
// the DOM events that Clear causes change them, a data race inside
// chromedp that -race reports.
func (b *Tab) Fill(sel, text string) {
	b.T.Helper()
	b.Eval(fmt.Sprintf(`(e => (e.value = "", e.focus(), ""))(document.querySelector(%q))`, sel))
	b.Do(chromedp.KeyEvent(text))
}

// Choose sets a select's value, or checks or unchecks a checkbox ("on",
// "off").
func (b *Tab) Choose(sel, value string) {
	b.T.Helper()
	switch value {
	case "on", "off":
		b.Eval(fmt.Sprintf(`(e => (e.checked = %v, ""))(document.querySelector(%q))`, value == "on", sel))
	default:
		b.Do(chromedp.SetValue(chromedp.CSS(sel), value))
	}
}

// Upload gives a file field a file.
func (b *Tab) Upload(sel, path string) {
	b.T.Helper()
	b.Do(chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path}))
}

// Cookies are the browser's cookies for the site.
func (b *Tab) Cookies() []*network.Cookie {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.Base + "/"}})
	if err != nil {
		b.T.Fatal(err)
	}
	return res.Cookies
}

// SetCookie sets a cookie for the site, as the site itself would.
func (b *Tab) SetCookie(name, value string) {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: name, Value: value, URL: b.Base + "/", HTTPOnly: new(true), SameSite: network.CookieSameSiteStrict}); err != nil {
		b.T.Fatal(err)
	}
}

// Viewport sets the window's size in CSS pixels.
func (b *Tab) Viewport(width, height int64) {
	b.T.Helper()
	b.Do(chromedp.EmulateViewport(width, height))
}

// Screenshot saves the whole page as name.png in Shots and returns its
// path.
func (b *Tab) Screenshot(name string) string {
	b.T.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.T.Fatal(err)
	}
	if err := os.MkdirAll(b.Shots, 0o755); err != nil {
		b.T.Fatal(err)
	}
	path := filepath.Join(b.Shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.T.Fatal(err)
	}
	return path
}

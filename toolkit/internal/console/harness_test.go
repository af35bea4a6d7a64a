package console_test

import (
	"context"
	"flag"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/browsertest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/console"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

func TestMain(m *testing.M) { erptest.Main(m) }

// screenshots writes the screens of TestConsoleScreens (SQLite) into a
// directory, for docs/console.md:
//
//	go test ./toolkit/internal/console -run 'TestConsoleScreens/sqlite' -args -screenshots "$PWD/docs/console"
//
// Without it every screenshot goes to the test's temporary directory.
var screenshots = flag.String("screenshots", "", "save TestConsoleScreens' screenshots (SQLite) in this directory instead of the test's temporary one")

// Console users of the tests.
const (
	anna         = "anna"
	annaPassword = "anna's console password"
)

// cheap keeps the tests' password hashes fast; their cost is not what the
// tests test.
var cheap = erp.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// server is the console in front of a real ERP service on a real store,
// served over real HTTP on 127.0.0.1, with the demo's data, the console
// user anna, and a clock the test moves.
type server struct {
	t     testing.TB
	svc   *erp.Service
	store erp.Store
	url   string // the console's base URL, without a trailing slash
	clock atomic.Int64
	// limits are the sign-in limits the service counts against.
	limits erp.SignInLimits
}

func (s *server) now() time.Time          { return time.UnixMicro(s.clock.Load()) }
func (s *server) advance(d time.Duration) { s.clock.Add(d.Microseconds()) }

// options change what startServer builds.
type options struct {
	limits  erp.SignInLimits
	maxBody int64
}

// startServer serves the console on store until the test ends.
func startServer(t testing.TB, store erp.Store, o options) *server {
	t.Helper()
	ctx := context.Background()
	s := &server{t: t, store: store, limits: o.limits}
	s.clock.Store(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC).UnixMicro())
	svc, err := erpserver.NewService(ctx, erpserver.Config{
		Config: erp.Config{Store: store, Now: s.now, Argon2: cheap, SignInLimits: o.limits, SignInWait: 10 * time.Minute},
		Demo:   true,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.svc = svc
	erptest.Must(svc.CreateConsoleUser(ctx, anna, annaPassword))(t)
	c, err := console.New(ctx, console.Config{Service: svc, MaxUpload: o.maxBody, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(c.Handler())
	hs.Listener.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs.Listener = ln
	hs.Start()
	t.Cleanup(func() {
		hs.Close()
		if err := c.Close(); err != nil {
			t.Errorf("closing the console: %v", err)
		}
	})
	s.url = hs.URL
	return s
}

// engines runs test on a console over each storage engine.
func engines(t *testing.T, o options, test func(t *testing.T, s *server)) {
	t.Helper()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			test(t, startServer(t, e.Open(t), o))
		})
	}
}

// browser is a Chromium tab on the console, with helpers for its pages.
type browser struct {
	*browsertest.Tab
	s *server
}

func (s *server) browser(t *testing.T, shots string) *browser {
	t.Helper()
	if shots == "" {
		shots = t.TempDir()
	}
	return &browser{browsertest.New(t, s.url, shots), s}
}

// on is the browser for a subtest: its failures fail the subtest.
func (b *browser) on(t *testing.T) *browser {
	tab := *b.Tab
	tab.T = t
	return &browser{&tab, b.s}
}

// page is the name of the page the browser shows (its <main>'s
// data-page), once it has loaded. A page that reloads itself (an import
// in progress) may be between two loads when asked: it is asked again.
func (b *browser) page() string {
	b.T.Helper()
	for range 50 {
		name, err := b.TryEval(`new Promise(r => {
			const f = () => document.readyState === "complete" && document.querySelector("main") ? r(document.querySelector("main").dataset.page) : setTimeout(f, 50);
			f();
		})`)
		if err == nil {
			return name
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ""
}

// want fails the test unless the browser shows that page with that
// status; the page's text is in the failure.
func (b *browser) want(status, wantStatus int64, page string) {
	b.T.Helper()
	if got := b.page(); got != page || status != wantStatus {
		b.T.Fatalf("at %s: page %q with status %d, want %q with %d\n%s",
			b.Eval("location.href"), got, status, page, wantStatus, b.Eval("document.body.innerText"))
	}
}

// flash is the message a change left on the page it led to.
func (b *browser) flash() string { return b.Text(".flash") }

// problems are the error summary's messages.
func (b *browser) problems() []string { return b.Texts(".error-summary li") }

// signIn signs in with the sign-in form.
func (b *browser) signIn(username, password string) int64 {
	b.T.Helper()
	b.want(b.Open("/signin"), http.StatusOK, "signin")
	b.Fill("#username", username)
	b.Fill("#password", password)
	return b.Click("#signin")
}

// signedIn signs anna in.
func (b *browser) signedIn() {
	b.T.Helper()
	b.want(b.signIn(anna, annaPassword), http.StatusOK, "companies")
}

// audit is the service's audit log, filtered.
func (s *server) audit(f erp.AuditFilter) []erp.AuditEvent {
	s.t.Helper()
	return erptest.Must(s.svc.Audit(context.Background(), f))(s.t)
}

// lastAudit is the newest audit entry of an action.
func (s *server) lastAudit(action string) erp.AuditEvent {
	s.t.Helper()
	es := s.audit(erp.AuditFilter{Action: action, Limit: 1})
	if len(es) == 0 {
		s.t.Fatalf("no %s in the audit log", action)
	}
	return es[0]
}

// shotsDir is where an engine's walk saves its screens: the -screenshots
// directory for SQLite when asked, else the test's own.
func shotsDir(t *testing.T, engine string) string {
	if *screenshots != "" && engine == "sqlite" {
		return *screenshots
	}
	return t.TempDir()
}

// engineOf is the engine a subtest runs on, the last element of its name.
func engineOf(t *testing.T) string { return t.Name()[strings.LastIndex(t.Name(), "/")+1:] }

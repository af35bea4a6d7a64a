package erpserver_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

func TestMain(m *testing.M) { erptest.Main(m) }

// TestOpenDB opens every spelling of --db on the engine it names, and the
// service on it serves the demo when asked.
func TestOpenDB(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbs := map[string]string{
		"sqlite":        filepath.Join(dir, "plain.db"),
		"sqlite-prefix": "sqlite:" + filepath.Join(dir, "prefixed.db"),
		"postgres":      "",
	}
	for name, db := range dbs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if name == "postgres" {
				db = erptest.PostgresDSN(t)
			}
			st, err := erpserver.OpenDB(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if !strings.HasPrefix(db, "postgres") {
				if _, err := os.Stat(strings.TrimPrefix(db, "sqlite:")); err != nil {
					t.Errorf("%s: no database file: %v", db, err)
				}
			}
			svc, err := erpserver.NewService(context.Background(), erpserver.Config{Config: erp.Config{Store: st}, Demo: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.SignIn(context.Background(), demo.App, demo.Username, demo.Password); err != nil {
				t.Errorf("the demo user cannot sign in: %v", err)
			}
		})
	}
}

// TestOpenTemp: a temporary ERP lives in a directory of its own, which
// Close removes.
func TestOpenTemp(t *testing.T) {
	t.Parallel()
	tmp, err := erpserver.OpenTemp(context.Background(), erpserver.Config{Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	companies, err := tmp.Service.Companies(context.Background())
	if err != nil || len(companies) != 1 || companies[0].Slug != demo.Company {
		t.Errorf("companies %v, %v; want the demo's", companies, err)
	}
	if _, err := os.Stat(filepath.Join(tmp.Dir, "erp.db")); err != nil {
		t.Errorf("no database in %s: %v", tmp.Dir, err)
	}
	if err := tmp.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp.Dir); !os.IsNotExist(err) {
		t.Errorf("%s after Close: %v, want it removed", tmp.Dir, err)
	}

	if _, err := erpserver.OpenTemp(context.Background(), erpserver.Config{Config: erp.Config{Store: tmp.Store}}); err == nil {
		t.Error("OpenTemp took a store of the caller's")
	}
}

// TestHTTPServerLimits: a request whose headers exceed the cap is refused
// before a handler runs, and net/http's own complaints reach the log.
func TestHTTPServerLimits(t *testing.T) {
	t.Parallel()
	logged := &erptest.Buffer{}
	log := slog.New(slog.NewTextHandler(logged, nil))
	handled := make(chan struct{}, 10)
	srv := erpserver.NewHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled <- struct{}{}
		w.WriteHeader(http.StatusNoContent)
		w.WriteHeader(http.StatusTeapot) // net/http complains to ErrorLog
	}), log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	url := "http://" + ln.Addr().String() + "/"

	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("X-Big", strings.Repeat("a", 128<<10))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge || len(handled) != 0 {
		t.Errorf("128 KiB of headers: %s, handler ran %d times; want 431 and no handler", res.Status, len(handled))
	}

	res, err = http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("a small request: %s, want 204", res.Status)
	}
	if !logged.WaitFor("superfluous response.WriteHeader", time.Minute) || !strings.Contains(logged.String(), "level=WARN") {
		t.Errorf("log = %q, want net/http's complaint at warn level", logged.String())
	}
}

// TestListeningLine: the line a server prints reads back as its URL, and
// no other line does.
func TestListeningLine(t *testing.T) {
	t.Parallel()
	const base = "http://127.0.0.1:8000/api/v1"
	if got, ok := erpserver.ListeningURL(erpserver.ListeningLine(base)); !ok || got != base {
		t.Errorf("ListeningURL(ListeningLine(%q)) = %q, %v", base, got, ok)
	}
	for _, line := range []string{
		"", "cloudspot-server: metrics on http://127.0.0.1:9000/metrics",
		"cloudspot-server: listening on ", "x cloudspot-server: listening on " + base,
		"  company token   DemoCompanyTokenForLocalUseOnly0000000000000000   (products and clients)",
	} {
		if got, ok := erpserver.ListeningURL(line); ok {
			t.Errorf("ListeningURL(%q) = %q, want no URL", line, got)
		}
	}
}

package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestServeConsole: serve --console-addr serves the console on a listener
// of its own, printed before the API's line; a console user made with the
// admin command signs in to it with the form, and the sign-in is in the
// audit log as theirs. The console's own tests (package console) walk its
// screens.
func TestServeConsole(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("a console password\n", "console-user", "create", "anna")
	srv := startServe(t, map[string]string{"CLOUDSPOT_DB": a.db}, "--console-addr", "127.0.0.1:0")
	if srv.console == "" || srv.console == "http://127.0.0.1:0" {
		t.Fatalf("no console line with the bound address before the API's (console %q)", srv.console)
	}
	if srv.console == strings.TrimSuffix(srv.api, "/api/v1") {
		t.Fatalf("the console is served on the API's own address %s", srv.console)
	}

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar}
	res, body := fetch(t, browser, srv.console+"/signin", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("GET /signin: %s, CSP %q", res.Status, res.Header.Get("Content-Security-Policy"))
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if csrf == nil {
		t.Fatalf("the sign-in form has no token:\n%s", body)
	}
	res, body = fetch(t, browser, srv.console+"/signin", url.Values{"csrf": {csrf[1]}, "username": {"anna"}, "password": {"a console password"}})
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/companies" || !strings.Contains(body, `data-page="companies"`) {
		t.Fatalf("sign-in: %s at %s\n%s", res.Status, res.Request.URL, body)
	}
	svc := erptest.Must(erp.NewService(erp.Config{Store: openForTest(t, a.db)}))(t)
	es := erptest.Must(svc.Audit(context.Background(), erp.AuditFilter{Action: erp.AuditConsoleSignIn}))(t)
	if len(es) != 1 || es[0].Actor != "console:anna" {
		t.Errorf("console sign-ins in the audit log: %+v", es)
	}
}

// TestServeConsoleWithoutAccount: a console with no account yet says how
// to make one.
func TestServeConsoleWithoutAccount(t *testing.T) {
	t.Parallel()
	srv := startServe(t, nil, "--console-addr", "127.0.0.1:0")
	if want := "admin console-user create"; !strings.Contains(srv.stderr.String(), want) {
		t.Errorf("stderr %q: want a hint naming %q", srv.stderr.String(), want)
	}
}

// TestServeConsoleRefusals: a console that would send passwords across a
// network in plain text, or could not work, is refused before anything is
// opened, with exit 2 and the remedy.
func TestServeConsoleRefusals(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	db := filepath.Join(t.TempDir(), "x.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--console-addr", "0.0.0.0:0"}, "--console-behind-tls"},
		{[]string{"--console-addr", ":0"}, "not a loopback address"},
		{[]string{"--console-addr", "192.0.2.1:8010"}, "--console-insecure-remote"},
		{[]string{"--console-addr", "8010"}, `--console-addr "8010": want host:port`},
		{[]string{"--console-idle-timeout", "1s"}, "a minute of idleness"},
		{[]string{"--console-idle-timeout", "2h", "--console-session-lifetime", "1h"}, "--console-session-lifetime 1h0m0s"},
	} {
		_, stderr, code := erptest.Run(t, "", []string{"CLOUDSPOT_DB=" + db}, bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("serve %v: exit %d, %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a refused configuration created the database (%v)", err)
	}
}

// TestConsoleDefaultAddrIsFree: the console's default port is none that
// the documentation has another program listen on (the API, the example
// app, the README's web app, metrics), so that following the documents
// never starts two listeners on one port.
func TestConsoleDefaultAddrIsFree(t *testing.T) {
	t.Parallel()
	port := defaultConsoleAddr[strings.LastIndex(defaultConsoleAddr, ":"):]
	if port == ":8000" {
		t.Fatalf("the console's default %s is the API's", defaultConsoleAddr)
	}
	root := filepath.Dir(erptest.ModuleRoot(t))
	addr := regexp.MustCompile(`(?:127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0)(:[0-9]{2,5})\b`)
	seen := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".md") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(strings.ToLower(line), "console") {
				continue // the console's own address
			}
			for _, m := range addr.FindAllStringSubmatch(line, -1) {
				seen++
				if m[1] == port {
					t.Errorf("%s:%d: %s is the console's default address (%s); give the console another default", path, i+1, m[0], defaultConsoleAddr)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen == 0 {
		t.Fatal("no address found in the Markdown files: the scan reads nothing")
	}
}

// fetch GETs (form nil) or POSTs a form with a browser-like client that
// follows redirects, and returns the final answer and its body.
func fetch(t *testing.T, c *http.Client, addr string, form url.Values) (*http.Response, string) {
	t.Helper()
	var res *http.Response
	var err error
	if form == nil {
		res, err = c.Get(addr)
	} else {
		res, err = c.PostForm(addr, form)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

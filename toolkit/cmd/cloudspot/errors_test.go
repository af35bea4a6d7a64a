package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestExitCodes checks each kind of failure a user meets: its exit code
// (as gh: 1 failed call, 2 usage, 4 authentication) and its one line on
// stderr that says what happened and what to do.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	s, srv := demoSandbox(t)
	ctx := context.Background()
	productsOnly, _, err := srv.Service.IssueCompanyToken(ctx, demo.Company, "products only", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		stdin string
		env   []string
		args  []string
		code  int
		want  string // in stderr
	}{
		{"OK", "", companyEnv, []string{"artikels", "list", "--limit", "1"}, 0, ""},
		{"ErrBadCredentials", "wrong\n", nil, []string{"login", "--app", "timeapp", "--username", "demo", "--password-stdin"}, 4, "cloudspot: username or password not correct\n"},
		{"ErrUnknownUser", "x\n", nil, []string{"login", "--app", "timeapp", "--username", "nobody", "--password-stdin"}, 4, "username or password not correct"},
		{"ErrNotLoggedIn", "", nil, []string{"whoami", "--app", "timeapp"}, 4, "run cloudspot login --app timeapp"},
		{"ErrNotLoggedInPermissions", "", nil, []string{"permissions"}, 4, "run cloudspot login --app SLUG"},
		{"ErrInvalidUserToken", "", []string{"CLOUDSPOT_TOKEN=not-a-token", "CLOUDSPOT_APP=timeapp"}, []string{"whoami"}, 4, "the token for timeapp in CLOUDSPOT_TOKEN is not valid"},
		{"ErrNoCompanyToken", "", nil, []string{"artikels", "list"}, 4, "set CLOUDSPOT_TOKEN, or store one with cloudspot login --company"},
		{"ErrInvalidCompanyToken", "", []string{"CLOUDSPOT_TOKEN=not-a-token"}, []string{"klanten", "list"}, 4, "the company token in CLOUDSPOT_TOKEN is not valid"},
		{"ErrForbidden", "", []string{"CLOUDSPOT_TOKEN=" + productsOnly}, []string{"klanten", "list"}, 1, "no right to see clients"},
		{"HasYes", "", []string{"CLOUDSPOT_TOKEN=" + userToken(t, srv, "demo"), "CLOUDSPOT_APP=timeapp"}, []string{"permissions", "--has", "timeapp_timetracking_create"}, 0, ""},
		{"HasNo", "", []string{"CLOUDSPOT_TOKEN=" + userToken(t, srv, "viewer"), "CLOUDSPOT_APP=timeapp"}, []string{"permissions", "--has", "timeapp_timetracking_create"}, 1, ""},
		{"UsageUnknownFlag", "", companyEnv, []string{"artikels", "list", "--colour"}, 2, "unknown flag: --colour"},
		{"UsageUnknownCommand", "", nil, []string{"artikel"}, 2, `unknown command "artikel" for "cloudspot"; did you mean artikels?`},
		{"UsageUnknownSubcommand", "", companyEnv, []string{"artikels", "lijst"}, 2, `unknown command "lijst" for "cloudspot artikels"`},
		{"UsageFormat", "", companyEnv, []string{"artikels", "list", "-o", "xml"}, 2, "-o xml: want one of table, json, ndjson, csv"},
		{"UsageField", "", companyEnv, []string{"klanten", "list", "--fields", "naam"}, 2, `no field "naam"`},
		{"UsageStatus", "", companyEnv, []string{"artikels", "list", "--status", "weg"}, 2, "--status weg: want one of"},
		{"UsageArgs", "", companyEnv, []string{"artikels", "list", "koffie"}, 2, "takes no arguments"},
		{"UsageBaseAndTest", "", nil, []string{"--test", "whoami"}, 2, "--base-url and --test"},
		{"UsageNoApp", "", nil, []string{"login", "--username", "demo", "--password-stdin"}, 2, "give --app SLUG"},
		{"UsageNoTerminal", "", nil, []string{"login", "--app", "timeapp", "--username", "demo"}, 2, "use --password-stdin"},
		{"UsageNoUsername", "pw\n", nil, []string{"login", "--app", "timeapp", "--password-stdin"}, 2, "give --username"},
		{"UsageCompletion", "", nil, []string{"completion", "tcsh"}, 2, "bash, zsh or fish"},
		// A token of the other kind, told by its prefix before anything is sent.
		{"UsageCompanyTokenForWhoami", "", []string{"CLOUDSPOT_TOKEN=" + productsOnly}, []string{"whoami"}, 2, "CLOUDSPOT_TOKEN holds a company token (csc_…); whoami and permissions need a user token"},
		{"UsageCompanyTokenForPermissions", "", nil, []string{"permissions", "--app", "timeapp", "--token", productsOnly}, 2, "--token holds a company token (csc_…)"},
		{"UsageUserTokenForArtikels", "", []string{"CLOUDSPOT_TOKEN=" + userToken(t, srv, "demo")}, []string{"artikels", "list"}, 2, "CLOUDSPOT_TOKEN holds a user token (csu_…), which signs a user in to an app; the company's products, clients and categories need a company token (csc_…)"},
		{"UsageUserTokenForCategorieen", "", []string{"CLOUDSPOT_TOKEN=" + userToken(t, srv, "demo")}, []string{"categorieen", "get", "1"}, 2, "holds a user token (csu_…)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := s.run(tc.stdin, tc.env, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, tc.code, r.stderr)
			}
			if tc.want == "" {
				if r.stderr != "" {
					t.Errorf("stderr = %q, want nothing", r.stderr)
				}
				return
			}
			assertOneLine(t, r.stderr)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.want)
			}
		})
	}
}

// TestExpiredToken: a stored token that the ERP no longer accepts means
// logging in again (exit 4).
func TestExpiredToken(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	srv := erptest.Start(t, erptest.Options{Demo: true, Now: func() time.Time {
		return time.Now().Add(time.Duration(offset.Load()))
	}})
	s := newSandbox(t, srv.URL)
	s.login("demo")
	s.ok("", nil, "whoami")
	offset.Store(int64(400 * 24 * time.Hour))
	r := s.run("", nil, "whoami")
	if r.code != 4 {
		t.Fatalf("exit %d, want 4; stderr:\n%s", r.code, r.stderr)
	}
	assertOneLine(t, r.stderr)
	if !strings.Contains(r.stderr, "the stored token for timeapp is not valid") || !strings.Contains(r.stderr, "run cloudspot login --app timeapp --base-url "+srv.URL) {
		t.Errorf("stderr = %q", r.stderr)
	}
}

// TestUnreachable covers the ways a base URL can be wrong or a server
// down; each has its own message, all exit 1.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	srv := erptest.Start(t, erptest.Options{Demo: true})

	// A port the test holds where nothing listens.
	downURL := erptest.RefusingURL(t)

	// A proxy in front of a dead ERP answers with an HTML error page.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"))
	}))
	t.Cleanup(proxy.Close)
	// A login portal answers 200 with HTML.
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><head><title>Sign in to Wi-Fi</title></head></html>"))
	}))
	t.Cleanup(portal.Close)
	// A server that never answers.
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(stuck.Close)

	// Another service on the ERP's address: every path is a 404.
	other := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(other.Close)

	// The ERP itself failing: its database is gone.
	broken := erptest.Start(t, erptest.Options{Demo: true})
	if err := broken.Store.Close(); err != nil {
		t.Fatal(err)
	}

	root := strings.TrimSuffix(srv.URL, "/api/v1")
	cases := []struct {
		name, base string
		extra      []string
		want       []string
	}{
		{"ServerDown", downURL, nil, []string{"cannot connect to " + downURL + ": connection refused", "is the server running?"}},
		{"WrongBaseURL", root, nil, []string{"has no Cloudspot API (404", "check --base-url: it should end in /api/v1, such as " + root + "/api/v1"}},
		{"AnotherService", other.URL + "/api/v1", nil, []string{other.URL + "/api/v1 has no Cloudspot API (404 for /api/v1/artikels/), although the URL ends in /api/v1: another service answers at that address"}},
		{"HTMLErrorPage", proxy.URL + "/api/v1", nil, []string{"502 Bad Gateway with an HTML page titled \"502 Bad Gateway\" instead of the API's JSON", "try again later"}},
		{"HTMLPortal", portal.URL + "/api/v1", nil, []string{"200 OK with an HTML page titled \"Sign in to Wi-Fi\" instead of the API's JSON", "check --base-url"}},
		{"Timeout", stuck.URL + "/api/v1", []string{"--timeout", "300ms"}, []string{"no answer from " + stuck.URL + "/api/v1 within 300ms", "--timeout"}},
		{"ServerError", broken.URL, nil, []string{"the ERP at " + broken.URL + " failed (5", "try again later"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSandbox(t, tc.base)
			r := s.run("", companyEnv, append(tc.extra, "artikels", "list")...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
			}
			assertOneLine(t, r.stderr)
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr = %q, want it to contain %q", r.stderr, w)
				}
			}
		})
	}
}

// TestUnknownHost: a base URL whose host does not exist says so. The
// program runs in-process on a DNS server of the test's that knows no
// name, so the machine's DNS (or the lack of one) decides nothing.
func TestUnknownHost(t *testing.T) {
	t.Parallel()
	dns := newNoSuchHosts(t)
	r := runInProcess(t, dns.transport(), map[string]string{"CLOUDSPOT_TOKEN": demo.CompanyToken}, "--base-url", "https://erp.invalid/api/v1", "artikels", "list")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	assertOneLine(t, r.stderr)
	for _, w := range []string{"cannot find the host erp.invalid (no such host)", "check --base-url"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr = %q, want it to contain %q", r.stderr, w)
		}
	}
	if !slices.Contains(dns.names(), "erp.invalid") {
		t.Errorf("the DNS server was asked %q, not erp.invalid", dns.names())
	}
}

// TestBaseURLFromEnvironment: CLOUDSPOT_BASE_URL chooses the ERP, --test
// the local one, and the flag wins over the variable.
func TestBaseURLFromEnvironment(t *testing.T) {
	t.Parallel()
	srv := erptest.Start(t, erptest.Options{Demo: true})
	s := newSandbox(t, "")
	env := append([]string{"CLOUDSPOT_BASE_URL=" + srv.URL + "/"}, companyEnv...)
	r := s.ok("", env, "artikels", "list", "-o", "csv", "--fields", "SKU", "--limit", "1")
	if r.stdout != "SKU\nKOF-ARA-1000\n" {
		t.Errorf("with CLOUDSPOT_BASE_URL: %q", r.stdout)
	}
	// --test means http://localhost:8000/api/v1, whatever the variable says.
	r = s.run("", []string{"CLOUDSPOT_BASE_URL=" + srv.URL}, "--test", "whoami")
	if r.code != 4 || !strings.Contains(r.stderr, "not logged in at http://localhost:8000/api/v1; run cloudspot login --app SLUG --test") {
		t.Errorf("--test: exit %d, %q", r.code, r.stderr)
	}
	r = s.run("", companyEnv, "--base-url", "ftp://erp.example/api/v1", "artikels", "list")
	if r.code != 2 || !strings.Contains(r.stderr, "want an absolute http or https URL") {
		t.Errorf("ftp base URL: exit %d, %q", r.code, r.stderr)
	}
}

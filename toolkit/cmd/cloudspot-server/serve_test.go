package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

func TestServeDemoTwiceDuplicatesNothing(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	db := filepath.Join(t.TempDir(), "erp.db")
	ctx := context.Background()
	for run := 1; run <= 2; run++ {
		p := erptest.StartProcess(t, bin, "--db", db, "--demo")
		out := p.Stdout()
		for _, want := range []string{"DEMO DATA", demo.Username + " / " + demo.Password, demo.CompanyToken, "curl -s -X POST " + p.URL + "/auth/signin-external-app/"} {
			if !strings.Contains(out, want) {
				t.Errorf("run %d: the demo banner lacks %q:\n%s", run, want, out)
			}
		}
		company := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(p.URL)))(t)
		as := erptest.Must(company.Artikels.List(ctx))(t)
		ks := erptest.Must(company.Klanten.List(ctx))(t)
		if len(as) != 74 || len(ks) != 66 {
			t.Errorf("run %d: %d products and %d clients, want 74 and 66", run, len(as), len(ks))
		}
		s, err := erptest.Must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(p.URL)))(t).Authenticate(ctx, demo.Username, demo.Password)
		if err != nil || strings.Join(s.Permissions, " ") != strings.Join(demo.Granted(), " ") {
			t.Errorf("run %d: sign-in %v, %v", run, s, err)
		}
		p.Stop()
	}
	st := openForTest(t, db)
	users := erptest.Must(st.Users(ctx))(t)
	cos := erptest.Must(st.Companies(ctx))(t)
	tokens := erptest.Must(st.CompanyTokens(ctx, cos[0].ID))(t)
	if len(users) != 2 || len(cos) != 1 || len(tokens) != 1 {
		t.Errorf("after two demo starts: %d users, %d companies, %d company tokens; want 2, 1, 1", len(users), len(cos), len(tokens))
	}
}

func TestServeDemoOnlyOnLoopback(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8000"} {
		_, errOut, code := erptest.Run(t, "", nil, bin, "serve", "--demo", "--addr", addr, "--db", filepath.Join(t.TempDir(), "x.db"))
		if code != 2 || !strings.Contains(errOut, "only serves on a loopback address") {
			t.Errorf("--demo --addr %s: exit %d, %q; want exit 2 and a refusal", addr, code, errOut)
		}
	}
}

var listening = regexp.MustCompile(`^cloudspot-server: listening on (http://127\.0\.0\.1:(\d+)/api/v1)\n$`)

// TestServeInProcess runs the program's run function as main does, with the
// address and database from the environment, and stops it by cancelling.
func TestServeInProcess(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "erp.db")
	env := map[string]string{"CLOUDSPOT_ADDR": "127.0.0.1:0", "CLOUDSPOT_DB": db, "CLOUDSPOT_CONSOLE_ADDR": "off"}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--log-level", "error"}, func(k string) string { return env[k] }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	m := listening.FindStringSubmatch(line)
	if m == nil || m[2] == "0" {
		t.Fatalf("first line %q: want the address actually bound", line)
	}
	go io.Copy(io.Discard, pr)
	_, err = erptest.Must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(m[1])))(t).Authenticate(context.Background(), "nobody", "x")
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("a fresh server without users: %v, want a 401", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v, want a clean stop", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop after its context was cancelled")
	}
	if _, err := openForTest(t, db).Companies(context.Background()); err != nil {
		t.Errorf("CLOUDSPOT_DB was not used: %v", err)
	}
}

func TestRedactDSN(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"postgres://erp:s3cret@db:5432/erp?sslmode=require": "postgres://erp:xxxxx@db:5432/erp?sslmode=require",
		"postgres://erp:p%40ss@db/erp":                      "postgres://erp:xxxxx@db/erp",
		"postgres://db/erp":                                 "postgres://db/erp",
		"/var/lib/cloudspot/erp.db":                         "/var/lib/cloudspot/erp.db",
	} {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestServePurgesOldTokens: a server deletes user tokens that expired or
// were revoked more than erp.TokenRetention ago, and keeps the others.
func TestServePurgesOldTokens(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "erp.db")
	ctx := context.Background()
	st := openForTest(t, db)
	erptest.Must(erpserver.NewService(ctx, erpserver.Config{Config: erp.Config{Store: st}, Demo: true}))(t)
	user := erptest.Must(st.UserByUsername(ctx, demo.Username))(t)
	longAgo := time.Now().Add(-erp.TokenRetention - 24*time.Hour)
	old := &erp.UserToken{Hash: erp.HashToken("old"), UserID: user.ID, AppSlug: demo.App, CreatedAt: longAgo, LastUsedAt: longAgo, ExpiresAt: longAgo}
	recent := &erp.UserToken{Hash: erp.HashToken("recent"), UserID: user.ID, AppSlug: demo.App, CreatedAt: time.Now(), LastUsedAt: time.Now(), ExpiresAt: time.Now().Add(-time.Hour)}
	for _, tok := range []*erp.UserToken{old, recent} {
		if err := st.CreateUserToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	p := erptest.StartProcess(t, erptest.Build(t, "./cmd/cloudspot-server"), "--db", db)
	// The server logs the purge after the delete: once the line is there,
	// so is its effect.
	p.WaitStderr(t, "purged expired and revoked user tokens", time.Minute)
	if _, err := st.UserTokenByHash(ctx, old.Hash); erp.ErrorCode(err) != erp.ENotFound {
		t.Errorf("a token that expired %s ago is still there after the purge (err %v)", erp.TokenRetention+24*time.Hour, err)
	}
	if _, err := st.UserTokenByHash(ctx, recent.Hash); err != nil {
		t.Errorf("a token that expired an hour ago was purged too early: %v", err)
	}
	if !strings.Contains(p.Stderr(), "count=1") {
		t.Errorf("the purge logged another count than the one token it should delete:\n%s", p.Stderr())
	}
}

// TestDemoBannerNamesTheCLIsERP: on the default address the banner gives
// the CLI's --test, as the README does; elsewhere the address itself.
func TestDemoBannerNamesTheCLIsERP(t *testing.T) {
	t.Parallel()
	for base, want := range map[string][]string{
		"http://127.0.0.1:8000/api/v1": {
			"\n    cloudspot login --test --app timeapp\n",
			" cloudspot artikels list --test\n",
			" cloudspot artikels list --test --fields SKU,naam,merk,categorie,EAN\n",
			" cloudspot categorieen list --test\n",
		},
		"http://127.0.0.1:43210/api/v1": {
			"\n    cloudspot login --base-url http://127.0.0.1:43210/api/v1 --app timeapp\n",
			" cloudspot artikels list --base-url http://127.0.0.1:43210/api/v1\n",
			"curl -s http://127.0.0.1:43210/api/v1/artikels/ ",
			"curl -s http://127.0.0.1:43210/api/v1/categories/ -H 'X-ERP-TOKEN: " + demo.CompanyToken + "'\n",
			"-H 'X-Cloudspot-API-Version: 0.6'",
		},
	} {
		var out strings.Builder
		printDemo(&env{stdout: &out}, base)
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("banner for %s lacks %q:\n%s", base, w, out.String())
			}
		}
	}
}

// TestDemoBannerAgreesWithREADME: the login the banner of a server on the
// default address suggests is the one the README's session runs.
func TestDemoBannerAgreesWithREADME(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(erptest.ModuleRoot(t), "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	printDemo(&env{stdout: &out}, "http://127.0.0.1:8000/api/v1")
	found := false
	for _, l := range strings.Split(out.String(), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "cloudspot login ") {
			found = true
			if !strings.Contains(string(readme), "\n$ "+l+"\n") {
				t.Errorf("the banner suggests %q; the README's console session does not run it", l)
			}
		}
	}
	if !found {
		t.Errorf("the banner suggests no cloudspot login:\n%s", out.String())
	}
}

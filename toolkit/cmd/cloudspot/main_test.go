package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// sandbox is a user's machine for the CLI: its own config directory, no
// keyring (tokens go to a file), and no CLOUDSPOT_* settings from the
// environment the tests run in.
type sandbox struct {
	t      *testing.T
	bin    string
	base   string // the ERP's base URL, passed with --base-url
	config string // XDG_CONFIG_HOME
	env    []string
}

func newSandbox(t *testing.T, base string) *sandbox {
	t.Helper()
	home := t.TempDir()
	s := &sandbox{
		t:      t,
		bin:    erptest.Build(t, "./cmd/cloudspot"),
		base:   base,
		config: filepath.Join(home, "config"),
	}
	s.env = []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + s.config,
		"CI=true",
		"CLOUDSPOT_TOKEN_STORE=file",
		"CLOUDSPOT_TOKEN=",
		"CLOUDSPOT_APP=",
		"CLOUDSPOT_BASE_URL=",
		"COLUMNS=",
	}
	return s
}

// demoSandbox starts a demo ERP and a sandbox pointed at it.
func demoSandbox(t *testing.T) (*sandbox, *erptest.Server) {
	t.Helper()
	srv := erptest.Start(t, erptest.Options{Demo: true})
	return newSandbox(t, srv.URL), srv
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

// run runs cloudspot --base-url BASE args... with stdin and extra
// environment variables ("K=V").
func (s *sandbox) run(stdin string, env []string, args ...string) result {
	s.t.Helper()
	if s.base != "" {
		args = append([]string{"--base-url", s.base}, args...)
	}
	o, e, code := erptest.Run(s.t, stdin, append(append([]string{}, s.env...), env...), s.bin, args...)
	return result{o, e, code}
}

// ok runs the binary and fails the test unless it exits 0.
func (s *sandbox) ok(stdin string, env []string, args ...string) result {
	s.t.Helper()
	r := s.run(stdin, env, args...)
	if r.code != 0 {
		s.t.Fatalf("cloudspot %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// login signs the demo user in for timeapp through the CLI.
func (s *sandbox) login(user string) {
	s.t.Helper()
	s.ok(demo.Password+"\n", nil, "login", "--app", "timeapp", "--username", user, "--password-stdin")
}

// companyEnv sets the demo company token.
var companyEnv = []string{"CLOUDSPOT_TOKEN=" + demo.CompanyToken}

// userToken signs a user in directly on the server, for tests that pass a
// token instead of logging in.
func userToken(t *testing.T, srv *erptest.Server, user string) string {
	t.Helper()
	res, err := srv.Service.SignIn(context.Background(), demo.App, user, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	return res.Token
}

// golden compares got with testdata/name.golden, or rewrites the file with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/cloudspot -run %s -update to create it)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got; -update rewrites it):\n%s", path, diff)
	}
}

// oneLine fails unless stderr is exactly one line starting "cloudspot: ".
func assertOneLine(t *testing.T, stderr string) {
	t.Helper()
	if !strings.HasPrefix(stderr, "cloudspot: ") || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr is not one line starting with \"cloudspot: \":\n%s", stderr)
	}
	for _, bad := range []string{"goroutine ", "panic", ".go:"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr shows internals (%q):\n%s", bad, stderr)
		}
	}
}

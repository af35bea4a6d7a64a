package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
)

// TestVerboseRedactsSecrets runs every command that handles a secret with
// -v, successful and failing, and looks for the secret in everything the
// program wrote.
func TestVerboseRedactsSecrets(t *testing.T) {
	t.Parallel()
	s, srv := demoSandbox(t)
	const wrongPassword = "Wrong-Password-7f3a"
	userTok := userToken(t, srv, demo.Username)
	const badTok = "BadToken-d41d8cd98f00b204e9800998ecf8427e"

	r := s.ok(demo.Password+"\n", nil, "-v", "login", "--app", "timeapp", "--username", "demo", "--password-stdin")
	// The token login got, as stored in the file, must not be printed either.
	b, err := os.ReadFile(filepath.Join(s.config, "cloudspot", "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	storedTok := regexp.MustCompile(`"token": "([^"]+)"`).FindSubmatch(b)
	if storedTok == nil {
		t.Fatalf("no token in the file:\n%s", b)
	}
	secrets := []string{demo.Password, wrongPassword, userTok, badTok, demo.CompanyToken, string(storedTok[1])}

	runs := []result{r}
	runs = append(runs,
		s.run(wrongPassword+"\n", nil, "-v", "login", "--app", "timeapp", "--username", "demo", "--password-stdin"),
		s.run("", nil, "-v", "whoami"),
		s.run("", nil, "-v", "permissions"),
		s.run("", []string{"CLOUDSPOT_TOKEN=" + userTok, "CLOUDSPOT_APP=timeapp"}, "-v", "whoami"),
		s.run("", nil, "-v", "--token", badTok, "permissions"),
		s.run("", companyEnv, "-v", "artikels", "list", "--limit", "1"),
		s.run("", []string{"CLOUDSPOT_TOKEN=" + badTok}, "-v", "klanten", "list"),
		s.run(demo.CompanyToken+"\n", nil, "-v", "login", "--company"),
		s.run(badTok+"\n", nil, "-v", "login", "--company"),
		s.run("", nil, "-v", "auth", "status"),
	)
	wantCodes := []int{0, 4, 0, 0, 0, 4, 0, 4, 0, 4, 0}
	for i, r := range runs {
		if r.code != wantCodes[i] {
			t.Errorf("run %d: exit %d, want %d; stderr:\n%s", i, r.code, wantCodes[i], r.stderr)
		}
		for _, sec := range secrets {
			if strings.Contains(r.stdout, sec) || strings.Contains(r.stderr, sec) {
				t.Errorf("run %d shows the secret %q:\nstdout:\n%s\nstderr:\n%s", i, sec, r.stdout, r.stderr)
			}
		}
	}

	// -v does show the requests, with the token header redacted and the
	// sign-in body never written.
	v := runs[0].stderr + runs[6].stderr
	for _, want := range []string{
		"> POST " + s.base + "/auth/signin-external-app/\n",
		"> X-Erp-Requestor: timeapp\n",
		"> GET " + s.base + "/artikels/\n",
		"> X-Erp-Token: [redacted]\n",
		"< 200 OK (application/json",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("-v output lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "username") || strings.Contains(v, "password") {
		t.Errorf("-v shows the sign-in body:\n%s", v)
	}
	if !strings.Contains(runs[7].stderr, "< 401 Unauthorized") {
		t.Errorf("-v does not show a refusal's status:\n%s", runs[7].stderr)
	}
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestLoginStoresToken: login keeps the token in a file only the user can
// read, the other commands use it, auth status says where it is, and logout
// forgets it.
func TestLoginStoresToken(t *testing.T) {
	t.Parallel()
	s, srv := demoSandbox(t)

	r := s.ok(demo.Password+"\n", nil, "login", "--app", "TimeApp", "--username", "demo", "--password-stdin")
	file := filepath.Join(s.config, "cloudspot", "tokens.json")
	for _, want := range []string{
		"Logged in to timeapp at " + s.base + " as demo (Jan Peeters).",
		"Token stored in " + file + " (readable only by you; CLOUDSPOT_TOKEN_STORE=file).",
		"Permissions for timeapp:\n  timeapp_use\n  timeapp_timetracking_use\n  timeapp_timetracking_create\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("login said:\n%s\nwant it to contain %q", r.stdout, want)
		}
	}

	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("config directory mode %v, want 0700", di.Mode().Perm())
	}
	var idx indexFile
	b, _ := os.ReadFile(file)
	if err := json.Unmarshal(b, &idx); err != nil || len(idx.Tokens) != 1 {
		t.Fatalf("token file holds %s (%v)", b, err)
	}
	if e := idx.Tokens[0]; e.BaseURL != s.base || e.App != "timeapp" || e.Store != inFile || len(e.Token) < 20 {
		t.Errorf("stored entry %+v", e)
	}

	// The stored token is used without naming the app: it is the only one.
	if r := s.ok("", nil, "whoami", "-o", "csv"); r.stdout != "first_name,last_name,email,company\nJan,Peeters,jan.peeters@koffiehuis-demo.be,0f4a2c6e-3b1d-4e8a-9c57-6d2e1f8b4a90\n" {
		t.Errorf("whoami = %q", r.stdout)
	}

	r = s.ok("", nil, "auth", "status")
	if want := s.base + "\n  app timeapp: demo (Jan Peeters), in " + file + ", saved "; !strings.HasPrefix(r.stdout, want) {
		t.Errorf("auth status:\n%s\nwant it to start with %q", r.stdout, want)
	}
	if strings.Contains(r.stdout, idx.Tokens[0].Token) {
		t.Error("auth status shows the token")
	}

	r = s.ok("", nil, "logout")
	if !strings.Contains(r.stdout, "Logged out: timeapp at "+s.base) || !strings.Contains(r.stdout, "The ERP revoked the token.") {
		t.Errorf("logout said %q", r.stdout)
	}
	if _, err := srv.Service.PermissionsForToken(context.Background(), "timeapp", idx.Tokens[0].Token); erp.ErrorCode(err) != erp.EUnauthorized {
		t.Errorf("the token after logout: %v, want it revoked at the server", err)
	}
	b, _ = os.ReadFile(file)
	if strings.Contains(string(b), idx.Tokens[0].Token) {
		t.Error("the token is still in the file after logout")
	}
	if r := s.run("", nil, "whoami"); r.code != 4 {
		t.Errorf("whoami after logout: exit %d, want 4", r.code)
	}
	if r := s.run("", nil, "logout"); r.code != 1 {
		t.Errorf("logout twice: exit %d, want 1", r.code)
	}
}

// TestLogoutWithoutSignOut: against an ERP without the sign-out call (a
// proxy that answers it 404, as the ERP's own API does), logout still
// forgets the token and says it stays valid and who can revoke it; when the
// ERP cannot be reached, it forgets the token, says it was not revoked, and
// fails.
func TestLogoutWithoutSignOut(t *testing.T) {
	t.Parallel()
	srv := erptest.Start(t, erptest.Options{Demo: true})
	target, err := url.Parse(strings.TrimSuffix(srv.URL, "/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var cut atomic.Bool
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/auth/signout/" {
			proxy.ServeHTTP(w, r)
			return
		}
		if cut.Load() {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message": "Not found."}`)
	}))
	t.Cleanup(front.Close)
	s := newSandbox(t, front.URL+"/api/v1")

	s.login(demo.Username)
	token := storedToken(t, s)
	r := s.ok("", nil, "logout")
	for _, want := range []string{"Logged out: timeapp at " + s.base,
		"The ERP at " + s.base + " does not offer sign-out: the token stays valid until it expires, unless an ERP administrator revokes it (on cloudspot-server: cloudspot-server admin user revoke-tokens demo)."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("logout said:\n%s\nwant it to contain %q", r.stdout, want)
		}
	}
	if _, err := srv.Service.PermissionsForToken(context.Background(), "timeapp", token); err != nil {
		t.Errorf("a server without sign-out revoked the token: %v", err)
	}

	s.login(demo.Username)
	cut.Store(true)
	r = s.run("", nil, "logout")
	if r.code != 1 || !strings.Contains(r.stdout, "The ERP could not revoke the token: the token stays valid") || !strings.Contains(r.stderr, s.base) {
		t.Errorf("logout with the ERP unreachable: exit %d\nstdout %s\nstderr %s\nwant exit 1, saying the token was not revoked", r.code, r.stdout, r.stderr)
	}
	if r := s.run("", nil, "whoami"); r.code != 4 {
		t.Errorf("whoami after a logout that could not revoke: exit %d, want 4 (the token is forgotten here)", r.code)
	}
	s.ok(demo.CompanyToken+"\n", nil, "login", "--company")
	r = s.ok("", nil, "logout", "--company")
	if !strings.Contains(r.stdout, "stays valid until an ERP administrator revokes it (cloudspot-server admin token revoke ID)") {
		t.Errorf("logout --company said %q", r.stdout)
	}
}

// storedToken is the one token in the sandbox's token file.
func storedToken(t *testing.T, s *sandbox) string {
	t.Helper()
	var idx indexFile
	b, err := os.ReadFile(filepath.Join(s.config, "cloudspot", "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &idx); err != nil || len(idx.Tokens) != 1 {
		t.Fatalf("token file holds %s (%v)", b, err)
	}
	return idx.Tokens[0].Token
}

// TestTokenFromEnvironmentOverrides: CLOUDSPOT_TOKEN wins over the stored
// token, and a CI run stores in a file saying why.
func TestTokenFromEnvironmentOverrides(t *testing.T) {
	t.Parallel()
	s, srv := demoSandbox(t)
	s.env = append(s.env, "CLOUDSPOT_TOKEN_STORE=") // auto, with CI=true
	r := s.ok(demo.Password+"\n", nil, "login", "--app", "timeapp", "--username", "demo", "--password-stdin")
	if !strings.Contains(r.stdout, "readable only by you; CI is set") {
		t.Errorf("login said:\n%s", r.stdout)
	}
	viewer := userToken(t, srv, demo.Viewer)
	r = s.ok("", []string{"CLOUDSPOT_TOKEN=" + viewer}, "permissions")
	if r.stdout != "timeapp_use\n" {
		t.Errorf("permissions with the viewer's CLOUDSPOT_TOKEN = %q, want only timeapp_use", r.stdout)
	}
	r = s.ok("", []string{"CLOUDSPOT_TOKEN=" + viewer}, "auth", "status")
	if !strings.HasPrefix(r.stdout, "CLOUDSPOT_TOKEN is set: it overrides the stored tokens.\n") {
		t.Errorf("auth status:\n%s", r.stdout)
	}
	// --token wins over both.
	r = s.ok("", []string{"CLOUDSPOT_TOKEN=" + viewer}, "--token", userToken(t, srv, demo.Username), "permissions", "--has", "timeapp_timetracking_create")
	if r.stdout != "" {
		t.Errorf("--has printed %q", r.stdout)
	}
}

// TestLoginCompanyToken: a company token can be stored too, so that the
// list commands need neither a flag nor an environment variable.
func TestLoginCompanyToken(t *testing.T) {
	t.Parallel()
	s, _ := demoSandbox(t)
	if r := s.run("not-a-token\n", nil, "login", "--company"); r.code != 4 {
		t.Fatalf("login --company with a bad token: exit %d, want 4; stderr %s", r.code, r.stderr)
	}
	s.ok(demo.CompanyToken+"\n", nil, "login", "--company")
	r := s.ok("", nil, "klanten", "list", "-o", "csv", "--search", "müller", "--fields", "klantennummer,achternaam,plaats")
	if r.stdout != "klantennummer,achternaam,plaats\n1049,Müller,Eupen\n" {
		t.Errorf("klanten list with the stored company token = %q", r.stdout)
	}
	s.ok("", nil, "logout", "--company")
	if r := s.run("", nil, "klanten", "list"); r.code != 4 {
		t.Errorf("after logout --company: exit %d, want 4", r.code)
	}
}

// fakeKeyring is an OS keyring in memory, or one that is not there.
type fakeKeyring struct {
	secrets map[string]string
	err     error
}

func (k *fakeKeyring) Set(service, user, secret string) error {
	if k.err != nil {
		return k.err
	}
	k.secrets[service+"/"+user] = secret
	return nil
}

func (k *fakeKeyring) Get(service, user string) (string, error) {
	if k.err != nil {
		return "", k.err
	}
	s, ok := k.secrets[service+"/"+user]
	if !ok {
		return "", errors.New("secret not found in keyring")
	}
	return s, nil
}

func (k *fakeKeyring) Delete(service, user string) error {
	if k.err != nil {
		return k.err
	}
	delete(k.secrets, service+"/"+user)
	return nil
}

// TestKeyringFirst: where a keyring works, the token goes there and the
// file keeps only where it is; where none works, the file keeps it and says
// why; CLOUDSPOT_TOKEN_STORE=keyring refuses the fallback.
func TestKeyringFirst(t *testing.T) {
	t.Parallel()
	const base, token = "http://erp.test/api/v1", "secret-token-123"
	e := entry{BaseURL: base, App: "timeapp", Username: "demo"}

	t.Run("Keyring", func(t *testing.T) {
		t.Parallel()
		kr := &fakeKeyring{secrets: map[string]string{}}
		st := &tokenStore{dir: t.TempDir(), keyring: kr}
		got, why, err := st.put(e, token)
		if err != nil || got.Store != inKeyring || why != "" {
			t.Fatalf("put = %+v, %q, %v", got, why, err)
		}
		b, _ := os.ReadFile(st.path())
		if strings.Contains(string(b), token) {
			t.Errorf("the token is in the file although the keyring holds it:\n%s", b)
		}
		es, _ := st.find(base, "", false)
		if len(es) != 1 {
			t.Fatalf("find = %+v", es)
		}
		if tok, err := st.token(es[0]); tok != token || err != nil {
			t.Errorf("token = %q, %v", tok, err)
		}
		if err := st.remove(es[0]); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{}, kr.secrets); diff != "" {
			t.Errorf("keyring after remove (-want +got):\n%s", diff)
		}
	})
	t.Run("NoKeyring", func(t *testing.T) {
		t.Parallel()
		st := &tokenStore{dir: t.TempDir(), keyring: &fakeKeyring{err: errors.New("The name org.freedesktop.secrets was not provided")}}
		got, why, err := st.put(e, token)
		if err != nil || got.Store != inFile || !strings.HasPrefix(why, "no OS keyring: The name org.freedesktop.secrets") {
			t.Fatalf("put = %+v, %q, %v", got, why, err)
		}
		if tok, _ := st.token(got); tok != token {
			t.Errorf("token = %q", tok)
		}
	})
	t.Run("KeyringRequired", func(t *testing.T) {
		t.Parallel()
		st := &tokenStore{dir: t.TempDir(), mode: inKeyring, ci: true, keyring: &fakeKeyring{err: errors.New("no dbus")}}
		if _, _, err := st.put(e, token); err == nil || exitCode(err) != exitFailed {
			t.Fatalf("put with a required keyring that fails: %v", err)
		}
		if _, err := os.Stat(st.path()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a token file was written: %v", err)
		}
	})
	t.Run("CI", func(t *testing.T) {
		t.Parallel()
		kr := &fakeKeyring{secrets: map[string]string{}}
		st := &tokenStore{dir: t.TempDir(), ci: true, keyring: kr}
		got, why, err := st.put(e, token)
		if err != nil || got.Store != inFile || why != "CI is set" || len(kr.secrets) != 0 {
			t.Fatalf("put = %+v, %q, %v; keyring %v", got, why, err, kr.secrets)
		}
	})
}

// TestLoopbackSpellingsAreOneERP: the server's banner says 127.0.0.1 and
// --test says localhost; a token stored through one is found through the
// other, and logging out through either forgets it.
func TestLoopbackSpellingsAreOneERP(t *testing.T) {
	t.Parallel()
	s, _ := demoSandbox(t)
	if !strings.Contains(s.base, "://127.0.0.1:") {
		t.Fatalf("the test server is at %s; this test needs it on 127.0.0.1", s.base)
	}
	localhost := strings.Replace(s.base, "://127.0.0.1:", "://localhost:", 1)
	s.login("demo") // through 127.0.0.1

	byName := &sandbox{t: t, bin: s.bin, base: localhost + "/", config: s.config, env: s.env}
	if r := byName.ok("", nil, "whoami", "-o", "csv", "--fields", "first_name"); r.stdout != "first_name\nJan\n" {
		t.Errorf("whoami through localhost = %q", r.stdout)
	}
	// Signing in again through the other spelling replaces the token.
	byName.login("viewer")
	if r := s.ok("", nil, "whoami", "-o", "csv", "--fields", "first_name"); r.stdout != "first_name\nLotte\n" {
		t.Errorf("whoami through 127.0.0.1 after a login through localhost = %q", r.stdout)
	}
	byName.ok("", nil, "logout")
	if r := s.run("", nil, "whoami"); r.code != exitNeedAuth {
		t.Errorf("whoami after logout through localhost: exit %d, want %d (%s)", r.code, exitNeedAuth, r.stderr)
	}
	// Another port is another ERP.
	u, err := url.Parse(localhost)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "localhost:1"
	other := &sandbox{t: t, bin: s.bin, base: u.String(), config: s.config, env: s.env}
	s.login("demo")
	if r := other.run("", nil, "whoami"); r.code != exitNeedAuth || !strings.Contains(r.stderr, "not logged in") {
		t.Errorf("whoami at another port: exit %d, %s", r.code, r.stderr)
	}
}

// TestKeyringOneEntryPerERP: a login through another spelling of the same
// ERP replaces the keyring entry instead of leaving the old one behind.
func TestKeyringOneEntryPerERP(t *testing.T) {
	t.Parallel()
	kr := &fakeKeyring{secrets: map[string]string{}}
	st := &tokenStore{dir: t.TempDir(), keyring: kr}
	if _, _, err := st.put(entry{BaseURL: "http://127.0.0.1:8000/api/v1", App: "timeapp"}, "first"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.put(entry{BaseURL: "http://localhost:8000/api/v1", App: "timeapp"}, "second"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"cloudspot/http://localhost:8000/api/v1 app:timeapp": "second"}, kr.secrets); diff != "" {
		t.Errorf("keyring (-want +got):\n%s", diff)
	}
	es, err := st.find("http://[::1]:8000/api/v1", "timeapp", false)
	if err != nil || len(es) != 1 {
		t.Fatalf("find through [::1] = %+v, %v", es, err)
	}
	if tok, err := st.token(es[0]); tok != "second" || err != nil {
		t.Errorf("token = %q, %v", tok, err)
	}
}

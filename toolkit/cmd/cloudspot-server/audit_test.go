package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestAdminAudit signs in over HTTP on a server process, right and wrong,
// and changes a user with an admin command: admin audit shows it all, as
// a table and as JSON, filtered, and shows no password or token.
func TestAdminAudit(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	db := filepath.Join(t.TempDir(), "erp.db")
	p := erptest.StartProcess(t, bin, "--db", db, "--demo")
	ctx := context.Background()
	users := erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(p.URL)))(t)
	s := erptest.Must(users.Authenticate(ctx, demo.Username, demo.Password))(t)
	users.Authenticate(ctx, demo.Username, "not-the-password-xyz")
	if _, errOut, code := erptest.Run(t, "", nil, bin, "admin", "--db", db, "user", "revoke-tokens", demo.Username); code != 0 {
		t.Fatalf("revoke-tokens: %d %s", code, errOut)
	}

	out, errOut, code := erptest.Run(t, "", nil, bin, "admin", "--db", db, "audit", "--json", "--user", demo.Username)
	if code != 0 {
		t.Fatalf("admin audit --json: exit %d %s", code, errOut)
	}
	var entries []map[string]any
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("admin audit --json: %v\n%s", err, out)
	}
	var got []string
	for _, e := range entries {
		if len(e) != 9 {
			t.Errorf("entry keys: %v", e)
		}
		got = append(got, e["action"].(string)+" "+e["app"].(string)+" "+e["address"].(string)+" "+e["actor"].(string)+" "+e["company"].(string))
	}
	// The demo is seeded by serve (no actor); the admin command is the CLI.
	for _, want := range []string{"user.create    demo", "signin.success timeapp 127.0.0.1  ", "signin.failure timeapp 127.0.0.1  ", "user.tokens.revoke   cli demo"} {
		if !strings.Contains(strings.Join(got, "\n")+"\n", want+"\n") && !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("audit of %s lacks %q:\n%s", demo.Username, want, strings.Join(got, "\n"))
		}
	}

	table, _, code := erptest.Run(t, "", nil, bin, "admin", "--db", db, "audit", "--action", "signin.", "--since", "1h")
	if code != 0 || !strings.HasPrefix(table, "TIME") || strings.Count(table, "signin.") != 2 || strings.Contains(table, "user.create") {
		t.Errorf("admin audit --action signin. --since 1h: exit %d\n%s", code, table)
	}
	for name, secret := range map[string]string{"password": demo.Password, "wrong password": "not-the-password-xyz", "user token": s.Token, "company token": demo.CompanyToken} {
		if strings.Contains(out+table, secret) {
			t.Errorf("admin audit shows the %s", name)
		}
	}
	if _, errOut, code := erptest.Run(t, "", nil, bin, "admin", "--db", db, "audit", "--since", "yesterday"); code != 2 || !strings.Contains(errOut, "--since") {
		t.Errorf("a bad --since: exit %d %q, want a usage error", code, errOut)
	}
}

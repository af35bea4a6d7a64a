package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestAdminConsoleUsers manages console accounts from the command line:
// the password from stdin (never an argument), a session ended by a
// deactivation and by a new password, and each change in the audit log
// with the CLI as its actor.
func TestAdminConsoleUsers(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	if out := a.ok("a console password\n", "console-user", "create", "anna"); out != "created console user anna\n" {
		t.Errorf("create: %q", out)
	}
	a.fails(1, "already exists", "another password\n", "console-user", "create", "anna")
	a.fails(1, "at least 8 characters", "short\n", "console-user", "create", "bert")
	a.fails(2, "want a username", "", "console-user", "create")
	a.fails(2, "unknown flag: --password", "", "console-user", "create", "bert", "--password", "x")
	svc := erptest.Must(erp.NewService(erp.Config{Store: openForTest(t, a.db)}))(t)
	ctx := context.Background()
	secret, _, err := svc.ConsoleSignIn(ctx, "127.0.0.1", "anna", "a console password")
	if err != nil {
		t.Fatal(err)
	}
	if out := a.ok("", "console-user", "list"); !strings.Contains(out, "USERNAME") || !strings.Contains(out, "anna      yes") {
		t.Errorf("list:\n%s", out)
	}
	a.ok("", "console-user", "deactivate", "anna")
	if _, err := svc.ConsoleSession(ctx, secret); erp.ErrorCode(err) != erp.EUnauthorized {
		t.Errorf("a session after deactivate: %v", err)
	}
	if out := a.ok("", "console-user", "list"); !strings.Contains(out, "anna      no") {
		t.Errorf("list after deactivate:\n%s", out)
	}
	a.ok("", "console-user", "activate", "anna")
	secret, _, err = svc.ConsoleSignIn(ctx, "127.0.0.1", "anna", "a console password")
	if err != nil {
		t.Fatal(err)
	}
	a.ok("a new console password\n", "console-user", "password", "anna")
	if _, err := svc.ConsoleSession(ctx, secret); erp.ErrorCode(err) != erp.EUnauthorized {
		t.Errorf("a session after a new password: %v", err)
	}
	if _, _, err := svc.ConsoleSignIn(ctx, "127.0.0.1", "anna", "a new console password"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	a.fails(1, `console user "nobody" does not exist`, "", "console-user", "deactivate", "nobody")
	out := a.ok("", "audit", "--action", "console.user.", "--actor", "cli")
	for _, want := range []string{"console.user.create", "console.user.deactivate", "console.user.activate", "console.user.password"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit --actor cli lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "console password") {
		t.Error("the audit log shows a console password")
	}
}

// TestAdminTreeAndTokenEdits: the commands that the console's screens
// match (a permission relabelled and removed, a company token renamed,
// one user token revoked, users searched, a company shown) change the
// database as the domain says.
func TestAdminTreeAndTokenEdits(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	a.ok("", "app", "create", "timeapp")
	a.ok("", "app", "add-permission", "timeapp", "timeapp_use", "--label", "use")
	a.ok("", "app", "add-permission", "timeapp", "timeapp_x", "--label", "x", "--parent", "timeapp_use")
	a.ok("a password of jan\n", "user", "create", "jan", "--company", "acme", "--first-name", "Jan", "--last-name", "Peeters")
	a.ok("a password of els\n", "user", "create", "els", "--company", "acme", "--first-name", "Els")
	a.ok("", "grant", "jan", "timeapp_use")
	a.ok("", "grant", "jan", "timeapp_x")
	if out := a.ok("", "app", "rename-permission", "timeapp_use", "TimeApp: toegang"); out != "permission timeapp_use is now labelled \"TimeApp: toegang\"\n" {
		t.Errorf("rename-permission: %q", out)
	}
	if out := a.ok("", "app", "permissions", "timeapp"); !strings.Contains(out, "timeapp_use  (TimeApp: toegang)") {
		t.Errorf("the tree after the rename:\n%s", out)
	}
	if out := a.ok("", "app", "remove-permission", "timeapp_x"); out != "removed timeapp_x with 0 permission(s) under it; 1 grant(s) went\n" {
		t.Errorf("remove-permission: %q", out)
	}
	if out := a.ok("", "user", "permissions", "jan", "--app", "timeapp"); out != "timeapp_use\n" {
		t.Errorf("jan's permissions after the removal: %q", out)
	}
	a.fails(1, `permission "timeapp_x" does not exist`, "", "app", "remove-permission", "timeapp_x")

	a.ok("", "token", "create", "--company", "acme", "--name", "webshop", "--rights", "artikels")
	if out := a.ok("", "token", "rename", "1", "webshop (old)"); out != "company token 1 is now named \"webshop (old)\"\n" {
		t.Errorf("token rename: %q", out)
	}
	if out := a.ok("", "token", "list", "--company", "acme"); !strings.Contains(out, "webshop (old)") {
		t.Errorf("token list after the rename:\n%s", out)
	}
	a.fails(2, "is not a number", "", "token", "rename", "one", "x")

	svc := erptest.Must(erp.NewService(erp.Config{Store: openForTest(t, a.db)}))(t)
	ctx := context.Background()
	one := erptest.Must(svc.SignIn(ctx, "timeapp", "jan", "a password of jan"))(t)
	two := erptest.Must(svc.SignIn(ctx, "otherapp", "jan", "a password of jan"))(t)
	ts := erptest.Must(svc.UserTokens(ctx, "jan"))(t)
	if out := a.ok("", "user", "revoke-token", "jan", strconv.FormatInt(ts[1].ID, 10)); !strings.Contains(out, "revoked token") {
		t.Errorf("revoke-token: %q", out)
	}
	if _, err := svc.PermissionsForToken(ctx, "timeapp", one.Token); erp.ErrorCode(err) != erp.EUnauthorized {
		t.Errorf("the revoked token: %v", err)
	}
	if _, err := svc.PermissionsForToken(ctx, "otherapp", two.Token); err != nil {
		t.Errorf("jan's other token: %v", err)
	}

	if out := a.ok("", "user", "list", "--search", "PEETERS"); !strings.Contains(out, "jan") || strings.Contains(out, "els") {
		t.Errorf("user list --search:\n%s", out)
	}
	out := a.ok("", "company", "show", "acme")
	for _, want := range []string{"company      acme (Acme BV)", "artikels     0", "users        els, jan", "tokens       1 webshop (old)"} {
		if !strings.Contains(out, want) {
			t.Errorf("company show lacks %q:\n%s", want, out)
		}
	}
	if out := a.ok("", "audit", "--company", "acme", "--action", "company.token."); !strings.Contains(out, "company.token.rename") || !strings.Contains(out, "cli") {
		t.Errorf("audit --company acme:\n%s", out)
	}
}

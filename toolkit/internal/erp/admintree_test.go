package erp_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestPermissionTreeEdits: a permission's label changes and its slug
// stays; removing a permission removes its subtree and every grant of it,
// at once for tokens already issued.
func TestPermissionTreeEdits(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		if err := w.svc.RenamePermission(ctx, "TIMEAPP_USE ", "TimeApp: toegang"); err != nil {
			t.Fatal(err)
		}
		ps := erptest.Must(w.svc.Permissions(ctx, "timeapp"))(t)
		if ps[0].Slug != "timeapp_use" || ps[0].Label != "TimeApp: toegang" {
			t.Errorf("after the rename: %+v", ps[0])
		}
		for _, c := range []struct{ slug, label, code string }{
			{"timeapp_use", "  ", erp.EInvalid},
			{"timeapp_use", strings.Repeat("é", erp.MaxLabelLen+1), erp.EInvalid},
			{"timeapp_use", "two\nlines", erp.EInvalid},
			{"nope_use", "x", erp.ENotFound},
		} {
			wantCode(t, fmt.Sprintf("label %.20q of %s", c.label, c.slug), w.svc.RenamePermission(ctx, c.slug, c.label), c.code, "")
		}
		_, err := w.svc.AddPermission(ctx, "timeapp", "timeapp_long", strings.Repeat("x", erp.MaxLabelLen+1), "")
		wantCode(t, "adding a permission with a label too long", err, erp.EInvalid, "")

		s := w.signIn(t, "timeapp", "an")
		erptest.Must(w.svc.AddPermission(ctx, "timeapp", "timeapp_timetracking_create", "Aanmaken", "timeapp_timetracking_use"))(t)
		if err := w.svc.Grant(ctx, "an", "timeapp_timetracking_create"); err != nil {
			t.Fatal(err)
		}
		n, grants, err := w.svc.RemovePermission(ctx, "timeapp_timetracking_use")
		if err != nil || n != 2 || grants != 2 {
			t.Fatalf("RemovePermission = %d, %d, %v; want 2 permissions and 2 grants", n, grants, err)
		}
		if got, want := erptest.Must(w.svc.PermissionsForToken(ctx, "timeapp", s.Token))(t), []string{"timeapp_use"}; !reflect.DeepEqual(got, want) {
			t.Errorf("a token issued before the removal has %q, want %q", got, want)
		}
		if got := erptest.Must(w.svc.Granted(ctx, "bert", "timeapp"))(t); !reflect.DeepEqual(got, []string{"timeapp_use"}) {
			t.Errorf("bert's grants: %q", got)
		}
		_, _, err = w.svc.RemovePermission(ctx, "timeapp_timetracking_use")
		wantCode(t, "removing it again", err, erp.ENotFound, "")

		var lines []string
		for _, e := range erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: "permission."}))(t) {
			lines = append(lines, e.Action+"|"+e.App+"|"+e.Detail)
		}
		text := strings.Join(lines, "\n")
		for _, want := range []string{
			`permission.rename|timeapp|timeapp_use now labelled "TimeApp: toegang"`,
			"permission.remove|timeapp|timeapp_timetracking_use removed with 1 permissions under it; 2 grants went",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the audit log lacks %q:\n%s", want, text)
			}
		}
	})
}

// TestTokenEdits: a company token's name changes and it keeps working;
// one user token is revoked and the user's others and other users' stay.
func TestTokenEdits(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		ts := erptest.Must(w.svc.CompanyTokens(ctx, "acme"))(t)
		if err := w.svc.RenameCompanyToken(ctx, ts[0].ID, " webshop 2 "); err != nil {
			t.Fatal(err)
		}
		if got := erptest.Must(w.svc.CompanyTokens(ctx, "acme"))(t)[0].Name; got != "webshop 2" {
			t.Errorf("name after the rename %q", got)
		}
		if _, err := w.svc.ArtikelsForToken(ctx, w.acmeAll); err != nil {
			t.Errorf("the renamed token: %v", err)
		}
		wantCode(t, "an empty name", w.svc.RenameCompanyToken(ctx, ts[0].ID, " "), erp.EInvalid, "")
		wantCode(t, "a missing token", w.svc.RenameCompanyToken(ctx, 1<<40, "x"), erp.ENotFound, "")

		a1, a2 := w.signIn(t, "timeapp", "an"), w.signIn(t, "otherapp", "an")
		b := w.signIn(t, "timeapp", "bert")
		uts := erptest.Must(w.svc.UserTokens(ctx, "an"))(t) // newest first
		if err := w.svc.RevokeUserToken(ctx, "an", uts[1].ID); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.PermissionsForToken(ctx, "timeapp", a1.Token)
		wantCode(t, "the revoked token", err, erp.EUnauthorized, erp.MsgNoValidToken)
		_, err = w.svc.PermissionsForToken(ctx, "otherapp", a2.Token)
		wantCode(t, "the user's other token", err, "", "")
		bts := erptest.Must(w.svc.UserTokens(ctx, "bert"))(t)
		wantCode(t, "bert's token revoked as an's", w.svc.RevokeUserToken(ctx, "an", bts[0].ID), erp.ENotFound, "")
		_, err = w.svc.PermissionsForToken(ctx, "timeapp", b.Token)
		wantCode(t, "bert's token", err, "", "")
		es := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditUserTokenRevoke}))(t)
		if len(es) != 1 || es[0].Username != "an" || es[0].Company != "acme" || es[0].Detail != fmt.Sprintf("user token %d revoked", uts[1].ID) {
			t.Errorf("audit of the revocation: %+v", es)
		}
	})
}

// TestSearchUsers finds users by username, name or email, ignoring case
// and accents, within a company or in all of them.
func TestSearchUsers(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		erptest.Must(w.svc.CreateUser(ctx, erp.NewUser{Username: "francoise", Password: password, FirstName: "Françoise", LastName: "Dubois", Email: "fd@globex.example", Company: "globex"}))(t)
		names := func(company, q string) []string {
			t.Helper()
			out := []string{}
			for _, u := range erptest.Must(w.svc.SearchUsers(ctx, company, q))(t) {
				out = append(out, u.Username)
			}
			return out
		}
		for _, c := range []struct {
			company, q string
			want       []string
		}{
			{"", "", []string{"an", "bert", "francoise"}},
			{"", "FRANÇOISE", []string{"francoise"}},
			{"", "dubois", []string{"francoise"}},
			{"", "globex.example", []string{"francoise"}},
			{"", "peeters", []string{"bert"}},
			{"globex", "", []string{"bert", "francoise"}},
			{"acme", "bert", []string{}},
			{"", "nobody", []string{}},
		} {
			if got := names(c.company, c.q); !reflect.DeepEqual(got, c.want) {
				t.Errorf("search %q in %q: %q, want %q", c.q, c.company, got, c.want)
			}
		}
		_, err := w.svc.SearchUsers(ctx, "nope", "")
		wantCode(t, "a missing company", err, erp.ENotFound, "")
	})
}

// TestAuditActorAndCompany: a change made with an actor in its context is
// logged with it, and with the company it concerns.
func TestAuditActorAndCompany(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := erp.WithActor(context.Background(), erp.ConsoleActor("anna"))
		if err := w.svc.SetUserPin(ctx, "bert", "1234"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.IssueCompanyToken(erp.WithActor(ctx, erp.CLIActor), "acme", "cli token", erp.Rights{Klanten: true}); err != nil {
			t.Fatal(err)
		}
		es := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Actor: "console:anna"}))(t)
		if len(es) != 1 || es[0].Action != erp.AuditUserPin || es[0].Username != "bert" || es[0].Company != "globex" {
			t.Errorf("console:anna's entries: %+v", es)
		}
		es = erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Actor: erp.CLIActor, Company: "acme"}))(t)
		if len(es) != 1 || es[0].Action != erp.AuditCompanyToken {
			t.Errorf("the CLI's entries about acme: %+v", es)
		}
		if es := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Company: "globex", Action: erp.AuditImportArtikels}))(t); len(es) != 1 {
			t.Errorf("globex's imports: %+v", es)
		}
		// What a filter holds is bounded and made storable as entries are.
		if _, err := w.svc.Audit(ctx, erp.AuditFilter{Actor: "bad\xff\x00" + strings.Repeat("x", 1000), Company: "\x00"}); err != nil {
			t.Errorf("a filter of unstorable text: %v", err)
		}
	})
}

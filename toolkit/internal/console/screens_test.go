package console_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestConsoleScreens walks every screen of the console and does each of
// its actions in Chromium, on each engine, and checks each result in the
// database through the domain, not only on the page. It saves a
// screenshot of every screen.
func TestConsoleScreens(t *testing.T) {
	t.Parallel()
	engines(t, options{}, func(t *testing.T, s *server) {
		b := s.browser(t, shotsDir(t, engineOf(t)))
		b.Viewport(1200, 900)
		b.want(b.Open("/companies"), http.StatusOK, "signin")
		b.Screenshot("signin")
		b.signedIn()

		t.Run("companies", func(t *testing.T) { walkCompanies(t, s, b) })
		t.Run("tokens", func(t *testing.T) { walkTokens(t, s, b) })
		t.Run("users", func(t *testing.T) { walkUsers(t, s, b) })
		t.Run("apps", func(t *testing.T) { walkApps(t, s, b) })
		t.Run("permissions", func(t *testing.T) { walkGrants(t, s, b) })
		t.Run("catalogue", func(t *testing.T) { walkCatalogue(t, s, b) })
		t.Run("import", func(t *testing.T) { walkImport(t, s, b) })
		t.Run("audit", func(t *testing.T) { walkAudit(t, s, b) })
		t.Run("signout", func(t *testing.T) {
			b := b.on(t)
			b.want(b.Click(".signout button"), http.StatusOK, "signin")
			if got := b.flash(); got != "You are signed out." {
				t.Errorf("flash %q", got)
			}
			b.want(b.Open("/companies"), http.StatusOK, "signin")
			if e := s.lastAudit(erp.AuditConsoleSignOut); e.Actor != "console:anna" {
				t.Errorf("sign-out entry %+v", e)
			}
		})
	})
}

var ctx = context.Background()

func walkCompanies(t *testing.T, s *server, b *browser) {
	b = b.on(t)
	b.want(b.Open("/companies"), http.StatusOK, "companies")
	if got := b.Texts("#companies tbody td:first-child"); !slices.Equal(got, []string{demo.Company}) {
		t.Errorf("companies %q", got)
	}
	// A refusal names the field and keeps what was typed.
	b.Fill("#slug", "Bad Slug!")
	b.Fill("#name", "Bakkerij Zoet")
	b.want(b.Click("#create-company"), http.StatusBadRequest, "companies")
	if got := b.problems(); len(got) != 1 || !strings.Contains(got[0], "company slug") {
		t.Errorf("problems %q", got)
	}
	if got := b.Attr("#slug", "aria-invalid"); got != "true" {
		t.Errorf("the slug field's aria-invalid %q", got)
	}
	if got := b.Value("#name"); got != "Bakkerij Zoet" {
		t.Errorf("the name was not kept: %q", got)
	}
	if got := b.Eval(`document.activeElement.className`); got != "error-summary" {
		t.Errorf("focus on %q after a refusal, want the error summary", got)
	}
	b.Screenshot("companies-refused")
	b.Fill("#slug", "zoet")
	b.want(b.Click("#create-company"), http.StatusOK, "company")
	if got := b.flash(); got != "Created company zoet." {
		t.Errorf("flash %q", got)
	}
	co := erptest.Must(s.svc.Company(ctx, "zoet"))(t)
	if co.Name != "Bakkerij Zoet" {
		t.Errorf("company in the database: %+v", co)
	}
	if e := s.lastAudit(erp.AuditCompanyCreate); e.Actor != "console:anna" || e.Company != "zoet" {
		t.Errorf("audit entry %+v: want console:anna about zoet", e)
	}
	b.Fill("#uid", "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914")
	b.want(b.Click("#set-uid"), http.StatusOK, "company")
	if got := erptest.Must(s.svc.Company(ctx, "zoet"))(t).UID; got != "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914" {
		t.Errorf("uid in the database %q", got)
	}
	b.Fill("#uid", "not a uid!")
	b.want(b.Click("#set-uid"), http.StatusBadRequest, "company")
	if got := b.problems(); len(got) != 1 || !strings.Contains(got[0], "company uid") {
		t.Errorf("problems %q", got)
	}

	b.want(b.Open("/companies/"+demo.Company), http.StatusOK, "company")
	for id, want := range map[string]string{"#count-artikels": "74", "#count-klanten": "66", "#count-categorieen": "35"} {
		if got := b.Text(id); got != want {
			t.Errorf("%s %q, want %q", id, got, want)
		}
	}
	if got := b.Texts("#company-users a"); !slices.Equal(got, []string{demo.Username, demo.Viewer}) {
		t.Errorf("users of the demo company %q", got)
	}
	b.Screenshot("company")
	b.want(b.Open("/companies/nope"), http.StatusNotFound, "message")
}

func walkTokens(t *testing.T, s *server, b *browser) {
	b = b.on(t)
	b.want(b.Open("/companies/"+demo.Company), http.StatusOK, "company")
	b.Fill("#token-name", "webshop")
	b.Choose("#token-klanten", "off")
	b.Choose("#token-version", "0.6")
	b.want(b.Click("#create-token"), http.StatusCreated, "company")
	secret := b.Text("#secret")
	if !strings.HasPrefix(secret, erp.CompanyTokenPrefix) {
		t.Fatalf("the secret shown: %q", secret)
	}
	if b.Attr("button.copy", "hidden") != "" || b.Eval(`String(document.querySelector("button.copy").hidden)`) != "false" {
		t.Error("the copy button stays hidden with JavaScript on")
	}
	b.Screenshot("token-created")
	arts, err := s.svc.ArtikelsForToken(ctx, secret)
	if err != nil || len(arts) != 74 {
		t.Errorf("the new token reads %d products, %v", len(arts), err)
	}
	if _, err := s.svc.KlantenForToken(ctx, secret); erp.ErrorCode(err) != erp.EForbidden {
		t.Errorf("the new token reads clients: %v", err)
	}
	tok := findToken(t, s, "webshop")
	if tok.APIVersion != erp.APIVersion06 || tok.Rights != (erp.Rights{Artikels: true}) {
		t.Errorf("the token in the database %+v", tok)
	}
	// Shown once: a reload (a GET) does not show it.
	b.want(b.Open("/companies/"+demo.Company), http.StatusOK, "company")
	if b.Text("#secret") != "" || strings.Contains(b.Eval("document.body.innerHTML"), secret) {
		t.Error("the secret is shown again")
	}
	for _, c := range b.Cookies() {
		if strings.Contains(c.Value, secret) {
			t.Errorf("cookie %s holds the secret", c.Name)
		}
	}
	id := fmt.Sprintf("#token-%d", tok.ID)
	b.Fill(id+"-name", "webshop (oud)")
	b.want(b.Click(id+"-rename"), http.StatusOK, "company")
	if got := findToken(t, s, "webshop (oud)"); got.ID != tok.ID {
		t.Errorf("renamed token %+v", got)
	}
	b.Choose(id+"-version", "0.5")
	b.want(b.Click(id+"-set-version"), http.StatusOK, "company")
	if got := findToken(t, s, "webshop (oud)").APIVersion; got != erp.APIVersion05 {
		t.Errorf("version in the database %q", got)
	}
	b.want(b.Click(id+"-revoke"), http.StatusOK, "company")
	if got := findToken(t, s, "webshop (oud)"); got.RevokedAt.IsZero() {
		t.Error("the token is not revoked in the database")
	}
	if _, err := s.svc.ArtikelsForToken(ctx, secret); erp.ErrorCode(err) != erp.EUnauthorized {
		t.Errorf("the revoked token: %v", err)
	}
	// A token needs a right.
	b.Fill("#token-name", "nothing")
	b.Choose("#token-artikels", "off")
	b.Choose("#token-klanten", "off")
	b.want(b.Click("#create-token"), http.StatusBadRequest, "company")
	if got := b.problems(); len(got) != 1 || !strings.Contains(got[0], "at least one right") {
		t.Errorf("problems %q", got)
	}
	b.Screenshot("company-tokens")
	for _, a := range []string{erp.AuditCompanyToken, erp.AuditCompanyTokenRename, erp.AuditCompanyTokenAPIVersion, erp.AuditCompanyRevoke} {
		if e := s.lastAudit(a); e.Actor != "console:anna" || e.Company != demo.Company {
			t.Errorf("%s: %+v", a, e)
		}
	}
}

func findToken(t *testing.T, s *server, name string) erp.CompanyToken {
	t.Helper()
	for _, tok := range erptest.Must(s.svc.CompanyTokens(ctx, demo.Company))(t) {
		if tok.Name == name {
			return tok
		}
	}
	t.Fatalf("no token %q in the database", name)
	return erp.CompanyToken{}
}

func walkUsers(t *testing.T, s *server, b *browser) {
	b = b.on(t)
	b.want(b.Open("/users"), http.StatusOK, "users")
	if got := b.Texts("#users tbody td:first-child"); !slices.Equal(got, []string{demo.Username, demo.Viewer}) {
		t.Errorf("users %q", got)
	}
	b.Fill("#q", "JANSSENS")
	b.want(b.Click("#search"), http.StatusOK, "users")
	if got := b.Texts("#users tbody td:first-child"); !slices.Equal(got, []string{demo.Viewer}) {
		t.Errorf("search janssens: %q", got)
	}
	b.want(b.Open("/users"), http.StatusOK, "users")
	b.Fill("#username", "els")
	b.Choose("#company", demo.Company)
	b.Fill("#first_name", "Els")
	b.Fill("#last_name", "Wouters")
	b.Fill("#email", "els@koffiehuis-demo.be")
	b.Fill("#password", "els password 1")
	b.Fill("#password-again", "els password 2")
	b.want(b.Click("#create-user"), http.StatusBadRequest, "users")
	if got := b.problems(); !slices.Equal(got, []string{"The passwords do not match."}) {
		t.Errorf("problems %q", got)
	}
	if b.Value("#password") != "" || b.Value("#username") != "els" {
		t.Errorf("after a refusal: password %q, username %q; want the password gone, the rest kept", b.Value("#password"), b.Value("#username"))
	}
	if strings.Contains(b.Eval("document.documentElement.outerHTML"), "els password") {
		t.Error("a refused form sends a password back")
	}
	b.Screenshot("users-refused")
	b.Fill("#password", "short")
	b.Fill("#password-again", "short")
	b.want(b.Click("#create-user"), http.StatusBadRequest, "users")
	if got := b.problems(); len(got) != 1 || !strings.Contains(got[0], "at least 8 characters") || b.Attr("#password", "aria-invalid") != "true" {
		t.Errorf("problems %q", got)
	}
	b.Fill("#password", "els password 1")
	b.Fill("#password-again", "els password 1")
	b.want(b.Click("#create-user"), http.StatusOK, "user")
	if _, err := s.svc.SignIn(ctx, demo.App, "els", "els password 1"); err != nil {
		t.Errorf("the new user signs in: %v", err)
	}
	u := erptest.Must(s.svc.User(ctx, "els"))(t)
	if u.FirstName != "Els" || u.Email != "els@koffiehuis-demo.be" {
		t.Errorf("the user in the database %+v", u)
	}
	b.Screenshot("user")

	// Her sign-ins, one revoked, then all.
	one := erptest.Must(s.svc.SignIn(ctx, demo.App, "els", "els password 1"))(t)
	two := erptest.Must(s.svc.SignIn(ctx, "otherapp", "els", "els password 1"))(t)
	b.want(b.Open("/users/els"), http.StatusOK, "user")
	if got := len(b.Texts("#user-tokens tbody tr")); got != 3 {
		t.Errorf("%d tokens shown, want 3", got)
	}
	ts := erptest.Must(s.svc.UserTokens(ctx, "els"))(t)
	b.want(b.Click(fmt.Sprintf("#revoke-token-%d", ts[0].ID)), http.StatusOK, "user")
	if _, err := s.svc.PermissionsForToken(ctx, "otherapp", two.Token); erp.ErrorCode(err) != erp.EUnauthorized {
		t.Errorf("the revoked token: %v", err)
	}
	if _, err := s.svc.PermissionsForToken(ctx, demo.App, one.Token); err != nil {
		t.Errorf("her other token: %v", err)
	}
	b.want(b.Click("#revoke-all"), http.StatusOK, "user")
	if got := b.flash(); got != "Revoked 2 token(s) of els." {
		t.Errorf("flash %q", got)
	}
	if _, err := s.svc.PermissionsForToken(ctx, demo.App, one.Token); erp.ErrorCode(err) != erp.EUnauthorized {
		t.Errorf("a token after revoke-all: %v", err)
	}

	// A new password, twice; a pin, twice, then removed.
	b.Fill("#new-password", "els password 2")
	b.Fill("#new-password-again", "els password 2")
	b.want(b.Click("#set-password"), http.StatusOK, "user")
	if _, err := s.svc.SignIn(ctx, demo.App, "els", "els password 2"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	b.Fill("#pin", "1357")
	b.Fill("#pin-again", "1357")
	b.want(b.Click("#set-pin"), http.StatusOK, "user")
	if got := erptest.Must(s.svc.User(ctx, "els"))(t).Pin; got != "1357" {
		t.Errorf("pin in the database %q", got)
	}
	if strings.Contains(b.Eval("document.body.innerHTML"), "1357") {
		t.Error("the page shows the pin")
	}
	b.Fill("#pin", "12")
	b.Fill("#pin-again", "12")
	b.want(b.Click("#set-pin"), http.StatusBadRequest, "user")
	if got := b.problems(); len(got) != 1 || b.Attr("#pin", "aria-invalid") != "true" {
		t.Errorf("a short pin: problems %q", got)
	}
	b.want(b.Click("#clear-pin"), http.StatusOK, "user")
	if got := erptest.Must(s.svc.User(ctx, "els"))(t).Pin; got != "" {
		t.Errorf("pin after removing it %q", got)
	}

	// Deactivated, then back.
	b.want(b.Click("#deactivate"), http.StatusOK, "user")
	if erptest.Must(s.svc.User(ctx, "els"))(t).Active || b.Text("#state") != "deactivated" {
		t.Error("els is still active")
	}
	b.Screenshot("user-deactivated")
	b.want(b.Click("#activate"), http.StatusOK, "user")
	if !erptest.Must(s.svc.User(ctx, "els"))(t).Active {
		t.Error("els is not active again")
	}
	for _, a := range []string{erp.AuditUserCreate, erp.AuditUserTokenRevoke, erp.AuditUserTokens, erp.AuditUserPassword, erp.AuditUserPin, erp.AuditUserDeactivate, erp.AuditUserActivate} {
		if e := s.lastAudit(a); e.Actor != "console:anna" || e.Username != "els" || e.Company != demo.Company {
			t.Errorf("%s: %+v", a, e)
		}
	}
}

func walkApps(t *testing.T, s *server, b *browser) {
	b = b.on(t)
	b.want(b.Open("/apps"), http.StatusOK, "apps")
	b.Fill("#slug", "kassa")
	b.Fill("#name", "Kassa")
	b.want(b.Click("#create-app"), http.StatusOK, "app")
	b.Fill("#perm-slug", "kassa_use")
	b.Fill("#perm-label", "Kassa: toegang")
	b.want(b.Click("#add-permission"), http.StatusOK, "app")
	b.Fill("#perm-slug", "kassa_refund")
	b.Fill("#perm-label", "Terugbetalen")
	b.Choose("#perm-parent", "kassa_use")
	b.want(b.Click("#add-permission"), http.StatusOK, "app")
	b.Fill("#perm-slug", "timeapp_wrong")
	b.want(b.Click("#add-permission"), http.StatusBadRequest, "app")
	if got := b.problems(); len(got) != 1 || !strings.Contains(got[0], `must start with "kassa_"`) {
		t.Errorf("problems %q", got)
	}
	b.Fill("#label-kassa_refund", "Terugbetalingen")
	b.want(b.Click("#rename-kassa_refund"), http.StatusOK, "app")
	ps := erptest.Must(s.svc.Permissions(ctx, "kassa"))(t)
	if len(ps) != 2 || ps[1].Label != "Terugbetalingen" || ps[1].ParentID != ps[0].ID {
		t.Errorf("kassa's tree in the database %+v", ps)
	}
	b.Screenshot("app")
	b.want(b.Click("#remove-kassa_use"), http.StatusOK, "remove")
	if got := b.Texts("#removed li"); len(got) != 2 {
		t.Errorf("the removal lists %q", got)
	}
	b.Screenshot("app-remove")
	b.want(b.Click("#confirm-remove"), http.StatusOK, "app")
	if ps := erptest.Must(s.svc.Permissions(ctx, "kassa"))(t); len(ps) != 0 {
		t.Errorf("kassa's tree after the removal %+v", ps)
	}
	b.want(b.Open("/apps"), http.StatusOK, "apps")
	b.Choose("#app-kassa-version", "0.5")
	b.want(b.Click("#app-kassa-version-set"), http.StatusOK, "apps")
	if a := findApp(t, s, "kassa"); a.APIVersion != erp.APIVersion05 {
		t.Errorf("kassa's version %q", a.APIVersion)
	}
	b.Screenshot("apps")
	for _, a := range []string{erp.AuditAppCreate, erp.AuditPermissionAdd, erp.AuditPermissionRename, erp.AuditPermissionRemove, erp.AuditAppAPIVersion} {
		if e := s.lastAudit(a); e.Actor != "console:anna" || e.App != "kassa" {
			t.Errorf("%s: %+v", a, e)
		}
	}
}

func findApp(t *testing.T, s *server, slug string) erp.App {
	for _, a := range erptest.Must(s.svc.Apps(ctx))(t) {
		if a.Slug == slug {
			return a
		}
	}
	t.Fatalf("no app %s", slug)
	return erp.App{}
}

// walkGrants is the ERP's screen: the viewer holds timeapp_use only.
func walkGrants(t *testing.T, s *server, b *browser) {
	b = b.on(t)
	granted := func() []string {
		t.Helper()
		return erptest.Must(s.svc.Granted(ctx, demo.Viewer, demo.App))(t)
	}
	b.want(b.Open("/users/"+demo.Viewer), http.StatusOK, "user")
	b.want(b.Click(`#user-apps a[href$="/timeapp"]`), http.StatusOK, "grants")
	if got := b.Text("h1"); got != "Externe App: TimeApp" {
		t.Errorf("heading %q", got)
	}
	rows := func() []string { return b.Texts(".perm-row") }
	want := []string{"TimeApp: toegang Ja", "Timetrackings Neen", "Aanmaken Neen", "Bewerken Neen", "Verwijderen Neen"}
	if got := rows(); !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if got := b.Attr("#ja-timeapp_use", "aria-checked"); got != "true" {
		t.Errorf("timeapp_use's switch aria-checked %q", got)
	}
	// A child without its parent is refused by the domain's rule.
	b.want(b.Click("#ja-timeapp_timetracking_create"), http.StatusBadRequest, "grants")
	if got := b.problems(); len(got) != 1 || !strings.Contains(got[0], `grant "timeapp_timetracking_use" first`) {
		t.Errorf("problems %q", got)
	}
	if got := granted(); !slices.Equal(got, []string{"timeapp_use"}) {
		t.Errorf("after a refused grant: %q", got)
	}
	b.want(b.Click("#ja-timeapp_timetracking_use"), http.StatusOK, "grants")
	b.want(b.Click("#ja-timeapp_timetracking_create"), http.StatusOK, "grants")
	b.want(b.Click("#ja-timeapp_timetracking_edit"), http.StatusOK, "grants")
	if got := granted(); !slices.Equal(got, []string{"timeapp_use", "timeapp_timetracking_use", "timeapp_timetracking_create", "timeapp_timetracking_edit"}) {
		t.Errorf("after granting: %q", got)
	}
	b.Screenshot("permissions")
	// Neen on a parent takes its subtree.
	b.want(b.Click("#ja-timeapp_timetracking_use"), http.StatusOK, "grants")
	if got := granted(); !slices.Equal(got, []string{"timeapp_use"}) {
		t.Errorf("after revoking the parent: %q", got)
	}
	if got := rows(); !slices.Equal(got, want) {
		t.Errorf("rows after revoking the parent %q", got)
	}
	if e := s.lastAudit(erp.AuditRevoke); e.Actor != "console:anna" || e.Username != demo.Viewer || e.Detail != "timeapp_timetracking_use" {
		t.Errorf("revoke entry %+v", e)
	}
	// Keyboard: tab to a switch and press space.
	b.want(b.Open("/users/"+demo.Viewer+"/apps/"+demo.App), http.StatusOK, "grants")
	b.Eval(`(document.querySelector("#ja-timeapp_timetracking_use").focus(), "")`)
	if got := b.Eval(`document.activeElement.id`); got != "ja-timeapp_timetracking_use" {
		t.Fatalf("focus on %q", got)
	}
	b.want(b.Click("#ja-timeapp_timetracking_use"), http.StatusOK, "grants")
	if got := granted(); !slices.Equal(got, []string{"timeapp_use", "timeapp_timetracking_use"}) {
		t.Errorf("after Ja on timetrackings: %q", got)
	}
}

func walkCatalogue(t *testing.T, s *server, b *browser) {
	b = b.on(t)
	b.want(b.Open("/companies/"+demo.Company+"/artikels"), http.StatusOK, "artikels")
	all := erptest.Must(s.svc.ArtikelPage(ctx, demo.Company, erp.PageQuery{Limit: 200}))(t).Items
	skus := func() []string { return b.Texts("#artikels tbody td:nth-child(2)") }
	var want []string
	for _, a := range all[:erp.DefaultPageSize] {
		want = append(want, a.SKU)
	}
	if got := skus(); !slices.Equal(got, want) {
		t.Errorf("first page %q, want %q", got, want)
	}
	b.Screenshot("artikels")
	b.want(b.Click("#next"), http.StatusOK, "artikels")
	want = want[:0]
	for _, a := range all[erp.DefaultPageSize:] {
		want = append(want, a.SKU)
	}
	if got := skus(); !slices.Equal(got, want) || b.Text("#next") != "" {
		t.Errorf("second page %q (next %q), want %q and no next", got, b.Text("#next"), want)
	}
	b.want(b.Click("#prev"), http.StatusOK, "artikels")
	if got := skus(); len(got) != erp.DefaultPageSize || got[0] != all[0].SKU {
		t.Errorf("back to the first page: %q", got)
	}
	b.Fill("#q", "MOLEN")
	b.want(b.Click("#search"), http.StatusOK, "artikels")
	if got := skus(); !slices.Equal(got, []string{"KEU-MOL-HND", "KEU-MOL-ELE"}) {
		t.Errorf("search molen: %q", got)
	}
	b.want(b.Click(`#artikels a`), http.StatusOK, "artikel")
	a := erptest.Must(s.svc.ArtikelPage(ctx, demo.Company, erp.PageQuery{Search: "molen", Limit: 1}))(t).Items[0]
	if got := b.Text("h1"); !strings.HasPrefix(got, a.Naam) {
		t.Errorf("product heading %q", got)
	}
	if got := b.Texts("#ean li"); !slices.Equal(got, a.EAN) {
		t.Errorf("EAN %q, want %q", got, a.EAN)
	}
	if len(a.Categorieen) == 0 || !strings.Contains(b.Text("#categorieen"), a.Categorieen[0].Naam) {
		t.Errorf("categories %q, want %+v", b.Text("#categorieen"), a.Categorieen)
	}
	b.Screenshot("artikel")
	b.want(b.Open("/companies/"+demo.Company+"/klanten"), http.StatusOK, "klanten")
	if got := len(b.Texts("#klanten tbody tr")); got != erp.DefaultPageSize {
		t.Errorf("%d clients on the first page", got)
	}
	b.Screenshot("klanten")
	b.want(b.Click("#next"), http.StatusOK, "klanten")
	if got := len(b.Texts("#klanten tbody tr")); got != 66-erp.DefaultPageSize {
		t.Errorf("%d clients on the second page", got)
	}
	b.want(b.Open("/companies/"+demo.Company+"/categorieen"), http.StatusOK, "categorieen")
	if got := len(b.Texts("#categorieen li")); got != 35 {
		t.Errorf("%d categories", got)
	}
	b.Screenshot("categorieen")
	b.want(b.Open("/companies/"+demo.Company+"/artikels/999999"), http.StatusNotFound, "message")
}

func walkImport(t *testing.T, s *server, b *browser) {
	b = b.on(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "artikels.csv")
	good := filepath.Join(dir, "nieuw.csv")
	header := "naam,SKU,voorraad_bijhouden,bestellingtype,status,BTW,verkoopprijs_incl\n"
	write(t, bad, header+"Goed,ZOET-1,NIET,IDEAAL,ZICHTBAAR,6,2.50\n,ZOET-2,NIET,IDEAAL,ZICHTBAAR,6,1\nDrie,ZOET-3,SOMS,IDEAAL,ZICHTBAAR,200,1\n")
	write(t, good, header+"Croissant,ZOET-1,NIET,IDEAAL,ZICHTBAAR,6,1.80\nPain au chocolat,ZOET-2,NIET,IDEAAL,ZICHTBAAR,6,2.10\n")
	b.want(b.Open("/companies/zoet"), http.StatusOK, "company")
	b.want(b.Click("#to-import"), http.StatusOK, "import")
	b.Screenshot("import")
	b.Upload("#file", bad)
	b.want(b.Click("#upload"), http.StatusOK, "importjob")
	waitImport(t, b, "refused")
	if got := len(b.Texts("#problems tbody tr")); got != 3 {
		t.Errorf("%d problems listed, want 3", got)
	}
	if got := b.Texts("#problems tbody tr:first-child td"); !slices.Equal(got, []string{"2", "3", "naam", "is required"}) {
		t.Errorf("the first problem: %q, want record 2, line 3", got)
	}
	if b.Text("#run-import") != "" {
		t.Error("a file with problems can be imported")
	}
	b.Screenshot("import-refused")
	if n := erptest.Must(s.svc.CatalogueCounts(ctx, "zoet"))(t).Artikels; n != 0 {
		t.Errorf("the preview wrote %d products", n)
	}
	b.want(b.Click("#again"), http.StatusOK, "import")
	b.Upload("#file", good)
	b.want(b.Click("#upload"), http.StatusOK, "importjob")
	waitImport(t, b, "checked")
	if got := b.Text("#preview-records") + "/" + b.Text("#preview-created") + "/" + b.Text("#preview-updated"); got != "2/2/0" {
		t.Errorf("preview records/new/updates %s", got)
	}
	b.Screenshot("import-preview")
	b.want(b.Click("#run-import"), http.StatusOK, "importjob")
	waitImport(t, b, "imported")
	b.Screenshot("import-done")
	as := erptest.Must(s.svc.ArtikelPage(ctx, "zoet", erp.PageQuery{}))(t).Items
	if len(as) != 2 || as[0].Naam != "Croissant" || as[1].VerkoopprijsIncl.String() != "2.10" {
		t.Errorf("imported products %+v", as)
	}
	if e := s.lastAudit(erp.AuditImportArtikels); e.Actor != "console:anna" || e.Company != "zoet" || e.Detail != "company zoet: 2 created, 0 updated" {
		t.Errorf("import entry %+v", e)
	}
	// Once only.
	b.Eval(`(document.body.insertAdjacentHTML("beforeend", '<form method="post" id="again-form" action="' + location.pathname + '/run"><input type="hidden" name="csrf" value="' + document.querySelector("input[name=csrf]").value + '"><button id="again-run">again</button></form>'), "")`)
	b.want(b.Click("#again-run"), http.StatusOK, "importjob")
	if got := b.flash(); !strings.Contains(got, "cannot be imported (again)") {
		t.Errorf("a second import: flash %q", got)
	}
}

// waitImport waits until an import's page, which reloads itself while the
// import runs, shows state.
func waitImport(t *testing.T, b *browser, state string) {
	t.Helper()
	for range 600 {
		got, err := b.TryEval(`new Promise(r => setTimeout(() => {
			const e = document.readyState === "complete" && document.querySelector("#state");
			r(e ? e.dataset.state : "");
		}, 200))`)
		switch {
		case err != nil || got == "" || got == "checking" || got == "importing":
			continue // between two loads, or still running
		case got == state:
			return
		}
		t.Fatalf("import state %q, want %q:\n%s", got, state, b.Eval("document.body.innerText"))
	}
	t.Fatalf("the import did not reach %q", state)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func walkAudit(t *testing.T, s *server, b *browser) {
	b = b.on(t)
	b.want(b.Open("/audit"), http.StatusOK, "audit")
	if got := len(b.Texts("#audit tbody tr")); got != 50 {
		t.Errorf("%d entries on the first page, want 50", got)
	}
	b.Screenshot("audit")
	// The older page starts with the 51st newest entry (Audit gives the
	// newest 51, oldest first).
	es := s.audit(erp.AuditFilter{Limit: 51})
	b.want(b.Click("#older"), http.StatusOK, "audit")
	if got := b.Text("#audit tbody tr td:nth-child(2)"); len(es) < 51 || got != es[0].Action {
		t.Errorf("the older page starts with %q, want the 51st newest entry of the %d", got, len(es))
	}
	b.Fill("#actor", "console:anna")
	b.Fill("#company", "zoet")
	b.Fill("#action", "company.")
	b.want(b.Click("#filter"), http.StatusOK, "audit")
	got := b.Texts("#audit tbody td:nth-child(2)")
	if !slices.Equal(got, []string{erp.AuditCompanyUID, erp.AuditCompanyCreate}) {
		t.Errorf("console:anna's changes of company zoet: %q", got)
	}
	b.Screenshot("audit-filtered")
	b.want(b.Open("/audit?since=2026-03-02T09:30&until=2026-03-02T09:31&actor=console:anna&action=import."), http.StatusOK, "audit")
	if got := b.Texts("#audit tbody td:nth-child(2)"); !slices.Equal(got, []string{erp.AuditImportArtikels}) {
		t.Errorf("imports in the test's minute: %q", got)
	}
	b.want(b.Open("/audit?since=yesterday"), http.StatusBadRequest, "audit")
	if got := b.problems(); len(got) != 1 || b.Attr("#since", "aria-invalid") != "true" {
		t.Errorf("a bad time: problems %q", got)
	}
}

package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/version"
)

// The admin commands, run as an administrator runs them: the built binary
// on a database file, with a server process serving the same file.

type adminRun struct {
	t   *testing.T
	bin string
	db  string
}

func newAdmin(t *testing.T) *adminRun {
	return &adminRun{t: t, bin: erptest.Build(t, "./cmd/cloudspot-server"), db: filepath.Join(t.TempDir(), "erp.db")}
}

// ok runs an admin command that must succeed and returns its stdout.
func (a *adminRun) ok(stdin string, args ...string) string {
	a.t.Helper()
	out, errOut, code := a.run(stdin, args...)
	if code != 0 {
		a.t.Fatalf("admin %v: exit %d\n%s%s", args, code, out, errOut)
	}
	return out
}

func (a *adminRun) run(stdin string, args ...string) (string, string, int) {
	a.t.Helper()
	return erptest.Run(a.t, stdin, []string{"CLOUDSPOT_DB="}, a.bin, append([]string{"admin", "--db", a.db}, args...)...)
}

// fails runs an admin command that must fail with code and say want.
func (a *adminRun) fails(code int, want, stdin string, args ...string) {
	a.t.Helper()
	out, errOut, got := a.run(stdin, args...)
	if got != code || !strings.Contains(errOut, want) {
		a.t.Errorf("admin %v: exit %d, stderr %q; want exit %d and %q (stdout %q)", args, got, errOut, code, want, out)
	}
	if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic") {
		a.t.Errorf("admin %v printed a stack trace:\n%s", args, errOut)
	}
}

func TestAdminSetUpAnERP(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	ctx := context.Background()
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	if out := a.ok("", "company", "list"); !strings.Contains(out, "acme") || !strings.Contains(out, "Acme BV") {
		t.Errorf("company list:\n%s", out)
	}
	const password = "Tr0ub4dor&3-horse"
	a.ok(password+"\n", "user", "create", "an", "--company", "acme", "--first-name", "An", "--last-name", "Claes", "--email", "an@acme.be")
	a.ok("", "app", "create", "shopapp", "--name", "ShopApp")
	a.ok("", "app", "add-permission", "shopapp", "shopapp_use", "--label", "ShopApp: toegang")
	a.ok("", "app", "add-permission", "shopapp", "shopapp_orders_use", "--label", "Bestellingen", "--parent", "shopapp_use")
	a.ok("", "app", "add-permission", "shopapp", "shopapp_orders_create", "--label", "Aanmaken", "--parent", "shopapp_orders_use")
	if out := a.ok("", "app", "permissions", "shopapp"); !strings.Contains(out, "\n  shopapp_orders_use") || !strings.Contains(out, "\n    shopapp_orders_create") {
		t.Errorf("permission tree not indented by depth:\n%s", out)
	}
	// A child only with its parent.
	a.fails(1, `grant "shopapp_use" first`, "", "grant", "an", "shopapp_orders_use")
	a.ok("", "grant", "an", "shopapp_use")
	a.ok("", "grant", "an", "shopapp_orders_use")
	a.ok("", "grant", "an", "shopapp_orders_create")
	if out := a.ok("", "user", "permissions", "an", "--app", "shopapp"); out != "shopapp_use\nshopapp_orders_use\nshopapp_orders_create\n" {
		t.Errorf("user permissions:\n%s", out)
	}
	secret := strings.TrimSpace(a.ok("", "token", "create", "--company", "acme", "--name", "webshop", "--rights", "artikels"))
	if len(secret) != 58 || !strings.HasPrefix(secret, "csc_") {
		t.Fatalf("token create printed %q, want the 58-character csc_ secret alone on stdout", secret)
	}
	if out := a.ok("", "token", "list", "--company", "acme"); strings.Contains(out, secret) || !strings.Contains(out, "webshop") || !strings.Contains(out, "artikels") {
		t.Errorf("token list must show name and rights, never the secret:\n%s", out)
	}
	lastUsedColumn(t, a.ok("", "token", "list", "--company", "acme"), "webshop", true)
	csv := filepath.Join(t.TempDir(), "artikels.csv")
	writeFile(t, csv, "naam;SKU;voorraad_bijhouden;op_voorraad;verkoopprijs_excl;verkoopprijs_incl;BTW;bestellingtype;status\n"+
		"Hamer;GER-1;FYSIEK;12;19,95;24,14;21;IDEAAL;ZICHTBAAR\nZaag;GER-2;NIET;0;29,00;35,09;21;BESTELLING;NIET_VERKOOPBAAR\n")
	if out := a.ok("", "import", "artikels", "--company", "acme", csv); !strings.Contains(out, "2 created, 0 updated") {
		t.Errorf("import: %s", out)
	}
	if out := a.ok("", "import", "artikels", "--company", "acme", csv); !strings.Contains(out, "0 created, 2 updated") {
		t.Errorf("second import must update, not duplicate: %s", out)
	}

	// What the admin set up works over the API, served by a separate process.
	srv := erptest.StartProcess(t, a.bin, "--db", a.db)
	users := erptest.Must(cloudspot.NewUserAPI("shopapp", cloudspot.WithBaseURL(srv.URL)))(t)
	s, err := users.Authenticate(ctx, "an", password)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.Permissions, ",") != "shopapp_use,shopapp_orders_use,shopapp_orders_create" {
		t.Errorf("permissions over the API: %v", s.Permissions)
	}
	if out := a.ok("", "user", "tokens", "an"); !strings.Contains(out, "shopapp") || strings.Contains(out, s.Token) || strings.Count(out, "\n") != 2 {
		t.Errorf("user tokens must list the one sign-in, never its secret:\n%s", out)
	}
	lastUsedColumn(t, a.ok("", "user", "tokens", "an"), "shopapp", true)
	if _, err := users.User(ctx, s.Token); err != nil {
		t.Fatal(err)
	}
	lastUsedColumn(t, a.ok("", "user", "tokens", "an"), "shopapp", false)
	company := erptest.Must(cloudspot.NewCompanyAPI(secret, cloudspot.WithBaseURL(srv.URL)))(t)
	as, err := company.Artikels.List(ctx)
	if err != nil || len(as) != 2 || as[0].VerkoopprijsExcl.String() != "19.95" {
		t.Errorf("products over the API: %+v, %v", as, err)
	}
	lastUsedColumn(t, a.ok("", "token", "list", "--company", "acme"), "webshop", false)
	if _, err := company.Klanten.List(ctx); !errors.Is(err, cloudspot.ErrForbidden) {
		t.Errorf("a products-only token read clients: %v", err)
	}

	// Revoking a grant cascades; revoking the token and deactivating the
	// user take effect on the running server at once.
	a.ok("", "revoke", "an", "shopapp_use")
	if ps, err := users.Permissions(ctx, s.Token); err != nil || len(ps) != 0 {
		t.Errorf("after revoking the root permission: %v, %v", ps, err)
	}
	a.ok("", "token", "revoke", "1")
	if _, err := company.Artikels.List(ctx); !errors.Is(err, cloudspot.ErrNoValidToken) {
		t.Errorf("revoked company token: %v", err)
	}
	a.ok("", "user", "deactivate", "an")
	if _, err := users.User(ctx, s.Token); !errors.Is(err, cloudspot.ErrNoValidToken) {
		t.Errorf("token of a deactivated user: %v", err)
	}
	for _, row := range strings.Split(strings.TrimSpace(a.ok("", "user", "tokens", "an")), "\n")[1:] {
		if strings.HasSuffix(row, " -") {
			t.Errorf("after deactivation every token must show when it was revoked: %q", row)
		}
	}
	if _, err := users.Authenticate(ctx, "an", password); !errors.Is(err, cloudspot.ErrBadCredentials) {
		t.Errorf("sign-in of a deactivated user: %v", err)
	}
	a.ok("", "user", "activate", "an")
	a.ok("N3w-password-for-an\n", "user", "set-password", "an")
	if _, err := users.Authenticate(ctx, "an", password); !errors.Is(err, cloudspot.ErrBadCredentials) {
		t.Errorf("old password after set-password: %v", err)
	}
	if _, err := users.Authenticate(ctx, "an", "N3w-password-for-an"); err != nil {
		t.Errorf("new password: %v", err)
	}

	// Secrets never reach the database in plain text.
	srv.Stop()
	raw := readDB(t, a.db)
	for name, secret := range map[string]string{"password": password, "company token": secret, "user token": s.Token} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the database holds the %s in plain text", name)
		}
	}
}

// readDB returns the bytes of a SQLite database and its write-ahead log.
// lastUsedColumn checks the LAST USED column of the row naming name in an
// admin table: "never" for a token not used yet, a time once it has been.
func lastUsedColumn(t *testing.T, table, name string, never bool) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(table), "\n")
	col := strings.Index(lines[0], "LAST USED")
	for _, row := range lines[1:] {
		if !strings.Contains(row, " "+name+" ") {
			continue
		}
		if got := strings.HasPrefix(row[col:], "never "); got != never {
			t.Errorf("token %s: LAST USED should be \"never\" only before its first use (used: %v):\n%s", name, !never, table)
		}
		return
	}
	t.Errorf("no row for %s in:\n%s", name, table)
}

func readDB(t *testing.T, path string) []byte {
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestAdminBadImportChangesNothing(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	writeFile(t, good, `[{"klantennummer": 1, "voornaam": "An", "achternaam": "Claes", "land": "BE"}]`)
	a.ok("", "import", "klanten", "--company", "acme", good)

	for _, tc := range []struct{ name, file, content, want string }{
		{"BadField", "bad.json", `[{"klantennummer": 1, "achternaam": "Claes-Updated"}, {"klantennummer": 2, "achternaam": "X", "land": "Belgium"}]`,
			`record 2 (line 1): land: "Belgium" is not a two-letter country code`},
		{"Duplicate", "dup.json", `[{"klantennummer": 3, "achternaam": "A"}, {"klantennummer": 3, "achternaam": "B"}]`,
			`record 2 (line 1): klantennummer: the same as record 1`},
		{"UnknownColumn", "bad.csv", "klantennummer,achternaam,telefoon\n4,D,0470\n", `line 1: "telefoon": unknown column`},
		{"MisspeltColumn", "typo.csv", "klantnummer,achternaam\n4,D\n", "line 1: \"klantnummer\": unknown column; did you mean klantennummer?\n" +
			"  line 1: klantennummer: no such column, and every record needs one\n  line 1: the columns every file needs: klantennummer"},
		{"MisspeltKey", "typo.json", `[{"klantennummer": 4, "achternam": "D"}]`, "record 1 (line 1): achternam: unknown key; did you mean achternaam?"},
		{"BadDate", "date.csv", "klantennummer,achternaam,geboortedatum\n5,E,1990-02-30\n", `record 1 (line 2): geboortedatum: invalid date "1990-02-30"`},
		{"NotJSON", "broken.json", `[{"klantennummer": 6,`, `the file ends in the middle of the records: it was cut short`},
	} {
		p := filepath.Join(dir, tc.file)
		writeFile(t, p, tc.content)
		a.fails(1, tc.want, "", "import", "klanten", "--company", "acme", p)
	}
	// Only the good import's one client is there, unchanged.
	srv := erptest.Start(t, erptest.Options{Store: openForTest(t, a.db)})
	secret, _, err := srv.Service.IssueCompanyToken(context.Background(), "acme", "check", rightsAll)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := erptest.Must(cloudspot.NewCompanyAPI(secret, cloudspot.WithBaseURL(srv.URL)))(t).Klanten.List(context.Background())
	if err != nil || len(ks) != 1 || ks[0].Achternaam != "Claes" {
		t.Errorf("after failed imports: %+v, %v; want only the first import's client, unchanged", ks, err)
	}
}

func TestAdminUsageErrors(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	a.fails(2, "unknown flag: --password", "", "user", "create", "bob", "--company", "acme", "--password", "hunter22")
	a.fails(2, "want a username", "", "user", "create")
	a.fails(2, `unknown command "tokn" for "cloudspot-server admin"; did you mean token?`, "", "tokn", "list")
	a.fails(2, `unknown command "lijst" for "cloudspot-server admin token"`, "", "token", "lijst")
	a.fails(2, "unknown right", "", "token", "create", "--company", "acme", "--name", "x", "--rights", "everything")
	a.fails(2, `unknown right "products": use artikels, klanten or both`, "", "token", "create", "--company", "acme", "--name", "x", "--rights", "products")
	a.fails(2, "cannot tell the format", "", "import", "artikels", "--company", "acme", "artikels.xlsx")
	a.fails(2, "give --format json or --format csv", "", "import", "artikels", "--company", "acme", "-")
	a.fails(2, `--template "products": use artikels, klanten or categorieen`, "", "import", "--template", "products")
	a.fails(2, "say what to import (artikels, klanten or categorieen)", "", "import")
	a.fails(2, `unknown command "products" for "cloudspot-server admin import" (see cloudspot-server admin import --help)`, "", "import", "products", "--company", "acme", "artikels.csv")
	a.fails(2, `unknown command "artikel" for "cloudspot-server admin import"; did you mean artikels?`, "", "import", "artikel", "--company", "acme", "artikels.csv")
	a.fails(2, "--company is missing: give the company's slug", "", "import", "artikels", "artikels.csv")
	a.fails(2, "--company is empty", "long-enough-pw\n", "user", "create", "bob", "--company", "")
	a.fails(1, "at least 8 characters", "short\n", "user", "create", "bob", "--company", "acme")
	a.fails(1, `company "nope" does not exist`, "long-enough-pw\n", "user", "create", "bob", "--company", "nope")
	a.fails(1, `company "acme" already exists`, "", "company", "create", "acme", "--name", "Again")
	a.fails(1, `user "ghost" does not exist`, "", "user", "deactivate", "ghost")
	a.ok("", "app", "create", "acmeapp")
	a.fails(1, `must start with "acmeapp_"`, "", "app", "add-permission", "acmeapp", "other_use")
	a.fails(1, "company token 99 does not exist", "", "token", "revoke", "99")
}

// TestUnknownCommandIsUsage: a mistyped command is wrong usage (exit 2) at
// every level, never help and success.
func TestUnknownCommandIsUsage(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sevre"}, `unknown command "sevre" for "cloudspot-server"; did you mean serve?`},
		{[]string{"admin", "usr", "create", "jan"}, `unknown command "usr" for "cloudspot-server admin"; did you mean user?`},
		{[]string{"admin", "app", "remove", "timeapp"}, `unknown command "remove" for "cloudspot-server admin app"`},
	} {
		_, errOut, code := erptest.Run(t, "", []string{"CLOUDSPOT_DB=" + filepath.Join(t.TempDir(), "erp.db")}, bin, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("cloudspot-server %v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestVersion: the server prints the version the go command recorded in
// its binary, the same source as the CLI's.
func TestVersion(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := erptest.Run(t, "", nil, bin, "--version")
	if want := "cloudspot-server version " + version.Of(bi) + "\n"; code != 0 || out != want {
		t.Errorf("--version: exit %d, %q; want %q", code, out, want)
	}
}

// TestAdminTablesAreInert: anyone who can reach the API chooses the app slug
// a sign-in records; the admin's tables show its control characters and
// bidirectional overrides as escapes, never pass them to the terminal.
func TestAdminTablesAreInert(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	srv := erptest.StartProcess(t, a.bin, "--db", a.db, "--demo")
	const requestor = "time\u202eppa\u009b31m"
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/auth/signin-external-app/", strings.NewReader(`{"username": "demo", "password": "cloudspot-demo"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-ERP-REQUESTOR", requestor)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in with a hostile requestor: %s", resp.Status)
	}
	out := a.ok("", "user", "tokens", "demo")
	for i, r := range out {
		if (unicode.IsControl(r) && r != '\n') || unicode.Is(unicode.Bidi_Control, r) {
			t.Fatalf("admin user tokens: %U at byte %d reaches the terminal:\n%q", r, i, out)
		}
	}
	if !strings.Contains(out, `time\u202eppa\u009b31m`) {
		t.Errorf("admin user tokens does not show the slug's escapes:\n%s", out)
	}
}

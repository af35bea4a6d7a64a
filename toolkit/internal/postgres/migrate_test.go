package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

// TestMigrateData moves a SQLite installation to PostgreSQL with the admin
// command: the same password, the same user token and the same company
// token work on a server on PostgreSQL, and the catalogue is identical.
func TestMigrateData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "erp.db")
	old := server(t, file, "--demo")
	s := erptest.Must(userAPI(t, old).Authenticate(ctx, demo.Username, demo.Password))(t)
	gone := erptest.Must(userAPI(t, old).Authenticate(ctx, demo.Viewer, demo.Password))(t)
	admin(t, file, "", "user", "revoke-tokens", demo.Viewer)
	products := erptest.Must(companyAPI(t, old, demo.CompanyToken).Artikels.List(ctx))(t)
	clients := erptest.Must(companyAPI(t, old, demo.CompanyToken).Klanten.List(ctx))(t)
	old.Stop()

	dsn := erptest.PostgresDSN(t)
	out, _ := admin(t, "", "", "migrate-data", "--from", file, "--to", dsn)
	for _, want := range []string{"users", "user_tokens", "products", "clients", "copied"} {
		if !strings.Contains(out, want) {
			t.Errorf("migrate-data printed %q, want it to mention %q", out, want)
		}
	}

	bin := erptest.Build(t, "./cmd/cloudspot-server")
	_, stderr, code := erptest.Run(t, "", nil, bin, "admin", "migrate-data", "--from", file, "--to", dsn)
	if code == 0 || !strings.Contains(stderr, "not empty") || !strings.Contains(stderr, "--force") {
		t.Errorf("migrating into a filled database: exit %d, %q; want a refusal that names --force", code, stderr)
	}
	admin(t, "", "", "migrate-data", "--from", file, "--to", dsn, "--force")

	pg := server(t, dsn) // no --demo: everything comes from the copy
	ua := userAPI(t, pg)
	if perms := erptest.Must(ua.Permissions(ctx, s.Token))(t); !sameSlugs(perms, demo.Granted()) {
		t.Errorf("the old token's permissions = %q, want %q", perms, demo.Granted())
	}
	if _, err := ua.Permissions(ctx, gone.Token); !errors.Is(err, cloudspot.ErrNoValidToken) {
		t.Errorf("a token revoked before the move: %v, want ErrNoValidToken", err)
	}
	again := erptest.Must(ua.Authenticate(ctx, demo.Username, demo.Password))(t)
	if again.Token == s.Token || !sameSlugs(again.Permissions, demo.Granted()) {
		t.Errorf("signing in after the move: %+v", again)
	}
	if got := erptest.Must(companyAPI(t, pg, demo.CompanyToken).Artikels.List(ctx))(t); wire(t, got) != wire(t, products) {
		t.Error("the products differ after the move")
	}
	if got := erptest.Must(companyAPI(t, pg, demo.CompanyToken).Klanten.List(ctx))(t); wire(t, got) != wire(t, clients) {
		t.Error("the clients differ after the move")
	}
	// New rows get new ids after the copied ones.
	admin(t, dsn, "", "company", "create", "after-move", "--name", "After the move")
	admin(t, dsn, "pw-after-the-move\n", "user", "create", "newcomer", "--company", "after-move")
	erptest.Must(ua.Authenticate(ctx, "newcomer", "pw-after-the-move"))(t)
}

// TestMigrateDataRefusesMissingSource checks that a mistyped source is an
// error rather than an empty SQLite file copied over.
func TestMigrateDataRefusesMissingSource(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	missing := filepath.Join(t.TempDir(), "typo.db")
	_, stderr, code := erptest.Run(t, "", nil, bin, "admin", "migrate-data", "--from", missing, "--to", "postgres://nobody@127.0.0.1:1/x")
	if code == 0 || !strings.Contains(stderr, "typo.db") {
		t.Errorf("exit %d, %q; want an error naming the missing file", code, stderr)
	}
}

// TestMigrateDataRefusesASourceInUse: while a server runs on the source
// (a SQLite file, or a PostgreSQL database), migrate-data copies nothing
// and says why; once the server stops, the copy goes ahead.
func TestMigrateDataRefusesASourceInUse(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	for name, src := range map[string]string{"sqlite": filepath.Join(t.TempDir(), "erp.db"), "postgres": erptest.PostgresDSN(t)} {
		to := filepath.Join(t.TempDir(), name+"-copy.db")
		p := server(t, src, "--demo")
		_, stderr, code := erptest.Run(t, "", nil, bin, "admin", "migrate-data", "--from", src, "--to", to)
		if code != 1 || !strings.Contains(stderr, "running cloudspot-server") || !strings.Contains(stderr, "nothing was copied") {
			t.Errorf("%s: a source in use: exit %d, %q", name, code, stderr)
		}
		p.Stop()
		if out, stderr, code := erptest.Run(t, "", nil, bin, "admin", "migrate-data", "--from", src, "--to", to); code != 0 || !strings.Contains(out, "copied") {
			t.Errorf("%s: after the server stopped: exit %d, %q %q", name, code, out, stderr)
		}
	}
}

// dump reads everything a store holds through erp.Store.
func dump(t *testing.T, st erp.Store) map[string]any {
	t.Helper()
	ctx := context.Background()
	d := map[string]any{}
	cs := erptest.Must(st.Companies(ctx))(t)
	d["companies"] = cs
	us := erptest.Must(st.Users(ctx))(t)
	d["users"] = us
	apps := erptest.Must(st.Apps(ctx))(t)
	d["apps"] = apps
	for _, a := range apps {
		d["permissions "+a.Slug] = erptest.Must(st.Permissions(ctx, a.ID))(t)
		for _, u := range us {
			d["grants "+a.Slug+" "+u.Username] = erptest.Must(st.Granted(ctx, u.ID, a.ID))(t)
		}
	}
	for _, c := range cs {
		d["tokens "+c.Slug] = erptest.Must(st.CompanyTokens(ctx, c.ID))(t)
		d["products "+c.Slug] = wire(t, erptest.Must(st.Artikels(ctx, c.ID))(t))
		// Every field, the details included, which the models' JSON
		// leaves out.
		d["full products "+c.Slug] = fmt.Sprintf("%+v", erptest.Must(st.Artikels(ctx, c.ID))(t))
		d["categories "+c.Slug] = erptest.Must(st.Categorieen(ctx, c.ID))(t)
		d["clients "+c.Slug] = wire(t, erptest.Must(st.Klanten(ctx, c.ID))(t))
	}
	return d
}

// TestCopyBothWays copies SQLite → PostgreSQL → SQLite and finds the same
// data at each step, user tokens included.
func TestCopyBothWays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	svc := erptest.Must(erp.NewService(erp.Config{Store: src}))(t)
	erptest.Must(demo.Seed(ctx, svc))(t)
	in := erptest.Must(svc.SignIn(ctx, demo.App, demo.Username, demo.Password))(t)
	erptest.Must(svc.RevokeUserTokens(ctx, demo.Viewer))(t)
	erptest.Must(svc.SignIn(ctx, demo.App, demo.Viewer, demo.Password))(t)
	erptest.Must(svc.RevokeUserTokens(ctx, demo.Viewer))(t)
	// Categories, a product in them with its details, and a company
	// token's version.
	erptest.Must(svc.ImportCategorieen(ctx, demo.Company, erp.Records([]erp.NewCategorie{
		{Naam: "Dranken"}, {Naam: "Filterkoffie", Parents: []string{"Dranken"}}, {Naam: "IJsthee", Parents: []string{"Dranken"}},
	})))(t)
	// A category moved under one created after it: the copy writes
	// parents first whatever their ids.
	erptest.Must(svc.ImportCategorieen(ctx, demo.Company, erp.Records([]erp.NewCategorie{{Naam: "Later"}})))(t)
	var dranken, later int64
	for _, c := range erptest.Must(src.Categorieen(ctx, erptest.Must(src.CompanyBySlug(ctx, demo.Company))(t).ID))(t) {
		switch {
		case c.Naam == "Dranken" && c.ParentID == 0:
			dranken = c.ID
		case c.Naam == "Later":
			later = c.ID
		}
	}
	if err := svc.MoveCategorie(ctx, demo.Company, dranken, later); err != nil || dranken > later {
		t.Fatalf("moving Dranken (%d) under Later (%d): %v", dranken, later, err)
	}
	detailed := cloudspot.Artikel{Naam: "Rijk", SKU: "RICH-1", VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet, Bestellingtype: cloudspot.BestellingtypeIdeaal,
		Status: cloudspot.ArtikelStatusZichtbaar, Merk: "Merk", MerkID: 4, Categorie: "Filterkoffie", Categorieen: []cloudspot.CategorieRef{{Naam: "IJsthee"}, {Naam: "Dranken"}},
		Fotos: []cloudspot.Foto{{URL: "https://img.example.com/1.jpg", IsHoofdfoto: true}}, EAN: []string{"05411234567890"},
		Prijscategorieen: []cloudspot.Prijscategorie{{Label: "Horeca", Korting: cloudspot.MustParseDecimal("7.50")}},
		MeerInfo:         []cloudspot.Translation{{Text: "Meer", Taal: "nl", TaalDisplay: "Nederlands"}}}
	erptest.Must(svc.ImportArtikels(ctx, demo.Company, erp.Records([]cloudspot.Artikel{detailed})))(t)
	demoToken := erptest.Must(svc.CompanyTokens(ctx, demo.Company))(t)[0]
	if err := svc.SetCompanyTokenAPIVersion(ctx, demoToken.ID, erp.APIVersion06); err != nil {
		t.Fatal(err)
	}

	pg, err := postgres.Open(ctx, erptest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	back, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()

	erptest.Must(sqlstore.Copy(ctx, src, pg, sqlstore.CopyOptions{}))(t)
	counts := erptest.Must(sqlstore.Copy(ctx, pg, back, sqlstore.CopyOptions{}))(t)
	want := dump(t, src)
	for name, st := range map[string]erp.Store{"postgres": pg, "sqlite again": back} {
		got := dump(t, st)
		if toks := got["tokens "+demo.Company].([]erp.CompanyToken); toks[0].APIVersion != erp.APIVersion06 {
			t.Errorf("%s: the demo token's version is %q, want 0.6", name, toks[0].APIVersion)
		}
		if ps := got["full products "+demo.Company].(string); !strings.Contains(ps, "Categorieen:[{ID:") || !strings.Contains(ps, "Naam:IJsthee}") {
			t.Errorf("%s: the product's categories did not come along: %s", name, ps)
		}
		for k := range want {
			if !reflect.DeepEqual(got[k], want[k]) {
				t.Errorf("%s: %s differ:\n got %v\nwant %v", name, k, got[k], want[k])
			}
		}
		tok := erptest.Must(st.UserTokenByHash(ctx, erp.HashToken(in.Token)))(t)
		if orig := erptest.Must(src.UserTokenByHash(ctx, erp.HashToken(in.Token)))(t); !reflect.DeepEqual(tok, orig) {
			t.Errorf("%s: user token %+v, want %+v", name, tok, orig)
		}
	}
	rows := map[string]int{}
	for _, c := range counts {
		rows[c.Table] = c.Rows
	}
	if rows["user_tokens"] != 2 || rows["products"] != 75 || rows["clients"] != 66 || rows["grants"] != 4 ||
		rows["categories"] != len(want["categories "+demo.Company].([]erp.StoredCategorie)) || rows["product_details"] < 1 || rows["product_categories"] < 2 {
		t.Errorf("copied %v", counts)
	}

	// A copy into a store that holds data changes nothing without Replace.
	_, err = sqlstore.Copy(ctx, src, pg, sqlstore.CopyOptions{})
	if erp.ErrorCode(err) != erp.EConflict {
		t.Errorf("copying into a filled store: %v, want a conflict", err)
	}
	if got := dump(t, pg); !reflect.DeepEqual(got, want) {
		t.Error("a refused copy changed the target")
	}
}

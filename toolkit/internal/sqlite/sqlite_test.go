package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) erp.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "erp.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

// TestReopen checks that a database opened again still holds what was
// stored before it was closed, and that opening it applies no migration
// twice.
func TestReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "erp.db")
	ctx := context.Background()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	version, err := st.SchemaVersion(ctx)
	if err != nil || version < 1 {
		t.Fatalf("schema version %d, %v", version, err)
	}
	company := &erp.Company{Slug: "acme", Name: "Acme BV", CreatedAt: at}
	if err := st.CreateCompany(ctx, company); err != nil {
		t.Fatal(err)
	}
	user := &erp.User{Username: "an", PasswordHash: "$argon2id$stand-in", FirstName: "An", LastName: "Claes",
		Email: "an@acme.example", CompanyID: company.ID, Active: true, CreatedAt: at}
	if err := st.CreateUser(ctx, user); err != nil {
		t.Fatal(err)
	}
	token := &erp.UserToken{Hash: erp.HashToken("reopen"), UserID: user.ID, AppSlug: "timeapp", CreatedAt: at, LastUsedAt: at, ExpiresAt: at.Add(time.Hour)}
	if err := st.CreateUserToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	klant := cloudspot.Klant{Klantennummer: 1001, Aanspreektitel: "Mevr.", Voornaam: "Els", Achternaam: "Wouters", Straat: "Kerkstraat",
		Huisnummer: "12", Postcode: "2000", Plaats: "Antwerpen", Land: "BE"}
	if _, err := st.ImportKlanten(ctx, company.ID, erp.Each([]cloudspot.Klant{klant})); err != nil {
		t.Fatal(err)
	}
	before, err := st.Klanten(ctx, company.ID)
	if err != nil || len(before) != 1 || before[0].Klant.Achternaam != "Wouters" {
		t.Fatalf("clients before closing: %+v, %v", before, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.SchemaVersion(ctx); err != nil || v != version {
		t.Errorf("schema version after reopening: %d, %v; want %d", v, err, version)
	}
	if got, err := st.CompanyBySlug(ctx, "acme"); err != nil || *got != *company {
		t.Errorf("company after reopening: %+v, %v; want %+v", got, err, company)
	}
	if got, err := st.UserByUsername(ctx, "an"); err != nil || *got != *user {
		t.Errorf("user after reopening: %+v, %v; want %+v", got, err, user)
	}
	gotToken, err := st.UserTokenByHash(ctx, token.Hash)
	if err != nil || gotToken.ID != token.ID || gotToken.UserID != user.ID || !gotToken.ExpiresAt.Equal(token.ExpiresAt) {
		t.Errorf("token after reopening: %+v, %v; want %+v", gotToken, err, token)
	}
	if after, err := st.Klanten(ctx, company.ID); err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("clients after reopening: %+v, %v; want %+v", after, err, before)
	}
}

// TestOpenPathWithURICharacters: a path holding what a file: URI reads as
// syntax opens the file of that very path, not one named by a part of it.
func TestOpenPathWithURICharacters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"a#b.db", "a?b=c.db", "a%23b.db", "a%b.db", "a b&c;d.db", "café ☕.db"} {
		path := filepath.Join(dir, name)
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Errorf("%q: %v", name, err)
			continue
		}
		err = st.CreateCompany(ctx, &erp.Company{Slug: "acme", Name: "Acme", CreatedAt: time.Now()})
		st.Close()
		if err != nil {
			t.Errorf("%q: a fresh database already holds the company, or refused it: %v", name, err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
			t.Errorf("%q: no database at that path: %v", name, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) < 6 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the directory holds %q: want a database per name", names)
	}
}

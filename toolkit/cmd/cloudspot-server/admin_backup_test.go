package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestAdminBackupWhileTheServerWrites takes copies of a served SQLite
// database while an admin imports a large file in one transaction and
// clients sign in at once (each sign-in writes a token): every copy opens,
// passes SQLite's integrity check, and holds the whole import or none of
// it; the copy taken after the import holds all of it.
func TestAdminBackupWhileTheServerWrites(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	srv := erptest.StartProcess(t, a.bin, "--db", a.db, "--demo")
	const n = 10000 // an import short enough to stay inside SQLite's busy timeout on a loaded machine
	var csv strings.Builder
	csv.WriteString("naam;SKU;voorraad_bijhouden;op_voorraad;verkoopprijs_excl;verkoopprijs_incl;BTW;bestellingtype;status\n")
	for i := range n {
		fmt.Fprintf(&csv, "Artikel %d;BAK-%06d;FYSIEK;1;1,00;1,21;21;IDEAAL;ZICHTBAAR\n", i, i)
	}
	file := filepath.Join(t.TempDir(), "artikels.csv")
	writeFile(t, file, csv.String())

	var importing atomic.Bool
	importing.Store(true)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer importing.Store(false)
		if out, errOut, code := a.run("", "import", "artikels", "--company", demo.Company, file); code != 0 {
			t.Errorf("import: exit %d %s %s", code, out, errOut)
		}
	}()
	var signIns atomic.Int64
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200 && importing.Load(); i++ {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/auth/signin-external-app/", strings.NewReader(`{"username": "demo", "password": "cloudspot-demo"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-ERP-REQUESTOR", demo.App)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("sign-in during the backups: %s", resp.Status)
					return
				}
				signIns.Add(1)
			}
		}()
	}
	dir := t.TempDir()
	var copies []string
	for i := 0; importing.Load() && i < 50; i++ {
		copies = append(copies, a.backup(filepath.Join(dir, fmt.Sprintf("during-%02d.db", i))))
	}
	wg.Wait()
	copies = append(copies, a.backup(filepath.Join(dir, "after.db")))

	counts := map[int]int{}
	for i, c := range copies {
		got := importedIn(t, c)
		counts[got]++
		if got != 0 && got != n {
			t.Errorf("%s holds %d of the import's %d products: want all or none", filepath.Base(c), got, n)
		}
		if i == len(copies)-1 && got != n {
			t.Errorf("the copy after the import holds %d of its %d products", got, n)
		}
	}
	t.Logf("%d copies (products of the import: %v) during %d sign-ins", len(copies), counts, signIns.Load())
}

// backup runs admin backup into file, which must succeed, and returns file.
func (a *adminRun) backup(file string) string {
	a.t.Helper()
	out := a.ok("", "backup", file)
	if !strings.HasPrefix(out, "copied "+a.db+" to "+file+" (") {
		a.t.Errorf("backup printed %q", out)
	}
	return file
}

// importedIn checks the copy at path with PRAGMA integrity_check and
// returns how many of the test import's products (SKU BAK-...) it holds.
func importedIn(t *testing.T, path string) int {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v; a copy of the database is its owner's only", path, fi.Mode().Perm())
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var res string
	err = db.QueryRow("PRAGMA integrity_check").Scan(&res)
	db.Close()
	if err != nil || res != "ok" {
		t.Fatalf("%s: integrity_check %q, %v", path, res, err)
	}
	st := openForTest(t, path)
	ctx := context.Background()
	cos := erptest.Must(st.Companies(ctx))(t)
	if len(cos) != 1 {
		t.Fatalf("%s holds %d companies, want the demo's", path, len(cos))
	}
	as := erptest.Must(st.Artikels(ctx, cos[0].ID))(t)
	got := 0
	for _, a := range as {
		if strings.HasPrefix(a.SKU, "BAK-") {
			got++
		}
	}
	return got
}

// TestAdminBackupMistakes: a copy never replaces a file, PostgreSQL is
// told to use pg_dump, and a missing database is not created.
func TestAdminBackupMistakes(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	existing := filepath.Join(t.TempDir(), "existing.db")
	writeFile(t, existing, "keep me")
	a.fails(2, existing+" exists: choose a new name for the copy (nothing was written)", "", "backup", existing)
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("the existing file now holds %q", b)
	}
	_, errOut, code := erptest.Run(t, "", nil, a.bin, "admin", "--db", "postgres://cloudspot@db.internal/cloudspot", "backup", filepath.Join(t.TempDir(), "x.db"))
	if code != 2 || !strings.Contains(errOut, "is copied with pg_dump") {
		t.Errorf("backup of PostgreSQL: exit %d, %q; want exit 2 naming pg_dump", code, errOut)
	}
	missing := filepath.Join(t.TempDir(), "missing.db")
	_, errOut, code = erptest.Run(t, "", nil, a.bin, "admin", "--db", missing, "backup", filepath.Join(t.TempDir(), "x.db"))
	if code != 1 || !strings.Contains(errOut, "there is no database at "+missing) {
		t.Errorf("backup of a missing database: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("backup created %s", missing)
	}
}

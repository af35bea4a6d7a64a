package postgres_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

// TestSchemasMatch holds the two engines' migrations to the same versions
// and their schemas to the same tables and columns, so that neither engine
// lacks what the other stores.
func TestSchemasMatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sd, err := sqlite.Dialect()
	if err != nil {
		t.Fatal(err)
	}
	pd, err := postgres.Dialect()
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Migrations) != len(pd.Migrations) {
		t.Fatalf("%d SQLite migrations and %d PostgreSQL ones", len(sd.Migrations), len(pd.Migrations))
	}
	for i := range sd.Migrations {
		if sd.Migrations[i].Name != pd.Migrations[i].Name {
			t.Errorf("migration %d is %s for SQLite and %s for PostgreSQL", i+1, sd.Migrations[i].Name, pd.Migrations[i].Name)
		}
	}

	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "erp.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := postgres.Open(ctx, erptest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	want := columns(t, lite.DB(), `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	got := columns(t, pg.DB(), `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PostgreSQL columns:\n%v\nSQLite columns:\n%v", got, want)
	}
}

// columns returns "table.column" for every column, sorted.
func columns(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		out = append(out, table+"."+col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

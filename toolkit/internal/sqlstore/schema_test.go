package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

func TestMain(m *testing.M) { erptest.Main(m) }

// TestMigrationsMatchColumns holds each engine's migrated schema to the
// store's list of columns: the same tables, the same columns in the same
// order, each stored as the kind the store reads and writes. The migrations'
// bookkeeping (schema_migrations, token_changes) is not data and not listed.
func TestMigrationsMatchColumns(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "erp.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		got := schema(t, st.DB(), `SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT IN ('schema_migrations', 'token_changes') ORDER BY m.name, p.cid`,
			map[string]string{"INTEGER": "integer", "TEXT": "text", "BLOB": "bytes"})
		// SQLite has no boolean type: booleans are integers. JSON is
		// text held to its shape by a CHECK.
		compare(t, got, sqlstore.Schema(), map[string]string{"boolean": "integer", "json": "text"})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		st, err := postgres.Open(ctx, erptest.PostgresDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		got := schema(t, st.DB(), `SELECT table_name, column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name NOT IN ('schema_migrations', 'token_changes') ORDER BY table_name, ordinal_position`,
			map[string]string{"bigint": "integer", "text": "text", "bytea": "bytes", "boolean": "boolean", "json": "json"})
		compare(t, got, sqlstore.Schema(), nil)
	})
}

// schema reads table, column and type rows, naming each type as the store
// names its kinds.
func schema(t *testing.T, db *sql.DB, query string, kinds map[string]string) map[string][]sqlstore.Column {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]sqlstore.Column{}
	for rows.Next() {
		var table, col, typ string
		if err := rows.Scan(&table, &col, &typ); err != nil {
			t.Fatal(err)
		}
		kind, ok := kinds[typ]
		if !ok {
			kind = "unknown type " + typ
		}
		out[table] = append(out[table], sqlstore.Column{Name: col, Kind: kind})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// compare reports every difference between the migrated columns and the
// store's, after renaming the store's kinds that the engine stores as
// another (as).
func compare(t *testing.T, got, want map[string][]sqlstore.Column, as map[string]string) {
	t.Helper()
	for table, cols := range want {
		for i, c := range cols {
			if k, ok := as[c.Kind]; ok {
				cols[i].Kind = k
			}
		}
		if !reflect.DeepEqual(got[table], cols) {
			t.Errorf("table %s:\nmigrations: %s\nstore:      %s", table, describe(got[table]), describe(cols))
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			t.Errorf("table %s is in the migrations but not in the store's list of columns", table)
		}
	}
}

func describe(cols []sqlstore.Column) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name + " " + c.Kind)
	}
	return b.String()
}

package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

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

// TestReopen checks that opening a database again keeps its data and
// applies no migration twice.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "erp.db")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateCompany(ctx, &erp.Company{Slug: "acme", Name: "Acme"}); err == nil {
		t.Fatal("a company without a creation time was stored")
	}
	st.Close()
	st, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("schema version %d, %v", v, err)
	}
}

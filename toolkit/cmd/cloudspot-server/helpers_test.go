package main

import (
	"context"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

var rightsAll = erp.Rights{Products: true, Clients: true}

// openForTest opens a second handle on a SQLite file the binary wrote.
func openForTest(t *testing.T, path string) erp.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

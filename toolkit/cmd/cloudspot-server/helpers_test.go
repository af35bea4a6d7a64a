package main

import (
	"context"
	"os"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

var rightsAll = erp.Rights{Artikels: true, Klanten: true}

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

// writeFile writes an input file for a command, failing the test if it
// cannot: a command run on a missing file would fail for the wrong reason.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command/commandtest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestUsageErrors: a mistake on any command's line is a usage error (exit
// 2) that names it and what to do, before any database is opened:
// commandtest.UsageErrors walks the whole command tree, so a command added
// later is covered too.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	dir := t.TempDir()
	root := newRoot(&env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	commandtest.UsageErrors(t, root, func(t *testing.T, args ...string) (string, int) {
		_, stderr, code := erptest.Run(t, "", []string{"CLOUDSPOT_DB=" + filepath.Join(dir, "erp.db")}, bin, args...)
		return stderr, code
	})
	if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
		t.Errorf("a command line with a mistake created %v in the database's directory (%v)", entries, err)
	}
}

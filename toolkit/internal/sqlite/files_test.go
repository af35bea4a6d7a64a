package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

// TestFilesAreOwnerOnly opens a database in a directory that does not exist
// yet, with the most permissive umask, writes to it so that the WAL and
// shared-memory files exist, and finds every file 0600 and the directory
// 0700.
func TestFilesAreOwnerOnly(t *testing.T) {
	// The umask is the process's: this test cannot run beside others.
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "new", "data")
	path := filepath.Join(dir, "erp.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.DB().Exec(`INSERT INTO companies (slug, name, created_at) VALUES ('acme', 'Acme', 0)`); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700, filepath.Dir(dir): 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	for p, mode := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%s has mode %#o, want %#o", filepath.Base(p), got, mode)
		}
	}
}

// TestOpenTightensAWorldReadableDatabase: a database left readable by
// everyone loses that on the next open.
func TestOpenTightensAWorldReadableDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "erp.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o640 {
		t.Errorf("mode %#o after reopening a 0644 database, want 0640", got)
	}
}

package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ErrExists is the error of a backup to a file that exists already.
var ErrExists = errors.New("the backup's file exists")

// Backup writes a consistent copy of the database at src into the new file
// dst, while servers and admin commands go on reading and writing it.
// SQLite's VACUUM INTO reads the database in one read transaction, so the
// copy holds every transaction committed before it began and nothing of
// one committed later (an import is in it whole or not at all); in WAL mode
// that read blocks no writer. The copy is compact (no free pages), checked
// with PRAGMA quick_check, readable by its owner only, and written under a
// temporary name beside dst that becomes dst only when it is whole: dst is
// never half written, and a dst that exists is never replaced (ErrExists).
//
// report, when not nil, is called now and then from another goroutine with
// the bytes written so far and about how many the copy will have.
func Backup(ctx context.Context, src, dst string, report func(done, total int64)) (size int64, err error) {
	if _, err := os.Stat(dst); err == nil {
		return 0, fmt.Errorf("%w: %s", ErrExists, dst)
	}
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("there is no database at %s", src) // SQLite would create an empty one
	} else if err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(src)+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var pages, free, pageSize int64
	for _, p := range []struct {
		pragma string
		v      *int64
	}{{"page_count", &pages}, {"freelist_count", &free}, {"page_size", &pageSize}} {
		if err := db.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.v); err != nil {
			return 0, fmt.Errorf("reading %s: %w", src, err)
		}
	}
	tmp := dst + ".partial-" + rand.Text()[:8]
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if report != nil {
		stop := watchSize(tmp, (pages-free)*pageSize, report)
		defer stop()
	}
	// VACUUM INTO takes an empty file as a new one.
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return 0, fmt.Errorf("copying %s: %w", src, err)
	}
	if err := check(ctx, tmp); err != nil {
		return 0, err
	}
	if err := syncFile(tmp); err != nil {
		return 0, err
	}
	// A link, unlike a rename, never replaces a dst made in the meantime.
	if err := os.Link(tmp, dst); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return 0, fmt.Errorf("%w: %s", ErrExists, dst)
		}
		return 0, err
	}
	os.Remove(tmp)
	syncFile(filepath.Dir(dst)) // the new name survives a crash; not every system can sync a directory
	fi, err := os.Stat(dst)
	if err != nil {
		return 0, err
	}
	if report != nil {
		report(fi.Size(), fi.Size())
	}
	return fi.Size(), nil
}

// check opens the copy at path and runs SQLite's quick_check on it.
func check(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(path)+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return fmt.Errorf("checking the copy: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("the copy failed its check: %s", res)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// watchSize reports the size of the file at path ten times a second until
// stop is called.
func watchSize(path string, total int64, report func(done, total int64)) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if fi, err := os.Stat(path); err == nil {
				report(fi.Size(), max(total, fi.Size()))
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

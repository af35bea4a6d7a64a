package sqlite

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// prepareFiles makes sure the database at path is readable by its owner
// only: it holds password hashes and clients' personal data. A missing
// directory is created 0700 and a missing file 0600, before SQLite opens
// it, so there is no moment when the file exists with the umask's looser
// mode; SQLite gives its -wal and -shm files the mode of the database file.
// An existing file (and its -wal and -shm) loses any permission for others
// than its owner and group.
func prepareFiles(path string) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		// O_CREATE applies the umask, which can only remove bits; set
		// the mode exactly anyway.
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	case !errors.Is(err, fs.ErrExist):
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		if m := fi.Mode().Perm(); m&0o007 != 0 && fi.Mode().IsRegular() {
			if err := os.Chmod(p, m&^0o007); err != nil {
				return err
			}
		}
	}
	return nil
}

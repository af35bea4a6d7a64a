//go:build unix

package sqlite

import (
	"errors"
	"os"
	"syscall"
)

// A serving process marks a database file as in use with a shared flock on
// it, which the kernel drops when the process ends, however it ends.
// SQLite's own locks are fcntl locks, which flocks do not touch, and are
// held only during a transaction, so they cannot tell an idle server from
// no server.

// MarkInUse marks the database at path as served by this process until
// release is called or the process ends.
func MarkInUse(path string) (release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// InUse reports whether a process (a running cloudspot-server) has marked
// the database at path as in use.
func InUse(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return false, syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

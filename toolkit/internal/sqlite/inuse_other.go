//go:build !unix

package sqlite

// MarkInUse does nothing where flock is missing.
func MarkInUse(path string) (release func(), err error) { return func() {}, nil }

// InUse cannot tell where flock is missing, and says no.
func InUse(path string) (bool, error) { return false, nil }

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// listFiles is where the server keeps the list bodies it sends (see
// httpapi.ListFiles): a directory of its own, made under dir and removed
// when the server stops, and at most maxMB megabytes of bodies kept for
// reuse.
type listFiles struct {
	dir   string
	maxMB int64
}

func (l *listFiles) flags(c *cobra.Command) {
	c.Flags().StringVar(&l.dir, "list-dir", "", "where to keep the bodies of the lists sent, each until its company's catalogue changes: a directory of the server's own is made there and removed on stop (default: the system's temporary directory; choose a disk, not a tmpfs, so that they stay out of memory)")
	c.Flags().Int64Var(&l.maxMB, "list-dir-size", httpapi.DefaultListFilesSize>>20, "megabytes of list bodies kept for reuse; the least recently sent go first")
}

// check refuses a size that keeps nothing.
func (l listFiles) check() error {
	if l.maxMB < 1 {
		return fmt.Errorf("--list-dir-size %d: want at least 1 (megabytes)", l.maxMB)
	}
	return nil
}

func (l listFiles) option() httpapi.Option { return httpapi.ListFiles(l.dir, l.maxMB<<20) }

package httpapi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// A list's body is written once to a file of its own, per company, body and
// catalogue stamp, and sent from that file (with sendfile, where the
// kernel has it) to every client that asks while the stamp stays the same.
// So a list goes out at the speed of the disk's page cache, and no list
// holds a database connection while its client reads: the body is read
// from the database at the database's speed, then the connection goes back
// to the pool. Every list reads its company's stamp first, and a change
// of the catalogue gives it a new stamp in the same transaction, in any
// process: a change is in the very next list of every process.

// DefaultListFilesSize bounds the bytes of list bodies a Handler keeps on
// disk for reuse; past it, the least recently used go first. A body larger
// than the bound is still written, sent and then removed.
const DefaultListFilesSize = 2 << 30

// listBuilds is how many list bodies are written at once: each holds a
// database connection while it reads, so that the rest of the pool stays
// free for sign-ins and token calls, and more at once would not finish
// sooner on a few cores.
const listBuilds = 2

// listKey names one list body: a company's list in one shape at one state
// of its catalogue.
type listKey struct {
	company int64
	body    erp.ListBody
	stamp   int64
}

// listFile is one list body on disk.
type listFile struct {
	key  listKey
	path string
	size int64
	used uint64 // when it was last opened, on the files' own clock
}

// listBuild is a body being written; those who want it wait for done.
type listBuild struct {
	done chan struct{}
	file *listFile // when it succeeded
	err  error
}

// listFiles keeps the list bodies of one Handler in a directory of its own,
// made when the first list is asked for and removed by Close.
type listFiles struct {
	parent string // where the directory is made; "" for the system's temporary directory
	max    int64
	slots  chan struct{} // one per build at once

	mu       sync.Mutex
	dir      string
	closed   bool
	files    map[listKey]*listFile
	building map[listKey]*listBuild
	size     int64
	clock    uint64
}

func newListFiles(parent string, max int64) *listFiles {
	return &listFiles{parent: parent, max: max, slots: make(chan struct{}, listBuilds),
		files: map[listKey]*listFile{}, building: map[listKey]*listBuild{}}
}

// open returns the body of l at the company's current stamp, opened for
// reading, with its size: kept, or written now (once, whoever else asks
// for it meanwhile). An error before the body is complete is the
// store's or the disk's; nothing was sent.
func (lf *listFiles) open(ctx context.Context, l *erp.List) (*os.File, int64, error) {
	stamp, err := l.Stamp(ctx)
	if err != nil {
		return nil, 0, err
	}
	key := listKey{company: l.CompanyID, body: l.Body, stamp: stamp}
	for attempt := 0; ; attempt++ {
		lf.mu.Lock()
		if lf.closed {
			lf.mu.Unlock()
			return nil, 0, errors.New("the server is shutting down")
		}
		if f := lf.files[key]; f != nil {
			fh, size, err := lf.openLocked(f)
			lf.mu.Unlock()
			if err == nil || attempt == 2 {
				return fh, size, err
			}
			continue
		}
		b := lf.building[key]
		if b == nil {
			b = &listBuild{done: make(chan struct{})}
			lf.building[key] = b
			lf.mu.Unlock()
			// The body is written whatever becomes of this request:
			// others may be waiting for it.
			lf.build(context.WithoutCancel(ctx), key, l, b)
		} else {
			lf.mu.Unlock()
		}
		select {
		case <-b.done:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
		if b.err != nil {
			return nil, 0, b.err
		}
		// The body of the stamp the build read, which is this request's
		// or a later one: never older than what this request asked at.
		lf.mu.Lock()
		if lf.files[b.file.key] == b.file {
			fh, size, err := lf.openLocked(b.file)
			lf.mu.Unlock()
			if err == nil || attempt == 2 {
				return fh, size, err
			}
			continue
		}
		lf.mu.Unlock()
		if attempt == 2 {
			return nil, 0, errors.New("list body removed before it could be sent")
		}
	}
}

// openLocked opens a kept body and marks it used.
func (lf *listFiles) openLocked(f *listFile) (*os.File, int64, error) {
	fh, err := os.Open(f.path)
	if err != nil {
		lf.removeLocked(f)
		return nil, 0, err
	}
	lf.clock++
	f.used = lf.clock
	return fh, f.size, nil
}

// build writes the body of l at the stamp its snapshot reads into a new
// file and keeps it, in place of the bodies of older stamps.
func (lf *listFiles) build(ctx context.Context, key listKey, l *erp.List, b *listBuild) {
	defer func() {
		if b.file == nil && b.err == nil {
			// A panic in the store: it goes on up, and those who wait
			// get an error.
			b.err = errors.New("the list's body was not written")
		}
		lf.mu.Lock()
		delete(lf.building, key)
		lf.mu.Unlock()
		close(b.done)
	}()
	select {
	case lf.slots <- struct{}{}:
	case <-ctx.Done():
		b.err = ctx.Err()
		return
	}
	defer func() { <-lf.slots }()
	dir, err := lf.directory()
	if err != nil {
		b.err = err
		return
	}
	tmp, err := os.CreateTemp(dir, "list-*.json")
	if err != nil {
		b.err = err
		return
	}
	f := &listFile{key: key, path: tmp.Name()}
	f.size, f.key.stamp, err = writeList(ctx, tmp, l)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		b.err = err
		return
	}
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if lf.closed {
		os.Remove(f.path)
		b.err = errors.New("the server is shutting down")
		return
	}
	for _, old := range lf.files {
		if old.key.company == key.company && old.key.body == key.body {
			lf.removeLocked(old)
		}
	}
	lf.files[f.key] = f
	lf.size += f.size
	lf.clock++
	f.used = lf.clock
	b.file = f
	lf.evictLocked(f)
}

// writeList writes l's body to w: {"data":[row,row,...]} and a newline, as
// every list of the protocol ends. It returns the body's size and the stamp
// of the snapshot it read.
func writeList(ctx context.Context, w *os.File, l *erp.List) (size, stamp int64, err error) {
	bw := bufio.NewWriterSize(w, listBufferSize)
	bw.WriteString(`{"data":[`)
	n := 0
	err = l.Stream(ctx, func(s int64) error { stamp = s; return nil }, func(row []byte) error {
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		_, err := bw.Write(row)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	bw.WriteString("]}\n")
	if err := bw.Flush(); err != nil {
		return 0, 0, err
	}
	fi, err := w.Stat()
	if err != nil {
		return 0, 0, err
	}
	return fi.Size(), stamp, nil
}

// evictLocked removes the least recently used bodies while the kept ones
// pass the bound, keep last.
func (lf *listFiles) evictLocked(keep *listFile) {
	for lf.size > lf.max {
		var oldest *listFile
		for _, f := range lf.files {
			if f != keep && (oldest == nil || f.used < oldest.used) {
				oldest = f
			}
		}
		if oldest == nil {
			return
		}
		lf.removeLocked(oldest)
	}
}

// removeLocked forgets a body and removes its file; a client it is being
// sent to keeps reading it from its open file.
func (lf *listFiles) removeLocked(f *listFile) {
	if lf.files[f.key] != f {
		return
	}
	delete(lf.files, f.key)
	lf.size -= f.size
	os.Remove(f.path)
}

// directory makes the directory of the kept bodies on first use.
func (lf *listFiles) directory() (string, error) {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if lf.closed {
		return "", errors.New("the server is shutting down")
	}
	if lf.dir == "" {
		dir, err := os.MkdirTemp(lf.parent, "cloudspot-lists-")
		if err != nil {
			return "", fmt.Errorf("making the directory of the list bodies: %w", err)
		}
		lf.dir = dir
	}
	return lf.dir, nil
}

// close removes every kept body and the directory; lists asked for after
// it fail.
func (lf *listFiles) close() error {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	lf.closed = true
	lf.files = map[listKey]*listFile{}
	lf.size = 0
	if lf.dir == "" {
		return nil
	}
	err := os.RemoveAll(filepath.Clean(lf.dir))
	lf.dir = ""
	return err
}

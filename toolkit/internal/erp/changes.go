package erp

import (
	"context"
	"sync"
	"time"
)

// changeWatch reads Store.TokenChanges for many requests at once. A request
// must see every change committed before it arrived, so it never shares a
// read that had already started: it waits for the next one, which starts
// as soon as the read in flight returns. Under load one read answers every
// request that arrived while the previous one ran, so the database sees a
// small, steady stream of one-row reads whatever the request rate.
type changeWatch struct {
	read    func(ctx context.Context) (int64, error)
	timeout time.Duration

	mu       sync.Mutex
	inFlight bool
	next     *changeRead // the read that requests arriving now will share
}

type changeRead struct {
	done chan struct{}
	n    int64
	err  error
}

func newChangeWatch(read func(ctx context.Context) (int64, error)) *changeWatch {
	return &changeWatch{read: read, timeout: 5 * time.Second}
}

// current returns the number as of a read that started after the call.
func (w *changeWatch) current(ctx context.Context) (int64, error) {
	w.mu.Lock()
	r := w.next
	if r == nil {
		r = &changeRead{done: make(chan struct{})}
		w.next = r
	}
	if !w.inFlight {
		w.inFlight, w.next = true, nil
		w.mu.Unlock()
		w.run(r)
	} else {
		w.mu.Unlock()
	}
	select {
	case <-r.done:
		return r.n, r.err
	case <-ctx.Done():
		return 0, &Error{Code: EUnavailable, Message: "The server is busy; try again shortly."}
	}
}

// run performs r, then hands the read that requests queued meanwhile wait
// for to a goroutine of its own, so that the caller that started r is not
// kept serving others. It uses a context of its own: r serves callers whose
// contexts may end at any time.
func (w *changeWatch) run(r *changeRead) {
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
	r.n, r.err = w.read(ctx)
	cancel()
	close(r.done)
	w.mu.Lock()
	next := w.next
	w.next = nil
	w.inFlight = next != nil
	w.mu.Unlock()
	if next != nil {
		go w.run(next)
	}
}

package erp

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestChangeWatchNeverSharesAnEarlierRead: a call that arrives while a read
// is in flight must not take that read's answer, which may predate a change
// the caller has already seen committed; it waits for the next read.
func TestChangeWatchNeverSharesAnEarlierRead(t *testing.T) {
	release := make(chan struct{})
	var started atomic.Int64
	w := newChangeWatch(func(ctx context.Context) (int64, error) {
		n := started.Add(1)
		if n == 1 {
			<-release
		}
		return n, nil
	})
	first := make(chan int64)
	go func() {
		n, _ := w.current(context.Background())
		first <- n
	}()
	for started.Load() != 1 {
		time.Sleep(time.Millisecond)
	}
	// Three calls arrive while read 1 runs: they wait for a later read.
	later := make(chan int64, 3)
	var calling sync.WaitGroup
	for range 3 {
		calling.Add(1)
		go func() {
			calling.Done()
			n, _ := w.current(context.Background())
			later <- n
		}()
	}
	calling.Wait()
	// Give them time to block. Were they slower, they would arrive after
	// read 1 and the test would pass without proving anything, never fail.
	time.Sleep(50 * time.Millisecond)
	close(release)
	if n := <-first; n != 1 {
		t.Fatalf("the first call got read %d, want 1", n)
	}
	for range 3 {
		if n := <-later; n < 2 {
			t.Errorf("a call that arrived during read 1 got read %d, want a later one", n)
		}
	}
}

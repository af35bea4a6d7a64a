package erp

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// TestChangeWatchNeverSharesAnEarlierRead: a call that arrives while a read
// is in flight must not take that read's answer, which may predate a change
// the caller has already seen committed; it waits for the next read.
func TestChangeWatchNeverSharesAnEarlierRead(t *testing.T) {
	// synctest.Wait returns once every goroutine of the bubble is blocked,
	// so the calls below are known to be waiting while read 1 runs.
	synctest.Test(t, func(t *testing.T) {
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
		synctest.Wait()
		if n := started.Load(); n != 1 {
			t.Fatalf("%d reads started, want 1", n)
		}
		// Three calls arrive while read 1 runs: they wait for a later read.
		later := make(chan int64, 3)
		for range 3 {
			go func() {
				n, _ := w.current(context.Background())
				later <- n
			}()
		}
		synctest.Wait()
		close(release)
		if n := <-first; n != 1 {
			t.Fatalf("the first call got read %d, want 1", n)
		}
		for range 3 {
			if n := <-later; n < 2 {
				t.Errorf("a call that arrived during read 1 got read %d, want a later one", n)
			}
		}
	})
}

package cloudspot_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// endless answers 200 with a list of products that never ends, until the
// client goes away.
func endless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"data": [`)
	chunk := []byte(strings.Repeat(`{"naam": "Koffie", "verkoopprijs_excl": "12.50"}, `, 1000))
	for {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// TestEndlessBodyIsBounded: a server that never stops sending ends the call
// with ErrResponseTooLarge, and the client's memory stays near the limit.
// It does not run in parallel, so that the heap it measures is its own.
func TestEndlessBodyIsBounded(t *testing.T) {
	const limit = 8 << 20
	_, base := newStub(t, endless)
	api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base), cloudspot.WithMaxResponseBytes(limit)))(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	stop := watchdog(cancel, before)
	_, err := api.Artikels.List(ctx)
	runtime.ReadMemStats(&after)
	stop()

	if !errors.Is(err, cloudspot.ErrResponseTooLarge) {
		t.Errorf("err = %v, want ErrResponseTooLarge", err)
	}
	// Everything allocated during the call, by client and stand-in server
	// alike: a few times the limit at most.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*limit {
		t.Errorf("the call allocated %d MiB for a limit of %d MiB", alloc>>20, limit>>20)
	} else {
		t.Logf("allocated %d MiB during the call for a limit of %d MiB", alloc>>20, limit>>20)
	}
}

// watchdog cancels a call whose allocations since before pass 256 MiB, so
// that a broken limit fails its test instead of the machine. stop ends it.
func watchdog(cancel context.CancelFunc, before runtime.MemStats) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
			if runtime.ReadMemStats(&m); m.TotalAlloc-before.TotalAlloc > 256<<20 {
				cancel()
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// TestResponseLimitIsExact: a body of exactly the limit is read, one byte
// more is refused, whether the server announces its length or streams it.
func TestResponseLimitIsExact(t *testing.T) {
	t.Parallel()
	body := `{"permissions": ["a_use"]}`
	for _, chunked := range []bool{false, true} {
		_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if !chunked {
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			}
			io.WriteString(w, body)
			if chunked {
				w.(http.Flusher).Flush()
			}
		})
		for _, tc := range []struct {
			limit int64
			ok    bool
		}{{int64(len(body)), true}, {int64(len(body)) - 1, false}} {
			api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithMaxResponseBytes(tc.limit)))(t)
			ps, err := api.Permissions(context.Background(), "tok")
			if tc.ok && (err != nil || !ps.Has("a_use")) {
				t.Errorf("chunked %v, limit %d: %v, %v; want the permissions", chunked, tc.limit, ps, err)
			}
			var e *cloudspot.Error
			if !tc.ok && (!errors.Is(err, cloudspot.ErrResponseTooLarge) || !errors.As(err, &e) || e.Path != "/erp/api/v1/auth/get-permissions/") {
				t.Errorf("chunked %v, limit %d: err = %v; want ErrResponseTooLarge naming the request", chunked, tc.limit, err)
			}
		}
	}
	for _, n := range []int64{0, -1} {
		if _, err := cloudspot.NewUserAPI("a", cloudspot.WithMaxResponseBytes(n)); err == nil {
			t.Errorf("WithMaxResponseBytes(%d) must be refused", n)
		}
	}
}

// heapAfterGC is the live heap once garbage is collected.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestAllIsFlatOnAnEndlessBody: All holds one product at a time: over an
// endless list, with a response limit far above it, the live heap after a
// million products is what it was after ten thousand. It does not run in
// parallel, so that the heap it measures is its own.
func TestAllIsFlatOnAnEndlessBody(t *testing.T) {
	_, base := newStub(t, endless)
	api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base), cloudspot.WithMaxResponseBytes(8<<30)))(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var early, late uint64
	n := 0
	for _, err := range api.Artikels.All(ctx) {
		if err != nil {
			t.Fatalf("after %d products: %v", n, err)
		}
		switch n++; n {
		case 10_000:
			early = heapAfterGC()
		case 1_000_000:
			late = heapAfterGC()
		}
		if n == 1_000_000 {
			break
		}
	}
	// A million products are ~50 MB of body.
	if late > early+4<<20 {
		t.Errorf("live heap grew from %d KiB to %d KiB between 10k and 1M products", early>>10, late>>10)
	} else {
		t.Logf("live heap %d KiB after 10k products, %d KiB after 1M", early>>10, late>>10)
	}
}

// TestAllEndsAtTheResponseLimit: an endless list ends All with
// ErrResponseTooLarge once the response limit is read, with no deadline of
// the caller's; the products before it were yielded. A watchdog stands in
// for the deadline a caller would otherwise need, and fails the test.
func TestAllEndsAtTheResponseLimit(t *testing.T) {
	t.Parallel()
	const limit = 4 << 20
	_, base := newStub(t, endless)
	api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base), cloudspot.WithMaxResponseBytes(limit)))(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watchdog := time.AfterFunc(2*time.Minute, cancel)
	defer watchdog.Stop()
	n := 0
	var last error
	for _, err := range api.Artikels.All(ctx) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if !errors.Is(last, cloudspot.ErrResponseTooLarge) {
		t.Fatalf("All over an endless list ended with %v after %d products, want ErrResponseTooLarge", last, n)
	}
	// Each product is 50 bytes of the body.
	if n < limit/100 || n > limit/50 {
		t.Errorf("%d products yielded from %d bytes, want the ones the limit holds", n, limit)
	}
}

// TestAllEndsAnEndlessValue: one value that never ends (a name of endless
// bytes) ends All with an error, not with memory exhaustion.
func TestAllEndsAnEndlessValue(t *testing.T) {
	_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data": [{"naam": "`)
		chunk := []byte(strings.Repeat("a", 64<<10))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	stop := watchdog(cancel, before)
	var last error
	for _, err := range api.Artikels.All(ctx) {
		last = err
	}
	runtime.ReadMemStats(&after)
	stop()
	if last == nil || errors.Is(last, context.Canceled) {
		t.Fatalf("All ended with %v, want the value refused", last)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Errorf("All allocated %d MiB on one endless value", alloc>>20)
	} else {
		t.Logf("All allocated %d MiB before refusing an endless value: %v", alloc>>20, last)
	}
}

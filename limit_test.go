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

	// A watchdog ends the call if memory runs away, so that a broken limit
	// fails the test instead of the machine.
	const runaway = 256 << 20
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for ctx.Err() == nil {
			runtime.ReadMemStats(&m)
			if m.TotalAlloc-before.TotalAlloc > runaway {
				cancel()
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	_, err := api.Artikels.List(ctx)
	runtime.ReadMemStats(&after)
	cancel()
	wg.Wait()

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

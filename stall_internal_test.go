package cloudspot

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

// TestStalledBodyEnds: a server that sends the start of an answer and then
// nothing more ends the call with a timeout, for a success and an error
// alike, and for a caller without a deadline. The stall limit is shortened
// for the test; what is asserted is the error, not a time.
func TestStalledBodyEnds(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 500} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			io.WriteString(w, `{"data": [{"naam": "Koffie"}, `)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}))
		t.Cleanup(srv.Close)
		tr, err := newTransport([]Option{WithBaseURL(srv.URL + "/api/v1")})
		if err != nil {
			t.Fatal(err)
		}
		tr.stall = 50 * time.Millisecond
		// The deadline only keeps a broken guard from hanging the test.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var out any
		err = tr.do(ctx, call{method: http.MethodGet, path: "artikels", kind: companyTokenCall, token: "tok"}, &out)
		// A stalled success is a timeout; a stalled error is the error,
		// described from what arrived.
		var ne net.Error
		var e *Error
		if status == 200 && (!errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded)) {
			t.Errorf("status %d: err = %v, want a timeout", status, err)
		}
		if status != 200 && (!errors.As(err, &e) || e.StatusCode != status) {
			t.Errorf("status %d: err = %v, want the %d", status, err, status)
		}
	}
}

// TestSlowReaderIsNotStalled: time the caller spends between reads (handling
// one product of a long list) is not the server's stall.
func TestSlowReaderIsNotStalled(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("ab"))
		pw.Close()
	}()
	g := newStallGuard(pr, 250*time.Millisecond)
	defer g.stop()
	buf := make([]byte, 1)
	var got []byte
	for {
		n, err := g.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			if err != io.EOF {
				t.Fatalf("read: %v", err)
			}
			break
		}
		time.Sleep(500 * time.Millisecond) // twice the stall limit, outside Read
	}
	if string(got) != "ab" {
		t.Errorf("read %q, want ab", got)
	}
}

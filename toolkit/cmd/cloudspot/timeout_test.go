package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A long list arrives steadily over more time than --timeout: the timeout
// bounds the wait for an answer to begin, not the whole transfer, so the
// list is read in full. The server begins its answer at once and holds the
// rest until twice the timeout has passed since the request arrived, so
// the body certainly outlasts the client's timer; only an answer that
// takes a whole second to begin on loopback could fail the test wrongly.
func TestTimeoutDoesNotCutASteadyList(t *testing.T) {
	t.Parallel()
	const (
		parts   = 6
		timeout = time.Second
	)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived := time.Now()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data": [`))
		for i := range parts {
			if i > 0 {
				w.Write([]byte(","))
			}
			w.Write([]byte(`{"naam": "Koffie", "SKU": "K` + strconv.Itoa(i) + `"}`))
			w.(http.Flusher).Flush()
			// The parts are spread over twice the timeout.
			next := time.NewTimer(time.Until(arrived.Add(2 * timeout * time.Duration(i+1) / parts)))
			select {
			case <-next.C:
			case <-r.Context().Done():
				next.Stop()
				return
			}
		}
		w.Write([]byte("]}"))
	}))
	t.Cleanup(slow.Close)

	s := newSandbox(t, slow.URL+"/api/v1")
	r := s.run("", companyEnv, "--timeout", timeout.String(), "artikels", "list", "-o", "ndjson")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 (the answer began at once); stderr:\n%s", r.code, r.stderr)
	}
	if got := strings.Count(r.stdout, "\n"); got != parts {
		t.Errorf("%d products listed, want %d:\n%s", got, parts, r.stdout)
	}
}

package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A long list arrives steadily over more time than --timeout: the timeout
// bounds the wait for an answer to begin, not the whole transfer, so the
// list is read in full.
func TestTimeoutDoesNotCutASteadyList(t *testing.T) {
	t.Parallel()
	const parts = 6
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data": [`))
		for i := range parts {
			if i > 0 {
				w.Write([]byte(","))
			}
			w.(http.Flusher).Flush()
			time.Sleep(100 * time.Millisecond)
			w.Write([]byte(`{"naam": "Koffie", "SKU": "K` + string(rune('0'+i)) + `"}`))
		}
		w.Write([]byte("]}"))
	}))
	t.Cleanup(slow.Close)

	s := newSandbox(t, slow.URL+"/api/v1")
	r := s.run("", companyEnv, "--timeout", "250ms", "artikels", "list", "-o", "ndjson")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 (the answer began at once); stderr:\n%s", r.code, r.stderr)
	}
	if got := strings.Count(r.stdout, "\n"); got != parts {
		t.Errorf("%d products listed, want %d:\n%s", got, parts, r.stdout)
	}
}

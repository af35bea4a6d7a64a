package postgres_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestOutage stops PostgreSQL under a running server: every call that needs
// the database answers 503 with a JSON message, /readyz fails while /healthz
// does not, and the server recovers by itself once the database is back.
func TestOutage(t *testing.T) {
	t.Parallel()
	cluster := erptest.StartPostgresCluster(t) // its own: it is stopped below
	p := server(t, cluster.NewDatabase(t), "--demo")
	ctx := context.Background()
	s := erptest.Must(userAPI(t, p).Authenticate(ctx, demo.Username, demo.Password))(t)

	signIn := `{"username": "` + demo.Username + `", "password": "` + demo.Password + `"}`
	calls := []struct {
		name, method, url, body string
		headers                 []string
	}{
		{"sign-in", http.MethodPost, p.URL + "/auth/signin-external-app/", signIn, []string{"X-ERP-REQUESTOR", demo.App}},
		{"permissions", http.MethodGet, p.URL + "/auth/get-permissions/", "", []string{"X-ERP-REQUESTOR", demo.App, "X-ERP-TOKEN", s.Token}},
		{"products", http.MethodGet, p.URL + "/artikels/", "", []string{"X-ERP-TOKEN", demo.CompanyToken}},
		{"clients", http.MethodGet, p.URL + "/klanten/", "", []string{"X-ERP-TOKEN", demo.CompanyToken}},
		{"readyz", http.MethodGet, root(p) + "/readyz", "", nil},
	}
	for _, c := range calls {
		if code, _ := get(t, c.method, c.url, c.body, c.headers...); code != http.StatusOK {
			t.Fatalf("%s before the outage: %d", c.name, code)
		}
	}

	// Traffic goes on while the database stops and comes back: every answer
	// is a 200 or a JSON 503, never a 500, a hang or a connection dropped
	// before the answer; only a list already streaming may be cut off.
	load := startLoad(p.URL, s.Token)
	cluster.Stop()
	for round := range 2 { // the first round finds dead connections, the second none
		for _, c := range calls {
			code, msg := get(t, c.method, c.url, c.body, c.headers...)
			if code != http.StatusServiceUnavailable || msg == "" {
				t.Errorf("round %d, %s during the outage: %d %q, want 503 with a JSON message", round, c.name, code, msg)
			}
		}
	}
	if code, _ := get(t, http.MethodGet, root(p)+"/healthz", ""); code != http.StatusOK {
		t.Errorf("healthz during the outage: %d, want 200: the process itself is fine", code)
	}

	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	// Recovery takes as long as reconnecting does; wait for it, boundedly.
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, _ := get(t, http.MethodGet, root(p)+"/readyz", "")
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz still %d a minute after the database came back", code)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, c := range calls {
		if code, msg := get(t, c.method, c.url, c.body, c.headers...); code != http.StatusOK {
			t.Errorf("%s after the outage: %d %q, want 200 without a restart", c.name, code, msg)
		}
	}
	seen := load.stop()
	t.Logf("answers under load, by status: %v", seen)
	if seen[http.StatusOK] == 0 || seen[http.StatusServiceUnavailable] == 0 {
		t.Errorf("answers under load: %v; want both 200s and 503s", seen)
	}
	for code, n := range seen {
		if code != http.StatusOK && code != http.StatusServiceUnavailable && code != cutList {
			t.Errorf("%d answers with %d (0: no answer or not JSON) under load, want only 200, 503 and lists cut off mid-stream", n, code)
		}
	}
	if strings.Contains(p.Stderr(), demo.Password) || strings.Contains(p.Stderr(), s.Token) {
		t.Error("the server logged a secret")
	}
}

// Answers under load that are not an HTTP status.
const (
	// noAnswer is a request that got no answer, or a whole answer that
	// was not JSON: never acceptable.
	noAnswer = 0
	// cutList is a product list whose connection the server cut after
	// its 200 and first rows, because the database went away mid-stream:
	// the client sees an error, never a shorter list that looks whole.
	cutList = -1
)

// background sends reads from a few goroutines until stopped, at most
// 20,000 requests in all, and counts the answers by status, noAnswer and
// cutList.
type background struct {
	done   chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	counts map[int]int
}

func startLoad(base, userToken string) *background {
	b := &background{done: make(chan struct{}), counts: map[int]int{}}
	client := &http.Client{Timeout: 30 * time.Second}
	var sent atomic.Int64
	for i := range 3 {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			for sent.Add(1) <= 20000 {
				select {
				case <-b.done:
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodGet, base+"/artikels/", nil)
				req.Header.Set("X-ERP-TOKEN", demo.CompanyToken)
				if i == 0 {
					req, _ = http.NewRequest(http.MethodGet, base+"/auth/get-permissions/", nil)
					req.Header.Set("X-ERP-REQUESTOR", demo.App)
					req.Header.Set("X-ERP-TOKEN", userToken)
				}
				code := noAnswer
				if resp, err := client.Do(req); err == nil {
					b, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					switch {
					case err != nil && resp.StatusCode == http.StatusOK && i != 0:
						code = cutList
					case err == nil && json.Valid(b):
						code = resp.StatusCode
					}
				}
				b.mu.Lock()
				b.counts[code]++
				b.mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	return b
}

func (b *background) stop() map[int]int {
	close(b.done)
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.counts
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
)

// call is one kind of request the load makes.
type call string

const (
	signIn      call = "sign-in"
	permissions call = "get-permissions"
	artikels    call = "artikels"
	klanten     call = "klanten"
	guess       call = "attacker sign-in"
)

// stats collects the latencies and statuses of each call.
type stats struct {
	mu        sync.Mutex
	latencies map[call][]time.Duration
	statuses  map[call]map[string]int
	elapsed   time.Duration
}

func (s *stats) add(c call, d time.Duration, status string) {
	if status == "cancelled" {
		return // cut off by the end of the run: neither an answer nor a latency
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latencies[c] = append(s.latencies[c], d)
	if s.statuses[c] == nil {
		s.statuses[c] = map[string]int{}
	}
	s.statuses[c][status]++
}

// client sends one request and says how long it took and how it ended:
// the status code, or the kind of transport error.
type client struct {
	http *http.Client
	base string
}

func (c client) do(ctx context.Context, method, path, from string, headers map[string]string, body string) (time.Duration, string, []byte) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, strings.NewReader(body))
	if err != nil {
		return 0, "bad request", nil
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", from)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return time.Since(start), "cancelled", nil
		}
		return time.Since(start), "transport error", nil
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return time.Since(start), fmt.Sprint(resp.StatusCode), b
}

func signInBody(username, password string) string {
	return fmt.Sprintf(`{"username": %q, "password": %q}`, username, password)
}

// baseline measures n sign-ins one at a time on the idle server.
func baseline(ctx context.Context, srv *server, n int) ([]time.Duration, error) {
	c := client{http: &http.Client{}, base: srv.url}
	var out []time.Duration
	for i := range n {
		d, status, _ := c.do(ctx, "POST", "/auth/signin-external-app/", fmt.Sprintf("10.1.0.%d", i%250+1),
			map[string]string{"X-ERP-REQUESTOR": demo.App}, signInBody(demo.Username, demo.Password))
		if status != "200" {
			return nil, fmt.Errorf("an unloaded sign-in answered %s", status)
		}
		out = append(out, d)
	}
	return out, nil
}

// attack runs the legitimate clients and the attacker together for
// c.duration.
func attack(ctx context.Context, srv *server, c config) *stats {
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	st := &stats{latencies: map[call][]time.Duration{}, statuses: map[call]map[string]int{}}
	cl := client{http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.clients + c.attackers}}, base: srv.url}
	var wg sync.WaitGroup
	start := time.Now()
	for i := range c.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := fmt.Sprintf("10.0.%d.%d", i/250, i%250+1)
			app := map[string]string{"X-ERP-REQUESTOR": demo.App}
			company := map[string]string{"X-ERP-TOKEN": demo.CompanyToken}
			for ctx.Err() == nil {
				d, status, body := cl.do(ctx, "POST", "/auth/signin-external-app/", from, app, signInBody(demo.Username, demo.Password))
				st.add(signIn, d, status)
				token := between(string(body), `"token":"`, `"`)
				for range 5 {
					d, status, _ = cl.do(ctx, "GET", "/auth/get-permissions/", from, map[string]string{"X-ERP-REQUESTOR": demo.App, "X-ERP-TOKEN": token}, "")
					st.add(permissions, d, status)
				}
				d, status, _ = cl.do(ctx, "GET", "/artikels/", from, company, "")
				st.add(artikels, d, status)
				d, status, _ = cl.do(ctx, "GET", "/klanten/", from, company, "")
				st.add(klanten, d, status)
			}
		}()
	}
	for i := range c.attackers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			app := map[string]string{"X-ERP-REQUESTOR": demo.App}
			for n := 0; ctx.Err() == nil; n++ {
				user := demo.Username
				if n%2 == 1 {
					user = fmt.Sprintf("user%d-%d", i, n)
				}
				d, status, _ := cl.do(ctx, "POST", "/auth/signin-external-app/", "203.0.113.66", app, signInBody(user, fmt.Sprintf("Guess%d!", n)))
				st.add(guess, d, status)
			}
		}()
	}
	wg.Wait()
	st.elapsed = time.Since(start)
	return st
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}

// percentile returns the p-th percentile of ds (which it sorts).
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(float64(len(ds))*p))]
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// running is the program started in-process by startServe.
type running struct {
	api     string // API base URL
	metrics string // metrics URL when served apart
	console string // the console's URL when served
	stderr  *erptest.Buffer
	stop    func() error
}

var (
	metricsLine = regexp.MustCompile(`^cloudspot-server: metrics on (http://\S+)\n$`)
	consoleLine = regexp.MustCompile(`^cloudspot-server: console on (http://\S+)/\n$`)
	// serverID is a request id the server made.
	serverID = regexp.MustCompile(`^[0-9a-f]{24}$`)
)

// each runs fn n times at once, each with a client of its own (so with a
// connection, and a port, of its own).
func (r *running) each(t *testing.T, n int, fn func(i int, c *http.Client)) {
	t.Helper()
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: &http.Transport{}}
			defer c.CloseIdleConnections()
			fn(i, c)
		}()
	}
	wg.Wait()
}

// startServe runs `cloudspot-server serve args...` in-process on a fresh
// database with the demo, with env as its environment, until stop. The
// console is off unless args ask for it.
func startServe(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	if _, ok := env["CLOUDSPOT_DB"]; !ok {
		env["CLOUDSPOT_DB"] = filepath.Join(t.TempDir(), "erp.db")
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	r := &running{stderr: &erptest.Buffer{}}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--console-addr=off", "--demo"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), pw, r.stderr)
		pw.Close()
	}()
	var stopped bool
	var runErr error
	r.stop = func() error {
		if !stopped {
			cancel()
			runErr, stopped = <-done, true
		}
		return runErr
	}
	t.Cleanup(func() { r.stop() })
	out := bufio.NewReader(pr)
	for {
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("the server stopped before listening: %v\n%s", r.stop(), r.stderr.String())
		}
		if m := metricsLine.FindStringSubmatch(line); m != nil {
			r.metrics = m[1]
		}
		if m := consoleLine.FindStringSubmatch(line); m != nil {
			r.console = m[1]
		}
		if m := listening.FindStringSubmatch(line); m != nil {
			r.api = m[1]
			break
		}
	}
	go io.Copy(io.Discard, out)
	return r
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// TestMetricsCountRealCalls makes calls with the SDK and reads their figures
// back from a scrape of the separate metrics address.
func TestMetricsCountRealCalls(t *testing.T) {
	t.Parallel()
	srv := startServe(t, nil, "--metrics-addr", "127.0.0.1:0", "--max-failed-signins", "2")
	if srv.metrics == "" {
		t.Fatal("no metrics line before the listening line")
	}
	ctx := context.Background()
	users := erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(srv.api)))(t)
	if _, err := users.Authenticate(ctx, demo.Username, demo.Password); err != nil {
		t.Fatal(err)
	}
	for range 3 { // two failures, then the limit of 2 refuses the third
		users.Authenticate(ctx, demo.Viewer, "wrong password")
	}
	company := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(srv.api)))(t)
	for range 3 {
		if _, err := company.Artikels.List(ctx); err != nil {
			t.Fatal(err)
		}
	}
	get(t, srv.api+"/nope/")

	wants := []string{
		`cloudspot_signins_total{outcome="ok"} 1`,
		`cloudspot_signins_total{outcome="bad_credentials"} 2`,
		`cloudspot_signins_total{outcome="throttled"} 1`,
		`cloudspot_signins_total{outcome="unknown_app"} 0`,
		`cloudspot_http_requests_total{method="POST",route="/api/v1/auth/signin-external-app",status="200"} 1`,
		`cloudspot_http_requests_total{method="POST",route="/api/v1/auth/signin-external-app",status="401"} 2`,
		`cloudspot_http_requests_total{method="POST",route="/api/v1/auth/signin-external-app",status="429"} 1`,
		`cloudspot_http_requests_total{method="GET",route="/api/v1/artikels",status="200"} 3`,
		`cloudspot_http_requests_total{method="GET",route="other",status="404"} 1`,
		`cloudspot_http_request_duration_seconds_count{route="/api/v1/artikels"} 3`,
		`cloudspot_http_request_duration_seconds_bucket{route="/api/v1/artikels",le="+Inf"} 3`,
		// The first check of the company token reads the database, the
		// next two are answered from memory.
		`cloudspot_token_cache_misses_total 1`,
		`cloudspot_token_cache_hits_total 2`,
		`go_sql_max_open_connections{db_name="cloudspot"}`,
		`go_sql_in_use_connections{db_name="cloudspot"}`,
	}
	// A request is counted once its handler returns, which may be just
	// after the client has read the whole answer: the scrape is repeated
	// until it holds every count, for at most 10 s.
	var body string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var res *http.Response
		res, body = get(t, srv.metrics)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("scrape: %s %s", res.Status, res.Header.Get("Content-Type"))
		}
		if !slices.ContainsFunc(wants, func(w string) bool { return !strings.Contains(body, "\n"+w) }) || time.Now().After(deadline) {
			break
		}
	}
	for _, want := range wants {
		if !strings.Contains(body, "\n"+want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("scrape:\n%s", grepLines(body, "cloudspot_"))
	}
	// Apart means apart: the API's address has no /metrics.
	if res, _ := get(t, strings.TrimSuffix(srv.api, "/api/v1")+"/metrics"); res.StatusCode != 404 {
		t.Errorf("/metrics on the API's address with --metrics-addr: %s, want 404", res.Status)
	}
}

func grepLines(s, prefix string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestMetricsBesideTheAPI: by default there are no metrics, on the API's
// address or anywhere; with --metrics-addr api the figures are at /metrics
// on the API's address, outside /api/v1.
func TestMetricsBesideTheAPI(t *testing.T) {
	t.Parallel()
	srv := startServe(t, nil, "--metrics-addr", "api")
	root := strings.TrimSuffix(srv.api, "/api/v1")
	get(t, srv.api+"/klanten/")
	res, body := get(t, root+"/metrics")
	if res.StatusCode != 200 || !strings.Contains(body, `cloudspot_http_requests_total{method="GET",route="/api/v1/klanten",status="401"} 1`) {
		t.Errorf("/metrics: %s\n%s", res.Status, grepLines(body, "cloudspot_http_requests_total"))
	}
	if res, body := get(t, srv.api+"/metrics"); res.StatusCode != 404 || body != "{\"message\":\"Not found.\"}\n" {
		t.Errorf("/api/v1/metrics: %s %q, want the API's JSON 404", res.Status, body)
	}

	def := startServe(t, nil)
	if def.metrics != "" {
		t.Errorf("by default the server says it serves metrics at %s", def.metrics)
	}
	if res, _ := get(t, strings.TrimSuffix(def.api, "/api/v1")+"/metrics"); res.StatusCode != 404 {
		t.Errorf("by default /metrics on the API's address is %s, want 404", res.Status)
	}
	off := startServe(t, nil, "--metrics-addr", "off")
	if res, _ := get(t, strings.TrimSuffix(off.api, "/api/v1")+"/metrics"); res.StatusCode != 404 {
		t.Errorf("--metrics-addr off: /metrics is %s, want 404", res.Status)
	}
}

// TestJSONLogsCarryTheRequestID: every answer names its request id, the
// log line of the request carries the same, and no secret is logged. An id
// a client sends is kept only from a trusted proxy (loopback here, with
// X-Forwarded-For naming the client).
func TestJSONLogsCarryTheRequestID(t *testing.T) {
	t.Parallel()
	srv := startServe(t, map[string]string{"CLOUDSPOT_LOG_FORMAT": "json"}, "--trusted-proxies", "127.0.0.1")
	direct := startServe(t, map[string]string{"CLOUDSPOT_LOG_FORMAT": "json"})
	users := erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(srv.api)))(t)
	s, err := users.Authenticate(context.Background(), demo.Username, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, given := range []string{"", "proxy-given.id_1", "bad id level=ERROR", strings.Repeat("a", 65)} {
		req, _ := http.NewRequest("GET", srv.api+"/auth/get-user/", nil)
		req.Header.Set("X-ERP-TOKEN", s.Token)
		req.Header.Set("X-ERP-REQUESTOR", demo.App)
		if given != "" {
			req.Header["X-Request-Id"] = []string{given}
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		id := res.Header.Get("X-Request-Id")
		switch {
		case given == "proxy-given.id_1" && id != given:
			t.Errorf("a proxy's request id %q became %q", given, id)
		case given != "proxy-given.id_1" && !serverID.MatchString(id):
			t.Errorf("request id %q (given %q): want 24 hex digits made by the server", id, given)
		}
		if ids[id] {
			t.Errorf("request id %q given twice", id)
		}
		ids[id] = true
	}
	// Without --trusted-proxies no client chooses its id, however many try
	// at once.
	var mu sync.Mutex
	direct.each(t, 50, func(i int, c *http.Client) {
		req, _ := http.NewRequest("GET", direct.api+"/healthz", nil)
		req.Header.Set("X-Request-Id", fmt.Sprint("client-chosen-", i))
		res, err := c.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		res.Body.Close()
		if id := res.Header.Get("X-Request-Id"); !serverID.MatchString(id) {
			mu.Lock()
			t.Errorf("a client's own request id %q was kept (%q) without a trusted proxy", fmt.Sprint("client-chosen-", i), id)
			mu.Unlock()
		}
	})
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	logs := srv.stderr.String()
	logged := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		if rec["msg"] == "request" {
			id, _ := rec["request_id"].(string)
			logged[id] = true
		}
	}
	for id := range ids {
		if !logged[id] {
			t.Errorf("request id %s is in no log line", id)
		}
	}
	for _, secret := range []string{s.Token, demo.Password, demo.CompanyToken} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold a secret %.6s…", secret)
		}
	}
}

// TestConfigFromEnvironment: every flag has a CLOUDSPOT_ variable, the
// command line wins, and a bad value says which variable to fix.
func TestConfigFromEnvironment(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	db := filepath.Join(t.TempDir(), "x.db")
	for _, tc := range []struct {
		env  []string
		args []string
		want string
	}{
		{[]string{"CLOUDSPOT_TOKEN_TTL=soon"}, nil, `CLOUDSPOT_TOKEN_TTL="soon": invalid argument`},
		{[]string{"CLOUDSPOT_MAX_FAILED_SIGNINS=ten"}, nil, `CLOUDSPOT_MAX_FAILED_SIGNINS="ten"`},
		{[]string{"CLOUDSPOT_LOG_FORMAT=xml"}, nil, `--log-format "xml": use text or json`},
		{[]string{"CLOUDSPOT_LOG_FORMAT=xml"}, []string{"--log-format", "yaml"}, `--log-format "yaml"`},
		{nil, []string{"--log-level", "loud"}, `--log-level "loud": use debug, info, warn or error`},
		{nil, []string{"--metrics-addr", "9100"}, `--metrics-addr "9100": want host:port`},
		{nil, []string{"--addr", "127.0.0.1:8123", "--metrics-addr", "127.0.0.1:8123"}, `is the API's address`},
		{nil, []string{"--token-ttl", "1s"}, `--token-ttl 1s: a user token must live at least a minute`},
		{[]string{"CLOUDSPOT_ADDR=localhost"}, nil, `--addr "localhost": want host:port`},
		{[]string{"CLOUDSPOT_SHUTDOWN_TIMEOUT=0s"}, nil, `--shutdown-timeout 0s: requests in flight need some time to finish`},
		{nil, []string{"--shutdown-timeout", "-1s"}, `--shutdown-timeout -1s`},
	} {
		_, stderr, code := erptest.Run(t, "", append([]string{"CLOUDSPOT_DB=" + db}, tc.env...), bin, append([]string{"serve"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("env %v, args %v: exit %d, %q; want exit 2 and %q", tc.env, tc.args, code, stderr, tc.want)
		}
	}
}

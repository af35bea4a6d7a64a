package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// What anonymous clients send that no figure, log line or connection of
// the real server may grow with: made-up methods and paths, bidirectional
// and control characters, oversized bodies.

// rss is a process's resident memory in bytes, from /proc.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc to measure a process's memory: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmRSS %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}

// flood sends n requests, 32 at a time over connections of their own, that
// req makes, and reads every answer whole.
func flood(t *testing.T, n int, req func(i int) *http.Request) {
	t.Helper()
	var wg sync.WaitGroup
	next := make(chan int)
	failures := make(chan error, n)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: &http.Transport{}}
			defer c.CloseIdleConnections()
			for i := range next {
				res, err := c.Do(req(i))
				if err != nil {
					failures <- err
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Fatalf("a request of the flood failed: %v", err)
	}
}

// series counts the lines of one metric in a scrape.
func series(t *testing.T, api, metric string) int {
	t.Helper()
	_, body := get(t, strings.TrimSuffix(api, "/api/v1")+"/metrics")
	return strings.Count(body, "\n"+metric+"{")
}

// TestHostileMethodsAndPathsStayFlat runs two servers side by side, each
// its own process with its metrics beside the API: one gets 10,000 plain
// requests, the other 10,000 with a method or a path of 16 KiB, all
// different, 32 at a time. The hostile server's request series, memory
// and log per request stay those of the plain one: methods outside HTTP's
// are "other", paths outside the API "other", and the log clips both.
func TestHostileMethodsAndPathsStayFlat(t *testing.T) {
	t.Parallel()
	const n = 10_000
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	start := func() *erptest.Process {
		return erptest.StartProcess(t, bin, "--db", filepath.Join(t.TempDir(), "erp.db"), "--metrics-addr", "api")
	}
	plain, hostile := start(), start()
	flood(t, n, func(i int) *http.Request {
		r, _ := http.NewRequest("GET", plain.URL+"/nope/", nil)
		return r
	})
	filler := strings.Repeat("X", 16<<10)
	flood(t, n, func(i int) *http.Request {
		// Half a made-up method on a real path, half a made-up path.
		method, path := fmt.Sprintf("M%d%s", i, filler), "/artikels/"
		if i%2 == 1 {
			method, path = "GET", fmt.Sprintf("/p%d%s/", i, filler)
		}
		r, err := http.NewRequest(method, hostile.URL+path, nil)
		if err != nil {
			panic(err)
		}
		return r
	})
	// The figures are read once both floods are over, so that both
	// processes have had the same time to settle.
	plainRSS, hostileRSS := rss(t, plain.Pid()), rss(t, hostile.Pid())
	plainSeries, hostileSeries := series(t, plain.URL, "cloudspot_http_requests_total"), series(t, hostile.URL, "cloudspot_http_requests_total")
	plainLog, hostileLog := len(plain.Stderr()), len(hostile.Stderr())
	t.Logf("after %d requests: plain %d series, %d MiB, %d bytes of log a request; hostile %d series, %d MiB, %d bytes of log a request",
		n, plainSeries, plainRSS>>20, plainLog/n, hostileSeries, hostileRSS>>20, hostileLog/n)
	if hostileSeries > plainSeries+2 {
		t.Errorf("%d request series after %d made-up methods and paths, want at most the plain server's %d and the two of method other (404, 405)", hostileSeries, n, plainSeries)
	}
	if hostileRSS > plainRSS*3/2 {
		t.Errorf("the hostile server holds %d MiB, over 1.5 times the plain server's %d MiB", hostileRSS>>20, plainRSS>>20)
	}
	if hostileLog/n > 1<<10 {
		t.Errorf("%d bytes of log a request, want at most 1 KiB (method and path clipped)", hostileLog/n)
	}
	if strings.Contains(hostile.Stderr(), filler) {
		t.Error("the log holds a whole 16 KiB method or path")
	}
}

// TestLogsAreInertAndClipped: a path and an app slug with a right-to-left
// override and control characters, a 60 KB path and a 60 KB slug, in both
// log formats: no log holds a raw bidirectional or control character, and
// no line is longer than the clipped fields make it.
func TestLogsAreInertAndClipped(t *testing.T) {
	t.Parallel()
	const bidi = "\u202e"
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			srv := startServe(t, map[string]string{"CLOUDSPOT_LOG_FORMAT": format})
			long := strings.Repeat("é", 10<<10) // 60 KB as the request line carries it
			for _, c := range []struct{ path, app string }{
				{"/nope" + url.PathEscape(bidi+"gpj.exe\x1b[31m\x7f") + "/", demoApp},
				{"/" + url.PathEscape(long) + "/", demoApp},
				{"/auth/signin-external-app/", "timeapp" + bidi + "\u0085"},
				{"/auth/signin-external-app/", strings.Repeat("é", 99)}, // an unknown app: logged as a warning
			} {
				req, _ := http.NewRequest("POST", srv.api+c.path, strings.NewReader(`{"username": "demo", "password": "cloudspot-demo"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-ERP-REQUESTOR", c.app)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
			}
			if err := srv.stop(); err != nil {
				t.Fatal(err)
			}
			logs := srv.stderr.String()
			if !strings.Contains(logs, "sign-in for an unknown app") {
				t.Fatalf("the unknown app's warning is not logged:\n%s", logs)
			}
			for i, line := range strings.Split(strings.TrimSpace(logs), "\n") {
				for _, r := range line {
					if r == '\u202e' || r == 0x1b || r == 0x7f || r == '\u0085' {
						t.Errorf("line %d holds %U as it is: %q", i+1, r, line)
						break
					}
				}
				if len(line) > 2<<10 {
					t.Errorf("line %d is %d bytes long", i+1, len(line))
				}
				if format == "json" {
					var rec map[string]any
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Errorf("line %d is not JSON: %v", i+1, err)
					}
				}
			}
			if !strings.Contains(logs, `\u202e`) {
				t.Errorf("the override is not in the log as an escape:\n%s", logs)
			}
		})
	}
}

// demoApp is the demo's app slug.
const demoApp = "timeapp"

// TestOversizedBodyGetsA413: a client that sends an 8 MiB sign-in body
// whole before it reads (as Python's urllib does) reads a 413 with the
// protocol's JSON body, 20 such clients at once, over raw connections.
func TestOversizedBodyGetsA413(t *testing.T) {
	t.Parallel()
	srv := startServe(t, nil)
	host := strings.TrimPrefix(strings.TrimSuffix(srv.api, "/api/v1"), "http://")
	body := bytes.Repeat([]byte("a"), 8<<20)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- sendWholeThenRead(host, body)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// sendWholeThenRead writes a sign-in with body, all of it, and only then
// reads the answer, which must be a 413 with a JSON message.
func sendWholeThenRead(host string, body []byte) error {
	conn, err := net.Dial("tcp", host)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Minute))
	head := fmt.Sprintf("POST /api/v1/auth/signin-external-app/ HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nX-ERP-REQUESTOR: timeapp\r\nContent-Length: %d\r\n\r\n", host, len(body))
	if _, err := conn.Write(append([]byte(head), body...)); err != nil {
		return fmt.Errorf("sending the whole body: %w", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return fmt.Errorf("reading the answer after the whole body: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("reading the answer's body: %w", err)
	}
	if res.StatusCode != http.StatusRequestEntityTooLarge || string(b) != "{\"message\":\"The request body is larger than 65536 bytes.\"}\n" {
		return fmt.Errorf("answer %s %q, want 413 with the protocol's message", res.Status, b)
	}
	return nil
}

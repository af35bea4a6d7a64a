package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestBenchRunsAtATinySize runs the whole benchmark at a tiny size: every
// table comes out, with figures, and nothing failed. It asserts no speed.
func TestBenchRunsAtATinySize(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("wrk is not installed; CI installs it (apt-get install wrk)")
		}
		t.Skip("wrk is not installed (apt-get install wrk)")
	}
	bench := erptest.Build(t, "./cmd/cloudspot-bench")
	server := erptest.Build(t, "./cmd/cloudspot-server")
	out, errOut, code := erptest.Run(t, "", nil, bench, "-sizes", "30", "-rich", "20", "-duration", "1s", "-runs", "1", "-signins", "3",
		"-server", server, "-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\| get-permissions \| \d+ \| [\d.]+ (µs|ms|s) \| .* \|  \|$`),
		regexp.MustCompile(`(?m)^\| get-user \| \d+ \| `),
		regexp.MustCompile(`(?m)^## Artikels, 30 products \(body [\d.]+ MB, \d+ bytes each\)$`),
		regexp.MustCompile(`(?m)^\| server: GET /artikels/ \(wrk -c1\) \| \d+ \| \d+ \| `),
		regexp.MustCompile(`(?m)^\| SDK Artikels.All \(median, slowest of 1\) \| \d+ \| \d+ \| .* \| [\d.]+ MB \|  \|$`),
		regexp.MustCompile(`(?m)^## Artikels in API version 0\.6, 20 rich products \(body [\d.]+ MB, \d+ bytes each\)$`),
		regexp.MustCompile(`(?m)^\| server: GET /artikels/ in 0\.6 \(wrk -c1\) \| \d+ \| \d+ \| `),
		regexp.MustCompile(`(?m)^\| ceiling: encoding/json into plain structs \(median, slowest of 1\) \| \d+ \| \d+ \| .*\n\| SDK Artikels.List \(median, slowest of 1\) \| \d+ \| \d+ \| .*\n\| SDK Artikels.All \(median, slowest of 1\) \| \d+ \| \d+ \| .*\n\n## Sign-in`),
		regexp.MustCompile(`(?m)^\| server: POST /auth/signin-external-app/ \| \d+ \| \d+ % \| .* \| 0 \| [\d.]+ MB \|$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("no line matching %s in:\n%s", want, out)
		}
	}
}

func TestParseWrk(t *testing.T) {
	out := `Running 5s test @ http://127.0.0.1:41235/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   533.05us  412.64us  12.47ms   91.67%
    Req/Sec    31.02k     2.09k   35.60k    70.00%
  Latency Distribution
     50%  434.00us
     75%  612.00us
     90%  853.00us
     99%    2.10ms
  308677 requests in 5.00s, 60.05MB read
  Non-2xx or 3xx responses: 12
Requests/sec:  61723.26
Transfer/sec:     12.01MB
`
	l, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if l.reqPerSec != 61723.26 || l.bytesPerSec != 12.01*(1<<20) || l.p50 != 434*time.Microsecond || l.p99 != 2100*time.Microsecond {
		t.Errorf("parsed %+v", l)
	}
	if !strings.Contains(l.errors, "Non-2xx or 3xx responses: 12") {
		t.Errorf("errors %q, want the non-2xx count", l.errors)
	}
}

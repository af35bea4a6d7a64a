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
	erptest.NeedPostgres(t)
	engines := "sqlite,postgres"
	out, errOut, code := erptest.Run(t, "", nil, bench, "-engines", engines, "-sizes", "30", "-detailed", "20", "-imports", "40",
		"-duration", "1s", "-runs", "1", "-signins", "3", "-server", server, "-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if n := strings.Count(errOut, referenceHint); n != 1 {
		t.Errorf("without -reference, the bench said how to add the reference client %d times, want once:\n%s", n, errOut)
	}
	for _, engine := range strings.Split(engines, ",") {
		name := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[engine]
		section := regexp.MustCompile(`(?m)^# ` + name + `: server idle RSS [\d.]+ MB$`)
		loc := section.FindStringIndex(out)
		if loc == nil {
			t.Errorf("no section for %s in:\n%s", name, out)
			continue
		}
		part := out[loc[1]:]
		if next := strings.Index(part, "\n# "); next >= 0 {
			part = part[:next]
		}
		checkTables(t, name, part)
	}
}

// checkTables checks that one engine's section has every table, with
// figures.
func checkTables(t *testing.T, engine, out string) {
	t.Helper()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\| get-permissions \| \d+ \| [\d.]+ (µs|ms|s) \| .* \|  \|$`),
		regexp.MustCompile(`(?m)^\| get-user \| \d+ \| `),
		regexp.MustCompile(`(?m)^## Artikels, 30 products \(body [\d.]+ MB, \d+ bytes each\)$`),
		regexp.MustCompile(`(?m)^\| server: GET /artikels/ \(wrk -c1\) \| \d+ \| \d+ \| `),
		regexp.MustCompile(`(?m)^\| SDK Artikels.All \(median, slowest of 1\) \| \d+ \| \d+ \| .* \| [\d.]+ MB \|  \|$`),
		regexp.MustCompile(`(?m)^\| SDK Artikels.All from the server, its default version \(median, slowest of 1\) \| - \| \d+ \| .* \| [\d.]+ MB \|  \|$`),
		regexp.MustCompile(`(?m)^## Artikels in API version 0\.6, 20 products with every detail \(body [\d.]+ MB, \d+ bytes each\)$`),
		regexp.MustCompile(`(?m)^\| server: GET /artikels/ in 0\.6 \(wrk -c1\) \| \d+ \| \d+ \| `),
		regexp.MustCompile(`(?m)^\| ceiling: encoding/json into plain structs \(median, slowest of 1\) \| \d+ \| \d+ \| .*\n\| SDK Artikels.List \(median, slowest of 1\) \| \d+ \| \d+ \| .*\n\| SDK Artikels.All \(median, slowest of 1\) \| \d+ \| \d+ \| .*\n\n## Sign-in`),
		regexp.MustCompile(`(?m)^\| server: POST /auth/signin-external-app/ \| \d+ \| \d+ % \| .* \| 0 \| [\d.]+ MB \|$`),
		regexp.MustCompile(`(?m)^## Import of 40 products \(JSON file [\d.]+ MB\)$`),
		regexp.MustCompile(`(?m)^\| ceiling: each record's JSON stored as one row \(.*\), in-process \| \d+ \| \d+ \| [\d.]+ (µs|ms|s) \| 100 % \| - \|$`),
		regexp.MustCompile(`(?m)^\| server: cloudspot-server admin import artikels \| \d+ \| \d+ \| [\d.]+ (µs|ms|s) \| \d+ % \| [\d.]+ MB \|$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("%s: no line matching %s in:\n%s", engine, want, out)
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

package main

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// load is what one run of the load generator measured.
type load struct {
	reqPerSec   float64
	bytesPerSec float64
	p50, p99    time.Duration
	errors      string // wrk's error line, if any
}

// runWrk loads url from wrk, a process of its own, for d.
func runWrk(ctx context.Context, url string, threads, conns int, d time.Duration, headers ...string) (load, error) {
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", fmt.Sprintf("%ds", int(d.Seconds())), "--latency", "--timeout", "120s"}
	for i := 0; i+1 < len(headers); i += 2 {
		args = append(args, "-H", headers[i]+": "+headers[i+1])
	}
	out, err := exec.CommandContext(ctx, "wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return load{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	return parseWrk(string(out))
}

var (
	wrkRate     = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkTransfer = regexp.MustCompile(`Transfer/sec:\s+([\d.]+)([KMG]?B)`)
	wrkPct      = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$`)
	wrkErrors   = regexp.MustCompile(`(?m)^\s*(Socket errors:.*|Non-2xx or 3xx responses:.*)$`)
)

func parseWrk(out string) (load, error) {
	var l load
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return l, fmt.Errorf("no request rate in wrk's output:\n%s", out)
	}
	l.reqPerSec, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkTransfer.FindStringSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		l.bytesPerSec = v * map[string]float64{"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}[m[2]]
	}
	for _, m := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		d := time.Duration(v * float64(map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}[m[3]]))
		if m[1] == "50" {
			l.p50 = d
		} else {
			l.p99 = d
		}
	}
	var errs []string
	for _, m := range wrkErrors.FindAllStringSubmatch(out, -1) {
		errs = append(errs, strings.TrimSpace(m[1]))
	}
	l.errors = strings.Join(errs, "; ")
	return l, nil
}

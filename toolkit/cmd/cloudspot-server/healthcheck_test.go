package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestHealthcheck: the subcommand a container's HEALTHCHECK runs exits 0
// for a ready server, and 1 for one whose database is gone (503) or that
// does not run, saying what it saw; --addr comes from CLOUDSPOT_ADDR as
// serve's does.
func TestHealthcheck(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	hostPort := func(base string) string {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		return u.Host
	}
	ready := erptest.Start(t, erptest.Options{})
	broken := erptest.Start(t, erptest.Options{})
	if err := broken.Store.Close(); err != nil {
		t.Fatal(err)
	}
	down := erptest.RefusingURL(t)
	for _, tc := range []struct {
		env  []string
		args []string
		code int
		want string
	}{
		{nil, []string{"--addr", hostPort(ready.URL)}, 0, "http://" + hostPort(ready.URL) + "/readyz: 200 OK"},
		{[]string{"CLOUDSPOT_ADDR=" + hostPort(ready.URL)}, nil, 0, "/readyz: 200 OK"},
		{nil, []string{"--addr", hostPort(ready.URL), "--path", "/healthz"}, 0, "/healthz: 200 OK"},
		{nil, []string{"--addr", hostPort(broken.URL)}, 1, "/readyz: 503 Service Unavailable"},
		{nil, []string{"--addr", hostPort(broken.URL), "--path", "/healthz"}, 0, "/healthz: 200 OK"},
		{nil, []string{"--addr", hostPort(down)}, 1, "connection refused"},
		{nil, []string{"--addr", "8000"}, 2, `--addr "8000": want host:port`},
		{nil, []string{"--path", "/metrics"}, 2, `--path "/metrics": use /readyz or /healthz`},
	} {
		out, errOut, code := erptest.Run(t, "", append([]string{"CLOUDSPOT_ADDR="}, tc.env...), bin, append([]string{"healthcheck"}, tc.args...)...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%v healthcheck %v: exit %d, %q %q; want exit %d and %q", tc.env, tc.args, code, out, errOut, tc.code, tc.want)
		}
	}
}

func TestHealthURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"127.0.0.1:8000":  "http://127.0.0.1:8000/readyz",
		"0.0.0.0:8000":    "http://127.0.0.1:8000/readyz",
		":8000":           "http://127.0.0.1:8000/readyz",
		"[::]:8000":       "http://[::1]:8000/readyz",
		"[::1]:9000":      "http://[::1]:9000/readyz",
		"erp.internal:80": "http://erp.internal:80/readyz",
	} {
		if got, err := healthURL(addr, "/readyz"); err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}

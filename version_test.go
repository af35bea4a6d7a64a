package cloudspot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"strings"
	"testing"
)

func TestModuleVersion(t *testing.T) {
	t.Parallel()
	other := debug.Module{Path: "example.com/app", Version: "v9.9.9"}
	cases := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"NoBuildInfo", nil, "devel"},
		{"Tagged", &debug.BuildInfo{Main: other, Deps: []*debug.Module{{Path: modulePath, Version: "v1.2.0"}}}, "v1.2.0"},
		{"PseudoVersion", &debug.BuildInfo{Main: other, Deps: []*debug.Module{{Path: modulePath, Version: "v0.0.0-20261127063000-0123456789ab"}}}, "v0.0.0-20261127063000-0123456789ab"},
		{"ReplacedByLocalCopy", &debug.BuildInfo{Main: other, Deps: []*debug.Module{{Path: modulePath, Version: "v1.2.0", Replace: &debug.Module{Path: "../"}}}}, "devel"},
		{"ReplacedByFork", &debug.BuildInfo{Main: other, Deps: []*debug.Module{{Path: modulePath, Version: "v1.2.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.2.1"}}}}, "v1.2.1"},
		{"Workspace", &debug.BuildInfo{Main: other, Deps: []*debug.Module{{Path: modulePath, Version: "(devel)"}}}, "devel"},
		{"MainModule", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.3.0"}}, "v1.3.0"},
		{"NotLinked", &debug.BuildInfo{Main: other}, "devel"},
	}
	for _, tc := range cases {
		if got := moduleVersion(tc.bi); got != tc.want {
			t.Errorf("%s: moduleVersion = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestDefaultUserAgentSent: without WithUserAgent, requests name the SDK and
// a version that is a single header token.
func TestDefaultUserAgentSent(t *testing.T) {
	t.Parallel()
	uas := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uas <- r.UserAgent()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data": []}`))
	}))
	defer srv.Close()
	api, err := NewCompanyAPI("t", WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Artikels.List(context.Background()); err != nil {
		t.Fatal(err)
	}
	ua := <-uas
	v, ok := strings.CutPrefix(ua, "cloudspot-go/")
	if !ok || v == "" || strings.ContainsAny(v, " ()/\t") {
		t.Errorf("User-Agent = %q, want cloudspot-go/VERSION", ua)
	}
}

package cloudspot_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// witness is a server that should never see a credential: it counts the
// requests that carry a token or a password.
type witness struct {
	url     string
	leaked  atomic.Int64
	reached atomic.Int64
}

func newWitness(t *testing.T, l net.Listener) *witness {
	t.Helper()
	w := &witness{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.record(r)
		rw.Header().Set("Content-Type", "application/json")
		io.WriteString(rw, `{"token": "stolen", "permissions": []}`)
	}))
	if l != nil {
		srv.Listener.Close()
		srv.Listener = l
	}
	srv.Start()
	t.Cleanup(srv.Close)
	w.url = srv.URL
	return w
}

func (w *witness) record(r *http.Request) {
	w.reached.Add(1)
	b, _ := io.ReadAll(r.Body)
	if r.Header.Get("X-ERP-TOKEN") != "" || strings.Contains(string(b), "s3cret-pw") {
		w.leaked.Add(1)
	}
}

// TestRedirectsToAnotherOriginAreRefused sends a sign-in (password in the
// body) and a token call through every redirect code to another port,
// another host and from https to http: none is followed, nothing reaches
// the other side, and the error says why.
func TestRedirectsToAnotherOriginAreRefused(t *testing.T) {
	t.Parallel()
	otherPort := newWitness(t, nil)
	l2, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("a second loopback address for the cross-host case: %v", err)
	}
	otherHost := newWitness(t, l2)

	// The same server under another name is another host: 127.0.0.1
	// redirects to localhost on its own port.
	var sameServerOtherName atomic.Int64
	var self string
	selfSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Host, "localhost") {
			sameServerOtherName.Add(1)
			return
		}
		http.Redirect(w, r, self+r.URL.Path, codeOf(r))
	}))
	t.Cleanup(selfSrv.Close)
	self = strings.Replace(selfSrv.URL, "127.0.0.1", "localhost", 1)

	plain := newWitness(t, nil)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.url+r.URL.Path, codeOf(r))
	}))
	t.Cleanup(tlsSrv.Close)

	redirectTo := func(target string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target+r.URL.Path, codeOf(r))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	for _, tc := range []struct {
		name, base string
		client     *http.Client
	}{
		{"CrossPort", redirectTo(otherPort.url), http.DefaultClient},
		{"CrossHost", redirectTo(otherHost.url), http.DefaultClient},
		{"SameServerOtherName", selfSrv.URL, http.DefaultClient},
		{"HTTPSToHTTP", tlsSrv.URL, tlsSrv.Client()},
		{"OtherScheme", redirectTo("ftp://" + strings.TrimPrefix(otherPort.url, "http://")), http.DefaultClient},
	} {
		for _, code := range []int{301, 302, 303, 307, 308} {
			base := tc.base + "/" + codeSegment(code) + "/api/v1"
			api := must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base), cloudspot.WithHTTPClient(tc.client)))(t)
			_, errSignIn := api.Authenticate(context.Background(), "jan", "s3cret-pw")
			_, errToken := api.Permissions(context.Background(), "s3cret-token")
			for _, err := range []error{errSignIn, errToken} {
				var e *cloudspot.Error
				if !errors.Is(err, cloudspot.ErrInsecure) || !errors.As(err, &e) || e.StatusCode != code {
					t.Errorf("%s %d: err = %v, want a %d *Error matching ErrInsecure", tc.name, code, err, code)
					continue
				}
				if !strings.Contains(e.Message, "redirected to") || strings.Contains(err.Error(), "s3cret") {
					t.Errorf("%s %d: error %q should say where it was redirected and show no secret", tc.name, code, err)
				}
			}
		}
	}
	for name, n := range map[string]int64{
		"another port": otherPort.reached.Load(), "another host": otherHost.reached.Load(),
		"another name": sameServerOtherName.Load(), "plain http": plain.reached.Load(),
	} {
		if n != 0 {
			t.Errorf("%d requests reached %s", n, name)
		}
	}
}

// codeSegment and codeOf carry the redirect code in the base path, so one
// server answers every code.
func codeSegment(code int) string { return "redirect" + strconv.Itoa(code) }

func codeOf(r *http.Request) int {
	for _, seg := range strings.Split(r.URL.Path, "/") {
		if n, err := strconv.Atoi(strings.TrimPrefix(seg, "redirect")); err == nil && strings.HasPrefix(seg, "redirect") {
			return n
		}
	}
	panic("no redirect code in " + r.URL.Path)
}

// TestRedirectsWithinTheOriginAreFollowed: a redirect on the same scheme,
// host and port keeps its credentials, and a 307 or 308 sends the sign-in
// body again; a 301, 302 or 303 would turn the sign-in into a GET without
// its password, so it is refused with a clear error.
func TestRedirectsWithinTheOriginAreFollowed(t *testing.T) {
	t.Parallel()
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if after, ok := strings.CutPrefix(r.URL.Path, "/old/"); ok {
			http.Redirect(w, r, srvURL+"/"+after, codeOf(r))
			return
		}
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-ERP-TOKEN") != "tok" && !strings.Contains(string(b), "s3cret-pw") {
			w.WriteHeader(401)
			io.WriteString(w, `{"message": "no credentials arrived"}`)
			return
		}
		io.WriteString(w, `{"token": "new", "permissions": ["a_use"]}`)
	}))
	t.Cleanup(srv.Close)
	srvURL = srv.URL
	for _, code := range []int{301, 302, 303, 307, 308} {
		// /old/redirect307/api/v1/... redirects to /redirect307/api/v1/...
		api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(srv.URL+"/old/"+codeSegment(code)+"/api/v1")))(t)
		if ps, err := api.Permissions(context.Background(), "tok"); err != nil || !ps.Has("a_use") {
			t.Errorf("%d: Permissions = %v, %v; want the token to follow a same-origin redirect", code, ps, err)
		}
		_, err := api.Authenticate(context.Background(), "jan", "s3cret-pw")
		keepsBody := code == 307 || code == 308
		if keepsBody && err != nil {
			t.Errorf("%d: sign-in: %v; want the body sent again to the same origin", code, err)
		}
		var e *cloudspot.Error
		if !keepsBody && (!errors.As(err, &e) || e.StatusCode != code || !strings.Contains(e.Message, "without its body")) {
			t.Errorf("%d: sign-in: err = %v; want it refused, saying the body would be lost", code, err)
		}
	}
}

// TestPlainHTTPOnlyToLoopback: credentials go over plain http only to this
// machine unless the caller opts in.
func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base     string
		insecure bool
		ok       bool
	}{
		{"http://localhost:8000/api/v1", false, true},
		{"http://LOCALHOST/api/v1", false, true},
		{"http://127.0.0.1:8000/api/v1", false, true},
		{"http://127.9.9.9/api/v1", false, true},
		{"http://[::1]:8000/api/v1", false, true},
		{"http://[::ffff:127.0.0.1]:8000/api/v1", false, true},
		// Spellings that Go's resolver sends to DNS: not surely this
		// machine (internal/loopback has the whole table).
		{"http://LOCALHOST./api/v1", false, false},
		{"http://a.localhost/api/v1", false, false},
		{"http://127.1/api/v1", false, false},
		{"http://0x7f.1/api/v1", false, false},
		{"https://erp.example.be/api/v1", false, true},
		{"http://erp.example.be/api/v1", false, false},
		{"http://10.0.0.5:8000/api/v1", false, false},
		{"http://localhost.example.be/api/v1", false, false},
		{"http://[::ffff:10.0.0.5]/api/v1", false, false},
		{"http://erp.example.be/api/v1", true, true},
	} {
		opts := []cloudspot.Option{cloudspot.WithBaseURL(tc.base)}
		if tc.insecure {
			opts = append(opts, cloudspot.WithInsecureHTTP())
		}
		_, errUser := cloudspot.NewUserAPI("a", opts...)
		_, errCompany := cloudspot.NewCompanyAPI("tok", opts...)
		for _, err := range []error{errUser, errCompany} {
			if tc.ok != (err == nil) || (!tc.ok && !errors.Is(err, cloudspot.ErrInsecure)) {
				t.Errorf("%s (insecure %v): err = %v, want ok=%v or ErrInsecure", tc.base, tc.insecure, err, tc.ok)
			}
		}
	}
	// The opt-in may come before the URL it allows.
	if _, err := cloudspot.NewUserAPI("a", cloudspot.WithInsecureHTTP(), cloudspot.WithBaseURL("http://erp.lan/api/v1")); err != nil {
		t.Errorf("WithInsecureHTTP before WithBaseURL: %v", err)
	}
}

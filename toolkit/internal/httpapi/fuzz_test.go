package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// FuzzRequest sends whole HTTP requests, as the server's parser reads them
// off the wire, to the API on a demo database: whatever the method, path,
// query string, headers and body, the answer is JSON with a status of the
// protocol's (never 500), a path spelt another way than the plain one is
// 404, and no token sent in is echoed back.
func FuzzRequest(f *testing.F) {
	signIn := `{"username": "demo", "password": "cloudspot-demo"}`
	for _, raw := range []string{
		"POST /api/v1/auth/signin-external-app/ HTTP/1.1\r\nHost: erp\r\nContent-Type: application/json\r\nX-ERP-REQUESTOR: timeapp\r\nContent-Length: 50\r\n\r\n" + signIn,
		"POST /api/v1/auth/signin-external-app HTTP/1.1\r\nHost: erp\r\nContent-Type: application/json; charset=utf-8\r\nX-ERP-REQUESTOR: TimeApp\r\nX-Forwarded-For: 203.0.113.9\r\nContent-Length: 50\r\n\r\n" + signIn,
		"POST /api/v1/auth/signin-external-app/ HTTP/1.1\r\nHost: erp\r\nContent-Type: text/plain\r\nX-ERP-REQUESTOR: timeapp\r\nContent-Length: 13\r\n\r\nusername=demo",
		"GET /api/v1/auth/get-permissions/ HTTP/1.1\r\nHost: erp\r\nX-ERP-REQUESTOR: timeapp\r\nX-ERP-TOKEN: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n\r\n",
		"GET /api/v1/auth/get-user/ HTTP/1.1\r\nHost: erp\r\nX-ERP-REQUESTOR: timeapp\r\nX-ERP-TOKEN: x\r\n\r\n",
		"GET /api/v1/artikels/ HTTP/1.1\r\nHost: erp\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"GET /api/v1/artikels/?id=1&id=2 HTTP/1.1\r\nHost: erp\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"GET /api/v1/artikels/?id=-1%00 HTTP/1.1\r\nHost: erp\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"GET /api/v1/artikels/ HTTP/1.1\r\nHost: erp\r\nX-Cloudspot-API-Version: 0.6\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"GET /api/v1/artikels/?id=3 HTTP/1.1\r\nHost: erp\r\nX-Cloudspot-API-Version: latest\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"GET /api/v1/categories/ HTTP/1.1\r\nHost: erp\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"GET /api/v1/categories/?id=2&id=x HTTP/1.1\r\nHost: erp\r\nX-Cloudspot-API-Version: 0.4\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"HEAD /api/v1/klanten/ HTTP/1.1\r\nHost: erp\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"GET /api/v1/auth%2Fget-user/ HTTP/1.1\r\nHost: erp\r\n\r\n",
		"GET /api/v1/x/../klanten/ HTTP/1.1\r\nHost: erp\r\nX-ERP-TOKEN: " + demo.CompanyToken + "\r\n\r\n",
		"DELETE /api/v1//klanten HTTP/1.1\r\nHost: erp\r\n\r\n",
		"GET /readyz?x=%zz HTTP/1.1\r\nHost: erp\r\n\r\n",
	} {
		f.Add([]byte(raw))
	}
	st := erptest.OpenSQLite(f)
	svc, err := erpserver.NewService(context.Background(), erpserver.Config{Config: erp.Config{Store: st, Argon2: erp.Argon2Params{Memory: 64, Time: 1, Threads: 1},
		// Limits off: the fuzzer should reach every answer, not only 429.
		SignInLimits: erp.SignInLimits{PerPair: erp.Limit{Max: -1}, PerUser: erp.Limit{Max: -1}, PerAddress: erp.Limit{Max: -1}}},
		Demo: true})
	if err != nil {
		f.Fatal(err)
	}
	h := httpapi.New(svc, nil, httpapi.TrustProxies(netip.MustParsePrefix("192.0.2.0/24")))
	known := map[int]bool{200: true, 400: true, 401: true, 403: true, 404: true, 405: true, 415: true, 429: true, 503: true}
	f.Fuzz(func(t *testing.T, raw []byte) {
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return // the server would have answered 400 before the API saw it
		}
		req.RemoteAddr = "192.0.2.1:40000"
		req.Body = io.NopCloser(io.LimitReader(req.Body, 1<<20))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		body := rec.Body.Bytes()
		if !known[res.StatusCode] {
			t.Fatalf("status %d for %q: %s", res.StatusCode, raw, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("Content-Type %q for %q", ct, raw)
		}
		if req.Method != http.MethodHead {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("body of %q is not a JSON object: %q", raw, body)
			}
		}
		p := req.URL.Path
		if req.URL.RawPath != "" || strings.Contains(p, "//") || strings.Contains(p, "/./") || strings.Contains(p, "/../") ||
			strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..") {
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("the non-canonical path %q (raw %q) answered %d, want 404", p, req.URL.RawPath, res.StatusCode)
			}
		}
		if tok := req.Header.Get(httpapi.HeaderToken); len(tok) >= 16 && bytes.Contains(body, []byte(tok)) {
			t.Fatalf("the token sent in is echoed: %q", body)
		}
	})
}

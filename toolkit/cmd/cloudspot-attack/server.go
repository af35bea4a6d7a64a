package main

import (
	"context"
	"net"
	"net/http"
	"net/netip"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// server is the ERP under load: the real service and HTTP API on a
// temporary SQLite database with the demo, on loopback, trusting
// X-Forwarded-For from loopback so that each simulated client has an
// address of its own.
type server struct {
	url    string
	limits erp.SignInLimits
	http   *http.Server
	erp    *erpserver.Temp
}

func startServer(ctx context.Context) (*server, error) {
	tmp, err := erpserver.OpenTemp(ctx, erpserver.Config{Demo: true})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tmp.Close()
		return nil, err
	}
	h := httpapi.New(tmp.Service, nil, httpapi.TrustProxies(netip.MustParsePrefix("127.0.0.1/32")), httpapi.ListFiles(tmp.Dir, 0))
	hs := erpserver.NewHTTPServer(h, nil)
	go hs.Serve(ln)
	return &server{url: "http://" + ln.Addr().String() + httpapi.Prefix, limits: erp.DefaultSignInLimits(), http: hs, erp: tmp}, nil
}

func (s *server) close() {
	s.http.Close()
	s.erp.Close()
}

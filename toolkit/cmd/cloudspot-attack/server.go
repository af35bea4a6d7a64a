package main

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

// server is the ERP under load: the real service and HTTP API on a
// temporary SQLite database, on loopback, trusting X-Forwarded-For from
// loopback so that each simulated client has an address of its own.
type server struct {
	url    string
	limits erp.SignInLimits
	http   *http.Server
	store  interface{ Close() error }
	dir    string
}

func startServer(ctx context.Context) (*server, error) {
	dir, err := os.MkdirTemp("", "cloudspot-attack-")
	if err != nil {
		return nil, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "erp.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	svc, err := erp.NewService(erp.Config{Store: st})
	if err == nil {
		_, err = demo.Seed(ctx, svc)
	}
	if err != nil {
		st.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	h := httpapi.New(svc, nil, httpapi.TrustProxies(netip.MustParsePrefix("127.0.0.1/32")))
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return &server{url: "http://" + ln.Addr().String() + httpapi.Prefix, limits: erp.DefaultSignInLimits(), http: hs, store: st, dir: dir}, nil
}

func (s *server) close() {
	s.http.Close()
	s.store.Close()
	os.RemoveAll(s.dir)
}

package main

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/metrics"
)

// metricsPath is where Prometheus scrapes; it is outside the API's prefix,
// so it can never shadow a call of the protocol.
const metricsPath = "/metrics"

// metricsBesideAPI is the --metrics-addr that serves the metrics on the
// API's own address. It must be asked for: there every client of the API
// reads the server's figures. By default (off) there are none, and a
// host:port serves them on a listener of their own.
const metricsBesideAPI = "api"

func newMetrics(store erp.Store, svc *erp.Service) *metrics.Metrics {
	src := metrics.Source{TokenCache: svc.TokenCacheStats}
	if s, ok := store.(interface{ DB() *sql.DB }); ok {
		src.DB = s.DB()
	}
	return metrics.New(src)
}

// withMetrics serves the metrics beside the API on one address.
func withMetrics(api, m http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == metricsPath {
			m.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// serveMetrics serves the metrics alone on ln, for a port that only the
// monitoring network reaches. It prints where, before the API's line.
func serveMetrics(e *env, log *slog.Logger, ln net.Listener, m http.Handler) *http.Server {
	mux := http.NewServeMux()
	mux.Handle(metricsPath, m)
	srv := erpserver.NewHTTPServer(mux, log)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("serving metrics failed", "err", err)
		}
	}()
	fmt.Fprintf(e.stdout, "cloudspot-server: metrics on http://%s%s\n", ln.Addr(), metricsPath)
	return srv
}

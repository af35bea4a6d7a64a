// Package metrics exposes the server's figures to Prometheus: requests by
// route and status, their latency, sign-ins by outcome, the token cache and
// the database pool. Each server has its own registry, so that several in
// one process (tests) never share a figure.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// Metrics collects a server's figures. Observe is safe for concurrent use.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	signIns  *prometheus.CounterVec
}

// Source is what the metrics read from the running server; nil fields are
// left out.
type Source struct {
	// DB is the database pool, reported as go_sql_* figures.
	DB *sql.DB
	// TokenCache reports the token checks answered from memory (hits) and
	// from the database (misses).
	TokenCache func() (hits, misses uint64)
}

// signInRoute is the call whose answers count as sign-ins.
const signInRoute = httpapi.Prefix + "/auth/signin-external-app"

// New returns the metrics of one server.
func New(src Source) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cloudspot_http_requests_total",
			Help: "Requests answered, by route (the API's path without its trailing slash, or \"other\"), method (one of HTTP's, or \"other\") and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cloudspot_http_request_duration_seconds",
			Help: "Time from a request's arrival to its answer, by route.",
			// From a token check from memory to a slow catalogue or a
			// queued password check.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cloudspot_signins_total",
			Help: "Sign-ins by outcome: ok, bad_credentials, throttled (refused for too many failures), unknown_app (with --strict-apps), invalid, error.",
		}, []string{"outcome"}),
	}
	for _, o := range []string{"ok", "bad_credentials", "throttled", "unknown_app", "invalid", "error"} {
		m.signIns.WithLabelValues(o) // every outcome shows from the start, at 0
	}
	m.reg.MustRegister(m.requests, m.latency, m.signIns,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.DB != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(src.DB, "cloudspot"))
	}
	if src.TokenCache != nil {
		m.reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "cloudspot_token_cache_hits_total",
				Help: "Token checks answered from the server's memory.",
			}, func() float64 { h, _ := src.TokenCache(); return float64(h) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "cloudspot_token_cache_misses_total",
				Help: "Token checks that read the database.",
			}, func() float64 { _, miss := src.TokenCache(); return float64(miss) }))
	}
	return m
}

// Observe records one answered request; it is an httpapi.Observer, whose
// route and method come from fixed sets.
func (m *Metrics) Observe(route, method string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, method, statusLabel(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
	if route == signInRoute && method == http.MethodPost {
		m.signIns.WithLabelValues(signInOutcome(status)).Inc()
	}
}

// signInOutcome reads a sign-in's outcome from its status: the protocol
// gives each its own.
func signInOutcome(status int) string {
	switch status {
	case http.StatusOK:
		return "ok"
	case http.StatusUnauthorized:
		return "bad_credentials"
	case http.StatusTooManyRequests:
		return "throttled"
	case http.StatusForbidden:
		return "unknown_app"
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return "invalid"
	}
	return "error"
}

// statusLabel is a status code as a label, from the codes HTTP has (100 to
// 599) and "other", so that the label's values are a fixed set.
func statusLabel(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status)
}

// Handler serves the figures in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

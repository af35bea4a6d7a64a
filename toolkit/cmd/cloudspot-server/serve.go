package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/loopback"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

func serveCmd(e *env) *cobra.Command {
	var (
		db, addr   string
		withDemo   bool
		strictApps bool
		tokenTTL   time.Duration
		logLevel   string
		maxFails   int
		maxUser    int
		maxAddress int
		maxSuccess int
		proxies    []string
		logFormat  string
		metrics    string
		grace      time.Duration
		lists      listFiles
		// consoleOpts are the web console's flags (console.go).
		consoleOpts *consoleOptions
	)
	var audit *auditFlags
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the ERP API",
		Long: `Serve the Cloudspot ERP API under /api/v1/ on addr (default 127.0.0.1:8000).
The database is created and migrated on start. Port 0 picks a free port; the
address actually bound is printed on one line:

  cloudspot-server: listening on http://127.0.0.1:8000/api/v1

Prometheus metrics are off unless asked for: --metrics-addr 127.0.0.1:9100
serves /metrics on a listener of their own (keep it where only monitoring
reaches), --metrics-addr api beside the API on its own address, where every
client of the API can read them.`,
		Example: `  cloudspot-server serve --demo
  cloudspot-server serve --addr 0.0.0.0:8000 --db /var/lib/cloudspot/erp.db --strict-apps`,
		Args: exactArgs(0, "no arguments"),
		PreRunE: func(c *cobra.Command, _ []string) error {
			return e.flagsFromEnv(c)
		},
		RunE: func(c *cobra.Command, _ []string) error {
			var level slog.Level
			if err := level.UnmarshalText([]byte(logLevel)); err != nil {
				return usageError{fmt.Errorf("--log-level %q: use debug, info, warn or error", logLevel)}
			}
			if err := checkServeConfig(addr, metrics, logFormat, tokenTTL, grace); err != nil {
				return usageError{err}
			}
			if err := lists.check(); err != nil {
				return usageError{err}
			}
			if err := consoleOpts.check(); err != nil {
				return usageError{err}
			}
			if err := audit.check(); err != nil {
				return usageError{err}
			}
			if host, _, err := net.SplitHostPort(addr); withDemo && (err != nil || !loopback.IsHost(host)) {
				return usageError{fmt.Errorf("--demo publishes fixed credentials, so it only serves on a loopback address (127.0.0.1, ::1, localhost), not %q", addr)}
			}
			log := newLogger(e.stderr, logFormat, level)
			nets, err := parseNetworks(proxies)
			if err != nil {
				return usageError{fmt.Errorf("--trusted-proxies: %w", err)}
			}
			limits := erp.DefaultSignInLimits()
			for _, l := range []struct {
				lim *erp.Limit
				n   int
			}{{&limits.PerPair, maxFails}, {&limits.PerUser, maxUser}, {&limits.PerAddress, maxAddress}, {&limits.Successes, maxSuccess}} {
				l.lim.Max = l.n
				if l.n <= 0 {
					l.lim.Max = -1 // off
				}
			}
			return serve(c.Context(), e, log, serveConfig{db: db, addr: addr, demo: withDemo, strictApps: strictApps, tokenTTL: tokenTTL, limits: limits, proxies: nets, metricsAddr: metrics, shutdownTimeout: grace, lists: lists, console: consoleOpts, audit: audit})
		},
	}
	e.dbFlag(c, &db)
	defAddr := e.getenv("CLOUDSPOT_ADDR")
	if defAddr == "" {
		defAddr = defaultAddr
	}
	c.Flags().StringVar(&addr, "addr", defAddr, "address to listen on; port 0 picks a free port (env CLOUDSPOT_ADDR)")
	c.Flags().BoolVar(&withDemo, "demo", false, "create the documented example (company, timeapp, demo user, catalogue) if missing; loopback only")
	c.Flags().BoolVar(&strictApps, "strict-apps", false, "refuse sign-ins for unknown apps instead of signing users in without permissions")
	c.Flags().DurationVar(&tokenTTL, "token-ttl", 30*24*time.Hour, "how long a user token lives")
	c.Flags().StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	c.Flags().StringVar(&logFormat, "log-format", "text", "log format: text (key=value lines) or json (one object a line)")
	c.Flags().DurationVar(&grace, "shutdown-timeout", 10*time.Second, "on SIGTERM or SIGINT, how long requests in flight may take to finish before they are cut")
	c.Flags().StringVar(&metrics, "metrics-addr", "off", "where to serve Prometheus metrics at /metrics: off, host:port for a listener of their own (such as 127.0.0.1:9100), or api for the API's own address")
	def := erp.DefaultSignInLimits()
	c.Flags().IntVar(&maxFails, "max-failed-signins", def.PerPair.Max, "failed sign-ins a username may have from one address in 15 minutes before the server refuses more (429); 0 turns the limit off")
	c.Flags().IntVar(&maxUser, "max-failed-signins-per-user", def.PerUser.Max, "failed sign-ins a username may have from all addresses together in 15 minutes, before the server refuses it from any address it never signed in from; 0 turns the limit off")
	c.Flags().IntVar(&maxAddress, "max-failed-signins-per-address", def.PerAddress.Max, "failed sign-ins one address (IPv4, or IPv6 /64) may have over all usernames in 15 minutes; 0 turns the limit off")
	c.Flags().IntVar(&maxSuccess, "max-signins-per-user", def.Successes.Max, "successful sign-ins a username may have in a minute (each issues a token); 0 turns the limit off")
	lists.flags(c)
	c.Flags().StringSliceVar(&proxies, "trusted-proxies", nil, "addresses or networks (CIDR) of your own reverse proxies: only requests from them have their X-Forwarded-For (and X-Request-Id) believed")
	audit = addAuditFlags(c)
	consoleOpts = consoleFlags(c)
	return c
}

// defaultAddr is where serve listens unless told otherwise: this machine
// only.
const defaultAddr = "127.0.0.1:8000"

type serveConfig struct {
	db, addr   string
	demo       bool
	strictApps bool
	tokenTTL   time.Duration
	limits     erp.SignInLimits
	proxies    []netip.Prefix
	// metricsAddr is where /metrics is served: "api" beside the API,
	// "off" nowhere, otherwise a listener of its own.
	metricsAddr string
	// shutdownTimeout bounds how long a stop waits for requests in flight.
	shutdownTimeout time.Duration
	lists           listFiles
	console         *consoleOptions
	audit           *auditFlags
}

func serve(ctx context.Context, e *env, log *slog.Logger, cfg serveConfig) error {
	// Every listener is bound before the database is opened: the API's,
	// the metrics' own (unless off or beside the API), the console's.
	addrs := []listenAddr{{"--addr", cfg.addr}}
	metricsOwn := cfg.metricsAddr != "off" && cfg.metricsAddr != metricsBesideAPI
	if metricsOwn {
		addrs = append(addrs, listenAddr{"--metrics-addr", cfg.metricsAddr})
	}
	if !cfg.console.off() {
		addrs = append(addrs, listenAddr{"--console-addr", cfg.console.addr})
	}
	lns, err := bindListeners(addrs...)
	if err != nil {
		return err
	}
	defer func() {
		for _, l := range lns {
			l.Close() // a no-op for those already served and shut down
		}
	}()
	ln, rest := lns[0], lns[1:]
	var metricsLn, consoleLn net.Listener
	if metricsOwn {
		metricsLn, rest = rest[0], rest[1:]
	}
	if !cfg.console.off() {
		consoleLn = rest[0]
	}
	store, err := erpserver.OpenDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	if !postgres.IsURL(cfg.db) {
		// So that admin migrate-data can tell that the file is served.
		release, err := sqlite.MarkInUse(erpserver.SQLitePath(cfg.db))
		if err != nil {
			return fmt.Errorf("marking %s as in use: %w", cfg.db, err)
		}
		defer release()
	}
	ec := erp.Config{Store: store, Logger: log, TokenTTL: cfg.tokenTTL, StrictApps: cfg.strictApps, SignInLimits: cfg.limits, ConsoleSessions: cfg.console.limits}
	if cfg.audit != nil {
		cfg.audit.config(&ec)
	}
	svc, err := erpserver.NewService(ctx, erpserver.Config{Config: ec, Demo: cfg.demo})
	if err != nil {
		return err
	}
	public, err := demo.PublicCredentials(ctx, svc)
	if err != nil {
		return err
	}
	if len(public) > 0 {
		if a, ok := ln.Addr().(*net.TCPAddr); !ok || !a.IP.IsLoopback() {
			return fmt.Errorf("refusing to serve on %s: this database holds the demo's published credentials (%s), which anyone can use; "+
				"remove them with 'cloudspot-server admin demo remove', or serve on a loopback address", ln.Addr(), strings.Join(public, ", "))
		}
		if !cfg.demo {
			fmt.Fprintf(e.stderr, "cloudspot-server: WARNING: this database holds the demo's published credentials (%s); "+
				"serving on loopback only. Remove them with 'cloudspot-server admin demo remove'.\n", strings.Join(public, ", "))
		}
		log.Warn("the database holds the demo's published credentials: loopback only", "count", len(public))
	}
	opts := []httpapi.Option{httpapi.TrustProxies(cfg.proxies...), cfg.lists.option()}
	var api *httpapi.Handler
	var handler http.Handler
	var metricsSrv *http.Server
	if cfg.metricsAddr != "off" {
		m := newMetrics(store, svc)
		opts = append(opts, httpapi.Observe(m.Observe))
		api = httpapi.New(svc, log, opts...)
		handler = api
		if cfg.metricsAddr == metricsBesideAPI {
			handler = withMetrics(handler, m.Handler())
		} else {
			metricsSrv = serveMetrics(e, log, metricsLn, m.Handler())
		}
	} else {
		api = httpapi.New(svc, log, opts...)
		handler = api
	}
	defer api.Close()
	consoleSrv, err := startConsole(ctx, e, log, svc, consoleLn, cfg.console, cfg.proxies)
	if err != nil {
		ln.Close()
		return err
	}
	defer consoleSrv.stop(cfg.shutdownTimeout)
	srv := erpserver.NewHTTPServer(handler, log)
	base := "http://" + ln.Addr().String() + httpapi.Prefix
	if cfg.demo {
		printDemo(e, base)
	}
	fmt.Fprintln(e.stdout, erpserver.ListeningLine(base))
	log.Info("serving", "addr", ln.Addr().String(), "db", redactDSN(cfg.db), "strict_apps", cfg.strictApps)
	if err := notifySystemd(e.getenv, "READY=1\nSTATUS=listening on "+base); err != nil {
		log.Warn("telling systemd that the server is ready failed", "err", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go purgeTokens(ctx, svc, log, time.Hour)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if err := notifySystemd(e.getenv, "STOPPING=1"); err != nil {
		log.Warn("telling systemd that the server stops failed", "err", err)
	}
	return shutdown(log, srv, metricsSrv, errc, cfg.shutdownTimeout)
}

// shutdown stops srv after a signal: new connections are refused at once,
// requests in flight get until timeout to finish, and whatever still runs
// then is cut, so that a stop never hangs on a slow client. errc carries
// what srv.Serve returned.
func shutdown(log *slog.Logger, srv, metricsSrv *http.Server, errc <-chan error, timeout time.Duration) error {
	// Shutdown runs this once the listener is closed: from this line on a
	// new connection is refused.
	closed := make(chan struct{})
	srv.RegisterOnShutdown(func() {
		log.Info("shutting down: new connections refused, requests in flight finishing", "timeout", timeout)
		close(closed)
	})
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	<-closed
	if metricsSrv != nil && metricsSrv.Shutdown(ctx) != nil {
		metricsSrv.Close()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		srv.Close()
		<-errc
		return fmt.Errorf("requests still running after --shutdown-timeout %s were cut", timeout)
	}
	if err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// purgeTokens deletes long expired and revoked user tokens now and then
// every interval until ctx ends. With several servers on one database each
// does it; the deletes are idempotent.
func purgeTokens(ctx context.Context, svc *erp.Service, log *slog.Logger, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		n, err := svc.PurgeTokens(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("purging expired and revoked user tokens failed", "err", err)
		case n > 0:
			log.Info("purged expired and revoked user tokens", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func printDemo(e *env, base string) {
	// The CLI's --test is this server on its default address; anywhere else
	// the CLI needs the address. Either way the CLI keeps the token for this
	// server, so the README's session works as written.
	target := "--base-url " + base
	if command.SameERP(base, cloudspot.TestURL) {
		target = "--test"
	}
	fmt.Fprintf(e.stdout, `
  *** DEMO DATA: these credentials are public. Never expose this server. ***

  user    %s / %s   (external app %q; also %q with only timeapp_use)
  company token   %s   (products and clients)

  Try:
    curl -s -X POST %s/auth/signin-external-app/ -H 'X-ERP-REQUESTOR: %s' \
      -H 'Content-Type: application/json' -d '{"username": "%s", "password": "%s"}'
    curl -s %s/artikels/ -H 'X-ERP-TOKEN: %s'
    curl -s %s/artikels/ -H 'X-ERP-TOKEN: %s' -H 'X-Cloudspot-API-Version: 0.6'   # brands, categories, photos, EAN, texts
    curl -s %s/categories/ -H 'X-ERP-TOKEN: %s'

  and with the CLI (go install ./toolkit/cmd/cloudspot):
    cloudspot login %s --app %s
    CLOUDSPOT_TOKEN=%s cloudspot artikels list %s
    CLOUDSPOT_TOKEN=%s cloudspot artikels list %s --fields SKU,naam,merk,categorie,EAN
    CLOUDSPOT_TOKEN=%s cloudspot categorieen list %s

`, demo.Username, demo.Password, demo.App, demo.Viewer, demo.CompanyToken,
		base, demo.App, demo.Username, demo.Password,
		base, demo.CompanyToken,
		base, demo.CompanyToken,
		base, demo.CompanyToken,
		target, demo.App,
		demo.CompanyToken, target,
		demo.CompanyToken, target,
		demo.CompanyToken, target)
}

// redactDSN hides a password in a database URL before it is logged.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// parseNetworks reads addresses and CIDR networks; a bare address is a
// network of one.
func parseNetworks(ss []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Command loginapp is an example external app for the Cloudspot ERP and the
// showcase of package erpauth, which does the sign-in, the sessions and the
// checks; the app is its pages. Its flags (-help) take their defaults from
// LOGINAPP_ADDR, CLOUDSPOT_BASE_URL, LOGINAPP_SECURE_COOKIES and
// LOGINAPP_INSECURE_HTTP.
//
//	go run ./cmd/cloudspot-server serve --demo   # the ERP on :8000, with demo users
//	go run ./examples/loginapp                   # this app on http://127.0.0.1:8001/
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "loginapp:", err)
		os.Exit(1)
	}
}

// run is the whole program: it reads the configuration from args and
// getenv, prints the app's URL on stdout once it listens, and serves until
// ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger = log
	h, err := newApp(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	fmt.Fprintf(stdout, "loginapp: listening on http://%s/\n", ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "erp", cfg.ERPURL, "app", appSlug)
	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		stopped <- srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return <-stopped
}

// parseConfig reads flags, with defaults from the environment.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	for k, p := range map[string]*string{"LOGINAPP_ADDR": &cfg.Addr, "CLOUDSPOT_BASE_URL": &cfg.ERPURL} {
		if v := getenv(k); v != "" {
			*p = v
		}
	}
	for k, p := range map[string]*bool{"LOGINAPP_SECURE_COOKIES": &cfg.SecureCookies, "LOGINAPP_INSECURE_HTTP": &cfg.InsecureHTTP} {
		if v := getenv(k); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return cfg, fmt.Errorf("%s: %q is not a boolean", k, v)
			}
			*p = b
		}
	}
	fs := flag.NewFlagSet("loginapp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on; port 0 picks a free port (env LOGINAPP_ADDR)")
	fs.StringVar(&cfg.ERPURL, "erp", cfg.ERPURL, "base URL of the ERP's API (env CLOUDSPOT_BASE_URL)")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", cfg.SecureCookies, "mark cookies Secure even on plain HTTP, when a TLS proxy is in front (env LOGINAPP_SECURE_COOKIES)")
	fs.BoolVar(&cfg.InsecureHTTP, "insecure-http", cfg.InsecureHTTP, "allow an ERP on another machine over plain http (env LOGINAPP_INSECURE_HTTP)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q (see -help)", fs.Args())
	}
	return cfg, nil
}

// Command loginapp is an example external app for the Cloudspot ERP: users
// sign in with their ERP username and password, and the app shows what the
// ERP says about them and lets their permissions decide what they may do.
//
// It is meant to be copied. Next to the sign-in itself it shows what a real
// app needs around it: an opaque session cookie instead of the ERP token in
// the browser, protection against cross-site request forgery on every form
// (the login form included), a logout, a page guarded by a permission, and a
// return to the login page as soon as the ERP no longer accepts the token.
//
//	go run ./cmd/cloudspot-server serve --demo   # the ERP on :8000, with demo users
//	go run ./examples/loginapp                   # this app on http://127.0.0.1:8001/
//
// Flags (and the environment variables that set their defaults):
//
//	-addr            address to listen on (LOGINAPP_ADDR, default 127.0.0.1:8001)
//	-erp             the ERP's API base URL (CLOUDSPOT_BASE_URL, default http://localhost:8000/api/v1)
//	-secure-cookies  mark cookies Secure even on plain HTTP, for a TLS proxy in front (LOGINAPP_SECURE_COOKIES)
//	-insecure-http   allow an ERP on another machine over plain http (LOGINAPP_INSECURE_HTTP); without it
//	                 the app refuses to start, since passwords and tokens would cross the network readable
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

	"github.com/cloudspot-toolkit/cloudspot"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "loginapp:", err)
		os.Exit(1)
	}
}

// run is the whole program: it reads the configuration from args and
// getenv, serves until ctx ends and then shuts down gracefully. It prints
// one line with the app's URL on stdout once it listens.
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
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "loginapp: listening on http://%s/\n", ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "erp", cfg.ERPURL, "app", appSlug)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// parseConfig reads flags, with defaults from the environment.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	if v := getenv("LOGINAPP_ADDR"); v != "" {
		cfg.Addr = v
	}
	if v := getenv("CLOUDSPOT_BASE_URL"); v != "" {
		cfg.ERPURL = v
	}
	if v := getenv("LOGINAPP_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("LOGINAPP_SECURE_COOKIES: %q is not a boolean", v)
		}
		cfg.SecureCookies = b
	}
	if v := getenv("LOGINAPP_INSECURE_HTTP"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("LOGINAPP_INSECURE_HTTP: %q is not a boolean", v)
		}
		cfg.InsecureHTTP = b
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

// newUserAPI is the SDK client the app signs users in with. Its timeout
// keeps a hanging ERP from holding requests open forever. The SDK sends the
// users' passwords and tokens only to cfg.ERPURL's origin (it follows no
// redirect elsewhere) and over plain http only to this machine, unless
// InsecureHTTP says otherwise.
func newUserAPI(cfg config) (*cloudspot.UserAPI, error) {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	opts := []cloudspot.Option{cloudspot.WithBaseURL(cfg.ERPURL), cloudspot.WithHTTPClient(hc)}
	if cfg.InsecureHTTP {
		opts = append(opts, cloudspot.WithInsecureHTTP())
	}
	return cloudspot.NewUserAPI(appSlug, opts...)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/internal/loopback"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/console"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
)

// consoleOptions are serve's flags for the web console (package console).
type consoleOptions struct {
	addr      string // "" or "off": no console
	behindTLS bool
	insecure  bool
	limits    erp.ConsoleSessionLimits
}

// defaultConsoleAddr keeps the console on this machine unless told
// otherwise.
const defaultConsoleAddr = "127.0.0.1:8010"

func consoleFlags(c *cobra.Command) *consoleOptions {
	o := &consoleOptions{}
	def := erp.DefaultConsoleSessionLimits()
	c.Flags().StringVar(&o.addr, "console-addr", defaultConsoleAddr, "where to serve the web console (see admin console-user); empty or off for no console")
	c.Flags().BoolVar(&o.behindTLS, "console-behind-tls", false, "browsers reach the console through an HTTPS proxy: its cookies are Secure and __Host-, and a non-loopback --console-addr is allowed")
	c.Flags().BoolVar(&o.insecure, "console-insecure-remote", false, "serve the console on a non-loopback address over plain HTTP anyway (its passwords and sessions cross the network readable)")
	c.Flags().DurationVar(&o.limits.Idle, "console-idle-timeout", def.Idle, "a console session ends after this long without a request")
	c.Flags().DurationVar(&o.limits.Lifetime, "console-session-lifetime", def.Lifetime, "a console session ends this long after its sign-in, however busy")
	return o
}

// off reports whether no console is to be served.
func (o *consoleOptions) off() bool { return o.addr == "" || o.addr == "off" }

// check refuses a console that cannot work or that would send passwords
// across a network in plain text, before anything is opened: the same
// reasoning as --demo's loopback rule, on the same notion of loopback.
func (o *consoleOptions) check() error {
	if o.off() {
		return nil
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return fmt.Errorf("--console-addr %q: want host:port such as %s, or off", o.addr, defaultConsoleAddr)
	}
	if !loopback.IsHost(host) && !o.behindTLS && !o.insecure {
		return fmt.Errorf("--console-addr %q is not a loopback address (127.0.0.1, ::1, localhost): console passwords and sessions would cross the network in plain text. "+
			"Put an HTTPS proxy in front and say so with --console-behind-tls, or accept the risk with --console-insecure-remote", o.addr)
	}
	if o.limits.Idle < time.Minute || o.limits.Lifetime < o.limits.Idle {
		return fmt.Errorf("--console-idle-timeout %s and --console-session-lifetime %s: a session must be allowed a minute of idleness, and live at least that long", o.limits.Idle, o.limits.Lifetime)
	}
	return nil
}

// consoleServer is the console's listener and what it serves.
type consoleServer struct {
	srv *http.Server
	c   *console.Console
}

// startConsole serves the console on ln, bound by serve with the other
// listeners, and prints where, before the API's line. It returns nil when
// no console is asked for (ln nil).
func startConsole(ctx context.Context, e *env, log *slog.Logger, svc *erp.Service, ln net.Listener, o *consoleOptions, proxies []netip.Prefix) (*consoleServer, error) {
	if ln == nil {
		return nil, nil
	}
	c, err := console.New(ctx, console.Config{Service: svc, Logger: log, BehindTLS: o.behindTLS, TrustedProxies: proxies})
	if err != nil {
		ln.Close()
		return nil, err
	}
	srv := erpserver.NewHTTPServer(c.Handler(), log)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("serving the console failed", "err", err)
		}
	}()
	fmt.Fprintf(e.stdout, "cloudspot-server: console on http://%s/\n", ln.Addr())
	if us, err := svc.ConsoleUsers(ctx); err == nil && len(us) == 0 {
		fmt.Fprintln(e.stderr, "cloudspot-server: the console has no account yet: create one with 'cloudspot-server admin console-user create NAME'")
	}
	return &consoleServer{srv, c}, nil
}

// stop lets the console's requests in flight finish within timeout, then
// stops its imports (an unfinished one writes nothing).
func (s *consoleServer) stop(timeout time.Duration) {
	if s == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if s.srv.Shutdown(ctx) != nil {
		s.srv.Close()
	}
	s.c.Close()
}

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// healthcheckCmd asks a running server whether it is ready, for a
// container's HEALTHCHECK: the image holds no shell and no curl, only this
// program.
func healthcheckCmd(e *env) *cobra.Command {
	var addr, path string
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "healthcheck",
		Short: "Ask the server on --addr whether it is ready (exit 0) or not (exit 1)",
		Long: `healthcheck GETs /readyz (the database answers) from the server that serves
on --addr, as a container's HEALTHCHECK or a monitoring script would, and
exits 0 for 200 and 1 otherwise. A server on every interface (0.0.0.0:8000,
:8000) is asked on loopback. --path /healthz asks only whether the process
answers. --addr takes CLOUDSPOT_ADDR, as serve does.`,
		Example: `  cloudspot-server healthcheck
  CLOUDSPOT_ADDR=0.0.0.0:8000 cloudspot-server healthcheck --timeout 3s`,
		Args: exactArgs(0, "no arguments"),
		PreRunE: func(c *cobra.Command, _ []string) error {
			return e.flagsFromEnv(c)
		},
		RunE: func(c *cobra.Command, _ []string) error {
			url, err := healthURL(addr, path)
			if err != nil {
				return usageError{err}
			}
			ctx, cancel := context.WithTimeout(c.Context(), timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return usageError{err}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("%s: %w", url, err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("%s: %s %s", url, resp.Status, body)
			}
			fmt.Fprintf(e.stdout, "%s: %s\n", url, resp.Status)
			return nil
		},
	}
	c.Flags().StringVar(&addr, "addr", defaultAddr, "the address the server serves on (env CLOUDSPOT_ADDR)")
	c.Flags().StringVar(&path, "path", "/readyz", "what to ask: /readyz (the database answers) or /healthz (the process answers)")
	c.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	return c
}

// healthURL is the URL that asks the server on addr, as serve's --addr
// takes it, for path: an unspecified host (every interface) is asked on
// loopback.
func healthURL(addr, path string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--addr %q: want host:port, such as 127.0.0.1:8000 or :8000", addr)
	}
	if path != "/readyz" && path != "/healthz" {
		return "", fmt.Errorf("--path %q: use /readyz or /healthz", path)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + path, nil
}

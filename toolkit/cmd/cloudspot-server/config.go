package main

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envName is the environment variable that gives a flag its value:
// --metrics-addr is CLOUDSPOT_METRICS_ADDR.
func envName(flag string) string {
	return "CLOUDSPOT_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// flagsFromEnv sets every flag of c that the command line left alone from
// its CLOUDSPOT_ variable, so that a container can be configured by its
// environment alone. The command line wins over the environment.
func (e *env) flagsFromEnv(c *cobra.Command) error {
	var err error
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" {
			return
		}
		name := envName(f.Name)
		v := e.getenv(name)
		if v == "" {
			return
		}
		if serr := c.Flags().Set(f.Name, v); serr != nil {
			err = usageError{fmt.Errorf("%s=%q: %v; fix it or unset it (it stands for --%s: %s)", name, v, serr, f.Name, f.Usage)}
		}
	})
	return err
}

// checkServeConfig refuses a configuration that cannot work, saying what to
// change, before anything is opened.
func checkServeConfig(addr, metricsAddr, logFormat string, tokenTTL, shutdownTimeout time.Duration) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("--addr %q: want host:port, such as 127.0.0.1:8000 or :8000", addr)
	}
	switch metricsAddr {
	case "off", metricsBesideAPI:
	default:
		if _, _, err := net.SplitHostPort(metricsAddr); err != nil {
			return fmt.Errorf("--metrics-addr %q: want host:port such as 127.0.0.1:9100, api to serve /metrics beside the API, or off", metricsAddr)
		}
		if _, port, _ := net.SplitHostPort(addr); metricsAddr == addr && port != "0" {
			return fmt.Errorf("--metrics-addr %q is the API's address; give api to serve /metrics there", metricsAddr)
		}
	}
	if logFormat != "text" && logFormat != "json" {
		return fmt.Errorf("--log-format %q: use text or json", logFormat)
	}
	if tokenTTL < time.Minute {
		return fmt.Errorf("--token-ttl %s: a user token must live at least a minute (such as 720h)", tokenTTL)
	}
	if shutdownTimeout <= 0 {
		return fmt.Errorf("--shutdown-timeout %s: requests in flight need some time to finish (such as 10s)", shutdownTimeout)
	}
	return nil
}

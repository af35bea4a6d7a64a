// Command cloudspot-attack loads the ERP server the way the sign-in limits
// are meant to hold against: many legitimate clients signing in, checking
// their tokens and listing products and clients, each from an address of
// its own, while one attacker sprays wrong passwords from one address. It
// serves a fresh demo database on loopback in its own process (nothing
// else is ever its target), runs for a bounded time and prints requests per
// second, the median and 99th percentile per call, the answers by status,
// and the legitimate users' sign-in latency beside its unloaded baseline.
//
//	go run ./toolkit/cmd/cloudspot-attack -duration 20s -clients 8 -attackers 8
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cloudspot-attack:", err)
		os.Exit(1)
	}
}

// maxDuration bounds a run: the command is a measurement, not a weapon.
const maxDuration = 5 * time.Minute

type config struct {
	duration  time.Duration
	clients   int
	attackers int
	baseline  int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cloudspot-attack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "how long the load runs (at most 5m)")
	fs.IntVar(&c.clients, "clients", 8, "legitimate clients, each from an address of its own")
	fs.IntVar(&c.attackers, "attackers", 8, "connections of the one attacker, all from one address")
	fs.IntVar(&c.baseline, "baseline", 20, "unloaded sign-ins measured first, one at a time")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.duration <= 0 || c.duration > maxDuration || c.clients < 1 || c.clients > 200 || c.attackers < 0 || c.attackers > 200 || c.baseline < 1 {
		return fmt.Errorf("-duration must be in (0, %s], -clients in [1, 200], -attackers in [0, 200], -baseline at least 1", maxDuration)
	}
	srv, err := startServer(ctx)
	if err != nil {
		return err
	}
	defer srv.close()
	fmt.Fprintf(stdout, "cloudspot-attack: %s on %s (SQLite, demo data), %d legitimate clients, 1 attacker with %d connections\n\n",
		c.duration, srv.url, c.clients, c.attackers)
	base, err := baseline(ctx, srv, c.baseline)
	if err != nil {
		return err
	}
	res := attack(ctx, srv, c)
	res.print(stdout, base, srv.limits)
	return nil
}

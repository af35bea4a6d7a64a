// Command cloudspot-bench measures cloudspot-server and the SDK against
// ceilings measured in the same run: for each storage engine (SQLite, and
// PostgreSQL on a throwaway cluster of its own) it seeds a database with N
// products and clients per size, starts the real server on loopback in a
// process of its own, loads it from wrk (another process) and from client
// processes, imports files with the server's admin command, and prints one
// Markdown table per size and call.
//
//	go run ./toolkit/cmd/cloudspot-bench -engines sqlite,postgres -sizes 10000,100000,1000000
//
// With -reference it also lists each company with the reference Python
// client (cloudspot-erp-api), unchanged, and prints its time and memory
// beside SDK All's:
//
//	go run ./toolkit/cmd/cloudspot-bench -reference ../cloudspot-api   # a checkout of the client
//	go run ./toolkit/cmd/cloudspot-bench -reference installed          # pip install cloudspot-erp-api
//
// It needs wrk (apt-get install wrk), Go (it builds cloudspot-server unless
// -server names one), for PostgreSQL its server binaries (initdb,
// postgres), and for -reference python3 with requests. A mistake in the
// command line exits with status 2. docs/performance.md shows a run and
// what each figure means.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if code := exitStatus(err); code != 0 {
		fmt.Fprintln(os.Stderr, "cloudspot-bench:", err)
		os.Exit(code)
	}
}

// usageError is a mistake in the command line; its text says what to do
// instead.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// exitStatus is the command's exit status for what run returned: 0 for
// success and for -h, 2 for a usage error, 1 for any other failure.
func exitStatus(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		return 2
	}
	return 1
}

// config is what the flags choose.
type config struct {
	engines   []string // sqlite, postgres
	sizes     []int
	detailed  []int // sizes of the catalogues of products with every detail (API version 0.6), -detailed
	imports   []int // sizes of the files imported, -imports
	duration  time.Duration
	runs      int
	signIns   int
	server    string
	dir       string
	self      string     // this program, started again for the client side
	reference *reference // the reference Python client, nil unless -reference names one
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "client" {
		return runClient(ctx, args[1:], stdout)
	}
	fs := flag.NewFlagSet("cloudspot-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: cloudspot-bench [flags]

Measures cloudspot-server and the SDK beside ceilings measured in the same
run, and prints one Markdown table per call (docs/performance.md). With
-reference, the reference Python client lists the same companies beside
SDK All.

`)
		fs.PrintDefaults()
	}
	engines := fs.String("engines", "sqlite", "comma-separated storage engines to measure: sqlite, postgres (a throwaway cluster)")
	sizes := fs.String("sizes", "10000,100000", "comma-separated numbers of products and clients to seed, one company each")
	imports := fs.String("imports", "100000", "comma-separated numbers of products to import from a JSON file, one company each; empty for none")
	detailed := fs.String("detailed", "10000", "comma-separated numbers of products with every detail (every field of API version 0.6) to seed, one company each; empty for none")
	var c config
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "how long each wrk load runs")
	fs.IntVar(&c.runs, "runs", 3, "how many times each client call runs (median and slowest are shown)")
	fs.IntVar(&c.signIns, "signins", 500, "concurrent sign-ins in the burst")
	fs.StringVar(&c.server, "server", "", "cloudspot-server binary to measure (default: build it from this module)")
	fs.StringVar(&c.dir, "dir", "", "directory for the database and the server binary (default: a temporary one, removed afterwards)")
	ref := fs.String("reference", "", "the reference Python client to measure beside SDK All: a directory holding its package cloudspot (a checkout of cloudspot-erp-api), or \""+installedReference+"\" for the one python3 imports (pip install cloudspot-erp-api); needs python3 with requests")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q; every setting is a flag (-h lists them)", fs.Arg(0))}
	}
	var err error
	if c.sizes, err = parseSizes("-sizes", *sizes); err != nil {
		return err
	}
	if *detailed != "" {
		if c.detailed, err = parseSizes("-detailed", *detailed); err != nil {
			return err
		}
	}
	if *imports != "" {
		if c.imports, err = parseSizes("-imports", *imports); err != nil {
			return err
		}
	}
	for _, e := range strings.Split(*engines, ",") {
		e = strings.TrimSpace(e)
		if e != "sqlite" && e != "postgres" {
			return usageError{fmt.Errorf("-engines: %q is not sqlite or postgres", e)}
		}
		c.engines = append(c.engines, e)
	}
	if c.duration < time.Second || c.runs < 1 || c.signIns < 1 {
		return usageError{errors.New("-duration must be at least 1s, -runs and -signins at least 1")}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	c.self = self
	if c.dir == "" {
		if c.dir, err = os.MkdirTemp("", "cloudspot-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(c.dir)
	}
	if *ref == "" {
		fmt.Fprintln(stderr, "cloudspot-bench:", referenceHint)
	} else {
		if c.reference, err = findReference(ctx, *ref, c.dir); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "cloudspot-bench: the reference client is cloudspot-erp-api %s, %s, run by Python %s\n", c.reference.release, c.reference.module, c.reference.pyVer)
	}
	return bench(ctx, c, stdout, stderr)
}

// parseSizes reads a flag's comma-separated positive numbers.
func parseSizes(flag, list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, usageError{fmt.Errorf("%s: %q is not a positive number", flag, s)}
		}
		out = append(out, n)
	}
	return out, nil
}

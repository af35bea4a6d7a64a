// Command release builds the toolkit's release: cloudspot and
// cloudspot-server for every target of the release configuration
// (config.go), as static binaries (CGO_ENABLED=0) that print the release's
// tag with --version, one archive per target (.tar.gz, or .zip for
// Windows) and SHA256SUMS. Run it from a clone at the release's commit:
//
//	go run ./toolkit/release -version v0.3.0 -out dist
//	go run ./toolkit/release -check         # build every target, write nothing (CI)
//	go run ./toolkit/release -dry-run -version v0.3.0
//
// docs/modules.md has the whole release checklist.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

type usageError struct{ error }

// semver is a release tag: v, three numbers and an optional pre-release.
var semver = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$`)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	version := fs.String("version", "", "the release's tag, such as v0.3.0 (the toolkit module's tag is toolkit/v0.3.0)")
	out := fs.String("out", "dist", "the directory for the archives and "+checksums+"; it must not exist")
	check := fs.Bool("check", false, "build every program for every target and write nothing")
	dryRun := fs.Bool("dry-run", false, "print what would be built, and build nothing")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q (see -help)", fs.Arg(0))}
	}
	if *check {
		if *version == "" {
			*version = "v0.0.0-check"
		}
	}
	if !semver.MatchString(*version) {
		return usageError{fmt.Errorf("-version %q: want a tag such as v0.3.0", *version)}
	}
	b := builder{version: *version, log: stderr}
	switch {
	case *dryRun:
		return b.plan(stdout, *out)
	case *check:
		return b.check(ctx, targets)
	}
	return b.release(ctx, *out, targets)
}

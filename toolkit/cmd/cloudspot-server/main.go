// Command cloudspot-server is a self-hostable server for the Cloudspot ERP
// API: the reference client, the Go SDK and any external app can use it in
// place of the real ERP.
//
//	cloudspot-server serve --demo      # local ERP with the documented example
//	cloudspot-server admin --help      # manage companies, users, apps, tokens, data
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/version"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cloudspot-server:", command.Visible(err.Error(), "\n"))
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// env is what the program reads from its environment, so tests can run it
// in-process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ error }

// run is the whole program: main only adds the process around it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	root := newRoot(&env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

// newRoot is the program's command tree in environment e.
func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "cloudspot-server",
		Short:         "A self-hostable server for the Cloudspot ERP API",
		Long:          "cloudspot-server serves the Cloudspot ERP API (v1) from an embedded SQLite file or a PostgreSQL database,\nso that SDKs, the CLI and external apps can be built and tested without the real ERP.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version.String(),
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(serveCmd(e), healthcheckCmd(e), adminCmd(e))
	command.CheckUsage(root, func(msg string) error { return usageError{errors.New(msg)} })
	return root
}

// defaultDB is the SQLite file used when neither --db nor CLOUDSPOT_DB
// names a database.
const defaultDB = "cloudspot.db"

func (e *env) dbFlag(c *cobra.Command, target *string) {
	def := e.getenv("CLOUDSPOT_DB")
	if def == "" {
		def = defaultDB
	}
	c.PersistentFlags().StringVar(target, "db", def, "database: a SQLite file path, or a postgres:// URL (env CLOUDSPOT_DB)")
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("%s: want %s (see %s --help)", c.CommandPath(), names, c.CommandPath())}
		}
		return nil
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/progress"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/version"
)

// cli is one run of the program: its environment and its global flags.
// Nothing is global, so tests can run the program in-process.
type cli struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer

	baseURL string
	test    bool
	timeout time.Duration
	verbose bool
	token   string
	// insecureHTTP allows plain http to a host that is not loopback.
	insecureHTTP bool

	// transport is the http.RoundTripper under the logging and progress
	// wrappers; nil means http.DefaultTransport. Tests set it to decide
	// where names resolve and connections go.
	transport http.RoundTripper
}

// run is the whole program: main only adds the process around it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return (&cli{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}).run(ctx, args)
}

// run runs the program with args in c's environment.
func (c *cli) run(ctx context.Context, args []string) error {
	root := c.rootCmd()
	root.SetArgs(args)
	_, err := root.ExecuteContextC(ctx)
	if err != nil && !isTyped(err) {
		// Every command returns typed errors, so an untyped one is cobra's
		// complaint about the command line.
		return usageError{errors.New(oneLineUsage(err.Error()))}
	}
	return err
}

func (c *cli) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "cloudspot",
		Short: "The Cloudspot ERP API from a terminal",
		Long: `cloudspot signs users of an external app in to the Cloudspot ERP, shows their
permissions, and lists a company's products (artikels), clients (klanten)
and product categories (categorieen):
as a table on a terminal, as JSON in a pipe, or as NDJSON or CSV on request.

Environment:
  CLOUDSPOT_BASE_URL   API base URL (default ` + cloudspot.ProductionURL + `)
  CLOUDSPOT_TOKEN      a token; overrides the stored ones
  CLOUDSPOT_APP        the app slug for login, logout, whoami and permissions
  CLOUDSPOT_TOKEN_STORE  "keyring" or "file" to choose where login keeps tokens
  CLOUDSPOT_TEST_URL   the local ERP that --test means (default ` + cloudspot.TestURL + `)

Exit codes: 0 success, 1 a failed call, 2 wrong usage, 4 authentication needed.`,
		Example: `  cloudspot login --test --app timeapp
  cloudspot permissions --test
  CLOUDSPOT_TOKEN=... cloudspot artikels list --test --status ZICHTBAAR -o csv`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version.String(),
	}
	root.SetIn(c.stdin)
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SetVersionTemplate("cloudspot version {{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usagef("%v (see %s --help)", err, cmd.CommandPath())
	})
	root.CompletionOptions.DisableDefaultCmd = true

	pf := root.PersistentFlags()
	pf.StringVar(&c.baseURL, "base-url", "", "API base URL (env CLOUDSPOT_BASE_URL; default "+cloudspot.ProductionURL+")")
	pf.BoolVar(&c.test, "test", false, "use a local ERP at "+cloudspot.TestURL+" (env CLOUDSPOT_TEST_URL to change it)")
	pf.DurationVar(&c.timeout, "timeout", 30*time.Second, "give up when the ERP has not begun to answer after this long")
	pf.StringVar(&c.token, "token", "", "a user or company token (prefer CLOUDSPOT_TOKEN or a stored token: a flag shows in the process list)")
	pf.BoolVarP(&c.verbose, "verbose", "v", false, "show each request on stderr (secrets redacted)")
	pf.BoolVar(&c.insecureHTTP, "insecure-http", false, "allow plain http to a host other than this machine (anyone on the network can read passwords and tokens)")

	root.AddCommand(
		c.loginCmd(), c.logoutCmd(), c.authCmd(),
		c.whoamiCmd(), c.permissionsCmd(),
		c.artikelsCmd(), c.klantenCmd(), c.categorieenCmd(),
		c.completionCmd(),
	)
	command.CheckUsage(root, func(msg string) error { return usageError{errors.New(msg)} })
	return root
}

// runE adapts a command's function so that every error it returns carries
// an exit code: an untyped one is a failed call.
func runE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := f(cmd, args)
		if err != nil && !isTyped(err) {
			return failure{err}
		}
		return err
	}
}

// noArgs refuses positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q (see %s --help)", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

// base returns the API base URL the flags and environment ask for, without
// a trailing slash: --base-url, then --test, then CLOUDSPOT_BASE_URL, then
// the production ERP.
func (c *cli) base() (string, error) {
	var b string
	switch {
	case c.baseURL != "" && c.test:
		return "", usagef("--base-url and --test contradict each other; give one")
	case c.baseURL != "":
		b = c.baseURL
	case c.test:
		b = c.testURL()
	case c.getenv("CLOUDSPOT_BASE_URL") != "":
		b = c.getenv("CLOUDSPOT_BASE_URL")
	default:
		b = cloudspot.ProductionURL
	}
	b = strings.TrimRight(strings.TrimSpace(b), "/")
	// Let the SDK judge the URL, so the CLI accepts exactly what it does.
	_, err := cloudspot.NewCompanyAPI("", c.urlOptions(b)...)
	switch {
	case errors.Is(err, cloudspot.ErrInsecure):
		return "", usagef("%s is plain http to another machine: anyone on the network could read passwords and tokens; use https, or --insecure-http on a network you trust", b)
	case err != nil:
		return "", usagef("%s", strings.TrimPrefix(err.Error(), "cloudspot: "))
	}
	return b, nil
}

// urlOptions are the SDK options that say where requests go and over what.
func (c *cli) urlOptions(base string) []cloudspot.Option {
	opts := []cloudspot.Option{cloudspot.WithBaseURL(base)}
	if c.insecureHTTP {
		opts = append(opts, cloudspot.WithInsecureHTTP())
	}
	return opts
}

// testURL is the ERP that --test means: a local one on cloudspot-server's
// default address, or CLOUDSPOT_TEST_URL for a developer whose local ERP
// runs elsewhere.
func (c *cli) testURL() string {
	if u := strings.TrimSpace(c.getenv("CLOUDSPOT_TEST_URL")); u != "" {
		return u
	}
	return cloudspot.TestURL
}

// options returns the SDK options for this run: the base URL and an HTTP
// client with the timeout, the -v log and, where asked, progress.
func (c *cli) options(base string, p *progress.Meter) []cloudspot.Option {
	rt := c.transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if p != nil {
		rt = &progressTransport{next: rt, p: p}
	}
	if c.verbose {
		rt = &logTransport{next: rt, w: c.stderr}
	}
	// The SDK sets the client's redirect policy: it follows no redirect to
	// another origin, so the token and password reach only base.
	return append(c.urlOptions(base),
		cloudspot.WithHTTPClient(&http.Client{Transport: answerTimeout{next: rt, d: c.timeout}}),
		cloudspot.WithUserAgent("cloudspot-cli/"+version.String()),
	)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// width is the number of columns a table may use on stdout: the terminal's
// width, else $COLUMNS, else 0 (no limit).
func (c *cli) width() int {
	if f, ok := c.stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	var n int
	if _, err := fmt.Sscanf(c.getenv("COLUMNS"), "%d", &n); err == nil && n > 0 {
		return n
	}
	return 0
}

// oneLineUsage puts cobra's message on one line, with its suggestions
// ("Did you mean this?") as a question, and points to --help.
func oneLineUsage(msg string) string {
	head, suggestions, found := strings.Cut(msg, "\n\nDid you mean this?\n")
	head = strings.TrimSpace(head)
	if found {
		head += "; did you mean " + strings.Join(strings.Fields(suggestions), " or ") + "?"
	}
	if !strings.Contains(head, "--help") {
		head += " (see cloudspot --help)"
	}
	return head
}

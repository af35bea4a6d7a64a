// Package erptest starts the real ERP server for tests: in-process or as
// the built binary in its own process, on a temporary SQLite file or a
// throwaway PostgreSQL database (see Engines). Every end-to-end test in the
// module goes through it, so they all test the same server the same way.
package erptest

import (
	"bufio"
	"context"

	"io"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

// Options configure Start.
type Options struct {
	// Demo seeds the documented example (see package demo).
	Demo bool
	// StrictApps refuses sign-ins for unknown apps.
	StrictApps bool
	// Now is the server's clock; default time.Now.
	Now func() time.Time
	// Store is the database; default a fresh SQLite file in t.TempDir().
	Store erp.Store
	// Logger receives the server's logs; default discarded.
	Logger *slog.Logger
	// SignInWait bounds how long a sign-in waits for its turn to check a
	// password (erp.Config.SignInWait). By default an in-process server
	// waits as long as a test may run, so that a burst of sign-ins on a
	// loaded machine makes no test fail on time; the busy answer itself
	// is erp's to test.
	SignInWait time.Duration
	// DB names the database (a SQLite path or a postgres:// URL, as an
	// Engine's DB returns it) when Store is nil.
	DB string
	// Process serves the API from the built cloudspot-server binary in a
	// process of its own, on the same database that Server.Service and
	// Server.Store use from the test. Now, SignInLimits and Observer cannot
	// be combined with it.
	Process bool
	// Argon2 hashes the passwords of the users the test creates (the
	// demo's included); zero for the server's default cost.
	Argon2 erp.Argon2Params
	// SignInLimits are the server's (erp.Config); zero for its defaults.
	SignInLimits erp.SignInLimits
	// TrustedProxies are believed in X-Forwarded-For, as
	// cloudspot-server --trusted-proxies says.
	TrustedProxies []netip.Prefix
	// Observer is told of every request the server answers.
	Observer httpapi.Observer
}

// Server is a running in-process ERP.
type Server struct {
	URL     string // API base URL, ".../api/v1"
	Service *erp.Service
	Store   erp.Store
	Process *Process // the server process, with Options.Process
}

// testWait is go test's default -timeout: no wait in a test needs longer.
const testWait = 10 * time.Minute

// Start runs the ERP in-process over real HTTP on a free port until the
// test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Process && (o.Now != nil || o.Store != nil || o.SignInLimits != (erp.SignInLimits{}) || o.Observer != nil) {
		t.Fatal("erptest: a server process has its own clock, limits and store: use DB, not Now, SignInLimits, Observer or Store")
	}
	if o.Process && o.DB == "" {
		o.DB = filepath.Join(t.TempDir(), "erp.db")
	}
	if o.SignInWait == 0 {
		o.SignInWait = testWait
	}
	if o.Store == nil {
		if o.DB != "" {
			o.Store = OpenDB(t, o.DB)
		} else {
			o.Store = OpenSQLite(t)
		}
	}
	svc, err := erpserver.NewService(context.Background(), erpserver.Config{
		Config: erp.Config{Store: o.Store, Now: o.Now, StrictApps: o.StrictApps, Logger: o.Logger, SignInWait: o.SignInWait, Argon2: o.Argon2, SignInLimits: o.SignInLimits},
		Demo:   o.Demo,
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.Process {
		args := []string{"--db", o.DB}
		if o.StrictApps {
			args = append(args, "--strict-apps")
		}
		for _, p := range o.TrustedProxies {
			args = append(args, "--trusted-proxies", p.String())
		}
		p := StartProcess(t, Build(t, "./cmd/cloudspot-server"), args...)
		return &Server{URL: p.URL, Service: svc, Store: o.Store, Process: p}
	}
	var opts []httpapi.Option
	if len(o.TrustedProxies) > 0 {
		opts = append(opts, httpapi.TrustProxies(o.TrustedProxies...))
	}
	if o.Observer != nil {
		opts = append(opts, httpapi.Observe(o.Observer))
	}
	h := httpapi.New(svc, o.Logger, opts...)
	t.Cleanup(func() { h.Close() })
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &Server{URL: hs.URL + httpapi.Prefix, Service: svc, Store: o.Store}
}

// OpenDB opens the database that dsn names, as cloudspot-server --db does,
// closed when the test ends.
func OpenDB(t testing.TB, dsn string) erp.Store {
	t.Helper()
	st, err := erpserver.OpenDB(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// OpenSQLite opens a migrated SQLite database in a temporary directory,
// closed when the test ends.
func OpenSQLite(t testing.TB) erp.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "erp.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Must takes a call's two results and returns a function that gives the
// value to a test, failing it on the error: Must(api.List(ctx))(t). Call it
// on the test's own goroutine.
func Must[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

var (
	buildMu  sync.Mutex
	builds   = map[string]string{}
	buildDir string
)

// Build compiles the command in package pkg (e.g. "./cmd/cloudspot-server",
// relative to the module root) once per test process and returns the
// binary's path.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if bin, ok := builds[pkg]; ok {
		return bin
	}
	if buildDir == "" {
		d, err := os.MkdirTemp("", "cloudspot-bin-")
		if err != nil {
			t.Fatal(err)
		}
		buildDir = d
	}
	root := ModuleRoot(t)
	bin := filepath.Join(buildDir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	builds[pkg] = bin
	return bin
}

// ModuleRoot is the directory holding go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// Process is a server binary running in its own process.
type Process struct {
	URL    string // API base URL
	cmd    *exec.Cmd
	stdout *Buffer
	stderr *Buffer
	done   chan struct{}
}

// StartProcess runs `cloudspot-server serve --addr 127.0.0.1:0
// --console-addr=off args...` and waits for the line that says where it
// listens. The process is stopped (SIGINT, then killed) when the test ends;
// its stderr is logged on failure.
func StartProcess(t testing.TB, bin string, args ...string) *Process {
	t.Helper()
	// No console unless asked for: its default port is one per machine.
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--console-addr=off"}, args...)...)
	cmd.Env = append(os.Environ(), "CLOUDSPOT_DB=")
	p := &Process{cmd: cmd, stdout: &Buffer{}, stderr: &Buffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.stdout.Write([]byte(sc.Text() + "\n"))
			if url, ok := erpserver.ListeningURL(sc.Text()); ok {
				urls <- url
			}
		}
		io.Copy(io.Discard, out)
	}()
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("server stderr:\n%s", p.stderr.String())
		}
	})
	select {
	case p.URL = <-urls:
		return p
	case <-p.done:
		t.Fatalf("cloudspot-server exited before listening: %s", p.stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("cloudspot-server did not say where it listens within 30s: %s", p.stderr.String())
	}
	return nil
}

// Stop interrupts the process and waits for it to exit.
func (p *Process) Stop() {
	if p.cmd.Process == nil {
		return
	}
	select {
	case <-p.done:
		return
	default:
	}
	stopProcess(p.cmd.Process, p.done, os.Interrupt, 10*time.Second)
}

// stopProcess sends proc sig and waits for done (closed when it exited),
// killing it when it still runs after grace.
func stopProcess(proc *os.Process, done <-chan struct{}, sig os.Signal, grace time.Duration) {
	proc.Signal(sig)
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		proc.Kill()
		<-done
	}
}

// Signal sends sig to the process.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Exited waits at most timeout for the process to exit and returns its exit
// code; exited is false if it still runs (the test's cleanup kills it).
func (p *Process) Exited(timeout time.Duration) (code int, exited bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode(), true
	case <-timer.C:
		return 0, false
	}
}

// Pid is the process's id, to measure it (its memory in /proc, say).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Stdout is what the process printed so far.
func (p *Process) Stdout() string { return p.stdout.String() }

// Stderr is what the process logged so far.
func (p *Process) Stderr() string { return p.stderr.String() }

// WaitStderr waits until the process has logged sub, failing the test if it
// has not within timeout.
func (p *Process) WaitStderr(t testing.TB, sub string, timeout time.Duration) {
	t.Helper()
	if !p.stderr.WaitFor(sub, timeout) {
		t.Fatalf("the server did not log %q within %s; it logged:\n%s", sub, timeout, p.stderr.String())
	}
}

// Buffer collects output that several goroutines write, such as a server's
// log, for a test to read.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
	// grew is closed by the next write, to wake those waiting in WaitFor.
	grew chan struct{}
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grew != nil {
		close(s.grew)
		s.grew = nil
	}
	return s.b.Write(p)
}

// WaitFor waits until the buffer holds sub, woken by each write rather
// than polling, and reports false if it still does not after timeout. A
// test that reads a line a process logs after doing something must wait
// for the line itself: the effect may be visible before the line is.
func (s *Buffer) WaitFor(sub string, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if strings.Contains(s.b.String(), sub) {
			s.mu.Unlock()
			return true
		}
		if s.grew == nil {
			s.grew = make(chan struct{})
		}
		grew := s.grew
		s.mu.Unlock()
		select {
		case <-grew:
		case <-timer.C:
			return strings.Contains(s.String(), sub)
		}
	}
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Run runs a binary to completion with stdin and returns stdout, stderr and
// the exit code.
func Run(t testing.TB, stdin string, env []string, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), env...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return o.String(), e.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s %v: %v", bin, args, err)
	}
	return o.String(), e.String(), 0
}

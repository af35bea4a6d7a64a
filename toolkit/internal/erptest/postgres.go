package erptest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
)

// PostgresCluster is a throwaway PostgreSQL server: a cluster made with the
// installed initdb in a temporary directory, serving on a free port of
// 127.0.0.1 with trust authentication. When the test process runs as root,
// the server runs as the "postgres" OS user, since PostgreSQL refuses root.
// The server gets SIGINT (a fast shutdown) if the test process dies, and
// clusters left behind by dead test processes are removed when the next one
// starts.
type PostgresCluster struct {
	dir  string // owns everything below
	bin  string // initdb, postgres
	port int
	cred *syscall.Credential // nil: run as ourselves

	mu    sync.Mutex
	cmd   *exec.Cmd
	done  chan struct{}
	log   *Buffer
	admin *sql.DB
}

// postgresBin finds the directory holding initdb and postgres: Debian's
// /usr/lib/postgresql/<version>/bin (newest first), then PATH.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && isExec(filepath.Join(filepath.Dir(p), "postgres")) {
		return filepath.Dir(p), nil
	}
	return "", errors.New("PostgreSQL is not installed (no initdb and postgres under /usr/lib/postgresql/*/bin or on PATH); install it with `apt-get install postgresql` to run the PostgreSQL tests")
}

func pgVersion(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// skipOrFail skips the test for a missing external program, or fails it
// under CI=true, where everything the tests need must be installed.
func skipOrFail(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: %s", reason)
	}
	t.Skip(reason)
}

// NeedPostgres skips the test when PostgreSQL's server binaries are not
// installed (fails it under CI=true), for tests that start a program which
// starts a cluster of its own.
func NeedPostgres(t testing.TB) {
	t.Helper()
	if _, err := postgresBin(); err != nil {
		skipOrFail(t, err.Error())
	}
}

// StartPostgresCluster starts a cluster of the test's own, stopped and
// removed when the test ends. Use it for tests that stop and restart the
// server; others share one cluster through PostgresDSN. Without PostgreSQL
// installed the test is skipped (failed under CI=true).
func StartPostgresCluster(t testing.TB) *PostgresCluster {
	t.Helper()
	bin, err := postgresBin()
	if err != nil {
		skipOrFail(t, err.Error())
	}
	c, err := newCluster(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.remove)
	return c
}

var shared struct {
	mu sync.Mutex
	c  *PostgresCluster
	// err is a failure to start, kept so that each test reports it
	// without trying again.
	err error
}

// sharedCluster starts, on first use, the one cluster that every test of
// the process shares. Main stops it.
func sharedCluster(t testing.TB) *PostgresCluster {
	t.Helper()
	bin, err := postgresBin()
	if err != nil {
		skipOrFail(t, err.Error())
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.c == nil && shared.err == nil {
		shared.c, shared.err = newCluster(bin)
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.c
}

// PostgresDSN creates an empty database on the shared cluster and returns
// its postgres:// URL; the database is dropped when the test ends.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return sharedCluster(t).NewDatabase(t)
}

// OpenPostgres opens a migrated store on a new database of the shared
// cluster, closed and dropped when the test ends.
func OpenPostgres(t testing.TB) erp.Store {
	t.Helper()
	dsn := PostgresDSN(t)
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Main runs a package's tests and then stops what the harness started for
// the whole test process: the shared PostgreSQL cluster and the binaries
// Build made. Packages whose tests use PostgreSQL call it from TestMain:
//
//	func TestMain(m *testing.M) { erptest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	shared.mu.Lock()
	if shared.c != nil {
		shared.c.remove()
		shared.c = nil
	}
	shared.mu.Unlock()
	buildMu.Lock()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	buildMu.Unlock()
	os.Exit(code)
}

// NewPostgresCluster starts a throwaway cluster outside a test, as
// StartPostgresCluster does in one, for programs that measure the server
// (cloudspot-bench). Remove stops it and deletes its files.
func NewPostgresCluster() (*PostgresCluster, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	return newCluster(bin)
}

// Remove stops the server and deletes the cluster.
func (c *PostgresCluster) Remove() { c.remove() }

// CreateDatabase creates an empty database named name and returns its
// postgres:// URL.
func (c *PostgresCluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	if _, err := c.admin.ExecContext(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("creating database %s: %w", name, err)
	}
	return c.dsn(name), nil
}

// newCluster makes and starts a cluster in a new temporary directory.
func newCluster(bin string) (*PostgresCluster, error) {
	removeStaleClusters()
	c := &PostgresCluster{bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL refuses to run as root and there is no postgres user to run it as: %v", err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	dir, err := os.MkdirTemp("", "cloudspot-pg-")
	if err != nil {
		return nil, err
	}
	c.dir = dir
	fail := func(err error) (*PostgresCluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return fail(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sock"), 0o700); err != nil {
		return fail(err)
	}
	if c.cred != nil {
		for _, p := range []string{dir, filepath.Join(dir, "sock")} {
			if err := os.Chown(p, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
				return fail(err)
			}
		}
	}
	initdb := c.command(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"), "-U", "postgres",
		"--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %v\n%s", err, out))
	}
	// Another program may take the free port before the server binds it:
	// then try another.
	for attempt := 0; ; attempt++ {
		c.port, err = freePort()
		if err != nil {
			return fail(err)
		}
		if err = c.Start(); err == nil {
			return c, nil
		}
		if attempt == 2 {
			return fail(err)
		}
	}
}

// command prepares a PostgreSQL program to run as the cluster's owner, with
// an environment that does not leak the caller's PG* settings.
func (c *PostgresCluster) command(path string, args ...string) *exec.Cmd {
	cmd := exec.Command(path, args...)
	cmd.Dir = c.dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C", "TZ=UTC"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	return cmd
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Start starts the server (again, after Stop, on the same port) and waits
// until it accepts connections.
func (c *PostgresCluster) Start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd != nil {
		return errors.New("the PostgreSQL test server is already running")
	}
	cmd := c.command(filepath.Join(c.bin, "postgres"), "-D", filepath.Join(c.dir, "data"),
		"-p", strconv.Itoa(c.port), "-h", "127.0.0.1", "-k", filepath.Join(c.dir, "sock"),
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=300", "-c", "shared_buffers=32MB")
	// A fast shutdown when this process dies, however it dies.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGINT
	c.log = &Buffer{}
	cmd.Stdout, cmd.Stderr = c.log, c.log
	done := make(chan struct{})
	started := make(chan error, 1)
	go func() {
		// The parent-death signal follows the thread that started the
		// child, so that thread must live as long as the child does.
		runtime.LockOSThread()
		err := cmd.Start()
		started <- err
		if err == nil {
			cmd.Wait()
		}
		close(done)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	c.cmd, c.done = cmd, done
	if c.admin == nil {
		db, err := sql.Open("pgx", c.dsn("postgres")+"&connect_timeout=5")
		if err != nil {
			return err
		}
		db.SetMaxOpenConns(4)
		c.admin = db
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := c.admin.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-done:
			c.cmd = nil
			c.admin.Close()
			c.admin = nil
			return fmt.Errorf("postgres exited on start:\n%s", c.log.String())
		default:
		}
		if time.Now().After(deadline) {
			c.stopLocked()
			c.admin.Close()
			c.admin = nil
			return fmt.Errorf("postgres did not accept connections within 60s: %v\n%s", err, c.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop shuts the server down (fast: open sessions are ended) and waits for
// it to exit. The cluster keeps its data for Start.
func (c *PostgresCluster) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLocked()
}

func (c *PostgresCluster) stopLocked() {
	if c.cmd == nil {
		return
	}
	stopProcess(c.cmd.Process, c.done, syscall.SIGINT, 30*time.Second)
	c.cmd = nil
}

// remove stops the server and deletes the cluster.
func (c *PostgresCluster) remove() {
	c.Stop()
	if c.admin != nil {
		c.admin.Close()
	}
	os.RemoveAll(c.dir)
}

// Log is what the server logged since it last started.
func (c *PostgresCluster) Log() string { return c.log.String() }

func (c *PostgresCluster) dsn(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, database)
}

// NewDatabase creates an empty database and returns its postgres:// URL;
// the database is dropped when the test ends (if the server still runs).
func (c *PostgresCluster) NewDatabase(t testing.TB) string {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := c.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a PostgreSQL test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return c.dsn(name)
}

// removeStaleClusters deletes the clusters of test processes that died
// without cleaning up (their servers ended with them).
func removeStaleClusters() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "cloudspot-pg-*"))
	for _, d := range dirs {
		if alive(filepath.Join(d, "owner")) || alive(filepath.Join(d, "data", "postmaster.pid")) {
			continue
		}
		os.RemoveAll(d)
	}
}

// alive reports whether the process whose id starts the file still runs; a
// missing or unreadable file counts as alive, to leave alone what is not
// understood.
func alive(pidFile string) bool {
	b, err := os.ReadFile(pidFile)
	if errors.Is(err, os.ErrNotExist) && strings.HasSuffix(pidFile, "postmaster.pid") {
		return false
	}
	if err != nil {
		return true
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return true
	}
	return syscall.Kill(pid, 0) != syscall.ESRCH
}

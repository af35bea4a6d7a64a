// Package erpserver assembles the ERP server from its parts, in one place
// for every program and test that runs one: the database that a --db value
// names, the domain service on a store (with the documented example when
// asked), the http.Server limits under which the API and the metrics are
// served, and the line that says where the server listens.
//
// cloudspot-server, the test harness (erptest), cloudspottest and the load
// tools all build their server here, so they run the same server.
package erpserver

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

// OpenDB opens and migrates the database that db names, as
// `cloudspot-server --db` takes it: a postgres:// (or postgresql://) URL,
// or else a SQLite file path, with or without a "sqlite:" prefix.
func OpenDB(ctx context.Context, db string) (*sqlstore.Store, error) {
	if postgres.IsURL(db) {
		return postgres.Open(ctx, db)
	}
	return sqlite.Open(ctx, SQLitePath(db))
}

// SQLitePath is the file that a db value other than a PostgreSQL URL
// names.
func SQLitePath(db string) string { return strings.TrimPrefix(db, "sqlite:") }

// Config is what NewService builds from.
type Config struct {
	// Config configures the domain; its Store is required.
	erp.Config
	// Demo seeds the documented example (see package demo) where it is
	// missing; what an administrator changed in it is kept.
	Demo bool
}

// NewService builds the domain service on c.Store, with the demo when
// c.Demo is set.
func NewService(ctx context.Context, c Config) (*erp.Service, error) {
	svc, err := erp.NewService(c.Config)
	if err != nil {
		return nil, err
	}
	if c.Demo {
		if _, err := demo.Seed(ctx, svc); err != nil {
			return nil, fmt.Errorf("seeding the demo: %w", err)
		}
	}
	return svc, nil
}

// The limits of every http.Server that NewHTTPServer returns. A client
// that sends its headers or body slowly, reads slowly or keeps an idle
// connection open is cut off instead of holding a connection (and its
// goroutine) without end.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	// writeTimeout bounds one response: a list of a million products
	// takes seconds on a loopback connection.
	writeTimeout   = 60 * time.Second
	idleTimeout    = 2 * time.Minute
	maxHeaderBytes = 64 << 10
)

// NewHTTPServer returns the http.Server that serves h: the API, or the
// metrics on an address of their own. net/http's own errors (a TLS
// handshake, a header too large) go to log at warn level; with a nil log,
// to the standard logger.
func NewHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	if log != nil {
		srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	}
	return srv
}

// ListeningLine is the line cloudspot-server prints on stdout once it
// listens, last of what it prints at start: the one scripts and tests wait
// for. base is the API's base URL.
func ListeningLine(base string) string {
	return "cloudspot-server: listening on " + base
}

var listeningRE = regexp.MustCompile(`^cloudspot-server: listening on (http://\S+)$`)

// ListeningURL returns the base URL in a line that ListeningLine printed
// (without its newline), and false for any other line.
func ListeningURL(line string) (string, bool) {
	m := listeningRE.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// Temp is an ERP on a fresh SQLite database in a temporary directory of
// its own, for tests and measurements. Close removes it.
type Temp struct {
	Service *erp.Service
	Store   *sqlstore.Store
	// Dir is the directory that holds the database file, erp.db.
	Dir string
}

// OpenTemp builds an ERP from c on a new SQLite database in a temporary
// directory; c.Store must be nil. Nothing is left behind when it fails.
func OpenTemp(ctx context.Context, c Config) (*Temp, error) {
	if c.Store != nil {
		return nil, fmt.Errorf("erpserver: OpenTemp opens its own store; Config.Store must be nil")
	}
	dir, err := os.MkdirTemp("", "cloudspot-erp-")
	if err != nil {
		return nil, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "erp.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c.Store = st
	svc, err := NewService(ctx, c)
	if err != nil {
		st.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	return &Temp{Service: svc, Store: st, Dir: dir}, nil
}

// Close closes the database and removes its directory.
func (t *Temp) Close() error {
	err := t.Store.Close()
	if rmErr := os.RemoveAll(t.Dir); err == nil {
		err = rmErr
	}
	return err
}

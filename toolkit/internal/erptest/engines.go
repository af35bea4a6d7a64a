package erptest

import (
	"path/filepath"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Engine is a storage engine that a suite runs against, so that each test
// is written once and no engine silently lacks a feature.
type Engine struct {
	// Name names the engine in subtest names: "sqlite", "postgres".
	Name string
	// Open returns an empty, migrated store of its own, closed when the
	// test ends. Call it inside the engine's subtest: when the engine is
	// not installed it skips that subtest with the reason (and fails it
	// under CI=true).
	Open func(t testing.TB) erp.Store
	// DB returns an empty database of the test's own as `cloudspot-server
	// --db` takes it: a SQLite file path or a postgres:// URL. It skips or
	// fails like Open.
	DB func(t testing.TB) string
}

// Engines returns every storage engine, SQLite first. Run a suite against
// each one in its own subtest:
//
//	for _, e := range erptest.Engines(t) {
//		t.Run(e.Name, func(t *testing.T) {
//			srv := erptest.Start(t, erptest.Options{Demo: true, Store: e.Open(t)})
//			...
//		})
//	}
//
// PostgreSQL is always listed: where it is not installed its subtests skip
// with a message saying so, and under CI=true they fail instead. Its tests
// share one throwaway cluster per test process, each on a database of its
// own; a package that uses it stops it at exit through Main:
//
//	func TestMain(m *testing.M) { erptest.Main(m) }
//
// (Without Main the cluster still shuts down when the test process exits;
// its files are removed by the next test run.)
func Engines(t testing.TB) []Engine {
	t.Helper()
	return []Engine{
		{
			Name: "sqlite",
			Open: OpenSQLite,
			DB: func(t testing.TB) string {
				return filepath.Join(t.TempDir(), "erp.db")
			},
		},
		{
			Name: "postgres",
			Open: OpenPostgres,
			DB:   PostgresDSN,
		},
	}
}

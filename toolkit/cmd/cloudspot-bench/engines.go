package main

import (
	"context"
	"path/filepath"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// databases makes the databases of one engine's measurements: SQLite files
// in the benchmark's directory, or databases on a throwaway PostgreSQL
// cluster started for them.
type databases struct {
	engine  string // as the tables name it: SQLite, PostgreSQL
	dir     string
	cluster *erptest.PostgresCluster // nil for SQLite
}

// newDatabases prepares the databases of engine (sqlite or postgres).
func newDatabases(engine, dir string) (*databases, error) {
	if engine == "sqlite" {
		return &databases{engine: "SQLite", dir: dir}, nil
	}
	cluster, err := erptest.NewPostgresCluster()
	if err != nil {
		return nil, err
	}
	return &databases{engine: "PostgreSQL", dir: dir, cluster: cluster}, nil
}

// create makes an empty database called name and returns what
// cloudspot-server's --db takes for it.
func (d *databases) create(ctx context.Context, name string) (string, error) {
	if d.cluster == nil {
		return filepath.Join(d.dir, name+".db"), nil
	}
	return d.cluster.CreateDatabase(ctx, name)
}

// remove stops the cluster and deletes its files; the SQLite files go
// with the benchmark's directory.
func (d *databases) remove() {
	if d.cluster != nil {
		d.cluster.Remove()
	}
}

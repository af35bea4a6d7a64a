package main

import (
	"context"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

// openStore opens the database that dsn names: a postgres:// URL or a
// SQLite file path.
func openStore(ctx context.Context, dsn string) (erp.Store, error) {
	return openSQLStore(ctx, dsn)
}

// openSQLStore is openStore with the engine-independent store type, for
// commands that work below the domain (migrate-data).
func openSQLStore(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	if postgres.IsURL(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, sqlitePath(dsn))
}

// sqlitePath is the file that a --db value other than a postgres:// URL
// names.
func sqlitePath(dsn string) string { return strings.TrimPrefix(dsn, "sqlite:") }

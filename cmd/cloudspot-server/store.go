package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/internal/sqlite"
)

// openStore opens the database that dsn names: a postgres:// URL or a
// SQLite file path.
func openStore(ctx context.Context, dsn string) (erp.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("PostgreSQL is not supported by this build")
	}
	return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite:"))
}

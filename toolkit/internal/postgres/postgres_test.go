package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/storetest"
)

func TestMain(m *testing.M) { erptest.Main(m) }

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) erp.Store { return erptest.OpenPostgres(t) })
}

// TestConcurrentStarts opens one new database from several processes' worth
// of stores at once: the migrations run once, and every store works.
func TestConcurrentStarts(t *testing.T) {
	t.Parallel()
	dsn := erptest.PostgresDSN(t)
	ctx := context.Background()
	const n = 6
	stores := make([]erp.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := postgres.Open(ctx, dsn)
			if err == nil {
				stores[i] = st
				t.Cleanup(func() { st.Close() })
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
	}
	for i, st := range stores {
		if err := st.CreateCompany(ctx, &erp.Company{Slug: fmt.Sprint("c", i), Name: "C", CreatedAt: storeTime}); err != nil {
			t.Fatal(err)
		}
	}
	if cs, err := stores[0].Companies(ctx); err != nil || len(cs) != n {
		t.Fatalf("%d companies (%v), want %d", len(cs), err, n)
	}
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var applied int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if d, _ := postgres.Dialect(); applied != len(d.Migrations) {
		t.Errorf("%d migrations recorded, want %d", applied, len(d.Migrations))
	}
}

func TestErrorClasses(t *testing.T) {
	for _, c := range []struct {
		err                 error
		unique, unavailable bool
	}{
		{&pgconn.PgError{Code: "23505"}, true, false},
		{fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "23505"}), true, false},
		{&pgconn.PgError{Code: "23503"}, false, false}, // foreign key
		{&pgconn.PgError{Code: "42P01"}, false, false}, // undefined table
		{&pgconn.PgError{Code: "57P01"}, false, true},  // admin shutdown
		{&pgconn.PgError{Code: "57P02"}, false, true},
		{&pgconn.PgError{Code: "57P03"}, false, true},
		{&pgconn.PgError{Code: "57014"}, false, false}, // query canceled
		{&pgconn.PgError{Code: "08006"}, false, true},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, false, true},
		{io.ErrUnexpectedEOF, false, true},
		{errors.New("syntax"), false, false},
	} {
		if got := postgres.IsUnique(c.err); got != c.unique {
			t.Errorf("IsUnique(%v) = %v", c.err, got)
		}
		if got := postgres.IsUnavailable(c.err); got != c.unavailable {
			t.Errorf("IsUnavailable(%v) = %v", c.err, got)
		}
	}
}

// TestUnreachable opens a database where no server listens: the error says
// the database is unavailable, and does not show the password.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = postgres.Open(context.Background(), "postgres://u:sekrit-pw@"+addr+"/db?sslmode=disable")
	if erp.ErrorCode(err) != erp.EUnavailable {
		t.Errorf("error %v (code %q), want %q", err, erp.ErrorCode(err), erp.EUnavailable)
	}
	if err != nil && contains(err.Error(), "sekrit-pw") {
		t.Errorf("the error shows the password: %v", err)
	}
	_, err = postgres.Open(context.Background(), "postgres://u:sekrit-pw@%zz/db")
	if err == nil || contains(err.Error(), "sekrit-pw") {
		t.Errorf("a malformed URL: %v", err)
	}
}

package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

// TestSQLiteWritersQueueInTheProcess: 240 writing transactions at once on
// one SQLite file, each holding the write lock for 50 ms, 12 s in all:
// longer than SQLite's busy timeout (10 s), which a waiter in SQLite's own
// busy handler would reach and fail with "database unavailable". Queued in
// the process, every one of them commits.
func TestSQLiteWritersQueueInTheProcess(t *testing.T) {
	t.Parallel()
	const n, hold = 240, 50 * time.Millisecond
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "erp.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.DB().Exec(`CREATE TABLE writes (n INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs <- sqlstore.InTx(ctx, st, func(tx *sql.Tx) error {
				if _, err := tx.Exec(`INSERT INTO writes (n) VALUES ($1)`, i); err != nil {
					return err
				}
				time.Sleep(hold)
				return nil
			})
		})
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			if failed++; failed == 1 {
				t.Errorf("a writer failed: %v", err)
			}
		}
	}
	var rows int
	if err := st.DB().QueryRow(`SELECT COUNT(*) FROM writes`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if failed > 0 || rows != n {
		t.Errorf("%d of %d writers failed, %d rows written", failed, n, rows)
	}
}

// TestPanicInATransactionRollsItBack: a panic inside a transaction comes
// through to the caller, nothing of the transaction is kept, and the next
// write is not left waiting for the connection or the writer's turn.
func TestPanicInATransactionRollsItBack(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "erp.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.DB().Exec(`CREATE TABLE writes (n INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	recovered := make(chan any, 1)
	go func() {
		defer func() { recovered <- recover() }()
		sqlstore.InTx(ctx, st, func(tx *sql.Tx) error {
			if _, err := tx.Exec(`INSERT INTO writes (n) VALUES (1)`); err != nil {
				return err
			}
			panic("broken in the middle")
		})
	}()
	select {
	case r := <-recovered:
		if r != "broken in the middle" {
			t.Fatalf("recovered %v", r)
		}
	case <-ctx.Done():
		t.Fatal("the panicking transaction never ended")
	}
	err = sqlstore.InTx(ctx, st, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO writes (n) VALUES (2)`)
		return err
	})
	if err != nil {
		t.Fatalf("the write after the panic: %v", err)
	}
	var ns []int
	rows, err := st.DB().QueryContext(ctx, `SELECT n FROM writes ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		rows.Scan(&n)
		ns = append(ns, n)
	}
	if len(ns) != 1 || ns[0] != 2 {
		t.Errorf("rows %v, want only the write after the panic", ns)
	}
}

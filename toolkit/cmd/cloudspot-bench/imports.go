package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/sys/unix"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
)

// importFiles are the JSON files of products that the imports read, written
// once per size and shared by the engines.
type importFiles map[int]string

// file returns the file of n products (those the lists are seeded with),
// writing it first if needed.
func (f *importFiles) file(dir string, n int) (string, error) {
	if *f == nil {
		*f = importFiles{}
	}
	if p, ok := (*f)[n]; ok {
		return p, nil
	}
	p := filepath.Join(dir, fmt.Sprintf("artikels-%d.json", n))
	out, err := os.Create(p)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(out, 1<<16)
	w.WriteString("[\n")
	i := 0
	for r, err := range artikels(n) {
		if err != nil {
			out.Close()
			return "", err
		}
		b, err := json.Marshal(r.Value)
		if err != nil {
			out.Close()
			return "", err
		}
		if i > 0 {
			w.WriteString(",\n")
		}
		w.Write(b)
		i++
	}
	w.WriteString("\n]\n")
	if err := errors.Join(w.Flush(), out.Close()); err != nil {
		return "", err
	}
	(*f)[n] = p
	return p, nil
}

// benchImports imports each size's file into a new company with
// `cloudspot-server admin import artikels`, a process of its own, beside
// the engine storing the same records as one row each with nothing of
// ours in the way.
func benchImports(ctx context.Context, c config, bin string, dbs *databases, files *importFiles, stdout, stderr io.Writer) error {
	for _, n := range c.imports {
		file, err := files.file(c.dir, n)
		if err != nil {
			return err
		}
		fi, err := os.Stat(file)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%s: importing %d products ...\n", dbs.engine, n)
		ceilingDB, err := dbs.create(ctx, fmt.Sprintf("ceiling%d", n))
		if err != nil {
			return err
		}
		ceiling, err := storeRecords(ctx, ceilingDB, file)
		if err != nil {
			return fmt.Errorf("ceiling of the import of %d: %w", n, err)
		}
		db, err := dbs.create(ctx, fmt.Sprintf("import%d", n))
		if err != nil {
			return err
		}
		if _, _, err := admin(ctx, bin, db, "company", "create", "imported", "--name", "Imported BV"); err != nil {
			return err
		}
		wall, peak, err := admin(ctx, bin, db, "import", "artikels", "--company", "imported", "--format", "json", file)
		if err != nil {
			return err
		}
		items := float64(n)
		t := table{title: fmt.Sprintf("Import of %d products (JSON file %s)", n, mb(fi.Size())),
			head: []string{"what", "rows/s", "MB/s of the file", "wall", "of the ceiling", "peak RSS"}}
		kind := "one transaction, prepared INSERT"
		if dbs.cluster != nil {
			kind = "one transaction, COPY"
		}
		t.add("ceiling: each record's JSON stored as one row ("+kind+"), in-process", rate(items/ceiling.Seconds()), mbps(float64(fi.Size())/ceiling.Seconds()), dur(ceiling), "100 %", "-")
		t.add("server: cloudspot-server admin import artikels", rate(items/wall.Seconds()), mbps(float64(fi.Size())/wall.Seconds()), dur(wall), pct(ceiling.Seconds()/wall.Seconds()), mb(peak))
		t.print(stdout)
	}
	return nil
}

// admin runs `bin admin --db db args...` and returns its wall time and
// peak RSS. The peak is the process's own high-water mark (VmHWM), read
// every 10 ms while it runs (a peak in its last 10 ms may be missed): the
// rusage of a child started from this process also counts this process's
// memory, which the child shared until it started the program.
func admin(ctx context.Context, bin, db string, args ...string) (time.Duration, int64, error) {
	cmd := exec.CommandContext(ctx, bin, append([]string{"admin", "--db", db}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	var peak int64
	exited := make(chan struct{})
	go func() {
		// Wait for the process to end without reaping it, so that its
		// pid is not reused while it is still read.
		var info unix.Siginfo
		unix.Waitid(unix.P_PID, cmd.Process.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		close(exited)
	}()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for running := true; running; {
		select {
		case <-exited:
			running = false
		case <-tick.C:
		}
		if p, err := peakRSS(cmd.Process.Pid); err == nil {
			peak = max(peak, p)
		}
	}
	err := cmd.Wait()
	wall := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("cloudspot-server admin %v: %v\n%s", args, err, out.Bytes())
	}
	return wall, peak, nil
}

// storeRecords stores each record of the JSON file as one row of a table
// of its own in db (migrated as the server would), in one transaction:
// SQLite through a prepared INSERT, PostgreSQL through COPY. It returns
// how long reading and storing took.
func storeRecords(ctx context.Context, db, file string) (time.Duration, error) {
	st, err := erpserver.OpenDB(ctx, db)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	sdb := st.DB()
	if _, err := sdb.ExecContext(ctx, `CREATE TABLE import_ceiling (id BIGINT PRIMARY KEY, record TEXT NOT NULL)`); err != nil {
		return 0, err
	}
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	start := time.Now()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<16))
	if _, err := dec.Token(); err != nil {
		return 0, err
	}
	var id int64
	next := func() (string, bool, error) {
		if !dec.More() {
			return "", false, nil
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return "", false, err
		}
		id++
		return string(raw), true, nil
	}
	conn, err := sdb.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		if pc, ok := dc.(*stdlib.Conn); ok {
			_, err := pc.Conn().CopyFrom(ctx, pgx.Identifier{"import_ceiling"}, []string{"id", "record"}, pgx.CopyFromFunc(func() ([]any, error) {
				rec, ok, err := next()
				if !ok || err != nil {
					return nil, err
				}
				return []any{id, rec}, nil
			}))
			return err
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if id == 0 {
		if err := insertRecords(ctx, conn, next, &id); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// insertRecords stores the records next yields through one prepared
// INSERT in one transaction.
func insertRecords(ctx context.Context, conn *sql.Conn, next func() (string, bool, error), id *int64) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO import_ceiling (id, record) VALUES ($1, $2)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for {
		rec, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if _, err := ins.ExecContext(ctx, *id, rec); err != nil {
			return err
		}
	}
	return tx.Commit()
}

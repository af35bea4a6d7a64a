package sqlite_test

// These benchmarks measure the server's own workload on the embedded engine:
// the real erp.Service on the shared store, on a database file of its own
// for every driver and workload. The pure-Go driver always runs; building
// with -tags driverbench adds the cgo driver (see driverbench_cgo_test.go),
// so the two can be compared:
//
//	go test -tags driverbench -run '^$' -bench . -benchtime 2s -count 3 ./internal/sqlite/ > bench.txt
//	benchstat -col /driver bench.txt

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlstore"
)

// benchDriver opens the project's schema at path through one database/sql
// driver.
type benchDriver struct {
	name string
	open func(ctx context.Context, path string) (*sqlstore.Store, error)
}

// benchDrivers are the drivers every benchmark runs on; a build tag may
// append to it.
var benchDrivers = []benchDriver{{name: "modernc", open: openModernc}}

func openModernc(ctx context.Context, path string) (*sqlstore.Store, error) {
	db, err := sql.Open("sqlite", sqlite.DSN(path))
	if err != nil {
		return nil, err
	}
	d, err := sqlite.Dialect()
	if err != nil {
		db.Close()
		return nil, err
	}
	st, err := sqlstore.New(ctx, db, d)
	if err != nil {
		db.Close()
		return nil, err
	}
	return st, nil
}

// benchArgon2 keeps password hashing cheap so that sign-ins measure the
// database rather than argon2.
var benchArgon2 = erp.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// newBenchService opens a fresh database file with drv and, when seed is
// set, fills it with the demo company, app, users and catalogue.
func newBenchService(b *testing.B, drv benchDriver, seed bool) *erp.Service {
	b.Helper()
	ctx := context.Background()
	st, err := drv.open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatalf("%s: open: %v", drv.name, err)
	}
	b.Cleanup(func() { st.Close() })
	svc, err := erp.NewService(erp.Config{Store: st, Argon2: benchArgon2})
	if err != nil {
		b.Fatal(err)
	}
	if seed {
		if _, err := demo.Seed(ctx, svc); err != nil {
			b.Fatalf("%s: seed: %v", drv.name, err)
		}
	}
	return svc
}

// forEachDriver runs fn as a sub-benchmark named driver=NAME, on a service
// set up once per driver and shared by the sub-benchmark's rounds.
func forEachDriver(b *testing.B, seed bool, fn func(b *testing.B, svc *erp.Service)) {
	for _, drv := range benchDrivers {
		svc := newBenchService(b, drv, seed)
		b.Run("driver="+drv.name, func(b *testing.B) {
			b.ReportAllocs()
			fn(b, svc)
		})
	}
}

// BenchmarkTokenCheck is the read behind every user API call: the token by
// its hash, its user, its app and the user's granted permissions.
func BenchmarkTokenCheck(b *testing.B) {
	forEachDriver(b, true, func(b *testing.B, svc *erp.Service) {
		ctx := context.Background()
		in, err := svc.SignIn(ctx, demo.App, demo.Username, demo.Password)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			perms, err := svc.PermissionsForToken(ctx, demo.App, in.Token)
			if err != nil {
				b.Fatal(err)
			}
			if len(perms) != len(demo.Granted()) {
				b.Fatalf("got %d permissions, want %d", len(perms), len(demo.Granted()))
			}
		}
	})
}

// BenchmarkListArtikels reads the demo company's whole catalogue with its
// company token.
func BenchmarkListArtikels(b *testing.B) {
	forEachDriver(b, true, func(b *testing.B, svc *erp.Service) {
		ctx := context.Background()
		for b.Loop() {
			ps, err := svc.ArtikelsForToken(ctx, demo.CompanyToken)
			if err != nil {
				b.Fatal(err)
			}
			if len(ps) != 74 {
				b.Fatalf("got %d products, want 74", len(ps))
			}
		}
	})
}

// BenchmarkSignIn issues user tokens one after another: a password check
// and one inserted row each.
func BenchmarkSignIn(b *testing.B) {
	forEachDriver(b, true, func(b *testing.B, svc *erp.Service) {
		ctx := context.Background()
		for b.Loop() {
			if _, err := svc.SignIn(ctx, demo.App, demo.Username, demo.Password); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSignInParallel issues user tokens from 4 goroutines per CPU, so
// that writers queue on SQLite's single write lock. Any error, "database is
// locked" above all, fails the benchmark.
func BenchmarkSignInParallel(b *testing.B) {
	forEachDriver(b, true, func(b *testing.B, svc *erp.Service) {
		ctx := context.Background()
		var failed, locked atomic.Int64
		var first atomic.Value
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := svc.SignIn(ctx, demo.App, demo.Username, demo.Password); err != nil {
					failed.Add(1)
					if isLocked(err) {
						locked.Add(1)
					}
					first.CompareAndSwap(nil, err.Error())
				}
			}
		})
		if n := failed.Load(); n > 0 {
			b.Fatalf("%d sign-ins failed (%d with the database locked); first: %v", n, locked.Load(), first.Load())
		}
	})
}

// isLocked reports an error that a writer gave up waiting for the lock.
func isLocked(err error) bool {
	s := strings.ToLower(err.Error())
	return erp.ErrorCode(err) == erp.EUnavailable || strings.Contains(s, "database is locked") || strings.Contains(s, "busy")
}

// BenchmarkImportArtikels imports 1000 products in one transaction, again
// and again into the same company, so every measured round updates 1000
// existing rows (the first import, which creates them, is not measured).
func BenchmarkImportArtikels(b *testing.B) {
	ps := benchArtikels(1000)
	forEachDriver(b, false, func(b *testing.B, svc *erp.Service) {
		ctx := context.Background()
		// A driver's store is opened once for all of b.N's rounds.
		if _, err := svc.CreateCompany(ctx, "bench", "Bench BV"); err == nil {
			if _, err := svc.ImportArtikels(ctx, "bench", erp.Records(ps)); err != nil {
				b.Fatal(err)
			}
		} else if erp.ErrorCode(err) != erp.EConflict {
			b.Fatal(err)
		}
		for b.Loop() {
			r, err := svc.ImportArtikels(ctx, "bench", erp.Records(ps))
			if err != nil {
				b.Fatal(err)
			}
			if r.Updated != len(ps) {
				b.Fatalf("updated %d products, want %d", r.Updated, len(ps))
			}
		}
	})
}

// benchArtikels makes n valid products with distinct SKUs.
func benchArtikels(n int) []cloudspot.Artikel {
	ps := make([]cloudspot.Artikel, n)
	for i := range ps {
		price := cloudspot.NewDecimal(int64(100+i), 2)
		ps[i] = cloudspot.Artikel{
			Naam:               fmt.Sprintf("Koffiebonen %d", i),
			Beschrijving:       "Gebrande bonen, 1 kg, voor de espressomachine.",
			SKU:                fmt.Sprintf("BENCH-%05d", i),
			VoorraadBijhouden:  cloudspot.VoorraadBijhoudenFysiek,
			OpVoorraad:         cloudspot.NewDecimal(int64(i), 0),
			ProductURL:         "https://example.com/p/" + fmt.Sprint(i),
			VerkoopprijsExcl:   price,
			VerkoopprijsIncl:   cloudspot.NewDecimal(int64(100+i)*121/100, 2),
			InkoopprijsExcl:    cloudspot.NewDecimal(int64(50+i), 2),
			InkoopprijsIncl:    cloudspot.NewDecimal(int64(60+i), 2),
			BTW:                cloudspot.NewDecimal(21, 0),
			Bestellingtype:     cloudspot.BestellingtypeIdeaal,
			UnitsPerBestelling: cloudspot.NewDecimal(1, 0),
			Status:             cloudspot.ArtikelStatusZichtbaar,
		}
	}
	return ps
}

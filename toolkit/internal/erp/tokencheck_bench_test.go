package erp_test

import (
	"context"
	"crypto/sha256"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// A token check against its ceiling, in the same run: hashing the token and
// finding its permissions in a map, which is all a check from memory needs
// besides the shared read of the change counter. Run with
//
//	go test -run '^$' -bench TokenCheck -benchmem ./internal/erp/

func benchService(b *testing.B) (*erp.Service, string) {
	st := erptest.OpenSQLite(b)
	svc := erptest.Must(erp.NewService(erp.Config{Store: st}))(b)
	ctx := context.Background()
	erptest.Must(demo.Seed(ctx, svc))(b)
	s := erptest.Must(svc.SignIn(ctx, demo.App, demo.Username, demo.Password))(b)
	return svc, s.Token
}

func BenchmarkTokenCheck(b *testing.B) {
	svc, token := benchService(b)
	ctx := context.Background()
	b.Run("Serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.PermissionsForToken(ctx, demo.App, token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := svc.PermissionsForToken(ctx, demo.App, token); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkTokenCheckCeiling(b *testing.B) {
	_, token := benchService(b)
	var mu sync.Mutex
	m := map[[sha256.Size]byte][]string{sha256.Sum256([]byte(token)): demo.Granted()}
	check := func() []string {
		k := sha256.Sum256([]byte(token))
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), m[k]...)
	}
	b.Run("Serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if check() == nil {
				b.Fatal("no permissions")
			}
		}
	})
	b.Run("Parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				check()
			}
		})
	})
}

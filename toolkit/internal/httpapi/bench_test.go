package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// Benchmarks of whole API calls: the SDK, real HTTP on loopback, the
// handler, the service and SQLite, with the demo data.
//
//	go test -run '^$' -bench . -benchmem ./internal/httpapi/

func BenchmarkAPI(b *testing.B) {
	srv := erptest.Start(b, erptest.Options{Demo: true})
	ctx := context.Background()
	users := erptest.Must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(srv.URL)))(b)
	company := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(srv.URL)))(b)
	token := erptest.Must(users.Authenticate(ctx, demo.Username, demo.Password))(b).Token

	b.Run("Permissions", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := users.Permissions(ctx, token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("PermissionsParallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := users.Permissions(ctx, token); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("ArtikelsList74", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if as, err := company.Artikels.List(ctx); err != nil || len(as) != 74 {
				b.Fatal(len(as), err)
			}
		}
	})
	// The protocol's list as the reference client asks for it (no version
	// header), and version 0.6, over plain HTTP: what the server sends,
	// without the SDK's decoding.
	for _, c := range []struct{ name, version string }{{"ArtikelsList74Protocol", ""}, {"ArtikelsList74V06", "0.6"}} {
		b.Run(c.name, func(b *testing.B) {
			req, _ := http.NewRequest("GET", srv.URL+"/artikels/", nil)
			req.Header.Set("X-ERP-TOKEN", demo.CompanyToken)
			if c.version != "" {
				req.Header.Set("X-Cloudspot-API-Version", c.version)
			}
			b.ReportAllocs()
			for b.Loop() {
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != 200 {
					b.Fatal(res.StatusCode, err)
				}
				b.SetBytes(n)
			}
		})
	}
	b.Run("KlantenList66", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if ks, err := company.Klanten.List(ctx); err != nil || len(ks) != 66 {
				b.Fatal(len(ks), err)
			}
		}
	})
	// Sign-in is dominated by argon2id (19 MiB, 2 passes) by design.
	b.Run("SignIn", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := users.Authenticate(ctx, demo.Username, demo.Password); err != nil {
				b.Fatal(err)
			}
		}
	})
}

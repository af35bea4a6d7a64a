package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// BenchmarkGetUserVersions compares get-user in version 0.5 (encoding/json
// with the company's uid and the pin) with 0.4 (written byte by byte), the
// ceiling, over real HTTP on loopback:
//
//	go test -run '^$' -bench GetUserVersions -benchmem ./internal/httpapi/
func BenchmarkGetUserVersions(b *testing.B) {
	srv := erptest.Start(b, erptest.Options{Demo: true})
	token := erptest.Must(srv.Service.SignIn(context.Background(), demo.App, demo.Username, demo.Password))(b).Token
	for _, v := range []string{"0.4", "0.5"} {
		b.Run(v, func(b *testing.B) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/auth/get-user/", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("X-ERP-REQUESTOR", demo.App)
			req.Header.Set("X-ERP-TOKEN", token)
			req.Header.Set("X-Cloudspot-API-Version", v)
			b.ReportAllocs()
			for b.Loop() {
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatal(res.Status)
				}
			}
		})
	}
}

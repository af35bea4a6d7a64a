package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// TestObservedRoutes: the route a request is reported under (the metrics'
// label) is the matched path without its slash, whatever the query and
// the version asked for; a path the API does not have is "other", so that
// clients cannot invent labels.
func TestObservedRoutes(t *testing.T) {
	t.Parallel()
	srv := erptest.Start(t, erptest.Options{Demo: true})
	var got []string
	h := httpapi.New(srv.Service, nil, httpapi.Observe(func(route, method string, status int, took time.Duration) {
		got = append(got, route)
	}))
	for _, path := range []string{
		"/api/v1/categories/", "/api/v1/categories", "/api/v1/categories/?id=1", "/api/v1/categories/?id=x",
		"/api/v1/artikels/?id=1", "/api/v1/categories/123/", "/api/v1/categorieen/",
	} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("X-ERP-TOKEN", demo.CompanyToken)
		req.Header.Set("X-Cloudspot-API-Version", "0.6")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	want := []string{"/api/v1/categories", "/api/v1/categories", "/api/v1/categories", "/api/v1/categories", "/api/v1/artikels", "other", "other"}
	if !slices.Equal(got, want) {
		t.Errorf("routes %q, want %q", got, want)
	}
}

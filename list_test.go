package cloudspot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// products is a list body of n products with ids 1..n, the third without a
// purchase price.
func artikels(n int) string {
	var b strings.Builder
	b.WriteString(`{"data": [`)
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		price := `"7.25"`
		if i == 3 {
			price = "null"
		}
		fmt.Fprintf(&b, `{"id": %d, "naam": "Product %d", "verkoopprijs_excl": "12.50", "inkoopprijs_excl": %s, "BTW": 21}`, i, i, price)
	}
	b.WriteString(`], "next": null}`)
	return b.String()
}

func TestAllYieldsWhatListReturns(t *testing.T) {
	t.Parallel()
	_, base := newStub(t, reply(200, "application/json", artikels(2500)))
	api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
	ctx := context.Background()
	list, err := api.Artikels.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var all []cloudspot.Artikel
	for a, err := range api.Artikels.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, a)
	}
	if len(list) != 2500 {
		t.Fatalf("List returned %d products, want 2500", len(list))
	}
	if d := diff(list, all); d != "" {
		t.Errorf("All differs from List (-list +all):\n%s", d)
	}
	if list[2].InkoopprijsExcl.Known() || !list[1].InkoopprijsExcl.Known() || list[1].InkoopprijsExcl.String() != "7.25" {
		t.Errorf("purchase prices %q (known %v) and %q: null must stay unknown", list[2].InkoopprijsExcl, list[2].InkoopprijsExcl.Known(), list[1].InkoopprijsExcl)
	}
	if list[2499].ID != 2500 || list[2499].Naam != "Product 2500" {
		t.Errorf("last product = %+v", list[2499])
	}
}

// endlessArtikels sends products until the client goes away, and then
// closes gone.
func endlessArtikels(gone chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer close(gone)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data": [{"naam": "first"}`)
		chunk := []byte(strings.Repeat(`, {"naam": "Koffie", "verkoopprijs_excl": 12.50}`, 200))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	}
}

func TestAllStopsOnBreakAndCancel(t *testing.T) {
	t.Parallel()
	t.Run("break", func(t *testing.T) {
		t.Parallel()
		gone := make(chan struct{})
		_, base := newStub(t, endlessArtikels(gone))
		api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
		n := 0
		for _, err := range api.Klanten.All(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 5000 {
				break
			}
		}
		<-gone // the server notices the closed connection when a write fails
	})
	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		gone := make(chan struct{})
		_, base := newStub(t, endlessArtikels(gone))
		api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n, errs := 0, 0
		var last error
		for _, err := range api.Artikels.All(ctx) {
			if err != nil {
				errs++
				last = err
				continue
			}
			if n++; n == 5000 {
				cancel()
			}
		}
		if errs != 1 || !errors.Is(last, context.Canceled) {
			t.Fatalf("after cancelling: %d errors, last %v; want one matching context.Canceled", errs, last)
		}
		if n != 5000 {
			t.Errorf("%d products after cancelling at 5000", n)
		}
		<-gone
	})
}

// TestCutBodyIsAnError serves a valid list cut at every byte: List and All
// both fail, and All has yielded only whole products before failing.
func TestCutBodyIsAnError(t *testing.T) {
	t.Parallel()
	body := artikels(3)
	var cut atomic.Int64
	_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body[:cut.Load()])
	})
	api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
	ctx := context.Background()
	for k := 1; k < len(body); k++ {
		cut.Store(int64(k))
		if as, err := api.Artikels.List(ctx); err == nil {
			t.Fatalf("cut after %d of %d bytes: List returned %d products and no error", k, len(body), len(as))
		}
		var err error
		for _, e := range api.Artikels.All(ctx) {
			if e != nil {
				err = e
			}
		}
		if err == nil {
			t.Fatalf("cut after %d of %d bytes: All ended without an error", k, len(body))
		}
	}
}

func TestNextPageIsNotTruncatedSilently(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"NullAfter", `{"data": [{"naam": "a"}], "next": null}`, true},
		{"Empty", `{"next": "", "data": [{"naam": "a"}]}`, true},
		{"Absent", `{"data": [{"naam": "a"}]}`, true},
		{"URLAfter", `{"data": [{"naam": "a"}], "next": "https://erp.example/api/v1/artikels/?page=2"}`, false},
		{"URLBefore", `{"next": "/api/v1/artikels/?page=2", "data": [{"naam": "a"}]}`, false},
		{"Cursor", `{"data": [{"naam": "a"}], "next": {"cursor": 2}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, base := newStub(t, reply(200, "application/json", tc.body))
			api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
			as, err := api.Artikels.List(context.Background())
			if tc.ok {
				if err != nil || len(as) != 1 {
					t.Fatalf("List = %d products, %v; want 1", len(as), err)
				}
				return
			}
			if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "next page") || as != nil {
				t.Fatalf("List = %d products, %v; want no list and an error about the next page", len(as), err)
			}
		})
	}
}

func TestGetChecksTheID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       error // nil: the product with id 2
	}{
		{"Supported", `{"data": [{"id": 2, "naam": "Product 2"}]}`, nil},
		{"WholeList", artikels(3), errors.ErrUnsupported},
		{"OtherProduct", `{"data": [{"id": 1, "naam": "Product 1"}]}`, errors.ErrUnsupported},
		{"WithoutID", `{"data": [{"naam": "Product 2"}]}`, errors.ErrUnsupported},
		{"None", `{"data": []}`, cloudspot.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, base := newStub(t, reply(200, "application/json", tc.body))
			api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
			a, err := api.Artikels.Get(context.Background(), 2)
			if got := st.last().URL.Query().Get("id"); got != "2" {
				t.Errorf("asked with id=%q", got)
			}
			if tc.want == nil {
				if err != nil || a.ID != 2 || a.Naam != "Product 2" {
					t.Fatalf("Get(2) = %+v, %v", a, err)
				}
				return
			}
			if !errors.Is(err, tc.want) || a.ID != 0 || a.Naam != "" {
				t.Fatalf("Get(2) = %+v, %v; want an error matching %v", a, err, tc.want)
			}
			if tc.want == errors.ErrUnsupported && !strings.Contains(err.Error(), "does not support") {
				t.Errorf("error %q does not say the server lacks the call", err)
			}
		})
	}
}

// TestListSizedFromContentLength: with the body's length known, List sizes
// its result from the first objects; lists whose later objects are longer
// or shorter than the first still come back whole and in order.
func TestListSizedFromContentLength(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		short, all int // the first short products, then long ones up to all
	}{{"Uniform", 0, 3000}, {"LongerLater", 300, 3000}, {"ShorterLater", 2900, 3000}, {"FewerThanTheSample", 0, 200}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			b.WriteString(`{"data": [`)
			for i := range tc.all {
				if i > 0 {
					b.WriteString(",")
				}
				naam := "k"
				if (i >= tc.short) != (tc.name == "ShorterLater") {
					naam = strings.Repeat("lang ", 40)
				}
				fmt.Fprintf(&b, `{"id": %d, "naam": %q}`, i+1, naam)
			}
			b.WriteString(`]}`)
			body := b.String()
			_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				io.WriteString(w, body)
			})
			api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
			as, err := api.Artikels.List(context.Background())
			if err != nil || len(as) != tc.all {
				t.Fatalf("List = %d products, %v; want %d", len(as), err, tc.all)
			}
			for i, a := range as {
				if a.ID != int64(i+1) {
					t.Fatalf("product %d has id %d", i+1, a.ID)
				}
			}
		})
	}
}

// TestDuplicateKeysKeepTheLast: a key met twice in an object keeps its last
// value, null included, as encoding/json does.
func TestDuplicateKeysKeepTheLast(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]cloudspot.Artikel{
		`{"naam": "a", "naam": null}`:                      {},
		`{"naam": null, "naam": "b"}`:                      {Naam: "b"},
		`{"status": "ZICHTBAAR", "status": "x", "SKU": 1}`: {Status: "x", SKU: "1"},
		`{"naam": "a", "SKU": "s", "naam": "ZICHTBAAR"}`:   {Naam: "ZICHTBAAR", SKU: "s"},
	} {
		var got cloudspot.Artikel
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if d := diff(want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", in, d)
		}
	}
}

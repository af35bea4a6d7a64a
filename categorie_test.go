package cloudspot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// categoriesBody is GET /categories/ as the design of API version 0.6
// writes it: the roots, each with its children, children always a list.
const categoriesBody = `{"data": [{"id": 1, "naam": "Dranken", "children": [{"id": 3, "naam": "Bier", "children": [` +
	`{"id": 5, "naam": "Trappist", "children": []}]}, {"id": 4, "naam": "Wijn", "children": []}]}, ` +
	`{"id": 2, "naam": "Snacks", "children": []}]}`

func categoriesTree() []cloudspot.Categorie {
	return []cloudspot.Categorie{
		{ID: 1, Naam: "Dranken", Children: []cloudspot.Categorie{
			{ID: 3, Naam: "Bier", Children: []cloudspot.Categorie{{ID: 5, Naam: "Trappist", Children: []cloudspot.Categorie{}}}},
			{ID: 4, Naam: "Wijn", Children: []cloudspot.Categorie{}},
		}},
		{ID: 2, Naam: "Snacks", Children: []cloudspot.Categorie{}},
	}
}

func TestCategorieenList(t *testing.T) {
	t.Parallel()
	st, base := newStub(t, reply(200, "application/json", categoriesBody))
	api := must(cloudspot.NewCompanyAPI("ctok", cloudspot.WithBaseURL(base)))(t)
	got := must(api.Categorieen.List(context.Background()))(t)
	if d := diff(categoriesTree(), got); d != "" {
		t.Error(d)
	}
	r := st.last()
	if r.Method != http.MethodGet || r.URL.Path != "/erp/api/v1/categories/" || r.URL.RawQuery != "" || r.Header.Get("X-ERP-TOKEN") != "ctok" {
		t.Errorf("sent %s %s?%s with token %q; want GET /erp/api/v1/categories/ with the company token",
			r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("X-ERP-TOKEN"))
	}
}

func TestCategorieenTolerance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       []cloudspot.Categorie
	}{
		{"NullAndAbsentChildren", `{"data": [{"id": 1, "naam": "A", "children": null}, {"id": 2, "naam": "B"}]}`,
			[]cloudspot.Categorie{{ID: 1, Naam: "A"}, {ID: 2, Naam: "B"}}},
		{"StringIDsAndUnknownKeys", `{"data": [{"id": "1", "naam": "A", "volgorde": 3, "meta": {"x": [1]},
			"children": [{"id": "2", "naam": "B", "parent": {"id": 1}}]}], "count": 1}`,
			[]cloudspot.Categorie{{ID: 1, Naam: "A", Children: []cloudspot.Categorie{{ID: 2, Naam: "B"}}}}},
		{"NullData", `{"data": null}`, nil},
		{"NullChild", `{"data": [{"id": 1, "naam": "A", "children": [null, {"id": 2}]}]}`,
			[]cloudspot.Categorie{{ID: 1, Naam: "A", Children: []cloudspot.Categorie{{ID: 2}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, base := newStub(t, reply(200, "application/json", tc.body))
			api := must(cloudspot.NewCompanyAPI("ctok", cloudspot.WithBaseURL(base)))(t)
			got := must(api.Categorieen.List(context.Background()))(t)
			if len(tc.want) == 0 && len(got) != 0 {
				t.Errorf("got %+v, want no categories", got)
			}
			if d := diff(tc.want, got); len(tc.want) > 0 && d != "" {
				t.Error(d)
			}
		})
	}
}

func TestCategorieenErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("DeepTree", func(t *testing.T) {
		t.Parallel()
		body := `{"data": [` + strings.Repeat(`{"children": [`, 6000) + strings.Repeat(`]}`, 6000) + `]}`
		_, base := newStub(t, reply(200, "application/json", body))
		api := must(cloudspot.NewCompanyAPI("ctok", cloudspot.WithBaseURL(base)))(t)
		if _, err := api.Categorieen.List(ctx); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("a tree 6000 levels deep: %v; want an error saying it is nested too deeply", err)
		}
	})
	t.Run("BadChild", func(t *testing.T) {
		t.Parallel()
		_, base := newStub(t, reply(200, "application/json", `{"data": [{"id": 1, "children": [{"id": 2}, {"id": 3, "children": [{"id": "x"}]}]}]}`))
		api := must(cloudspot.NewCompanyAPI("ctok", cloudspot.WithBaseURL(base)))(t)
		_, err := api.Categorieen.List(ctx)
		var fe *cloudspot.FieldError
		if !errors.As(err, &fe) || fe.Key != "children[1].children[0].id" {
			t.Errorf("error %v; want a FieldError at children[1].children[0].id", err)
		}
	})
	t.Run("Forbidden", func(t *testing.T) {
		t.Parallel()
		_, base := newStub(t, reply(401, "application/json", `{"message": "This token has no access to the products."}`))
		api := must(cloudspot.NewCompanyAPI("ctok", cloudspot.WithBaseURL(base)))(t)
		_, err := api.Categorieen.List(ctx)
		var e *cloudspot.Error
		if !errors.As(err, &e) || e.StatusCode != 401 || e.Message != "This token has no access to the products." {
			t.Errorf("error %v; want the server's 401 and its message", err)
		}
	})
	t.Run("NoToken", func(t *testing.T) {
		t.Parallel()
		st, base := newStub(t, reply(200, "application/json", categoriesBody))
		api := must(cloudspot.NewCompanyAPI(" ", cloudspot.WithBaseURL(base)))(t)
		if _, err := api.Categorieen.List(ctx); !errors.Is(err, cloudspot.ErrNoValidToken) {
			t.Errorf("error %v; want ErrNoValidToken", err)
		}
		if _, err := api.Categorieen.Get(ctx, 1); !errors.Is(err, cloudspot.ErrNoValidToken) {
			t.Errorf("Get: error %v; want ErrNoValidToken", err)
		}
		if len(st.req) != 0 {
			t.Errorf("%d requests sent without a token", len(st.req))
		}
	})
	t.Run("ZeroCompanyAPI", func(t *testing.T) {
		t.Parallel()
		var api cloudspot.CompanyAPI
		if _, err := api.Categorieen.List(ctx); err == nil {
			t.Error("a zero CompanyAPI listed categories")
		}
	})
}

func TestCategorieenGet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bier := `{"data": [{"id": 3, "naam": "Bier", "children": [{"id": 5, "naam": "Trappist", "children": []}]}]}`
	for _, tc := range []struct {
		name, body string
		status     int
		want       cloudspot.Categorie
		kind       error // what the error must match; nil for success
	}{
		{"OK", bier, 200, cloudspot.Categorie{ID: 3, Naam: "Bier", Children: []cloudspot.Categorie{{ID: 5, Naam: "Trappist", Children: []cloudspot.Categorie{}}}}, nil},
		{"NotFound", `{"message": "Category not found."}`, 404, cloudspot.Categorie{}, cloudspot.ErrNotFound},
		{"EmptyAnswer", `{"data": []}`, 200, cloudspot.Categorie{}, cloudspot.ErrNotFound},
		{"WholeTree", categoriesBody, 200, cloudspot.Categorie{}, errors.ErrUnsupported},
		{"AnotherCategory", `{"data": [{"id": 4, "naam": "Wijn", "children": []}]}`, 200, cloudspot.Categorie{}, errors.ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, base := newStub(t, reply(tc.status, "application/json", tc.body))
			api := must(cloudspot.NewCompanyAPI("ctok", cloudspot.WithBaseURL(base)))(t)
			got, err := api.Categorieen.Get(ctx, 3)
			if r := st.last(); r.URL.Path != "/erp/api/v1/categories/" || r.URL.RawQuery != "id=3" {
				t.Errorf("sent %s?%s, want /erp/api/v1/categories/?id=3", r.URL.Path, r.URL.RawQuery)
			}
			switch {
			case tc.kind == nil && err != nil:
				t.Fatal(err)
			case tc.kind != nil && !errors.Is(err, tc.kind):
				t.Fatalf("error %v; want one matching %v", err, tc.kind)
			}
			if d := diff(tc.want, got); d != "" {
				t.Error(d)
			}
		})
	}
}

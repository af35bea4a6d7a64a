package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestCategoryTreeAtTheCap fills a company with as many categories as it
// may hold, each name as long as allowed and made of characters JSON must
// escape, and reads the tree over HTTP with several clients at once: each
// gets every category. One more category is refused. The body's size is
// logged: the cap is what bounds it.
func TestCategoryTreeAtTheCap(t *testing.T) {
	t.Parallel()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := erptest.Start(t, erptest.Options{Store: e.Open(t)})
			erptest.Must(srv.Service.CreateCompany(ctx, "groot", "Groot BV"))(t)
			naam := func(i int) string {
				p := fmt.Sprintf("%05d ", i)
				return p + strings.Repeat("\u2028", erp.MaxCategorieNaam-len(p)-1) + "<"
			}
			var cats []erp.NewCategorie
			var path []string
			for i := range erp.MaxCompanyCategorieen {
				c := erp.NewCategorie{Naam: naam(i)}
				if i < erp.MaxCategorieDepth {
					c.Parents = append([]string(nil), path...)
					path = append(path, c.Naam)
				}
				cats = append(cats, c)
			}
			erptest.Must(srv.Service.ImportCategorieen(ctx, "groot", erp.Records(cats)))(t)
			_, err := srv.Service.ImportCategorieen(ctx, "groot", erp.Records([]erp.NewCategorie{{Naam: "een te veel"}}))
			var ie *erp.ImportError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), "at most 10000 categories") {
				t.Errorf("one category past the cap: %v", err)
			}

			token, _, err := srv.Service.IssueCompanyToken(ctx, "groot", "t", erp.Rights{Artikels: true})
			if err != nil {
				t.Fatal(err)
			}
			req := erptest.Must(http.NewRequestWithContext(ctx, "GET", srv.URL+"/categories/", nil))(t)
			req.Header.Set("X-ERP-TOKEN", token)
			resp := erptest.Must(http.DefaultClient.Do(req))(t)
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("GET /categories/: %d, %v", resp.StatusCode, err)
			}
			t.Logf("the tree of %d categories with the longest escaped names: %d bytes", erp.MaxCompanyCategorieen, n)

			api := erptest.Must(cloudspot.NewCompanyAPI(token, cloudspot.WithBaseURL(srv.URL), cloudspot.WithMaxResponseBytes(64<<20)))(t)
			var wg sync.WaitGroup
			for range 6 {
				wg.Go(func() {
					tree, err := api.Categorieen.List(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					seen, depth := 0, 0
					var walk func(cs []cloudspot.Categorie, level int)
					walk = func(cs []cloudspot.Categorie, level int) {
						depth = max(depth, level)
						for _, c := range cs {
							if c.Naam != naam(seen) {
								t.Errorf("category %d read as %.20q", seen, c.Naam)
							}
							seen++
							walk(c.Children, level+1)
						}
					}
					walk(tree, 0)
					if seen != erp.MaxCompanyCategorieen || depth != erp.MaxCategorieDepth {
						t.Errorf("read %d categories %d levels deep, want %d and %d", seen, depth, erp.MaxCompanyCategorieen, erp.MaxCategorieDepth)
					}
				})
			}
			wg.Wait()
		})
	}
}

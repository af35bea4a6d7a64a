package erp_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestCataloguePages walks a company's products forward and back a page at
// a time, with and without a search, and its clients by number.
func TestCataloguePages(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		var as []cloudspot.Artikel
		for i := range 12 {
			a := artikel(fmt.Sprintf("P-%02d", i))
			if i%4 == 1 {
				a.Naam = fmt.Sprintf("Crème brûlée %d", i)
			}
			as = append(as, a)
		}
		erptest.Must(w.svc.ImportArtikels(ctx, "globex", erp.Records(as)))(t)
		skus := func(p erp.Page[erp.StoredArtikel]) []string {
			out := []string{}
			for _, a := range p.Items {
				out = append(out, a.SKU)
			}
			return out
		}
		page := func(q erp.PageQuery) erp.Page[erp.StoredArtikel] {
			t.Helper()
			return erptest.Must(w.svc.ArtikelPage(ctx, "globex", q))(t)
		}
		// Forward through GLOBEX-1 and P-00 ... P-11, five at a time.
		p1 := page(erp.PageQuery{Limit: 5})
		p2 := page(erp.PageQuery{Limit: 5, KeyRange: erp.KeyRange{After: p1.Next}})
		p3 := page(erp.PageQuery{Limit: 5, KeyRange: erp.KeyRange{After: p2.Next}})
		for _, c := range []struct {
			name string
			p    erp.Page[erp.StoredArtikel]
			want []string
			prev bool
			next bool
		}{
			{"page 1", p1, []string{"GLOBEX-1", "P-00", "P-01", "P-02", "P-03"}, false, true},
			{"page 2", p2, []string{"P-04", "P-05", "P-06", "P-07", "P-08"}, true, true},
			{"page 3", p3, []string{"P-09", "P-10", "P-11"}, true, false},
		} {
			if got := skus(c.p); !reflect.DeepEqual(got, c.want) || (c.p.Prev != 0) != c.prev || (c.p.Next != 0) != c.next {
				t.Errorf("%s: %q prev %d next %d; want %q, prev %v, next %v", c.name, got, c.p.Prev, c.p.Next, c.want, c.prev, c.next)
			}
		}
		back := page(erp.PageQuery{Limit: 5, KeyRange: erp.KeyRange{Before: p3.Prev}})
		if !reflect.DeepEqual(skus(back), skus(p2)) || back.Prev == 0 || back.Next != p2.Next {
			t.Errorf("back from page 3: %q prev %d next %d; want page 2 again", skus(back), back.Prev, back.Next)
		}
		first := page(erp.PageQuery{Limit: 5, KeyRange: erp.KeyRange{Before: back.Prev}})
		if !reflect.DeepEqual(skus(first), skus(p1)) || first.Prev != 0 {
			t.Errorf("back to page 1: %q prev %d; want page 1, no previous", skus(first), first.Prev)
		}
		s1 := page(erp.PageQuery{Limit: 2, Search: "CREME BRULEE"})
		s2 := page(erp.PageQuery{Limit: 2, Search: "creme brulee", KeyRange: erp.KeyRange{After: s1.Next}})
		if got := append(skus(s1), skus(s2)...); !reflect.DeepEqual(got, []string{"P-01", "P-05", "P-09"}) || s2.Next != 0 {
			t.Errorf("search pages: %q (next %d)", got, s2.Next)
		}
		if got := skus(page(erp.PageQuery{Search: "p-1"})); !reflect.DeepEqual(got, []string{"P-10", "P-11"}) {
			t.Errorf("search by SKU: %q", got)
		}
		if got := page(erp.PageQuery{Limit: 1 << 20}); len(got.Items) != 13 {
			t.Errorf("a huge limit: %d products", len(got.Items))
		}
		_, err := w.svc.ArtikelPage(ctx, "globex", erp.PageQuery{KeyRange: erp.KeyRange{After: 1, Before: 5}})
		wantCode(t, "a page both after and before", err, erp.EInvalid, "")
		_, err = w.svc.ArtikelPage(ctx, "nope", erp.PageQuery{})
		wantCode(t, "a missing company", err, erp.ENotFound, "")

		kp := erptest.Must(w.svc.KlantPage(ctx, "globex", erp.PageQuery{Limit: 1}))(t)
		kp2 := erptest.Must(w.svc.KlantPage(ctx, "globex", erp.PageQuery{Limit: 1, KeyRange: erp.KeyRange{After: kp.Next}}))(t)
		if len(kp.Items) != 1 || kp.Items[0].Voornaam != "Jef" || kp.Next != 1 || len(kp2.Items) != 1 || kp2.Items[0].Voornaam != "Mia" || kp2.Next != 0 || kp2.Prev != 2 {
			t.Errorf("client pages: %+v then %+v", kp, kp2)
		}
		if got := erptest.Must(w.svc.KlantPage(ctx, "globex", erp.PageQuery{Search: "mia"}))(t); len(got.Items) != 1 {
			t.Errorf("client search: %+v", got)
		}
		a := erptest.Must(w.svc.CompanyArtikel(ctx, "globex", p1.Items[1].ID))(t)
		if a.SKU != "P-00" {
			t.Errorf("one product: %+v", a)
		}
		_, err = w.svc.CompanyArtikel(ctx, "acme", p1.Items[1].ID)
		wantCode(t, "another company's product", err, erp.ENotFound, "")
		if got := erptest.Must(w.svc.CatalogueCounts(ctx, "globex"))(t); got != (erp.CatalogueCounts{Artikels: 13, Klanten: 2}) {
			t.Errorf("counts %+v", got)
		}
	})
}

package httpapi_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestWireDetails pins the bodies of version 0.6 (products with their
// details, and the categories) as literal golden files, and that the
// products of the same company still come byte for byte as the protocol's
// (0.4) and 0.5 bodies whenever 0.6 is not what the call gets: by default,
// when asked, and when the request overrides its token's setting.
func TestWireDetails(t *testing.T) {
	t.Parallel()
	runWire(t, detailsCases)
}

func detailsCases(t *testing.T, st erp.Store) []wireCase {
	t.Helper()
	ctx := context.Background()
	srv := erptest.Start(t, erptest.Options{Demo: true, Store: st})
	co, company, _ := seedWireCompany(t, srv)
	// A token set to 0.6 by its administrator, and one with clients only.
	newer, tok, err := srv.Service.IssueCompanyToken(ctx, co.Slug, "wire 0.6", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Service.SetCompanyTokenAPIVersion(ctx, tok.ID, erp.APIVersion06); err != nil {
		t.Fatal(err)
	}
	clientsOnly, _, err := srv.Service.IssueCompanyToken(ctx, co.Slug, "wire clients", erp.Rights{Klanten: true})
	if err != nil {
		t.Fatal(err)
	}
	// Another company's category.
	erptest.Must(srv.Service.ImportCategorieen(ctx, demo.Company, erp.Records([]erp.NewCategorie{{Naam: "Koffie"}})))(t)
	demoCo := erptest.Must(srv.Store.CompanyBySlug(ctx, demo.Company))(t)
	theirs := erptest.Must(srv.Store.Categorieen(ctx, demoCo.ID))(t)[0].ID

	ps := erptest.Must(srv.Store.Artikels(ctx, co.ID))(t)
	hamer, workshop := ps[0].ID, ps[1].ID
	cat := map[string]int64{}
	for _, c := range erptest.Must(srv.Store.Categorieen(ctx, co.ID))(t) {
		cat[c.Naam] = c.ID
	}
	const elektrisch = `Elektrisch <230 V> & "snoer"`
	// The ids the database chose, masked where the golden files show them.
	products := []mask{
		{fmt.Sprintf(`{"id":%d,"naam":"Hamer 500 g"`, hamer), `{"id":"<hamer>","naam":"Hamer 500 g"`},
		{fmt.Sprintf(`{"id":%d,"naam":"Workshop houtbewerking"`, workshop), `{"id":"<workshop>","naam":"Workshop houtbewerking"`},
	}
	hamerCats := []mask{
		{fmt.Sprintf(`"categorie_id":%d,`, cat["Handgereedschap"]), `"categorie_id":"<Handgereedschap>",`},
		{fmt.Sprintf(`{"id":%d,"naam":"Handgereedschap"}`, cat["Handgereedschap"]), `{"id":"<Handgereedschap>","naam":"Handgereedschap"}`},
		{fmt.Sprintf(`{"id":%d,"naam":"Gereedschap"}`, cat["Gereedschap"]), `{"id":"<Gereedschap>","naam":"Gereedschap"}`},
	}
	tree := []mask{
		{fmt.Sprintf(`{"id":%d,"naam":"Gereedschap"`, cat["Gereedschap"]), `{"id":"<Gereedschap>","naam":"Gereedschap"`},
		{fmt.Sprintf(`{"id":%d,"naam":"Handgereedschap"`, cat["Handgereedschap"]), `{"id":"<Handgereedschap>","naam":"Handgereedschap"`},
		{fmt.Sprintf(`{"id":%d,"naam":"Elektrisch`, cat[elektrisch]), `{"id":"<Elektrisch>","naam":"Elektrisch`},
	}
	cursussen := mask{fmt.Sprintf(`{"id":%d,"naam":"Cursussen"`, cat["Cursussen"]), `{"id":"<Cursussen>","naam":"Cursussen"`}
	list06 := append(append([]mask{}, products...), hamerCats...)
	hamer06 := append([]mask{products[0]}, hamerCats...)

	h := headers
	const (
		tok_ = "X-ERP-TOKEN"
		ver  = "X-Cloudspot-API-Version"
	)
	byID := func(id int64) string { return "/api/v1/artikels/?id=" + strconv.FormatInt(id, 10) }
	catByID := func(id int64) string { return "/api/v1/categories/?id=" + strconv.FormatInt(id, 10) }
	return []wireCase{
		// Products in version 0.6: asked for, as latest, or the token's.
		{name: "Artikels06", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok_, company, ver, "0.6"), ""}, status: 200, shape: artikels06Shape, masks: list06},
		{name: "Artikels06Latest", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok_, company, ver, "latest"), ""}, status: 200, shape: artikels06Shape, masks: list06, golden: "Artikels06"},
		{name: "Artikels06Token", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok_, newer), ""}, status: 200, shape: artikels06Shape, masks: list06, golden: "Artikels06"},
		{name: "ArtikelByID06", srv: srv, req: request{"GET", byID(hamer), h(tok_, company, ver, "0.6"), ""}, status: 200, shape: artikels06Shape, masks: hamer06},
		{name: "ArtikelByID06Token", srv: srv, req: request{"GET", byID(hamer), h(tok_, newer), ""}, status: 200, shape: artikels06Shape, masks: hamer06, golden: "ArtikelByID06"},
		// The same company in the older versions: the protocol's bodies,
		// the golden files of TestWire, nothing of 0.6 in them.
		{name: "ArtikelsDefault", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok_, company), ""}, status: 200, shape: artikelsShape, golden: "Artikels"},
		{name: "Artikels05", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok_, company, ver, "0.5"), ""}, status: 200, shape: artikelsShape, golden: "Artikels"},
		{name: "Artikels06TokenAsked04", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok_, newer, ver, "0.4"), ""}, status: 200, shape: artikelsShape, golden: "Artikels"},
		{name: "ArtikelByID05", srv: srv, req: request{"GET", byID(workshop), h(tok_, company, ver, "0.5"), ""}, status: 200, shape: artikelByIDShape, id: workshop, golden: "ArtikelByID"},
		{name: "ArtikelByIDWithDetailsDefault", srv: srv, req: request{"GET", byID(hamer), h(tok_, company), ""}, status: 200, shape: artikelByIDShape, id: hamer},
		{name: "ErrArtikelByID06Unknown", srv: srv, req: request{"GET", byID(1 << 40), h(tok_, newer), ""}, status: 404, shape: errorShape, golden: "ErrArtikelByIDUnknown"},
		// Categories, in every version.
		{name: "Categories", srv: srv, req: request{"GET", "/api/v1/categories/", h(tok_, company), ""}, status: 200, shape: categoriesShape, masks: append([]mask{cursussen}, tree...)},
		{name: "CategoriesNoTrailingSlash", srv: srv, req: request{"GET", "/api/v1/categories", h(tok_, newer, ver, "0.4"), ""}, status: 200, shape: categoriesShape, masks: append([]mask{cursussen}, tree...), golden: "Categories"},
		{name: "CategoryByID", srv: srv, req: request{"GET", catByID(cat["Gereedschap"]), h(tok_, company), ""}, status: 200, shape: categoriesShape, masks: tree},
		{name: "CategoryByIDLeaf", srv: srv, req: request{"GET", catByID(cat["Cursussen"]), h(tok_, company), ""}, status: 200, shape: categoriesShape, masks: []mask{cursussen}},
		{name: "ErrCategoryByIDOtherCompany", srv: srv, req: request{"GET", catByID(theirs), h(tok_, company), ""}, status: 404, shape: errorShape, golden: "ErrCategoryByIDUnknown"},
		{name: "ErrCategoryByIDUnknown", srv: srv, req: request{"GET", catByID(1 << 40), h(tok_, company), ""}, status: 404, shape: errorShape},
		{name: "ErrCategoryByIDNotANumber", srv: srv, req: request{"GET", "/api/v1/categories/?id=Gereedschap", h(tok_, company), ""}, status: 400, shape: errorShape, golden: "ErrArtikelByIDNotANumber"},
		{name: "ErrCategoryByIDOverflow", srv: srv, req: request{"GET", "/api/v1/categories/?id=99999999999999999999", h(tok_, company), ""}, status: 400, shape: errorShape, golden: "ErrArtikelByIDNotANumber"},
		{name: "ErrCategoryByIDNegative", srv: srv, req: request{"GET", "/api/v1/categories/?id=-1", h(tok_, company), ""}, status: 400, shape: errorShape, golden: "ErrArtikelByIDNotANumber"},
		{name: "ErrCategoryByIDWideDigit", srv: srv, req: request{"GET", "/api/v1/categories/?id=%EF%BC%91", h(tok_, company), ""}, status: 400, shape: errorShape, golden: "ErrArtikelByIDNotANumber"},
		{name: "ErrCategoryByIDEmpty", srv: srv, req: request{"GET", "/api/v1/categories/?id=", h(tok_, company), ""}, status: 400, shape: errorShape, golden: "ErrArtikelByIDNotANumber"},
		{name: "ErrCategoryByIDZero", srv: srv, req: request{"GET", catByID(0), h(tok_, company), ""}, status: 400, shape: errorShape, golden: "ErrArtikelByIDNotANumber"},
		{name: "ErrCategoriesWithoutRight", srv: srv, req: request{"GET", "/api/v1/categories/", h(tok_, clientsOnly), ""}, status: 403, shape: errorShape},
		{name: "ErrCategoriesNoToken", srv: srv, req: request{"GET", "/api/v1/categories/", nil, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		{name: "ErrCategoriesPOST", srv: srv, req: request{"POST", "/api/v1/categories/", h(tok_, company), "{}"}, status: 405, shape: errorShape},
		{name: "ErrCategoriesUnknownVersion", srv: srv, req: request{"GET", "/api/v1/categories/", h(tok_, company, ver, "0.9"), ""}, status: 400, shape: errorShape, golden: "ErrAPIVersionUnknown"},
	}
}

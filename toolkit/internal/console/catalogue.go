package console

import (
	"net/http"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The catalogue, read-only: a company's products with their details and
// its clients a page at a time (by key, so that the last page of a large
// catalogue is as quick as the first), and its category tree.

type listPage[T any] struct {
	Company *erp.Company
	Page    erp.Page[T]
	Search  string
}

// pageQuery reads a list's query string: ?q=text&after=key or &before=key.
func pageQuery(q *request) erp.PageQuery {
	num := func(name string) int64 {
		n, err := strconv.ParseInt(q.r.FormValue(name), 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	pq := erp.PageQuery{Search: q.r.FormValue("q")}
	if pq.Before = num("before"); pq.Before == 0 {
		pq.After = num("after")
	}
	if len(pq.Search) > 200 {
		pq.Search = pq.Search[:200]
	}
	return pq
}

func (c *Console) listArtikels(q *request) error {
	co, err := c.svc.Company(q.ctx, q.r.PathValue("company"))
	if err != nil {
		return err
	}
	pq := pageQuery(q)
	pg, err := c.svc.ArtikelPage(q.ctx, co.Slug, pq)
	if err != nil {
		return err
	}
	return q.page(c, http.StatusOK, "artikels", "companies", "Artikels of "+co.Name, listPage[erp.StoredArtikel]{Company: co, Page: pg, Search: pq.Search})
}

type artikelPage struct {
	Company *erp.Company
	A       *erp.StoredArtikel
	Texts   []texts // the lists of texts per language, in wire order
}

type texts struct {
	Name string
	List []cloudspot.Translation
}

func (c *Console) showArtikel(q *request) error {
	co, err := c.svc.Company(q.ctx, q.r.PathValue("company"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return erp.Errorf(erp.ENotFound, "There is no such product.")
	}
	a, err := c.svc.CompanyArtikel(q.ctx, co.Slug, id)
	if err != nil {
		return err
	}
	return q.page(c, http.StatusOK, "artikel", "companies", a.Naam, artikelPage{co, a, []texts{
		{"samenstellingen", a.Samenstellingen}, {"ruwe_grondstoffen", a.RuweGrondstoffen},
		{"gebruiksaanwijzingen", a.Gebruiksaanwijzingen}, {"meer_info", a.MeerInfo}}})
}

func (c *Console) listKlanten(q *request) error {
	co, err := c.svc.Company(q.ctx, q.r.PathValue("company"))
	if err != nil {
		return err
	}
	pq := pageQuery(q)
	pg, err := c.svc.KlantPage(q.ctx, co.Slug, pq)
	if err != nil {
		return err
	}
	return q.page(c, http.StatusOK, "klanten", "companies", "Klanten of "+co.Name, listPage[erp.StoredKlant]{Company: co, Page: pg, Search: pq.Search})
}

type categorieenPage struct {
	Company *erp.Company
	Rows    []categorieRow
}

type categorieRow struct {
	cloudspot.Categorie
	Depth int
}

// showCategorieen is admin categorieen list: the tree with each
// category's id, which an import of products may name.
func (c *Console) showCategorieen(q *request) error {
	co, err := c.svc.Company(q.ctx, q.r.PathValue("company"))
	if err != nil {
		return err
	}
	cs, err := c.svc.Categorieen(q.ctx, co.Slug)
	if err != nil {
		return err
	}
	p := categorieenPage{Company: co}
	var walk func(cs []cloudspot.Categorie, depth int)
	walk = func(cs []cloudspot.Categorie, depth int) {
		for _, c := range cs {
			p.Rows = append(p.Rows, categorieRow{c, depth})
			walk(c.Children, depth+1)
		}
	}
	walk(cs, 0)
	return q.page(c, http.StatusOK, "categorieen", "companies", "Categorieen of "+co.Name, p)
}

package erp

import (
	"context"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/textsearch"
)

// The catalogue a page at a time, for people who browse it (the console):
// each page is read from where the previous one ended, so that the
// thousandth page of a large catalogue costs what the first does.

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// PageQuery asks for one page of a list kept in the order of a key: a
// product's id, a client's klantennummer.
type PageQuery struct {
	KeyRange
	// Search keeps the records that hold this text, as textsearch matches
	// it (a product's naam or SKU; a client's name, company name or
	// number), as the CLI's --search does.
	Search string
	Limit  int // records per page: DefaultPageSize when 0, at most MaxPageSize
}

// Page is one page of a list, in key order.
type Page[T any] struct {
	Items []T
	// Next is the After of the next page, Prev the Before of the previous
	// one; 0 when there is none.
	Next, Prev int64
}

// CatalogueCounts is the size of a company's catalogue.
type CatalogueCounts struct {
	Artikels    int
	Klanten     int
	Categorieen int
}

// ArtikelPage returns a page of a company's products, with their details,
// in creation (id) order.
func (s *Service) ArtikelPage(ctx context.Context, companySlug string, q PageQuery) (Page[StoredArtikel], error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return Page[StoredArtikel]{}, err
	}
	var keep func(*StoredArtikel) bool
	if m := textsearch.New(q.Search); m != nil {
		keep = func(a *StoredArtikel) bool { return m.Artikel(&a.Artikel) }
	}
	return readPage(q, func(r KeyRange, n int) ([]StoredArtikel, error) {
		return s.pages.ArtikelPage(ctx, c.ID, r, n, keep)
	}, func(a *StoredArtikel) int64 { return a.ID })
}

// KlantPage returns a page of a company's clients in klantennummer order.
func (s *Service) KlantPage(ctx context.Context, companySlug string, q PageQuery) (Page[StoredKlant], error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return Page[StoredKlant]{}, err
	}
	var keep func(*StoredKlant) bool
	if m := textsearch.New(q.Search); m != nil {
		keep = func(k *StoredKlant) bool { return m.Klant(&k.Klant) }
	}
	return readPage(q, func(r KeyRange, n int) ([]StoredKlant, error) {
		return s.pages.KlantPage(ctx, c.ID, r, n, keep)
	}, func(k *StoredKlant) int64 { return k.Klantennummer })
}

// readPage reads one record more than the page holds, to know whether a
// page follows in the direction read.
func readPage[T any](q PageQuery, read func(KeyRange, int) ([]T, error), key func(*T) int64) (Page[T], error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	r := q.KeyRange
	if r.After < 0 || r.Before < 0 || (r.After > 0 && r.Before > 0) {
		return Page[T]{}, Errorf(EInvalid, "a page starts after a key or ends before one, not both")
	}
	items, err := read(r, limit+1)
	if err != nil {
		return Page[T]{}, err
	}
	var p Page[T]
	more := len(items) > limit
	if r.Before > 0 {
		if more {
			items = items[1:]
		}
		p.Items = items
		if len(items) > 0 {
			p.Next = key(&items[len(items)-1])
			if more {
				p.Prev = key(&items[0])
			}
		}
		return p, nil
	}
	if more {
		items = items[:limit]
	}
	p.Items = items
	switch {
	case len(items) > 0:
		if more {
			p.Next = key(&items[len(items)-1])
		}
		if r.After != 0 {
			p.Prev = key(&items[0])
		}
	case r.After != 0:
		p.Prev = r.After + 1 // back to the page that ends with After
	}
	return p, nil
}

// CatalogueCounts counts a company's products, clients and categories.
func (s *Service) CatalogueCounts(ctx context.Context, companySlug string) (CatalogueCounts, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return CatalogueCounts{}, err
	}
	return s.pages.CatalogueCounts(ctx, c.ID)
}

// CompanyArtikel returns one product of a company by id, with its
// details.
func (s *Service) CompanyArtikel(ctx context.Context, companySlug string, id int64) (*StoredArtikel, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return nil, err
	}
	a, err := s.catalogue.Artikel(ctx, c.ID, id)
	return a, notFoundAs(err, "company %s has no product %d", c.Slug, id)
}

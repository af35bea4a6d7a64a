package cloudspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// CompanyAPI reads one company's data with an API token that an ERP
// administrator generated for it. A token carries rights: one without the
// right for a call gets an error matching [ErrForbidden].
type CompanyAPI struct {
	// Artikels are the company's products.
	Artikels *ArtikelService
	// Klanten are the company's clients.
	Klanten *KlantService
}

// NewCompanyAPI returns a CompanyAPI for a company API token. An empty token
// is accepted here and refused by every call with [ErrNoValidToken].
func NewCompanyAPI(token string, opts ...Option) (*CompanyAPI, error) {
	t, err := newTransport(opts)
	if err != nil {
		return nil, err
	}
	ct := companyToken{t: t, token: strings.TrimSpace(token)}
	return &CompanyAPI{Artikels: &ArtikelService{ct}, Klanten: &KlantService{ct}}, nil
}

type companyToken struct {
	t     *transport
	token string
}

func (c companyToken) call(path string, query url.Values) call {
	return call{method: http.MethodGet, path: path, query: query, kind: companyTokenCall, token: c.token}
}

func (c companyToken) list(ctx context.Context, path string, query url.Values, out any) error {
	return c.t.do(ctx, c.call(path, query), out)
}

// ArtikelService reads a company's products.
type ArtikelService struct{ c companyToken }

// List returns all products of the token's company, in the ERP's order.
func (s *ArtikelService) List(ctx context.Context) ([]Artikel, error) {
	var out struct {
		Data []Artikel `json:"data"`
	}
	if err := s.c.list(ctx, "artikels", nil, &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		out.Data = []Artikel{}
	}
	return out.Data, nil
}

// Get returns one product of the token's company by its ERP id, with ID
// set. This call came with a later version of the ERP's API
// (GET /artikels/?id=); a product that does not exist, or belongs to
// another company, is an error matching [ErrNotFound].
func (s *ArtikelService) Get(ctx context.Context, id int64) (Artikel, error) {
	var out struct {
		Data []Artikel `json:"data"`
	}
	q := url.Values{"id": {strconv.FormatInt(id, 10)}}
	if err := s.c.list(ctx, "artikels", q, &out); err != nil {
		return Artikel{}, err
	}
	for _, a := range out.Data {
		if a.ID == id || (a.ID == 0 && len(out.Data) == 1) {
			a.ID = id
			return a, nil
		}
	}
	return Artikel{}, s.c.t.newError(s.c.call("artikels", q), http.StatusOK, ErrNotFound, fmt.Sprintf("no product with id %d", id))
}

// KlantService reads a company's clients.
type KlantService struct{ c companyToken }

// List returns all clients of the token's company, in the ERP's order.
func (s *KlantService) List(ctx context.Context) ([]Klant, error) {
	var out struct {
		Data []Klant `json:"data"`
	}
	if err := s.c.list(ctx, "klanten", nil, &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		out.Data = []Klant{}
	}
	return out.Data, nil
}

package cloudspot

import (
	"context"
	"net/http"
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

func (c companyToken) list(ctx context.Context, path string, out any) error {
	if c.token == "" {
		return errNoToken()
	}
	cl := call{method: http.MethodGet, path: path, kind: companyTokenCall}
	return c.t.do(ctx, cl, map[string]string{"X-ERP-TOKEN": c.token}, nil, out)
}

// ArtikelService reads a company's products.
type ArtikelService struct{ c companyToken }

// List returns all products of the token's company, in the ERP's order.
func (s *ArtikelService) List(ctx context.Context) ([]Artikel, error) {
	var out struct {
		Data []Artikel `json:"data"`
	}
	if err := s.c.list(ctx, "artikels", &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		out.Data = []Artikel{}
	}
	return out.Data, nil
}

// KlantService reads a company's clients.
type KlantService struct{ c companyToken }

// List returns all clients of the token's company, in the ERP's order.
func (s *KlantService) List(ctx context.Context) ([]Klant, error) {
	var out struct {
		Data []Klant `json:"data"`
	}
	if err := s.c.list(ctx, "klanten", &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		out.Data = []Klant{}
	}
	return out.Data, nil
}

package cloudspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
	// Categorieen are the company's product categories.
	Categorieen *CategorieService
}

// NewCompanyAPI returns a CompanyAPI for a company API token. An empty token
// is accepted here and refused by every call with [ErrNoValidToken].
func NewCompanyAPI(token string, opts ...Option) (*CompanyAPI, error) {
	t, err := newTransport(opts)
	if err != nil {
		return nil, err
	}
	svc := service{companyToken{t: t, token: strings.TrimSpace(token)}}
	return &CompanyAPI{Artikels: &ArtikelService{svc}, Klanten: &KlantService{svc}, Categorieen: &CategorieService{svc}}, nil
}

type companyToken struct {
	t     *transport
	token string
}

func (c companyToken) call(path string, query url.Values) call {
	return call{method: http.MethodGet, path: path, query: query, kind: companyTokenCall, token: c.token}
}

// stream sends a GET and hands its body to read as it arrives, up to the
// size [WithMaxResponseBytes] sets.
func (c companyToken) stream(ctx context.Context, path string, query url.Values, read func(s *scanner, length int64) error) error {
	cl := c.call(path, query)
	body, err := c.t.open(ctx, cl)
	if err != nil {
		return err
	}
	defer body.Close()
	if err := read(newStreamScanner(body), body.length); err != nil {
		if e := (*Error)(nil); errors.As(err, &e) {
			return e
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w: %v", ctxErr, err)
		}
		return fmt.Errorf("cloudspot: %s %s: %w", cl.method, c.t.urlOf(cl).Path, err)
	}
	return nil
}

// service is what each of CompanyAPI's services embeds: the connection
// with the company's token.
type service struct{ c companyToken }

// connOf is a service's connection. A nil service (that of a zero
// CompanyAPI) gets an empty one, whose calls fail with an error instead of
// a panic.
func connOf[S ~struct{ service }](s *S) companyToken {
	if s == nil {
		return companyToken{}
	}
	return struct{ service }(*s).c
}

package cloudspot

import (
	"context"
	"errors"
	"fmt"
	"iter"
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
	// Categorieen are the company's product categories (a later version
	// of the API).
	Categorieen *CategorieService
}

// NewCompanyAPI returns a CompanyAPI for a company API token. An empty token
// is accepted here and refused by every call with [ErrNoValidToken].
func NewCompanyAPI(token string, opts ...Option) (*CompanyAPI, error) {
	t, err := newTransport(opts)
	if err != nil {
		return nil, err
	}
	ct := companyToken{t: t, token: strings.TrimSpace(token)}
	return &CompanyAPI{Artikels: &ArtikelService{ct}, Klanten: &KlantService{ct}, Categorieen: &CategorieService{ct}}, nil
}

type companyToken struct {
	t     *transport
	token string
}

func (c companyToken) call(path string, query url.Values) call {
	return call{method: http.MethodGet, path: path, query: query, kind: companyTokenCall, token: c.token}
}

// stream sends a GET and hands its body to read as it arrives. A bounded
// read stops at the size [WithMaxResponseBytes] sets; an unbounded one is
// for a caller that holds only one object at a time.
func (c companyToken) stream(ctx context.Context, path string, query url.Values, bounded bool, read func(s *scanner, length int64) error) error {
	cl := c.call(path, query)
	limit := int64(-1)
	if bounded && c.t != nil {
		limit = c.t.maxBytes
	}
	body, err := c.t.open(ctx, cl, limit)
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

// ArtikelService reads a company's products.
type ArtikelService struct{ c companyToken }

// conn is the service's connection; a nil service (that of a zero
// CompanyAPI) gets one whose calls fail with an error instead of a panic.
func (s *ArtikelService) conn() companyToken {
	if s == nil {
		return companyToken{}
	}
	return s.c
}

// List returns all products of the token's company, in the ERP's order. It
// decodes them as the body arrives; to handle a list too large to hold,
// use All.
func (s *ArtikelService) List(ctx context.Context) ([]Artikel, error) {
	return list[Artikel](ctx, s.conn(), "artikels", "artikel")
}

// All yields the products of the token's company one by one as they arrive,
// in constant memory however many there are. Breaking out of the loop, or
// cancelling ctx, closes the connection. A body that is cut short or
// malformed ends the loop with an error, so a loop that ends without one
// has seen every product.
func (s *ArtikelService) All(ctx context.Context) iter.Seq2[Artikel, error] {
	return all[Artikel](ctx, s.conn(), "artikels", "artikel")
}

// Get returns one product of the token's company by its ERP id, with ID
// set. This call came with a later version of the ERP's API
// (GET /artikels/?id=); a product that does not exist, or belongs to
// another company, is an error matching [ErrNotFound]. A server without
// the call answers with its whole list or a product without its id: that
// is an error matching [errors.ErrUnsupported], never a product under the
// wrong id.
func (s *ArtikelService) Get(ctx context.Context, id int64) (Artikel, error) {
	var got []Artikel
	q := url.Values{"id": {strconv.FormatInt(id, 10)}}
	err := s.conn().stream(ctx, "artikels", q, true, func(sc *scanner, _ int64) error {
		_, err := decodeList[Artikel](sc, "artikel", func(a Artikel) bool {
			got = append(got, a)
			return len(got) < 2
		})
		return err
	})
	if err != nil {
		return Artikel{}, err
	}
	var answer string
	switch {
	case len(got) == 0:
		return Artikel{}, s.c.t.newError(s.c.call("artikels", q), http.StatusOK, ErrNotFound, fmt.Sprintf("no product with id %d", id))
	case len(got) > 1:
		answer = "several products"
	case got[0].ID == 0:
		answer = "a product without an id"
	case got[0].ID != id:
		answer = fmt.Sprintf("the product with id %d", got[0].ID)
	default:
		return got[0], nil
	}
	return Artikel{}, fmt.Errorf("cloudspot: GET %s?id=%d: the server answered with %s: it does not support getting one product by id: %w",
		s.c.t.urlOf(s.c.call("artikels", nil)).Path, id, answer, errors.ErrUnsupported)
}

// KlantService reads a company's clients.
type KlantService struct{ c companyToken }

func (s *KlantService) conn() companyToken {
	if s == nil {
		return companyToken{}
	}
	return s.c
}

// List returns all clients of the token's company, in the ERP's order; to
// handle a list too large to hold, use All.
func (s *KlantService) List(ctx context.Context) ([]Klant, error) {
	return list[Klant](ctx, s.conn(), "klanten", "klant")
}

// All yields the clients of the token's company one by one as they arrive,
// in constant memory, with the guarantees of [ArtikelService.All].
func (s *KlantService) All(ctx context.Context) iter.Seq2[Klant, error] {
	return all[Klant](ctx, s.conn(), "klanten", "klant")
}

package cloudspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// CategorieService reads a company's product categories, a tree. The call
// came with a later version of the ERP's API (GET /categories/); a server
// without it answers 404, an error matching [ErrNotFound].
type CategorieService struct{ c companyToken }

func (s *CategorieService) conn() companyToken {
	if s == nil {
		return companyToken{}
	}
	return s.c
}

// List returns the company's category tree: the top-level categories, each
// with its subcategories in Children, in the order the ERP gives them. A
// token needs the right to see the company's products.
func (s *CategorieService) List(ctx context.Context) ([]Categorie, error) {
	return list[Categorie](ctx, s.conn(), "categories", "categorie")
}

// Get returns one category by its ERP id, with its subtree. A category that
// does not exist, or belongs to another company, is an error matching
// [ErrNotFound]. A server that ignores the id and answers with something
// else (its whole tree, another category) is an error matching
// [errors.ErrUnsupported], never a category under the wrong id.
func (s *CategorieService) Get(ctx context.Context, id int64) (Categorie, error) {
	var got []Categorie
	q := url.Values{"id": {strconv.FormatInt(id, 10)}}
	c := s.conn()
	err := c.stream(ctx, "categories", q, true, func(sc *scanner, _ int64) error {
		_, err := decodeList[Categorie](sc, "categorie", func(v Categorie) bool {
			got = append(got, v)
			return len(got) < 2
		})
		return err
	})
	if err != nil {
		return Categorie{}, err
	}
	var answer string
	switch {
	case len(got) == 0:
		return Categorie{}, c.t.newError(c.call("categories", q), http.StatusOK, ErrNotFound, fmt.Sprintf("no category with id %d", id))
	case len(got) > 1:
		answer = "several categories"
	case got[0].ID != id:
		answer = fmt.Sprintf("the category with id %d", got[0].ID)
	default:
		return got[0], nil
	}
	return Categorie{}, fmt.Errorf("cloudspot: GET %s?id=%d: the server answered with %s: it does not support getting one category by id: %w",
		c.t.urlOf(c.call("categories", nil)).Path, id, answer, errors.ErrUnsupported)
}

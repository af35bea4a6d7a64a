package cloudspot

import "context"

// Categorie is a product category with its subcategories, as the ERP's
// GET /categories/ sends them: a tree.
type Categorie struct {
	ID       int64
	Naam     string
	Children []Categorie
}

func (c *Categorie) fields() []field {
	return []field{
		{key: "id", ptr: &c.ID},
		{key: "naam", ptr: &c.Naam},
		{key: "children", ptr: &c.Children},
	}
}

// MarshalJSON writes the category and its subtree as GET /categories/
// sends them: children is always a list.
func (c Categorie) MarshalJSON() ([]byte, error) { return marshalFields(c.fields()) }

// UnmarshalJSON reads a category and its subtree tolerantly: children may
// be null or absent (no subcategories), ids may be strings, unknown keys are
// ignored.
func (c *Categorie) UnmarshalJSON(b []byte) error {
	*c = Categorie{}
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "categorie", c.fields()) })
}

// CategorieService reads a company's product categories, a tree
// (GET /categories/). A server without the call answers 404: an error
// matching [ErrNotFound].
type CategorieService struct{ service }

// List returns the company's category tree: the top-level categories, each
// with its subcategories in Children, in the order the ERP gives them. A
// token needs the right to see the company's products.
func (s *CategorieService) List(ctx context.Context) ([]Categorie, error) {
	return list[Categorie](ctx, connOf(s), "categories", "categorie")
}

// Get returns one category by its ERP id, with its subtree. A category that
// does not exist, or belongs to another company, is an error matching
// [ErrNotFound]. A server that ignores the id and answers with something
// else (its whole tree, another category) is an error matching
// [errors.ErrUnsupported], never a category under the wrong id.
func (s *CategorieService) Get(ctx context.Context, id int64) (Categorie, error) {
	return one[Categorie](ctx, connOf(s), "categories", "categorie", id, func(c Categorie) int64 { return c.ID }, "category", "categories")
}

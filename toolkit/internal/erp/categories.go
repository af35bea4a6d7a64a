package erp

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot"
)

// NewCategorie is a category as imported: its name and the names of its
// ancestors, root first.
type NewCategorie struct {
	Naam    string
	Parents []string
}

// Limits of a category tree.
const (
	MaxCategorieNaam  = 200 // characters
	MaxCategorieDepth = 10  // levels, the roots included
	// MaxCompanyCategorieen bounds a company's categories, and so the
	// whole tree GET /categories/ answers: some 12 MB at worst (every
	// name 200 characters that JSON escapes), a few hundred KB for
	// ordinary names.
	MaxCompanyCategorieen = 10_000
)

// CheckCategorieNaam returns what is wrong with a category's name, or "".
// Control characters are refused: the store separates names with one (see
// CategorieSeparator), and no name needs them. Spaces around a name are
// refused so that "Bier " cannot stand beside "Bier"; ImportCategorieen
// trims them first, as a CSV file's reader does.
func CheckCategorieNaam(naam string) string {
	switch {
	case !utf8.ValidString(naam):
		return "text must be UTF-8"
	case strings.TrimSpace(naam) == "":
		return "is required"
	case strings.TrimSpace(naam) != naam:
		return "has spaces around it"
	case utf8.RuneCountInString(naam) > MaxCategorieNaam:
		return fmt.Sprintf("longer than %d characters", MaxCategorieNaam)
	case strings.IndexFunc(naam, unicode.IsControl) >= 0:
		return "holds a control character"
	}
	return ""
}

// pathKey is a category's path as one map key; CategorieSeparator cannot be
// part of a name.
func pathKey(names ...string) string { return strings.Join(names, string(rune(CategorieSeparator))) }

// ImportCategorieen creates a company's missing categories (found by parent
// and naam) in one transaction; existing ones keep their id and place, and
// none is deleted. A new category goes after its existing siblings, in file
// order. A record whose parents are neither stored nor earlier in the file,
// a name that breaks CheckCategorieNaam, a tree deeper than
// MaxCategorieDepth, a category past MaxCompanyCategorieen and a path
// given twice are problems of their record, reported as ImportArtikels
// does. Imports at once that together pass MaxCompanyCategorieen are held
// to it by the store: the later one fails with EInvalid.
func (s *Service) ImportCategorieen(ctx context.Context, companySlug string, records iter.Seq2[Record[NewCategorie], error]) (ImportResult, error) {
	return s.importCategorieen(ctx, companySlug, records, nil)
}

// PreviewCategorieen is what ImportCategorieen would do with records,
// found by the same checks without writing anything: Updated counts the
// categories that exist already.
func (s *Service) PreviewCategorieen(ctx context.Context, companySlug string, records iter.Seq2[Record[NewCategorie], error]) (ImportPreview, error) {
	p := &ImportPreview{}
	_, err := s.importCategorieen(ctx, companySlug, records, p)
	return p.result(err)
}

func (s *Service) importCategorieen(ctx context.Context, companySlug string, records iter.Seq2[Record[NewCategorie], error], p *ImportPreview) (ImportResult, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return ImportResult{}, err
	}
	stored, err := s.categorieen.Categorieen(ctx, c.ID)
	if err != nil {
		return ImportResult{}, err
	}
	known := map[string]bool{}
	count := len(stored)
	byID := map[int64]StoredCategorie{}
	for _, sc := range stored {
		byID[sc.ID] = sc
	}
	for _, sc := range stored { // a moved category may come before its parent
		known[pathKey(pathOf(byID, sc.ID)...)] = true
	}
	imp := &importer[NewCategorie, string]{
		check: func(nc *NewCategorie) []Problem {
			trimNames(nc)
			var ps []Problem
			for _, p := range nc.Parents {
				if msg := CheckCategorieNaam(p); msg != "" {
					ps = append(ps, Problem{Field: "naam", Message: fmt.Sprintf("parent %q: %s", clip(p, 40), msg)})
				}
			}
			if msg := CheckCategorieNaam(nc.Naam); msg != "" {
				ps = append(ps, Problem{Field: "naam", Message: msg})
			}
			if len(nc.Parents)+1 > MaxCategorieDepth {
				ps = append(ps, Problem{Field: "naam", Message: fmt.Sprintf("%d levels deep; a tree has at most %d", len(nc.Parents)+1, MaxCategorieDepth)})
			}
			if len(ps) > 0 {
				return ps
			}
			if len(nc.Parents) > 0 && !known[pathKey(nc.Parents...)] {
				return []Problem{{Field: "naam", Message: fmt.Sprintf("its parent %q is neither stored nor earlier in the file", strings.Join(nc.Parents, "/"))}}
			}
			path := pathKey(append(slices.Clone(nc.Parents), nc.Naam)...)
			if !known[path] {
				if count >= MaxCompanyCategorieen {
					return []Problem{{Field: "naam", Message: fmt.Sprintf("a company has at most %d categories", MaxCompanyCategorieen)}}
				}
				count++
			}
			known[path] = true
			return nil
		},
		keyField: "naam",
		key:      func(nc NewCategorie) string { return pathKey(append(slices.Clone(nc.Parents), nc.Naam)...) },
		seen:     recordMap[string]{},
	}
	if p != nil {
		stored := maps.Clone(known)
		imp.accept = func(nc NewCategorie) { p.count(stored[imp.key(nc)], false) }
		return imp.preview(records, p)
	}
	res, err := imp.run(records, func(cats iter.Seq2[NewCategorie, error]) (ImportResult, error) {
		return s.categorieen.ImportCategorieen(ctx, c.ID, cats)
	})
	return res, s.audited(ctx, err, AuditEvent{Action: AuditImportCategorieen, Company: c.Slug, Detail: fmt.Sprintf("company %s: %d created, %d existed", c.Slug, res.Created, res.Updated)})
}

// trimNames takes the spaces around a record's names off, in a copy of its
// parents: records read from one tree share them.
func trimNames(nc *NewCategorie) {
	nc.Naam = strings.TrimSpace(nc.Naam)
	nc.Parents = slices.Clone(nc.Parents)
	for i, p := range nc.Parents {
		nc.Parents[i] = strings.TrimSpace(p)
	}
}

// pathOf returns the names from the root down to the category id.
func pathOf(byID map[int64]StoredCategorie, id int64) []string {
	var names []string
	for c, ok := byID[id]; ok && len(names) <= MaxCategorieDepth; c, ok = byID[c.ParentID] {
		names = append(names, c.Naam)
	}
	slices.Reverse(names)
	return names
}

// Categorieen returns a company's category tree: the roots, each with its
// children, siblings in the order the administrator gave them. Children
// are never nil.
func (s *Service) Categorieen(ctx context.Context, companySlug string) ([]cloudspot.Categorie, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return nil, err
	}
	stored, err := s.categorieen.Categorieen(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return tree(stored, 0), nil
}

// CategorieenForToken returns the category tree of a company token's
// company; the token needs the right to see products.
func (s *Service) CategorieenForToken(ctx context.Context, token string) ([]cloudspot.Categorie, error) {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return nil, err
	}
	stored, err := s.categorieen.Categorieen(ctx, t.CompanyID)
	if err != nil {
		return nil, err
	}
	return tree(stored, 0), nil
}

// CategorieForToken returns one category of a company token's company with
// its subtree; another company's category is ENotFound.
func (s *Service) CategorieForToken(ctx context.Context, token string, id int64) (cloudspot.Categorie, error) {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return cloudspot.Categorie{}, err
	}
	stored, err := s.categorieen.CategorieSubtree(ctx, t.CompanyID, id)
	if err != nil {
		return cloudspot.Categorie{}, err
	}
	for _, sc := range stored {
		if sc.ID == id {
			return cloudspot.Categorie{ID: sc.ID, Naam: sc.Naam, Children: tree(stored, sc.ID)}, nil
		}
	}
	return cloudspot.Categorie{}, Errorf(ENotFound, "Category not found.")
}

// tree builds the children of parent (0: the roots) from a company's
// categories.
func tree(stored []StoredCategorie, parent int64) []cloudspot.Categorie {
	children := map[int64][]StoredCategorie{}
	for _, sc := range stored {
		children[sc.ParentID] = append(children[sc.ParentID], sc)
	}
	var build func(parent int64, depth int) []cloudspot.Categorie
	build = func(parent int64, depth int) []cloudspot.Categorie {
		cs := children[parent]
		slices.SortStableFunc(cs, func(a, b StoredCategorie) int { return cmp.Compare(a.Position, b.Position) })
		out := make([]cloudspot.Categorie, 0, len(cs))
		for _, sc := range cs {
			c := cloudspot.Categorie{ID: sc.ID, Naam: sc.Naam, Children: []cloudspot.Categorie{}}
			if depth < MaxCategorieDepth { // a stored cycle cannot recurse forever
				c.Children = build(sc.ID, depth+1)
			}
			out = append(out, c)
		}
		return out
	}
	return build(parent, 0)
}

// categoryIndex is a company's categories as an import of products looks
// them up.
type categoryIndex struct {
	byID   map[int64]string // naam by id
	byNaam map[string][]int64
}

// loadCategoryIndex reads the company's categories from st.
func loadCategoryIndex(ctx context.Context, st CategorieStore, companyID int64) (*categoryIndex, error) {
	stored, err := st.Categorieen(ctx, companyID)
	if err != nil {
		return nil, err
	}
	ix := &categoryIndex{byID: map[int64]string{}, byNaam: map[string][]int64{}}
	for _, c := range stored {
		ix.byID[c.ID] = c.Naam
		ix.byNaam[c.Naam] = append(ix.byNaam[c.Naam], c.ID)
	}
	return ix, nil
}

// resolve settles a product's categories: each names one of the company's
// by id or, with no id, by a name no other category of the company has.
// It fills in the ids and the current names, and reports what it cannot
// settle.
func (ix *categoryIndex) resolve(a *cloudspot.Artikel) []Problem {
	var c checker
	if a.CategorieID != 0 || a.Categorie != "" {
		id, naam, msg := ix.find(a.CategorieID, a.Categorie)
		if msg != "" {
			field := "categorie"
			if a.CategorieID != 0 {
				field = "categorie_id"
			}
			c.add(field, "%s", msg)
		}
		a.CategorieID, a.Categorie = id, naam
	}
	if len(a.Categorieen) > MaxCategorieen {
		return c.problems // checkDetails reports the length
	}
	seen := map[int64]bool{}
	for i, r := range a.Categorieen {
		id, naam, msg := ix.find(r.ID, r.Naam)
		switch {
		case msg != "":
			c.add("categorieen", "entry %d: %s", i+1, msg)
		case seen[id]:
			c.add("categorieen", "entry %d: category %d (%q) is listed twice", i+1, id, naam)
		}
		seen[id] = true
		a.Categorieen[i] = cloudspot.CategorieRef{ID: id, Naam: naam}
	}
	return c.problems
}

// find looks a category up by id, else by name.
func (ix *categoryIndex) find(id int64, naam string) (int64, string, string) {
	if id != 0 {
		stored, ok := ix.byID[id]
		switch {
		case !ok:
			return 0, "", fmt.Sprintf("there is no category %d in this company", id)
		case naam != "" && naam != stored:
			return 0, "", fmt.Sprintf("category %d is named %q, not %q", id, stored, clip(naam, 40))
		}
		return id, stored, ""
	}
	switch ids := ix.byNaam[naam]; len(ids) {
	case 0:
		return 0, "", fmt.Sprintf("there is no category named %q in this company", clip(naam, 40))
	case 1:
		return ids[0], naam, ""
	default:
		return 0, "", fmt.Sprintf("%d categories are named %q: name it by id", len(ids), clip(naam, 40))
	}
}

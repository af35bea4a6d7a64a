package erp

import (
	"context"
	"fmt"
)

// CategorieDeletion is what deleting categories changed.
type CategorieDeletion struct {
	Categorieen int // the categories deleted
	Listed      int // products that had one of them in their categorieen
	Main        int // products whose main category was one of them: now none
}

// RenameCategorie gives a company's category a new name, which every
// product shows at once. A sibling of that name is EConflict, another
// company's category ENotFound.
func (s *Service) RenameCategorie(ctx context.Context, companySlug string, id int64, naam string) error {
	if msg := CheckCategorieNaam(naam); msg != "" {
		return Errorf(EInvalid, "naam: %s", msg)
	}
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return err
	}
	err = s.categorieen.RenameCategorie(ctx, c.ID, id, naam)
	switch ErrorCode(err) {
	case ENotFound:
		err = noCategorie(c, id)
	case EConflict:
		err = Errorf(EConflict, "category %d has a sibling named %q already", id, naam)
	}
	return s.audited(ctx, err, AuditEvent{Action: AuditCategorieRename, Company: c.Slug, Detail: fmt.Sprintf("company %s: category %d now named %q", c.Slug, id, clip(naam, 100))})
}

// MoveCategorie puts a company's category, with its subtree, under
// parentID (0: among the roots), after the children parentID has; a move
// under the parent it has puts it last among its siblings. A move under
// the category itself or its subtree, one that makes the tree deeper than
// MaxCategorieDepth, and one next to a sibling of the same name are
// refused. The rules are checked on the categories as they are when the
// move is made, so two moves at once cannot together make a cycle.
func (s *Service) MoveCategorie(ctx context.Context, companySlug string, id, parentID int64) error {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return err
	}
	err = s.categorieen.MoveCategorie(ctx, c.ID, id, parentID, func(stored []StoredCategorie) error {
		return checkMove(c, stored, id, parentID)
	})
	where := "among the roots"
	if parentID != 0 {
		where = fmt.Sprintf("under category %d", parentID)
	}
	return s.audited(ctx, err, AuditEvent{Action: AuditCategorieMove, Company: c.Slug, Detail: fmt.Sprintf("company %s: category %d moved %s", c.Slug, id, where)})
}

// checkMove says why category id cannot go under parentID, or nil.
func checkMove(c *Company, stored []StoredCategorie, id, parentID int64) error {
	byID := make(map[int64]StoredCategorie, len(stored))
	for _, sc := range stored {
		byID[sc.ID] = sc
	}
	moved, ok := byID[id]
	if !ok {
		return noCategorie(c, id)
	}
	depth := 0 // the levels above the moved category in its new place
	if parentID != 0 {
		if _, ok := byID[parentID]; !ok {
			return Errorf(ENotFound, "there is no category %d (the new parent) in company %s", parentID, c.Slug)
		}
		for p, n := parentID, 0; p != 0 && n <= len(stored); p, n = byID[p].ParentID, n+1 {
			if p == id {
				return Errorf(EInvalid, "category %d cannot go under %d: %d is itself or in its subtree, which would make a cycle", id, parentID, parentID)
			}
			depth++
		}
	}
	if d := depth + height(stored, id); d > MaxCategorieDepth {
		return Errorf(EInvalid, "moving category %d under %d makes the tree %d levels deep; it has at most %d", id, parentID, d, MaxCategorieDepth)
	}
	for _, sc := range stored {
		if sc.ParentID == parentID && sc.Naam == moved.Naam && sc.ID != id {
			return Errorf(EConflict, "category %d (%q) is named as its new sibling %d is", id, moved.Naam, sc.ID)
		}
	}
	return nil
}

// height is the levels of id's subtree, id included.
func height(stored []StoredCategorie, id int64) int {
	children := childrenOf(stored)
	var h func(id int64, level int) int
	h = func(id int64, level int) int {
		best := level
		if level > MaxCategorieDepth+1 { // a stored cycle ends here
			return best
		}
		for _, ch := range children[id] {
			best = max(best, h(ch, level+1))
		}
		return best
	}
	return h(id, 1)
}

func childrenOf(stored []StoredCategorie) map[int64][]int64 {
	children := map[int64][]int64{}
	for _, sc := range stored {
		children[sc.ParentID] = append(children[sc.ParentID], sc.ID)
	}
	return children
}

// DeleteCategorie deletes a company's category. One with subcategories is
// refused (EConflict) unless recursive, which deletes its whole subtree.
// Products are never deleted: they lose the deleted categories from their
// categorieen, and a product whose main category is deleted has none.
func (s *Service) DeleteCategorie(ctx context.Context, companySlug string, id int64, recursive bool) (CategorieDeletion, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return CategorieDeletion{}, err
	}
	var naam string
	res, err := s.categorieen.DeleteCategorieen(ctx, c.ID, func(stored []StoredCategorie) ([]int64, error) {
		var ids []int64
		for _, sc := range stored {
			if sc.ID == id {
				naam = sc.Naam
				ids = subtree(stored, id)
			}
		}
		switch {
		case ids == nil:
			return nil, noCategorie(c, id)
		case len(ids) > 1 && !recursive:
			return nil, Errorf(EConflict, "category %d (%q) has %s: delete them first, or delete it recursively with them", id, naam, Subcategories(len(ids)-1))
		}
		return ids, nil
	})
	return res, s.audited(ctx, err, AuditEvent{Action: AuditCategorieDelete, Company: c.Slug, Detail: fmt.Sprintf("company %s: category %d (%q) deleted with %s; products that listed one: %d, whose main category was one: %d",
		c.Slug, id, clip(naam, 40), Subcategories(res.Categorieen-1), res.Listed, res.Main)})
}

// subtree returns id and its descendants, children before their parent.
func subtree(stored []StoredCategorie, id int64) []int64 {
	children := childrenOf(stored)
	var out []int64
	seen := map[int64]bool{}
	var walk func(id int64)
	walk = func(id int64) {
		if seen[id] { // a stored cycle ends here
			return
		}
		seen[id] = true
		for _, ch := range children[id] {
			walk(ch)
		}
		out = append(out, id)
	}
	walk(id)
	return out
}

// Subcategories says "1 subcategory" or "n subcategories".
func Subcategories(n int) string {
	if n == 1 {
		return "1 subcategory"
	}
	return fmt.Sprintf("%d subcategories", n)
}

func noCategorie(c *Company, id int64) error {
	return Errorf(ENotFound, "there is no category %d in company %s", id, c.Slug)
}

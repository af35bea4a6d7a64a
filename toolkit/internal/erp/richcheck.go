package erp

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Limits of a product's data of version 0.6. They bound what one product
// costs to store and to send, whatever a file holds.
const (
	MaxFotos            = 50
	MaxPrijscategorieen = 50
	MaxEANs             = 50
	MaxTranslations     = 20  // entries per text list
	MaxCategorieen      = 100 // categories per product
	MaxFotoURL          = 2048
	MaxText             = 64 << 10 // bytes of one text
)

// checkRich adds the problems of a product's data of version 0.6. Its
// categories are checked against the company's by categoryIndex.resolve.
func (c *checker) checkRich(a *cloudspot.Artikel) {
	c.text(kv{"interne_notitie", a.InterneNotitie}, kv{"merk", a.Merk})
	c.long("interne_notitie", a.InterneNotitie)
	c.long("merk", a.Merk)
	if a.MerkID < 0 {
		c.add("merk_id", "must not be negative")
	}
	c.most("fotos", len(a.Fotos), MaxFotos)
	for i, f := range a.Fotos {
		u, err := url.Parse(f.URL)
		switch {
		case len(f.URL) > MaxFotoURL:
			c.add("fotos", "photo %d: the URL is longer than %d bytes", i+1, MaxFotoURL)
		case !utf8.ValidString(f.URL) || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			c.add("fotos", "photo %d: %q is not an absolute http or https URL", i+1, clip(f.URL, 60))
		}
	}
	c.most("prijscategorieen", len(a.Prijscategorieen), MaxPrijscategorieen)
	for i, p := range a.Prijscategorieen {
		c.text(kv{"prijscategorieen", p.Label}, kv{"prijscategorieen", p.Type})
		c.long("prijscategorieen", p.Label)
		c.long("prijscategorieen", p.Type)
		if p.LabelID < 0 {
			c.add("prijscategorieen", "price category %d: label_id must not be negative", i+1)
		}
		for _, d := range []cloudspot.Decimal{p.Korting, p.VerkoopprijsExcl, p.VerkoopprijsIncl} {
			switch {
			case d.Sign() < 0:
				c.add("prijscategorieen", "price category %d: %s is negative", i+1, d)
			case d.Scale() > 6:
				c.add("prijscategorieen", "price category %d: %s has more than 6 decimals", i+1, d)
			}
		}
	}
	c.most("EAN", len(a.EAN), MaxEANs)
	for _, e := range a.EAN {
		if !isEAN(e) {
			c.add("EAN", "%q is not 8 to 14 digits", clip(e, 20))
		}
	}
	for _, l := range []struct {
		key string
		ts  []cloudspot.Translation
	}{
		{"samenstellingen", a.Samenstellingen},
		{"ruwe_grondstoffen", a.RuweGrondstoffen},
		{"gebruiksaanwijzingen", a.Gebruiksaanwijzingen},
		{"meer_info", a.MeerInfo},
	} {
		c.most(l.key, len(l.ts), MaxTranslations)
		for i, t := range l.ts {
			c.text(kv{l.key, t.Text}, kv{l.key, t.TaalDisplay})
			c.long(l.key, t.Text)
			c.long(l.key, t.TaalDisplay)
			if !isTaal(t.Taal) {
				c.add(l.key, "entry %d: taal %q is not 2 to 8 letters", i+1, clip(t.Taal, 20))
			}
			if strings.TrimSpace(t.Text) == "" {
				c.add(l.key, "entry %d: text is required", i+1)
			}
		}
	}
	c.most("categorieen", len(a.Categorieen), MaxCategorieen)
}

// long refuses a text longer than MaxText.
func (c *checker) long(key, s string) {
	if len(s) > MaxText {
		c.add(key, "longer than %d KiB", MaxText>>10)
	}
}

// most refuses a list longer than max.
func (c *checker) most(key string, n, max int) {
	if n > max {
		c.add(key, "%d entries; at most %d", n, max)
	}
}

func isEAN(s string) bool {
	if len(s) < 8 || len(s) > 14 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isTaal(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// categoryIndex is a company's categories as an import of products looks
// them up.
type categoryIndex struct {
	byID   map[int64]string // naam by id
	byNaam map[string][]int64
}

func (s *Service) categoryIndex(ctx context.Context, companyID int64) (*categoryIndex, error) {
	stored, err := s.store.Categorieen(ctx, companyID)
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
		return c.problems // checkRich reports the length
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

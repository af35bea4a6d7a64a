// Package textsearch finds text the way people expect of a search box,
// ignoring case and accents: the CLI's --search and the console's search
// fields are this one rule, and each list says here which of a record's
// texts a search looks at.
package textsearch

import (
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/search"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Search is one search's text. It compares by the Unicode collation's base
// letters, so "francoise" finds "Françoise", and also "soren" "Søren",
// "strasse" "Straße" and "lodz" "Łódź", which stripping combining accents
// cannot do (ø, ß and ł have none). A Search is not safe for concurrent
// use: each goroutine makes its own.
type Search struct{ p *search.Pattern }

// New returns nil for an empty q (spaces around it ignored): no filter.
func New(q string) *Search {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	m := search.New(language.Und, search.IgnoreCase, search.IgnoreDiacritics)
	return &Search{m.CompileString(q)}
}

// In reports whether the text is in any of texts; a nil Search finds
// everything.
func (s *Search) In(texts ...string) bool {
	if s == nil {
		return true
	}
	for _, t := range texts {
		if start, _ := s.p.IndexString(t); start >= 0 {
			return true
		}
	}
	return false
}

// Artikel reports whether a product's naam or SKU holds the text.
func (s *Search) Artikel(a *cloudspot.Artikel) bool { return s.In(a.Naam, a.SKU) }

// Klant reports whether a client's name (first and last), company name or
// client number holds the text.
func (s *Search) Klant(k *cloudspot.Klant) bool {
	return s.In(k.Voornaam+" "+k.Achternaam, k.Bedrijfsnaam, strconv.FormatInt(k.Klantennummer, 10))
}

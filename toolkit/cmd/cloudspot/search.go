package main

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/search"
)

// textSearch is --search: a text found in names the way people expect of a
// search box, ignoring case and accents. It compares by the Unicode
// collation's base letters, so "francoise" finds "Françoise", and also
// "soren" "Søren", "strasse" "Straße" and "lodz" "Łódź", which stripping
// combining accents cannot do (ø, ß and ł have none).
type textSearch struct{ p *search.Pattern }

// newTextSearch returns nil for an empty q: no filter.
func newTextSearch(q string) *textSearch {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	m := search.New(language.Und, search.IgnoreCase, search.IgnoreDiacritics)
	return &textSearch{m.CompileString(q)}
}

// in reports whether the text is in any of texts; a nil search finds
// everything.
func (s *textSearch) in(texts ...string) bool {
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

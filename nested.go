package cloudspot

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
	"github.com/cloudspot-toolkit/cloudspot/internal/jsonstring"
)

// The products of API version 0.6 hold lists: of texts (EAN) and of small
// objects (photos, prices, translations, categories). They go through the
// same field tables as the scalars, one table per element type, so that a
// list is decoded as it streams, element by element, with the tolerance of
// the rest: null or an absent key leaves the list nil, a null element is
// skipped, unknown keys inside an element are ignored.

// list decodes a list field. It reports false when ptr is not a list type
// the models use.
func (s *scanner) list(ptr any) (bool, error) {
	switch p := ptr.(type) {
	case namedRef:
		return true, s.namedRef(p)
	case *[]string:
		return true, s.textList(p)
	case *[]CategorieRef:
		l := s.leaf()
		return true, decodeElems(s, p, categorieRefScalar, &l.ref, l.refF)
	case *[]Foto:
		l := s.leaf()
		return true, decodeElems(s, p, nil, &l.foto, l.fotoF)
	case *[]Prijscategorie:
		l := s.leaf()
		return true, decodeElems(s, p, nil, &l.prijs, l.prijsF)
	case *[]Translation:
		l := s.leaf()
		return true, decodeElems(s, p, nil, &l.trans, l.transF)
	case *[]Categorie:
		// A category holds categories: each is decoded in its place,
		// since a scratch value would be in use at every level.
		return true, decodeElems[Categorie](s, p, nil, nil, nil)
	}
	return false, nil
}

// leaves are the scanner's scratch values for the list elements that hold
// no lists, with their field tables, made once per body rather than once
// per element.
type leaves struct {
	ref                         CategorieRef
	foto                        Foto
	prijs                       Prijscategorie
	trans                       Translation
	refF, fotoF, prijsF, transF []field
}

func (s *scanner) leaf() *leaves {
	if s.leaves == nil {
		l := &leaves{}
		l.refF, l.fotoF, l.prijsF, l.transF = l.ref.fields(), l.foto.fields(), l.prijs.fields(), l.trans.fields()
		s.leaves = l
	}
	return s.leaves
}

// namedRef is a key that holds a name, such as a product's brand (merk) or
// main category, whose id the ERP sends under a key of its own. A server
// may send the key as an object ({"id": 3, "naam": "Bier"}); then both
// are read from it, and the id key, coming later, still has the last word
// unless it is null, which means "not sent" (see field.nullKeeps).
type namedRef struct {
	naam *string
	id   *int64
}

func (s *scanner) namedRef(p namedRef) error {
	if c, err := s.peek(); err != nil || c != '{' {
		return s.textLater(p.naam)
	}
	var r CategorieRef
	if err := decodeFields(s, "", r.fields()); err != nil {
		if fe, ok := err.(*FieldError); ok && s.broken == nil {
			return fmt.Errorf("%s: %w", fe.Key, fe.Err)
		}
		return err
	}
	*p.naam = r.Naam
	if r.ID != 0 {
		*p.id = r.ID
	}
	return nil
}

// openList consumes the start of a list. It reports false, having consumed
// the value, when the value is null: the list stays nil.
func (s *scanner) openList() (bool, error) {
	c, err := s.peek()
	switch {
	case err != nil:
		return false, err
	case c == 'n':
		return false, s.literal("null")
	case c != '[':
		return false, fmt.Errorf("want a list, got %s", jsonkind.Name(c))
	}
	return true, s.openArray()
}

// textList reads a list of texts such as EAN numbers, which a server may
// send as numbers (digits only) or, for a single one, as a bare text.
// Null elements are skipped.
func (s *scanner) textList(p *[]string) error {
	if c, err := s.peek(); err == nil && (c == '"' || c == '-' || isDigit(c)) {
		v, err := s.text()
		switch {
		case err != nil:
			return err
		case v == "":
			*p = []string{}
		default:
			*p = []string{v}
		}
		return nil
	}
	ok, err := s.openList()
	if !ok {
		*p = nil
		return err
	}
	out := []string{}
	for i := 0; ; i++ {
		more, err := s.element(i)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		kind, text, err := s.scalar()
		switch {
		case err != nil:
			return err
		case kind == 'n':
			continue
		case kind != '"' && kind != '0':
			if kind == 't' || kind == 'f' {
				// A boolean was consumed; an object or list was not,
				// but the error ends the decoding either way.
				kind = 't'
			}
			return &elemError{i: i, err: fmt.Errorf("want text, got %s", jsonkind.Name(kind))}
		}
		out = append(out, string(text))
	}
	*p = out
	return nil
}

// decodeElems reads a list of objects into p. An element is decoded into
// scratch, whose fields are fs, and copied into the list; without scratch,
// straight into its place in the list. scalar, when not nil, takes an
// element that is a string or a number instead of an object (a category
// given by its id alone).
func decodeElems[T any, P model[T]](s *scanner, p *[]T, scalar func(P, byte, []byte) error, scratch P, fs []field) error {
	ok, err := s.openList()
	if !ok {
		*p = nil
		return err
	}
	var out []T
	var zero T
	for i := 0; ; i++ {
		more, err := s.element(i)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		c, err := s.peek()
		if err != nil {
			return err
		}
		if c == 'n' {
			if err := s.literal("null"); err != nil {
				return err
			}
			continue
		}
		if out == nil {
			out = make([]T, 0, 2) // most lists are short
		}
		switch {
		case c == '{' && scratch != nil:
			*scratch = zero
			if err := decodeFields(s, "", fs); err != nil {
				return elemErr(s, i, err)
			}
			out = append(out, *scratch)
		case c == '{':
			// The element's texts are set before it returns, so
			// the pointers into out stay valid while they are used.
			out = append(out, zero)
			if err := decodeFields(s, "", P(&out[len(out)-1]).fields()); err != nil {
				return elemErr(s, i, err)
			}
		case scalar != nil && c != '[':
			kind, text, err := s.scalar()
			if err != nil {
				return err
			}
			out = append(out, zero)
			if err := scalar(P(&out[len(out)-1]), kind, text); err != nil {
				return &elemError{i: i, err: err}
			}
		default:
			return &elemError{i: i, err: fmt.Errorf("want an object, got %s", jsonkind.Name(c))}
		}
	}
	if out == nil {
		out = []T{} // sent, and empty: not the nil of an absent list
	}
	*p = out
	return nil
}

// categorieRefScalar reads a category given as its id alone (3 or "3"),
// or, from a server that names rather than numbers them, as its name.
func categorieRefScalar(r *CategorieRef, kind byte, text []byte) error {
	switch kind {
	case '0', '"':
		if n, ok := parseInt64(trimSpace(text)); ok {
			r.ID = n
			return nil
		}
		if kind == '"' {
			r.Naam = string(text)
			return nil
		}
		d, err := parseDecimal(text)
		if err != nil {
			return err
		}
		n, ok := d.Int64()
		if !ok {
			return fmt.Errorf("want an id, got %s", text)
		}
		r.ID = n
		return nil
	}
	return fmt.Errorf("want an id or an object, got %s", jsonkind.Name(kind))
}

// elemError is a list element that could not be decoded, by its index.
type elemError struct {
	i   int
	err error
}

func (e *elemError) Error() string { return fmt.Sprintf("element %d: %v", e.i, e.err) }

func (e *elemError) Unwrap() error { return e.err }

func elemErr(s *scanner, i int, err error) error {
	if s.broken != nil {
		return err
	}
	return &elemError{i: i, err: err}
}

// nestedKey names where in a value an error is, as a path from key:
// "fotos[2].url", and returns the error without the path's parts.
func nestedKey(key string, err error) (string, error) {
	var ee *elemError
	if !errors.As(err, &ee) {
		return key, err
	}
	key += "[" + strconv.Itoa(ee.i) + "]"
	err = ee.err
	if fe, ok := err.(*FieldError); ok {
		key += "." + fe.Key
		err = fe.Err
	}
	return key, err
}

// isNilList reports whether ptr points to a nil list (or a namedRef to an
// empty name).
func isNilList(ptr any) bool {
	switch p := ptr.(type) {
	case namedRef:
		return *p.naam == ""
	case *[]string:
		return *p == nil
	case *[]CategorieRef:
		return *p == nil
	case *[]Foto:
		return *p == nil
	case *[]Prijscategorie:
		return *p == nil
	case *[]Translation:
		return *p == nil
	case *[]Categorie:
		return *p == nil
	}
	return false
}

// appendList appends a list field; a nil list is written as [], since the
// wire never has a null list. It reports false when ptr is not a list.
func appendList(b []byte, ptr any) ([]byte, bool) {
	switch p := ptr.(type) {
	case namedRef:
		if *p.naam == "" {
			return append(b, "null"...), true
		}
		return jsonstring.Append(b, *p.naam), true
	case *[]string:
		b = append(b, '[')
		for i, v := range *p {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonstring.Append(b, v)
		}
		return append(b, ']'), true
	case *[]CategorieRef:
		return appendElems(b, *p), true
	case *[]Foto:
		return appendElems(b, *p), true
	case *[]Prijscategorie:
		return appendElems(b, *p), true
	case *[]Translation:
		return appendElems(b, *p), true
	case *[]Categorie:
		return appendElems(b, *p), true
	}
	return b, false
}

func appendElems[T any, P model[T]](b []byte, list []T) []byte {
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFields(b, P(&list[i]).fields())
	}
	return append(b, ']')
}

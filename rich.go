package cloudspot

// The wire keys of the richer product's parts and of the category tree
// (API version 0.6 of cloudspot-server, after the later releases of the
// ERP). Each type reads and writes itself through its field table, so a
// part decoded on its own tolerates what a whole product does, and encodes
// as it sits inside one. Every key is written, unset ones as null, and a
// list as [] when empty: the shape a server sends.

func (r *CategorieRef) fields() []field {
	return []field{
		{key: "id", ptr: &r.ID},
		{key: "naam", ptr: &r.Naam},
	}
}

// MarshalJSON writes {"id": ..., "naam": ...}.
func (r CategorieRef) MarshalJSON() ([]byte, error) { return marshalFields(r.fields()) }

// UnmarshalJSON reads an object, or an id alone (3 or "3"); a text that is
// not a number is taken as the category's name.
func (r *CategorieRef) UnmarshalJSON(b []byte) error {
	*r = CategorieRef{}
	return unmarshalOne(b, func(s *scanner) error {
		c, err := s.peek()
		if err != nil || c == '{' {
			return decodeFields(s, "categorie", r.fields())
		}
		kind, text, err := s.scalar()
		if err != nil {
			return err
		}
		if err := categorieRefScalar(r, kind, text); err != nil {
			return &FieldError{Object: "categorie", Key: "id", Err: err}
		}
		return nil
	})
}

func (f *Foto) fields() []field {
	return []field{
		{key: "url", ptr: &f.URL},
		{key: "is_hoofdfoto", ptr: &f.IsHoofdfoto},
	}
}

// MarshalJSON writes {"url": ..., "is_hoofdfoto": ...}.
func (f Foto) MarshalJSON() ([]byte, error) { return marshalFields(f.fields()) }

// UnmarshalJSON is tolerant in the same ways as Artikel's.
func (f *Foto) UnmarshalJSON(b []byte) error {
	*f = Foto{}
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "foto", f.fields()) })
}

func (p *Prijscategorie) fields() []field {
	return []field{
		{key: "label", ptr: &p.Label},
		{key: "label_id", ptr: &p.LabelID, nullZero: true},
		{key: "type", ptr: &p.Type},
		{key: "korting", ptr: &p.Korting},
		{key: "verkoopprijs_excl", ptr: &p.VerkoopprijsExcl},
		{key: "verkoopprijs_incl", ptr: &p.VerkoopprijsIncl},
	}
}

// MarshalJSON writes label, label_id, type, korting and the two prices; an
// unknown label id (0) and an unknown price are null.
func (p Prijscategorie) MarshalJSON() ([]byte, error) { return marshalFields(p.fields()) }

// UnmarshalJSON is tolerant in the same ways as Artikel's.
func (p *Prijscategorie) UnmarshalJSON(b []byte) error {
	*p = Prijscategorie{}
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "prijscategorie", p.fields()) })
}

func (t *Translation) fields() []field {
	return []field{
		{key: "text", ptr: &t.Text},
		{key: "taal", ptr: &t.Taal},
		{key: "taal_display", ptr: &t.TaalDisplay},
	}
}

// MarshalJSON writes {"text": ..., "taal": ..., "taal_display": ...}.
func (t Translation) MarshalJSON() ([]byte, error) { return marshalFields(t.fields()) }

// UnmarshalJSON is tolerant in the same ways as Artikel's.
func (t *Translation) UnmarshalJSON(b []byte) error {
	*t = Translation{}
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "translation", t.fields()) })
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

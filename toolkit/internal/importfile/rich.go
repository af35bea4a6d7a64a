package importfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
)

// The keys of the richer products (API version 0.6) are read here, not by
// the SDK's decoder: an import is strict where the SDK is tolerant (an
// unknown key inside a photo is a mistake to report, not to skip), and it
// takes shapes that only a person writing a file uses, such as a category
// given by its name, or EAN codes separated by "|" in a CSV cell.

// extra decodes one key that the SDK's decoder is not given. csv tells that
// the value is the text of a CSV cell, where a list is written as its JSON.
type extra[T any] func(raw json.RawMessage, csv bool, v *T) error

// artikelExtras returns the decoders of the richer product keys, by key,
// and of the product's id, which an export of version 0.6 carries: it is
// read (a whole number or null) and not used, since products are found
// by SKU and ids are the server's.
func artikelExtras() map[string]extra[cloudspot.Artikel] {
	return map[string]extra[cloudspot.Artikel]{
		"id": func(raw json.RawMessage, _ bool, _ *cloudspot.Artikel) error {
			_, err := idOf(raw)
			return err
		},
		"interne_notitie":      text(func(a *cloudspot.Artikel) *string { return &a.InterneNotitie }),
		"merk":                 text(func(a *cloudspot.Artikel) *string { return &a.Merk }),
		"merk_id":              id(func(a *cloudspot.Artikel) *int64 { return &a.MerkID }),
		"categorie":            text(func(a *cloudspot.Artikel) *string { return &a.Categorie }),
		"categorie_id":         id(func(a *cloudspot.Artikel) *int64 { return &a.CategorieID }),
		"categorieen":          list(categorieRef, func(a *cloudspot.Artikel) *[]cloudspot.CategorieRef { return &a.Categorieen }),
		"fotos":                list(foto, func(a *cloudspot.Artikel) *[]cloudspot.Foto { return &a.Fotos }),
		"prijscategorieen":     list(prijscategorie, func(a *cloudspot.Artikel) *[]cloudspot.Prijscategorie { return &a.Prijscategorieen }),
		"EAN":                  eans,
		"samenstellingen":      list(translation, func(a *cloudspot.Artikel) *[]cloudspot.Translation { return &a.Samenstellingen }),
		"ruwe_grondstoffen":    list(translation, func(a *cloudspot.Artikel) *[]cloudspot.Translation { return &a.RuweGrondstoffen }),
		"gebruiksaanwijzingen": list(translation, func(a *cloudspot.Artikel) *[]cloudspot.Translation { return &a.Gebruiksaanwijzingen }),
		"meer_info":            list(translation, func(a *cloudspot.Artikel) *[]cloudspot.Translation { return &a.MeerInfo }),
	}
}

// ImportedExtensionKeys returns the keys that API version 0.6 added to a
// product that an import reads, in wire order, beside wirekeys.Artikel.
// Unlike erp.RichArtikelKeys (a stored row's columns) it leaves out the
// product's id: the import finds products by SKU, and ids are the server's.
func ImportedExtensionKeys() []string {
	var keys []string
	for _, k := range wirekeys.ArtikelExtensions() {
		if k != "id" {
			keys = append(keys, k)
		}
	}
	return keys
}

func text[T any](at func(*T) *string) extra[T] {
	return func(raw json.RawMessage, _ bool, v *T) error {
		s, err := textOf(raw)
		*at(v) = s
		return err
	}
}

func id[T any](at func(*T) *int64) extra[T] {
	return func(raw json.RawMessage, _ bool, v *T) error {
		n, err := idOf(raw)
		*at(v) = n
		return err
	}
}

// list reads a list of items: in JSON a list or null, in CSV the list's
// JSON as the cell's text. The first bad item is reported with its place.
func list[T, E any](item func(json.RawMessage) (E, error), at func(*T) *[]E) extra[T] {
	return func(raw json.RawMessage, csv bool, v *T) error {
		items, err := listOf(raw, csv)
		if err != nil || items == nil {
			return err
		}
		out := make([]E, 0, len(items))
		for i, r := range items {
			e, err := item(r)
			if err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
			out = append(out, e)
		}
		*at(v) = out
		return nil
	}
}

// listOf splits a list into its items; nil for null (not set).
func listOf(raw json.RawMessage, csv bool) ([]json.RawMessage, error) {
	if isNull(raw) {
		return nil, nil
	}
	if csv {
		var cell string
		if err := json.Unmarshal(raw, &cell); err != nil {
			return nil, err
		}
		cell = strings.TrimSpace(cell)
		if !strings.HasPrefix(cell, "[") {
			return nil, errors.New(`want the list as JSON, such as [{"...": ...}] (see --template)`)
		}
		raw = json.RawMessage(cell)
	} else if raw[0] != '[' {
		return nil, fmt.Errorf("want a list, not %s", jsonkind.Of(raw))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("not a JSON list: %s", jsonMessage(err))
	}
	return items, nil
}

// jsonMessage is err's text without the package's prefix.
func jsonMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

// isNull reports a null value, or none (a key left out).
func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// textOf reads text, or null as "".
func textOf(raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	if raw[0] != '"' {
		return "", fmt.Errorf("want text, not %s", jsonkind.Of(raw))
	}
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), nil // nothing to unescape
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// idOf reads an id: a whole number above 0, or text holding one (as a CSV
// cell does); null is 0, "none".
func idOf(raw json.RawMessage) (int64, error) {
	if isNull(raw) {
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(s)
	} else if raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' {
		return 0, fmt.Errorf("want an id (a whole number), not %s", jsonkind.Of(raw))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("want an id (a whole number from 1), not %s", clip(s))
	}
	return n, nil
}

// clip quotes s for a message, cut to a length a message can carry.
func clip(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strconv.Quote(s)
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }

// members reads an object of an item, refusing keys other than those
// allowed, each once.
func members(raw json.RawMessage, want string, allowed ...string) (item, error) {
	if raw[0] != '{' {
		return nil, fmt.Errorf("want %s, not %s", want, jsonkind.Of(raw))
	}
	o, err := parseObject(raw)
	if err != nil {
		return nil, err
	}
	for _, f := range o.fields {
		ok := false
		for _, a := range allowed {
			ok = ok || f.key == a
		}
		if !ok {
			return nil, fmt.Errorf("unknown key %s (an item has %s)", clip(f.key), strings.Join(allowed, ", "))
		}
	}
	return item(o.fields), nil
}

// item is the keys and values of a list's item: a few, searched in order.
type item []field

// get returns the value of key and whether it was given.
func (it item) get(key string) (json.RawMessage, bool) {
	for _, f := range it {
		if f.key == key {
			return f.value, true
		}
	}
	return nil, false
}

// categorieRef reads a category of a product: its id (a number), its name
// (text), or an object with either or both.
func categorieRef(raw json.RawMessage) (cloudspot.CategorieRef, error) {
	var c cloudspot.CategorieRef
	var err error
	switch raw[0] {
	case '"':
		c.Naam, err = textOf(raw)
		if err == nil && strings.TrimSpace(c.Naam) == "" {
			err = errors.New("an empty name")
		}
		return c, err
	case '{':
	default:
		if c.ID, err = idOf(raw); err == nil && c.ID == 0 {
			err = errors.New(`want a category's id, name or {"id": ...} / {"naam": ...}, not null`)
		}
		return c, err
	}
	m, err := members(raw, "a category", "id", "naam")
	if err != nil {
		return c, err
	}
	if v, ok := m.get("id"); ok {
		if c.ID, err = idOf(v); err != nil {
			return c, fmt.Errorf("id: %w", err)
		}
	}
	if v, ok := m.get("naam"); ok {
		if c.Naam, err = textOf(v); err != nil {
			return c, fmt.Errorf("naam: %w", err)
		}
	}
	if c.ID == 0 && strings.TrimSpace(c.Naam) == "" {
		return c, errors.New(`give the category's id or naam`)
	}
	return c, nil
}

func foto(raw json.RawMessage) (cloudspot.Foto, error) {
	var f cloudspot.Foto
	m, err := members(raw, `a photo {"url": ..., "is_hoofdfoto": ...}`, "url", "is_hoofdfoto")
	if err != nil {
		return f, err
	}
	url, _ := m.get("url")
	if f.URL, err = textOf(url); err != nil || f.URL == "" {
		if err == nil {
			err = errors.New("is required")
		}
		return f, fmt.Errorf("url: %w", err)
	}
	if v, ok := m.get("is_hoofdfoto"); ok && !isNull(v) {
		if err := json.Unmarshal(v, &f.IsHoofdfoto); err != nil {
			return f, fmt.Errorf("is_hoofdfoto: want true or false, not %s", jsonkind.Of(v))
		}
	}
	return f, nil
}

func prijscategorie(raw json.RawMessage) (cloudspot.Prijscategorie, error) {
	var p cloudspot.Prijscategorie
	m, err := members(raw, "a price category", "label", "label_id", "type", "korting", "verkoopprijs_excl", "verkoopprijs_incl")
	if err != nil {
		return p, err
	}
	for _, f := range []struct {
		key  string
		read func(json.RawMessage) error
	}{
		{"label", func(v json.RawMessage) (err error) { p.Label, err = textOf(v); return }},
		{"label_id", func(v json.RawMessage) (err error) { p.LabelID, err = idOf(v); return }},
		{"type", func(v json.RawMessage) (err error) { p.Type, err = textOf(v); return }},
		{"korting", decimalInto(&p.Korting)},
		{"verkoopprijs_excl", decimalInto(&p.VerkoopprijsExcl)},
		{"verkoopprijs_incl", decimalInto(&p.VerkoopprijsIncl)},
	} {
		if v, ok := m.get(f.key); ok {
			if err := f.read(v); err != nil {
				return p, fmt.Errorf("%s: %w", f.key, err)
			}
		}
	}
	return p, nil
}

func decimalInto(d *cloudspot.Decimal) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		if v[0] != '"' && v[0] != 'n' && v[0] != '-' && (v[0] < '0' || v[0] > '9') {
			return fmt.Errorf("want a number, not %s", jsonkind.Of(v))
		}
		if err := d.UnmarshalJSON(v); err != nil {
			return errors.New(strings.TrimPrefix(err.Error(), "cloudspot: "))
		}
		return nil
	}
}

func translation(raw json.RawMessage) (cloudspot.Translation, error) {
	var t cloudspot.Translation
	m, err := members(raw, `a text {"text": ..., "taal": ...}`, "text", "taal", "taal_display")
	if err != nil {
		return t, err
	}
	for _, f := range []struct {
		key string
		at  *string
	}{{"text", &t.Text}, {"taal", &t.Taal}, {"taal_display", &t.TaalDisplay}} {
		if v, ok := m.get(f.key); ok {
			if *f.at, err = textOf(v); err != nil {
				return t, fmt.Errorf("%s: %w", f.key, err)
			}
		}
	}
	return t, nil
}

// eans reads EAN codes as text: a number would have lost its leading
// zeros before the import saw it. A CSV cell may also hold the codes
// separated by "|".
func eans(raw json.RawMessage, csv bool, a *cloudspot.Artikel) error {
	if csv && !isNull(raw) {
		var cell string
		if err := json.Unmarshal(raw, &cell); err != nil {
			return err
		}
		if cell = strings.TrimSpace(cell); !strings.HasPrefix(cell, "[") {
			out := []string{}
			for i, code := range strings.Split(cell, "|") {
				if code = strings.TrimSpace(code); code == "" {
					return fmt.Errorf("code %d of %s is empty", i+1, clip(cell))
				}
				out = append(out, code)
			}
			a.EAN = out
			return nil
		}
	}
	items, err := listOf(raw, csv)
	if err != nil || items == nil {
		return err
	}
	out := make([]string, 0, len(items))
	for i, r := range items {
		if r[0] != '"' {
			if bytes.IndexFunc(r, func(c rune) bool { return c < '0' || c > '9' }) < 0 {
				return fmt.Errorf("item %d: write an EAN as text (\"%s\"): as a number it loses its leading zeros", i+1, r)
			}
			return fmt.Errorf("item %d: want an EAN as text, not %s", i+1, jsonkind.Of(r))
		}
		code, err := textOf(r)
		if err != nil {
			return fmt.Errorf("item %d: %w", i+1, err)
		}
		out = append(out, code)
	}
	a.EAN = out
	return nil
}

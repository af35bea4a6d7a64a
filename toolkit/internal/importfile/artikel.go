package importfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// A product's keys: the protocol's, which the SDK's decoder reads, and its
// details (brand, categories, photos, price categories, EAN codes, texts
// per language), which are read here, not by the SDK's decoder: an import
// is strict where the SDK is tolerant (an unknown key inside a photo is a
// mistake to report, not to skip), and it takes shapes that only a person
// writing a file uses, such as a category given by its name, or EAN codes
// separated by "|" in a CSV cell.

// Artikels reads products: a JSON list of objects (or the API's own
// {"data": [...]}), or CSV with a header row of wire keys. Unknown keys are
// problems here, unlike in the SDK: a misspelt column must not be dropped.
// The keys of a product's details (ArtikelDetailKeys) take their wire
// shapes; in CSV a list is written as its JSON, and EAN also as codes
// separated by "|". A category of a product may be given by id (a number)
// or by name (text). An "id" key, as an export of the API carries, is read
// and not used: products are found by SKU. A record that carries none of
// the detail keys (in CSV: a file without their columns) is marked
// erp.Record.KeepDetails, so that the product it updates keeps its details;
// one that carries any of them, even as null or an empty cell, replaces
// them. The sequence ends early with an error when the rest of the file
// cannot be read.
func Artikels(r io.Reader, f Format) iter.Seq2[erp.Record[cloudspot.Artikel], error] {
	keys := append([]string{"id"}, wirekeys.Artikel()...)
	details := ArtikelDetailKeys()
	keepable := make(map[string]bool, len(details))
	for _, k := range details {
		keepable[k] = true
	}
	return records[cloudspot.Artikel, *cloudspot.Artikel](r, f, append(keys, details...), erp.RequiredArtikelKeys(), artikelExtras(), keepable)
}

// ArtikelDetailKeys returns the keys of a product's details that an import
// reads beside wirekeys.Artikel, in wire order: its brand, categories,
// photos, price categories, EAN codes, texts per language and internal
// note. Unlike erp.DetailedArtikelKeys (a stored row's columns) it leaves out
// the product's id: the import finds products by SKU, and ids are the
// server's.
func ArtikelDetailKeys() []string {
	var keys []string
	for _, k := range wirekeys.ArtikelExtensions() {
		if k != "id" {
			keys = append(keys, k)
		}
	}
	return keys
}

// artikelExtras returns the decoders of the detail keys, by key, and of
// the product's id, which an export of the API carries: it is read (a
// whole number or null) and not used, since products are found by SKU and
// ids are the server's.
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

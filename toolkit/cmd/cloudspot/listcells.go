package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

// A table's cell holds text for people, so the lists of a product's details
// (API version 0.6) are shown there in a short form that says what matters
// at a glance. JSON and NDJSON keep their structure, and a CSV cell holds
// the list's wire JSON (wireCell), so that a CSV export imports again.
//
//	categorieen       Bier, Promo (a category without a name: #5)
//	fotos             the main photo's URL (else the first), and (+N) more
//	prijscategorieen  Horeca 11.50, Groot 19.55 (the price incl. VAT, else excl.)
//	EAN               5411234567890|5411234567891
//	texts per language  nl: Water, hop. | fr: Eau, houblon.

// compact returns the short form of the list under key as a JSON string,
// or the list's JSON text as a string when key holds no list it knows.
func compact(key string, raw json.RawMessage) json.RawMessage {
	s, err := compactText(key, raw)
	if err != nil {
		s = string(raw)
	}
	b, _ := json.Marshal(s)
	return b
}

func compactText(key string, raw json.RawMessage) (string, error) {
	switch key {
	case "categorieen":
		var cs []cloudspot.CategorieRef
		if err := json.Unmarshal(raw, &cs); err != nil {
			return "", err
		}
		return join(cs, ", ", func(c cloudspot.CategorieRef) string {
			if c.Naam == "" {
				return fmt.Sprintf("#%d", c.ID)
			}
			return c.Naam
		}), nil
	case "fotos":
		var fs []cloudspot.Foto
		if err := json.Unmarshal(raw, &fs); err != nil || len(fs) == 0 {
			return "", err
		}
		main := fs[0]
		for _, f := range fs {
			if f.IsHoofdfoto {
				main = f
				break
			}
		}
		if len(fs) > 1 {
			return fmt.Sprintf("%s (+%d)", main.URL, len(fs)-1), nil
		}
		return main.URL, nil
	case "prijscategorieen":
		var ps []cloudspot.Prijscategorie
		if err := json.Unmarshal(raw, &ps); err != nil {
			return "", err
		}
		return join(ps, ", ", func(p cloudspot.Prijscategorie) string {
			price := p.VerkoopprijsIncl
			if !price.Known() {
				price = p.VerkoopprijsExcl
			}
			switch {
			case price.Known():
				return strings.TrimSpace(p.Label + " " + price.String())
			case p.Korting.Known():
				return strings.TrimSpace(p.Label + " -" + p.Korting.String() + "%")
			}
			return p.Label
		}), nil
	case "EAN":
		var codes []string
		if err := json.Unmarshal(raw, &codes); err != nil {
			return "", err
		}
		return strings.Join(codes, "|"), nil
	case "samenstellingen", "ruwe_grondstoffen", "gebruiksaanwijzingen", "meer_info":
		var ts []cloudspot.Translation
		if err := json.Unmarshal(raw, &ts); err != nil {
			return "", err
		}
		return join(ts, " | ", func(t cloudspot.Translation) string {
			if t.Taal == "" {
				return t.Text
			}
			return t.Taal + ": " + t.Text
		}), nil
	}
	return "", fmt.Errorf("no short form for %s", key)
}

// wireCell is a list's JSON for a CSV cell: compact, and inert on a
// terminal and in a spreadsheet (see command.InertJSON), which an import
// reads back as the same list.
func wireCell(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return command.Visible(string(raw), "")
	}
	return command.InertJSON(b.String())
}

func join[T any](items []T, sep string, text func(T) string) string {
	parts := make([]string, len(items))
	for i, v := range items {
		parts[i] = text(v)
	}
	return strings.Join(parts, sep)
}

package sqlstore

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"

	"github.com/cloudspot-toolkit/cloudspot"
)

// A product's list-valued keys of version 0.6 are stored as the wire JSON
// of the list, written here with the keys, order and null rules of the
// wire format (empty strings and unknown decimals as null), so that the
// list call copies them out as they are. An empty list is stored as "".

// jsonList stores a list as its wire JSON.
type jsonList struct {
	encode func() ([]byte, error)
	decode func([]byte) error
}

func (jsonList) kind() kind { return kText }

func (l jsonList) Value() (driver.Value, error) {
	b, err := l.encode()
	return string(b), err
}

func (l jsonList) Scan(src any) error {
	var s sql.NullString
	if err := s.Scan(src); err != nil {
		return err
	}
	if s.String == "" {
		return l.decode(nil)
	}
	return l.decode([]byte(s.String))
}

// listOf binds a list of T to its column through W, the element's wire
// shape.
func listOf[T, W any](p *[]T, toWire func(T) W, fromWire func(W) T) jsonList {
	return jsonList{
		encode: func() ([]byte, error) {
			if len(*p) == 0 {
				return nil, nil
			}
			ws := make([]W, len(*p))
			for i, v := range *p {
				ws[i] = toWire(v)
			}
			return json.Marshal(ws)
		},
		decode: func(b []byte) error {
			*p = nil
			if b == nil {
				return nil
			}
			var ws []W
			if err := json.Unmarshal(b, &ws); err != nil {
				return err
			}
			if len(ws) > 0 {
				*p = make([]T, len(ws))
				for i, w := range ws {
					(*p)[i] = fromWire(w)
				}
			}
			return nil
		},
	}
}

func same[T any](v T) T { return v }

// optText is a wire string that is null when empty.
func optText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func text(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

type fotoWire struct {
	URL         string `json:"url"`
	IsHoofdfoto bool   `json:"is_hoofdfoto"`
}

func fotoToWire(f cloudspot.Foto) fotoWire { return fotoWire{f.URL, f.IsHoofdfoto} }
func fotoFromWire(w fotoWire) cloudspot.Foto {
	return cloudspot.Foto{URL: w.URL, IsHoofdfoto: w.IsHoofdfoto}
}

type prijscategorieWire struct {
	Label            *string           `json:"label"`
	LabelID          *int64            `json:"label_id"`
	Type             *string           `json:"type"`
	Korting          cloudspot.Decimal `json:"korting"`
	VerkoopprijsExcl cloudspot.Decimal `json:"verkoopprijs_excl"`
	VerkoopprijsIncl cloudspot.Decimal `json:"verkoopprijs_incl"`
}

func prijscategorieToWire(p cloudspot.Prijscategorie) prijscategorieWire {
	w := prijscategorieWire{Label: optText(p.Label), Type: optText(p.Type),
		Korting: p.Korting, VerkoopprijsExcl: p.VerkoopprijsExcl, VerkoopprijsIncl: p.VerkoopprijsIncl}
	if p.LabelID != 0 {
		w.LabelID = &p.LabelID
	}
	return w
}

func prijscategorieFromWire(w prijscategorieWire) cloudspot.Prijscategorie {
	p := cloudspot.Prijscategorie{Label: text(w.Label), Type: text(w.Type),
		Korting: w.Korting, VerkoopprijsExcl: w.VerkoopprijsExcl, VerkoopprijsIncl: w.VerkoopprijsIncl}
	if w.LabelID != nil {
		p.LabelID = *w.LabelID
	}
	return p
}

type translationWire struct {
	Text        string  `json:"text"`
	Taal        string  `json:"taal"`
	TaalDisplay *string `json:"taal_display"`
}

func translations(p *[]cloudspot.Translation) jsonList {
	return listOf(p,
		func(t cloudspot.Translation) translationWire {
			return translationWire{Text: t.Text, Taal: t.Taal, TaalDisplay: optText(t.TaalDisplay)}
		},
		func(w translationWire) cloudspot.Translation {
			return cloudspot.Translation{Text: w.Text, Taal: w.Taal, TaalDisplay: text(w.TaalDisplay)}
		})
}

package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The protocol's bodies, transcribed by hand from its documentation: each key
// with the JSON type it carries. They are literal on purpose. The server
// writes products and clients through the SDK's field tables; a test that
// took its keys from those tables would follow a rename instead of catching
// it.
type shape map[string]string

// JSON types as shape names them; "null" is allowed for every key of an
// Artikel or a Klant, whose unset values are null.
const (
	str   = "string"
	num   = "number"
	integ = "integer"
	boolT = "boolean"
	list  = "list"
	// strOrNull is a key of version 0.5 that is null when not set.
	strOrNull = "string or null"
)

var (
	signInBody      = shape{"token": str, "permissions": list}
	permissionsBody = shape{"permissions": list}
	permissionItem  = shape{"permission": str}
	userBody        = shape{"first_name": str, "last_name": str, "email": str}
	listBody        = shape{"data": list}
	errorBody       = shape{"message": str}

	artikelItem = shape{
		"naam":                 str,
		"beschrijving":         str,
		"SKU":                  str,
		"voorraad_bijhouden":   str,
		"op_voorraad":          num,
		"product_url":          str,
		"verkoopprijs_excl":    num,
		"verkoopprijs_incl":    num,
		"inkoopprijs_excl":     num,
		"inkoopprijs_incl":     num,
		"BTW":                  num,
		"bestellingtype":       str,
		"units_per_bestelling": num,
		"status":               str,
	}
	klantItem = shape{
		"klantennummer":      integ,
		"aanspreektitel":     str,
		"voornaam":           str,
		"achternaam":         str,
		"straat":             str,
		"huisnummer":         str,
		"busnummer":          str,
		"postcode":           str,
		"plaats":             str,
		"land":               str,
		"geboortedatum":      str,
		"geboorteplaats":     str,
		"is_bedrijf":         boolT,
		"bedrijfsnaam":       str,
		"BTW_nummer":         str,
		"ondernemingsnummer": str,
	}
)

// artikel06Item is an Artikel of version 0.6: the id, the protocol's keys
// and those of the reference wrapper's later releases, transcribed from
// their documentation.
var artikel06Item = func() shape {
	s := withID(artikelItem)
	for k, v := range map[string]string{
		"interne_notitie":      str,
		"merk":                 str,
		"merk_id":              integ,
		"categorie":            str,
		"categorie_id":         integ,
		"categorieen":          list,
		"fotos":                list,
		"prijscategorieen":     list,
		"EAN":                  list,
		"samenstellingen":      list,
		"ruwe_grondstoffen":    list,
		"gebruiksaanwijzingen": list,
		"meer_info":            list,
	} {
		s[k] = v
	}
	return s
}()

// withID is an Artikel as the later API's GET /artikels/?id= sends it.
func withID(s shape) shape {
	out := shape{"id": integ}
	for k, v := range s {
		out[k] = v
	}
	return out
}

// body says what a response must hold: the top-level shape and, for the
// list under one key, the shape of every item (at least one).
type body struct {
	top      shape
	listKey  string
	item     shape
	nullable bool // items may carry null for any key
}

var (
	signInShape      = body{top: signInBody, listKey: "permissions", item: permissionItem}
	permissionsShape = body{top: permissionsBody, listKey: "permissions", item: permissionItem}
	userShape        = body{top: userBody}
	// Version 0.5 adds the company's uid to the sign-in answer, and the
	// uid and the pin (null when unset) to the user.
	signIn05Shape    = body{top: shape{"token": str, "permissions": list, "company": str}, listKey: "permissions", item: permissionItem}
	user05Shape      = body{top: shape{"first_name": str, "last_name": str, "email": str, "company": str, "pin": strOrNull}}
	artikelsShape    = body{top: listBody, listKey: "data", item: artikelItem, nullable: true}
	artikelByIDShape = body{top: listBody, listKey: "data", item: withID(artikelItem), nullable: true}
	klantenShape     = body{top: listBody, listKey: "data", item: klantItem, nullable: true}
	artikels06Shape  = body{top: listBody, listKey: "data", item: artikel06Item, nullable: true}
	// A category of the later API: never null, children always a list.
	categoriesShape = body{top: listBody, listKey: "data", item: shape{"id": integ, "naam": str, "children": list}}
	errorShape      = body{top: errorBody}
)

// check returns every way b departs from the shape: a missing or extra
// key, a value of the wrong JSON type, a body that is not a JSON object.
func (want body) check(b []byte) []string {
	top, problems := object(b, want.top, false)
	if want.listKey == "" || len(problems) > 0 {
		return problems
	}
	var items []json.RawMessage
	if err := json.Unmarshal(top[want.listKey], &items); err != nil {
		return []string{fmt.Sprintf("%s is not a list: %v", want.listKey, err)}
	}
	if len(items) == 0 && want.listKey == "data" {
		return []string{"data is empty: nothing of the items' shape was checked"}
	}
	for i, item := range items {
		_, ps := object(item, want.item, want.nullable)
		for _, p := range ps {
			problems = append(problems, fmt.Sprintf("%s[%d]: %s", want.listKey, i, p))
		}
	}
	return problems
}

// object decodes one JSON object and compares it with s.
func object(b []byte, s shape, nullable bool) (map[string]json.RawMessage, []string) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, []string{fmt.Sprintf("not a JSON object: %q", truncate(b))}
	}
	var problems []string
	for k, raw := range m {
		typ, ok := s[k]
		if !ok {
			problems = append(problems, fmt.Sprintf("key %q is not in the protocol", k))
			continue
		}
		if got := jsonType(raw); got != typ && !(typ == num && got == integ) && !(typ == strOrNull && (got == str || got == "null")) && !(nullable && got == "null") {
			problems = append(problems, fmt.Sprintf("%q is a JSON %s, want %s", k, got, typ))
		}
	}
	for k := range s {
		if _, ok := m[k]; !ok {
			problems = append(problems, fmt.Sprintf("key %q is missing", k))
		}
	}
	slices.Sort(problems)
	return m, problems
}

func jsonType(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return "nothing"
	case raw[0] == '"':
		return str
	case raw[0] == '[':
		return list
	case raw[0] == '{':
		return "object"
	case string(raw) == "null":
		return "null"
	case string(raw) == "true" || string(raw) == "false":
		return boolT
	case strings.ContainsAny(string(raw), ".eE"):
		return num
	}
	return integ
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// Package wirerow encodes one record of a list (a product, a client) as the
// wire JSON that the list calls send. It is the server's one encoder of
// rows: the store runs it when a row is written (an import, a renamed or
// deleted category, a migration) and keeps the result beside the row, so
// that a list copies each row's JSON as it is. Its input is each column's
// stored text, in the wire order of the record's keys (the SDK's
// internal/wirekeys): a product's prices are stored as their exact decimal
// text, which is already the JSON number the protocol sends, so nothing is
// parsed and re-formatted on the way; a list-valued key of version 0.6 is
// stored as its wire JSON, which the database holds to a JSON array, and
// copied as it is. The output is byte for byte what encoding/json makes of
// the SDK's models (httpapi's TestListsMatchModels holds the two together).
//
// A product is kept in two parts, from which every version's body is put
// together without encoding anything again: its object with the protocol's
// keys (API versions 0.4 and 0.5 send it as it is) and the keys of its
// details as a fragment (",\"interne_notitie\":...,\"meer_info\":[...]"),
// which version 0.6 adds after the protocol's keys, behind the product's id
// (AppendDetailed).
package wirerow

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/jsonstring"
	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// colKind is how a stored column is written as JSON.
type colKind uint8

const (
	colText        colKind = iota // a JSON string; empty is null, the ERP's "not set"
	colDecimal                    // a JSON number, exact text as stored; NULL or "" (unknown) is null
	colInt                        // a JSON integer
	colBool                       // true or false, stored as 0/1 or true/false
	colDate                       // "YYYY-MM-DD"; empty is null
	colOptInt                     // a JSON integer; NULL or empty is null
	colList                       // a JSON array stored as its wire JSON; NULL (empty, or no details) is []
	colCategorieen                // "id:naam" entries (erp.CategorieSeparator) as [{"id", "naam"}]; empty is []
)

// Shape is how one kind of record is written: its wire keys, in the order
// the store's columns come, and the kind of each column. Shapes are
// immutable and safe for concurrent use.
type Shape struct {
	what   string
	prefix [][]byte // `{"naam":`, `,"beschrijving":`, ...
	kinds  []colKind
	// fragment marks the keys that follow others in an object (a
	// product's details): no braces around them.
	fragment bool
}

func newShape(what string, keys []string, kinds []colKind, fragment bool) *Shape {
	if len(keys) != len(kinds) {
		panic(fmt.Sprintf("wirerow: %s has %d keys but %d column kinds", what, len(keys), len(kinds)))
	}
	sh := &Shape{what: what, kinds: kinds, prefix: make([][]byte, len(keys)), fragment: fragment}
	for i, k := range keys {
		sep := byte(',')
		if i == 0 && !fragment {
			sep = '{'
		}
		sh.prefix[i] = append(jsonstring.Append([]byte{sep}, k), ':')
	}
	return sh
}

// Framed reports whether b starts and ends as the shape's JSON does: its
// first key, and its closing brace (a fragment: the end of its last
// value, a list). A stored row that is not is damaged, and copying it
// would break a body's frame.
func (sh *Shape) Framed(b []byte) bool {
	last := byte('}')
	if sh.fragment {
		last = ']'
	}
	return len(b) > len(sh.prefix[0]) && bytes.HasPrefix(b, sh.prefix[0]) && b[len(b)-1] == last
}

// Columns is how many columns a row of the shape has.
func (sh *Shape) Columns() int { return len(sh.kinds) }

// Artikel is a product with the protocol's keys (wirekeys.Artikel, the
// body of API versions 0.4 and 0.5), a whole object: naam, beschrijving,
// SKU, voorraad_bijhouden, op_voorraad, product_url, the four prices, BTW,
// bestellingtype, units_per_bestelling, status.
var Artikel = newShape("artikel", wirekeys.Artikel(), []colKind{colText, colText, colText, colText, colDecimal, colText,
	colDecimal, colDecimal, colDecimal, colDecimal, colDecimal, colText, colDecimal, colText}, false)

// ArtikelDetails is the keys that a product's details add in version 0.6
// (wirekeys.ArtikelExtensions but the id), as a fragment that follows the
// protocol's keys: interne_notitie, merk, merk_id, categorie, categorie_id,
// categorieen, fotos, prijscategorieen, EAN, samenstellingen,
// ruwe_grondstoffen, gebruiksaanwijzingen, meer_info.
var ArtikelDetails = newShape("artikel details", wirekeys.ArtikelExtensions()[1:], []colKind{colText, colText, colOptInt, colText, colOptInt,
	colCategorieen, colList, colList, colList, colList, colList, colList, colList}, true)

// Klant is a client (wirekeys.Klant), a whole object.
var Klant = newShape("klant", wirekeys.Klant(), []colKind{colInt, colText, colText, colText, colText, colText, colText,
	colText, colText, colText, colDate, colText, colBool, colText, colText, colText}, false)

// NoDetails is ArtikelDetails of a product without details: every key
// null, every list empty.
var NoDetails = func() []byte {
	b, err := ArtikelDetails.Append(nil, make([][]byte, ArtikelDetails.Columns()))
	if err != nil {
		panic(err)
	}
	return b
}()

// AppendWithID appends a product's object (Artikel's) with its id as the
// first key, as a product asked for by id is sent before version 0.6.
func AppendWithID(b []byte, id int64, obj []byte) []byte {
	return AppendDetailed(b, id, obj, nil)
}

// AppendDetailed appends a product as version 0.6 sends it: its id, the
// protocol's keys of obj (Artikel's) and its details (ArtikelDetails'
// fragment; NoDetails for a product without any).
func AppendDetailed(b []byte, id int64, obj, details []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, ',')
	b = append(b, obj[1:len(obj)-1]...)
	b = append(b, details...)
	return append(b, '}')
}

// Append appends one record as a JSON object (a fragment for
// ArtikelDetails) from the stored text of its columns (nil for NULL). A
// column whose stored text is not what its kind allows is an error, never
// malformed JSON; a list column is copied, since the schema lets only a
// JSON array (or NULL) be stored.
func (sh *Shape) Append(b []byte, cols [][]byte) ([]byte, error) {
	if len(cols) != len(sh.kinds) {
		return b, fmt.Errorf("%s: %d columns, want %d", sh.what, len(cols), len(sh.kinds))
	}
	for i, c := range cols {
		b = append(b, sh.prefix[i]...)
		switch sh.kinds[i] {
		case colText:
			if len(c) == 0 {
				b = append(b, "null"...)
			} else {
				b = jsonstring.Append(b, c)
			}
		case colDecimal:
			switch {
			case len(c) == 0: // NULL, or "" as an unknown Decimal is stored
				b = append(b, "null"...)
			case isPlainDecimal(c):
				b = append(b, c...)
			default:
				// Not the form Decimal.String writes: let the SDK
				// read and write it, as the models would.
				d, err := cloudspot.ParseDecimal(string(c))
				if err != nil {
					return b, fmt.Errorf("%s column %d: %w", sh.what, i, err)
				}
				b = append(b, d.String()...)
			}
		case colInt:
			if !isInteger(c) {
				return b, fmt.Errorf("%s column %d: %q is not an integer", sh.what, i, c)
			}
			b = append(b, c...)
		case colBool:
			switch string(c) {
			case "1", "true", "t":
				b = append(b, "true"...)
			case "0", "false", "f":
				b = append(b, "false"...)
			default:
				return b, fmt.Errorf("%s column %d: %q is not a boolean", sh.what, i, c)
			}
		case colDate:
			if len(c) == 0 {
				b = append(b, "null"...)
				break
			}
			b = append(b, '"')
			if isPlainDate(c) {
				b = append(b, c...)
			} else {
				d, err := cloudspot.ParseDate(string(c))
				if err != nil {
					return b, fmt.Errorf("%s column %d: %w", sh.what, i, err)
				}
				b = append(b, d.String()...)
			}
			b = append(b, '"')
		case colOptInt:
			if len(c) == 0 {
				b = append(b, "null"...)
				break
			}
			if !isInteger(c) {
				return b, fmt.Errorf("%s column %d: %q is not an integer", sh.what, i, c)
			}
			b = append(b, c...)
		case colList:
			if len(c) == 0 {
				b = append(b, "[]"...)
				break
			}
			// The wire JSON the store wrote, copied unchecked: the
			// database holds these columns to JSON arrays, so a
			// damaged one cannot be stored.
			b = append(b, c...)
		case colCategorieen:
			var err error
			if b, err = appendCategorieen(b, c); err != nil {
				return b, fmt.Errorf("%s column %d: %w", sh.what, i, err)
			}
		}
	}
	if sh.fragment {
		return b, nil
	}
	return append(b, '}'), nil
}

// appendCategorieen writes a streamed categorieen column as its wire list.
func appendCategorieen(b, c []byte) ([]byte, error) {
	b = append(b, '[')
	for i := 0; len(c) > 0; i++ {
		e := c
		if j := bytes.IndexByte(c, erp.CategorieSeparator); j >= 0 {
			e, c = c[:j], c[j+1:]
		} else {
			c = nil
		}
		colon := bytes.IndexByte(e, ':')
		if colon < 0 || !isInteger(e[:colon]) {
			return b, fmt.Errorf("category entry %q is not id:naam", e)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = append(b, e[:colon]...)
		b = append(b, `,"naam":`...)
		b = jsonstring.Append(b, e[colon+1:])
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// isPlainDecimal reports whether c is -?(0|[1-9][0-9]*)(\.[0-9]+)?, the only
// form Decimal.String writes, and so already a JSON number.
func isPlainDecimal(c []byte) bool {
	i := 0
	if i < len(c) && c[i] == '-' {
		i++
	}
	start := i
	for i < len(c) && c[i] >= '0' && c[i] <= '9' {
		i++
	}
	if i == start || (c[start] == '0' && i-start > 1) {
		return false
	}
	if i < len(c) && c[i] == '.' {
		i++
		frac := i
		for i < len(c) && c[i] >= '0' && c[i] <= '9' {
			i++
		}
		if i == frac {
			return false
		}
	}
	return i == len(c)
}

// isPlainDate reports whether c is YYYY-MM-DD with a month of 01-12 and a
// day of 01-28, valid in every month, as Date.String writes it. Anything
// else goes through cloudspot.ParseDate, which knows each month's length.
func isPlainDate(c []byte) bool {
	if len(c) != 10 || c[4] != '-' || c[7] != '-' {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	month, day := int(c[5]-'0')*10+int(c[6]-'0'), int(c[8]-'0')*10+int(c[9]-'0')
	return month >= 1 && month <= 12 && day >= 1 && day <= 28
}

// isInteger reports whether c is a JSON integer.
func isInteger(c []byte) bool {
	if len(c) > 0 && c[0] == '-' {
		c = c[1:]
	}
	if len(c) == 0 || (c[0] == '0' && len(c) > 1) {
		return false
	}
	for _, d := range c {
		if d < '0' || d > '9' {
			return false
		}
	}
	return true
}

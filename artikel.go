package cloudspot

import (
	"context"
	"iter"

	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
)

// VoorraadBijhouden says whether and how the ERP tracks stock for a product
// (voorraad_bijhouden). A value the SDK does not know is kept as it came.
type VoorraadBijhouden string

// The values of voorraad_bijhouden the ERP documents.
const (
	VoorraadBijhoudenNiet     VoorraadBijhouden = "NIET"     // no stock tracking
	VoorraadBijhoudenFysiek   VoorraadBijhouden = "FYSIEK"   // physical units; OpVoorraad is meaningful
	VoorraadBijhoudenDigitaal VoorraadBijhouden = "DIGITAAL" // digital goods
)

// Known reports whether m is one of the documented stock modes.
func (m VoorraadBijhouden) Known() bool {
	return m == VoorraadBijhoudenNiet || m == VoorraadBijhoudenFysiek || m == VoorraadBijhoudenDigitaal
}

// Bestellingtype is how a product is ordered from its vendor (bestellingtype).
type Bestellingtype string

// The values of bestellingtype the ERP documents.
const (
	BestellingtypeIdeaal     Bestellingtype = "IDEAAL"
	BestellingtypeBestelling Bestellingtype = "BESTELLING"
)

// Known reports whether t is one of the documented order types.
func (t Bestellingtype) Known() bool {
	return t == BestellingtypeIdeaal || t == BestellingtypeBestelling
}

// ArtikelStatus is a product's visibility in the ERP (status).
type ArtikelStatus string

// The product statuses the ERP documents.
const (
	ArtikelStatusZichtbaar       ArtikelStatus = "ZICHTBAAR"        // visible and sellable
	ArtikelStatusNietVerkoopbaar ArtikelStatus = "NIET_VERKOOPBAAR" // visible, not sellable
	ArtikelStatusGedeactiveerd   ArtikelStatus = "GEDEACTIVEERD"    // deactivated
)

// Known reports whether s is one of the documented statuses.
func (s ArtikelStatus) Known() bool {
	return s == ArtikelStatusZichtbaar || s == ArtikelStatusNietVerkoopbaar || s == ArtikelStatusGedeactiveerd
}

// Artikel is a product of a company, as the ERP sends it. The Go field names
// follow the ERP's Dutch keys so that its documentation reads across; money,
// VAT and quantities are exact decimals.
type Artikel struct {
	// ID is the ERP's id of the product. cloudspot-server sends it from
	// API version 0.6 on, and in every version for [ArtikelService.Get];
	// zero when the server did not send it.
	ID                 int64
	Naam               string            // name
	Beschrijving       string            // long description
	SKU                string            // stock keeping unit
	VoorraadBijhouden  VoorraadBijhouden // stock tracking mode
	OpVoorraad         Decimal           // units in stock; meaningful only for VoorraadBijhoudenFysiek
	ProductURL         string            // external URL with product information
	VerkoopprijsExcl   Decimal           // sales price excluding VAT
	VerkoopprijsIncl   Decimal           // sales price including VAT
	InkoopprijsExcl    Decimal           // purchase price excluding VAT
	InkoopprijsIncl    Decimal           // purchase price including VAT
	BTW                Decimal           // VAT percentage, e.g. 21
	Bestellingtype     Bestellingtype    // how the product is ordered from the vendor
	UnitsPerBestelling Decimal           // minimum units per order to the vendor
	Status             ArtikelStatus     // visibility in the ERP

	// InterneNotitie and the fields below it are the product's keys in
	// API version 0.6 of cloudspot-server. A server that sends the
	// bodies of version 0.4 or 0.5 (the ERP itself, or cloudspot-server
	// asked for them) leaves them empty; a list is nil, not empty, when
	// its key was absent.
	InterneNotitie       string           // internal note, not for customers
	Merk                 string           // brand name
	MerkID               int64            // the brand's ERP id; 0 when unknown
	Categorie            string           // name of the main category
	CategorieID          int64            // id of the main category; 0 when none
	Categorieen          []CategorieRef   // every category the product is in
	Fotos                []Foto           // photos, the main one marked
	Prijscategorieen     []Prijscategorie // prices per price category
	EAN                  []string         // EAN (barcode) numbers, as text: leading zeros count
	Samenstellingen      []Translation    // composition, one entry per language
	RuweGrondstoffen     []Translation    // raw materials, one entry per language
	Gebruiksaanwijzingen []Translation    // directions for use, one entry per language
	MeerInfo             []Translation    // more information, one entry per language
}

// artikelKeys is a product's wire keys, in the order fields binds them.
var artikelKeys = wirekeys.ArtikelTable()

// fields binds each wire key of a product (artikelKeys, in wire order) to
// the Go value that holds it. It is the one source of the product's wire
// format: encoding and decoding both walk it.
func (a *Artikel) fields() []field {
	return bind(artikelKeys,
		&a.ID,
		&a.Naam, &a.Beschrijving, &a.SKU, (*string)(&a.VoorraadBijhouden), &a.OpVoorraad, &a.ProductURL,
		&a.VerkoopprijsExcl, &a.VerkoopprijsIncl, &a.InkoopprijsExcl, &a.InkoopprijsIncl, &a.BTW,
		(*string)(&a.Bestellingtype), &a.UnitsPerBestelling, (*string)(&a.Status),
		&a.InterneNotitie,
		// merk and categorie may be objects that hold the id as well;
		// a null merk_id or categorie_id beside one keeps that id.
		namedRef{&a.Merk, &a.MerkID}, keptOnNull{&a.MerkID},
		namedRef{&a.Categorie, &a.CategorieID}, keptOnNull{&a.CategorieID},
		&a.Categorieen, &a.Fotos, &a.Prijscategorieen, &a.EAN,
		&a.Samenstellingen, &a.RuweGrondstoffen, &a.Gebruiksaanwijzingen, &a.MeerInfo)
}

// MarshalJSON writes the 14 keys of a product in API version 0.4, naam
// through status, each of them, as the reference client expects; an empty
// string is written as null, the ERP's "not set". The keys of version 0.6
// (and id) follow only when set: a scalar when it is not zero, a list when
// it is not nil (an empty list that a server sent stays []). So a product
// read from a server that sends version 0.4's bodies encodes to exactly
// version 0.4's keys.
func (a Artikel) MarshalJSON() ([]byte, error) { return marshalFields(a.fields()) }

// UnmarshalJSON is tolerant: unknown keys are ignored, null means "not set",
// and numbers may arrive as strings.
func (a *Artikel) UnmarshalJSON(b []byte) error {
	*a = Artikel{}
	fs := a.fields()
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "artikel", fs) })
}

// CategorieRef names a category a product is in: its id, and its name when
// the server sends one (a server may send the id alone).
type CategorieRef struct {
	ID   int64
	Naam string
}

// Foto is a product photo (fotos).
type Foto struct {
	URL         string // where the image is served
	IsHoofdfoto bool   // the product's main photo
}

// Prijscategorie is a product's price in one price category
// (prijscategorieen), such as a wholesale price.
type Prijscategorie struct {
	Label            string  // the price category's name
	LabelID          int64   // the price category's id
	Type             string  // how the price is set, as the ERP names it
	Korting          Decimal // discount percentage
	VerkoopprijsExcl Decimal // sales price excluding VAT in this category
	VerkoopprijsIncl Decimal // sales price including VAT in this category
}

// Translation is one language's version of a product text such as
// samenstellingen (wire keys text, taal and taal_display).
type Translation struct {
	Text        string // the text itself
	Taal        string // language code, such as "nl"
	TaalDisplay string // language name for display, such as "Nederlands"
}

// The parts of a product (its categories, photos, prices and texts) read
// and write themselves through their field tables, so that a part decoded
// on its own tolerates what a whole product does and encodes as it sits
// inside one. Every key is written, unset ones as null: the shape a server
// sends.

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

// ArtikelService reads a company's products.
type ArtikelService struct{ service }

// List returns all products of the token's company, in the ERP's order. It
// decodes them as the body arrives; to handle a list too large to hold,
// use All.
func (s *ArtikelService) List(ctx context.Context) ([]Artikel, error) {
	return list[Artikel](ctx, connOf(s), "artikels", "artikel")
}

// All yields the products of the token's company one by one as they arrive,
// in constant memory however many there are. Breaking out of the loop, or
// cancelling ctx, closes the connection. A body that is cut short or
// malformed ends the loop with an error, so a loop that ends without one
// has seen every product.
func (s *ArtikelService) All(ctx context.Context) iter.Seq2[Artikel, error] {
	return all[Artikel](ctx, connOf(s), "artikels", "artikel")
}

// Get returns one product of the token's company by its ERP id, with ID
// set (GET /artikels/?id=). A product that does not exist, or belongs to
// another company, is an error matching [ErrNotFound]. A server that does
// not support the call answers with its whole list or a product without
// its id: that is an error matching [errors.ErrUnsupported], never a
// product under the wrong id.
func (s *ArtikelService) Get(ctx context.Context, id int64) (Artikel, error) {
	return one[Artikel](ctx, connOf(s), "artikels", "artikel", id, func(a Artikel) int64 { return a.ID }, "product", "products")
}

package cloudspot

import "encoding/json"

// VoorraadBijhouden says whether and how the ERP tracks stock for a product
// (voorraad_bijhouden). A value the SDK does not know yet is kept as it came.
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

// Aanspreektitel is a client's form of address (aanspreektitel).
type Aanspreektitel string

// The values of aanspreektitel the ERP documents.
const (
	AanspreektitelMijnheer Aanspreektitel = "Mijnh."
	AanspreektitelMevrouw  Aanspreektitel = "Mevr."
)

// Known reports whether s is one of the documented salutations.
func (s Aanspreektitel) Known() bool {
	return s == AanspreektitelMijnheer || s == AanspreektitelMevrouw
}

// Artikel is a product of a company, as the ERP sends it. The Go field names
// follow the ERP's Dutch keys so that its documentation reads across; money,
// VAT and quantities are exact decimals.
type Artikel struct {
	// ID is the ERP's id of the product. Later API versions send it; a
	// server speaking version 1 as the reference client knows it sends it
	// only for ArtikelService.Get. Zero when unknown.
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

	// The keys below came with later versions of the API (version 0.6 of
	// cloudspot-server). A server that sends the protocol's bodies leaves
	// them empty; lists are nil, not empty, when the key was absent.

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

// Categorie is a product category with its subcategories, as the ERP's
// GET /categories/ sends them: a tree.
type Categorie struct {
	ID       int64
	Naam     string
	Children []Categorie
}

// fields lists the wire keys of an Artikel in the order the ERP sends them.
// It is the one source of the product's wire format: encoding and decoding
// both walk it.
func (a *Artikel) fields() []field {
	return []field{
		{key: "id", ptr: &a.ID, extension: true},
		{key: "naam", ptr: &a.Naam},
		{key: "beschrijving", ptr: &a.Beschrijving},
		{key: "SKU", ptr: &a.SKU},
		{key: "voorraad_bijhouden", ptr: (*string)(&a.VoorraadBijhouden)},
		{key: "op_voorraad", ptr: &a.OpVoorraad},
		{key: "product_url", ptr: &a.ProductURL},
		{key: "verkoopprijs_excl", ptr: &a.VerkoopprijsExcl},
		{key: "verkoopprijs_incl", ptr: &a.VerkoopprijsIncl},
		{key: "inkoopprijs_excl", ptr: &a.InkoopprijsExcl},
		{key: "inkoopprijs_incl", ptr: &a.InkoopprijsIncl},
		{key: "BTW", ptr: &a.BTW},
		{key: "bestellingtype", ptr: (*string)(&a.Bestellingtype)},
		{key: "units_per_bestelling", ptr: &a.UnitsPerBestelling},
		{key: "status", ptr: (*string)(&a.Status)},
		{key: "interne_notitie", ptr: &a.InterneNotitie, extension: true},
		{key: "merk", ptr: namedRef{&a.Merk, &a.MerkID}, extension: true},
		{key: "merk_id", ptr: &a.MerkID, extension: true, nullKeeps: true},
		{key: "categorie", ptr: namedRef{&a.Categorie, &a.CategorieID}, extension: true},
		{key: "categorie_id", ptr: &a.CategorieID, extension: true, nullKeeps: true},
		{key: "categorieen", ptr: &a.Categorieen, extension: true},
		{key: "fotos", ptr: &a.Fotos, extension: true},
		{key: "prijscategorieen", ptr: &a.Prijscategorieen, extension: true},
		{key: "EAN", ptr: &a.EAN, extension: true},
		{key: "samenstellingen", ptr: &a.Samenstellingen, extension: true},
		{key: "ruwe_grondstoffen", ptr: &a.RuweGrondstoffen, extension: true},
		{key: "gebruiksaanwijzingen", ptr: &a.Gebruiksaanwijzingen, extension: true},
		{key: "meer_info", ptr: &a.MeerInfo, extension: true},
	}
}

// ArtikelKeys returns the JSON keys of a product that the protocol (and the
// reference client) knows, in wire order; ArtikelExtensionKeys lists those
// of later versions.
func ArtikelKeys() []string { return keysOf((&Artikel{}).fields()) }

// ArtikelExtensionKeys returns the JSON keys that later versions of the API
// add to a product, in wire order: id, then the richer product's keys,
// which a server sends after the protocol's.
func ArtikelExtensionKeys() []string {
	fs := (&Artikel{}).fields()
	keys := make([]string, 0, len(fs))
	for _, f := range fs {
		if f.extension {
			keys = append(keys, f.key)
		}
	}
	return keys
}

// MarshalJSON writes the keys of PROTOCOL's Artikel, each of them; an empty
// string is written as null, the ERP's "not set". The keys of later
// versions (id and the richer product's) are written only when set: a
// scalar when it is not zero, a list when it is not nil (an empty list that
// a server sent stays []), so that a product of the protocol's shape
// encodes to exactly the protocol's keys.
func (a Artikel) MarshalJSON() ([]byte, error) { return marshalFields(a.fields()) }

// UnmarshalJSON is tolerant: unknown keys are ignored, null means "not set",
// and numbers may arrive as strings.
func (a *Artikel) UnmarshalJSON(b []byte) error {
	*a = Artikel{}
	fs := a.fields()
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "artikel", fs) })
}

// Klant is a client of a company, as the ERP sends it.
type Klant struct {
	Klantennummer      int64          // client number
	Aanspreektitel     Aanspreektitel // form of address
	Voornaam           string         // first name
	Achternaam         string         // last name
	Straat             string         // street
	Huisnummer         string         // house number
	Busnummer          string         // box number
	Postcode           string         // postal code
	Plaats             string         // town
	Land               string         // two-letter country code
	Geboortedatum      Date           // date of birth
	Geboorteplaats     string         // place of birth
	IsBedrijf          bool           // the client is a company
	Bedrijfsnaam       string         // company name, only when IsBedrijf
	BTWNummer          string         // VAT number, only when IsBedrijf
	Ondernemingsnummer string         // company (KBO) number, only when IsBedrijf
}

func (k *Klant) fields() []field {
	return []field{
		{key: "klantennummer", ptr: &k.Klantennummer},
		{key: "aanspreektitel", ptr: (*string)(&k.Aanspreektitel)},
		{key: "voornaam", ptr: &k.Voornaam},
		{key: "achternaam", ptr: &k.Achternaam},
		{key: "straat", ptr: &k.Straat},
		{key: "huisnummer", ptr: &k.Huisnummer},
		{key: "busnummer", ptr: &k.Busnummer},
		{key: "postcode", ptr: &k.Postcode},
		{key: "plaats", ptr: &k.Plaats},
		{key: "land", ptr: &k.Land},
		{key: "geboortedatum", ptr: &k.Geboortedatum},
		{key: "geboorteplaats", ptr: &k.Geboorteplaats},
		{key: "is_bedrijf", ptr: &k.IsBedrijf},
		{key: "bedrijfsnaam", ptr: &k.Bedrijfsnaam},
		{key: "BTW_nummer", ptr: &k.BTWNummer},
		{key: "ondernemingsnummer", ptr: &k.Ondernemingsnummer},
	}
}

// KlantKeys returns the JSON keys of a client, in wire order.
func KlantKeys() []string { return keysOf((&Klant{}).fields()) }

// MarshalJSON writes exactly the keys of PROTOCOL's Klant; empty strings and
// an unset birth date are written as null.
func (k Klant) MarshalJSON() ([]byte, error) { return marshalFields(k.fields()) }

// UnmarshalJSON is tolerant in the same ways as Artikel's.
func (k *Klant) UnmarshalJSON(b []byte) error {
	*k = Klant{}
	fs := k.fields()
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "klant", fs) })
}

// User is the person behind a user token.
type User struct {
	FirstName string
	LastName  string
	Email     string
	// Company is the uid of the user's company and Pin the user's pin
	// (digits, for apps such as time clocks). API version 0.5 added them;
	// they are empty from a server that sends the older bodies, and Pin
	// also when the user has none.
	Company string
	Pin     string
}

func (u *User) fields() []field {
	return []field{
		{key: "first_name", ptr: &u.FirstName},
		{key: "last_name", ptr: &u.LastName},
		{key: "email", ptr: &u.Email},
		{key: "company", ptr: &u.Company, extension: true},
		{key: "pin", ptr: &u.Pin, extension: true},
	}
}

// Name is the user's full name, "First Last".
func (u User) Name() string {
	switch {
	case u.FirstName == "":
		return u.LastName
	case u.LastName == "":
		return u.FirstName
	}
	return u.FirstName + " " + u.LastName
}

// MarshalJSON writes first_name, last_name and email, and company and pin
// only when set (the keys of version 1 alone for a user read from such a
// server); unlike the product models an empty string stays "" because the
// ERP sends it so.
func (u User) MarshalJSON() ([]byte, error) {
	m := map[string]string{"first_name": u.FirstName, "last_name": u.LastName, "email": u.Email}
	if u.Company != "" {
		m["company"] = u.Company
	}
	if u.Pin != "" {
		m["pin"] = u.Pin
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the keys of every version and ignores others; null
// leaves a field empty.
func (u *User) UnmarshalJSON(b []byte) error {
	*u = User{}
	fs := u.fields()
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "user", fs) })
}

// Permissions are the slugs of what a user may do in one external app, such
// as "timeapp_use". Order is the server's.
type Permissions []string

// Has reports whether slug is among p.
func (p Permissions) Has(slug string) bool {
	for _, s := range p {
		if s == slug {
			return true
		}
	}
	return false
}

// MarshalJSON writes the wire form, a list of {"permission": slug} objects.
func (p Permissions) MarshalJSON() ([]byte, error) {
	out := make([]map[string]string, len(p))
	for i, s := range p {
		out[i] = map[string]string{"permission": s}
	}
	return json.Marshal(out)
}

// UnmarshalJSON accepts the wire form and, tolerantly, a plain list of slugs
// or null.
func (p *Permissions) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return decodeError("permissions", "a list", b, err)
	}
	out := make(Permissions, 0, len(raw))
	for _, r := range raw {
		var slug string
		if json.Unmarshal(r, &slug) != nil {
			var obj struct {
				Permission flexString `json:"permission"`
			}
			if err := json.Unmarshal(r, &obj); err != nil {
				return decodeError("permission", "an object or a slug", r, err)
			}
			slug = string(obj.Permission)
		}
		if slug != "" {
			out = append(out, slug)
		}
	}
	*p = out
	return nil
}

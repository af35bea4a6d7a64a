package cloudspot

import (
	"context"
	"iter"

	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
)

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

// klantKeys is a client's wire keys, in the order fields binds them.
var klantKeys = wirekeys.KlantTable()

// fields binds each wire key of a client (klantKeys, in wire order) to the
// Go value that holds it.
func (k *Klant) fields() []field {
	return bind(klantKeys,
		&k.Klantennummer, (*string)(&k.Aanspreektitel), &k.Voornaam, &k.Achternaam,
		&k.Straat, &k.Huisnummer, &k.Busnummer, &k.Postcode, &k.Plaats, &k.Land,
		&k.Geboortedatum, &k.Geboorteplaats,
		&k.IsBedrijf, &k.Bedrijfsnaam, &k.BTWNummer, &k.Ondernemingsnummer)
}

// MarshalJSON writes exactly the 16 keys of a client, klantennummer through
// ondernemingsnummer, as the reference client expects; empty strings and an
// unset birth date are written as null.
func (k Klant) MarshalJSON() ([]byte, error) { return marshalFields(k.fields()) }

// UnmarshalJSON is tolerant in the same ways as Artikel's.
func (k *Klant) UnmarshalJSON(b []byte) error {
	*k = Klant{}
	fs := k.fields()
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "klant", fs) })
}

// KlantService reads a company's clients.
type KlantService struct{ service }

// List returns all clients of the token's company, in the ERP's order; to
// handle a list too large to hold, use All.
func (s *KlantService) List(ctx context.Context) ([]Klant, error) {
	return list[Klant](ctx, connOf(s), "klanten", "klant")
}

// All yields the clients of the token's company one by one as they arrive,
// in constant memory, with the guarantees of [ArtikelService.All].
func (s *KlantService) All(ctx context.Context) iter.Seq2[Klant, error] {
	return all[Klant](ctx, connOf(s), "klanten", "klant")
}

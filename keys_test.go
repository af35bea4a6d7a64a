package cloudspot_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// The models' wire keys pinned as literal bodies, transcribed from the API's
// documentation (the key lists are pinned in internal/wirekeys): a key
// renamed in the SDK's field tables would still round-trip through the SDK
// itself, so only bodies written out by hand catch it. Each body sets every
// key to a value that is not the zero value, so a key the SDK does not read
// leaves a field empty and fails the comparison.

const artikelBody = `{"naam":"Hamer 500 g","beschrijving":"Klauwhamer met glasvezelsteel.","SKU":"GER-HAM-500",` +
	`"voorraad_bijhouden":"FYSIEK","op_voorraad":12,"product_url":"https://gereedschap.example/hamer",` +
	`"verkoopprijs_excl":19.95,"verkoopprijs_incl":24.14,"inkoopprijs_excl":9.50,"inkoopprijs_incl":11.50,` +
	`"BTW":21,"bestellingtype":"IDEAAL","units_per_bestelling":6,"status":"ZICHTBAAR"}`

const klantBody = `{"klantennummer":8,"aanspreektitel":"Mevr.","voornaam":"Els","achternaam":"Claes",` +
	`"straat":"Industrieweg","huisnummer":"3","busnummer":"B","postcode":"9000","plaats":"Gent","land":"BE",` +
	`"geboortedatum":"1990-02-28","geboorteplaats":"Mechelen","is_bedrijf":true,"bedrijfsnaam":"Bouw Claes NV",` +
	`"BTW_nummer":"BE0123456789","ondernemingsnummer":"0123.456.789"}`

func TestArtikelKeysPinned(t *testing.T) {
	t.Parallel()
	want := cloudspot.Artikel{
		Naam: "Hamer 500 g", Beschrijving: "Klauwhamer met glasvezelsteel.", SKU: "GER-HAM-500",
		VoorraadBijhouden: "FYSIEK", OpVoorraad: cloudspot.MustParseDecimal("12"), ProductURL: "https://gereedschap.example/hamer",
		VerkoopprijsExcl: cloudspot.MustParseDecimal("19.95"), VerkoopprijsIncl: cloudspot.MustParseDecimal("24.14"),
		InkoopprijsExcl: cloudspot.MustParseDecimal("9.50"), InkoopprijsIncl: cloudspot.MustParseDecimal("11.50"),
		BTW: cloudspot.MustParseDecimal("21"), Bestellingtype: "IDEAAL", UnitsPerBestelling: cloudspot.MustParseDecimal("6"), Status: "ZICHTBAAR",
	}
	var got cloudspot.Artikel
	if err := json.Unmarshal([]byte(artikelBody), &got); err != nil {
		t.Fatal(err)
	}
	if d := diff(want, got); d != "" {
		t.Errorf("decoding a product of API version 0.4:\n%s", d)
	}
	if b := must(json.Marshal(want))(t); string(b) != artikelBody {
		t.Errorf("encoding an Artikel:\n got %s\nwant %s", b, artikelBody)
	}
}

func TestKlantKeysPinned(t *testing.T) {
	t.Parallel()
	want := cloudspot.Klant{
		Klantennummer: 8, Aanspreektitel: "Mevr.", Voornaam: "Els", Achternaam: "Claes", Straat: "Industrieweg",
		Huisnummer: "3", Busnummer: "B", Postcode: "9000", Plaats: "Gent", Land: "BE",
		Geboortedatum: cloudspot.Date{Year: 1990, Month: time.February, Day: 28}, Geboorteplaats: "Mechelen",
		IsBedrijf: true, Bedrijfsnaam: "Bouw Claes NV", BTWNummer: "BE0123456789", Ondernemingsnummer: "0123.456.789",
	}
	var got cloudspot.Klant
	if err := json.Unmarshal([]byte(klantBody), &got); err != nil {
		t.Fatal(err)
	}
	if d := diff(want, got); d != "" {
		t.Errorf("decoding a client:\n%s", d)
	}
	if b := must(json.Marshal(want))(t); string(b) != klantBody {
		t.Errorf("encoding a Klant:\n got %s\nwant %s", b, klantBody)
	}
}

func TestUserKeysPinned(t *testing.T) {
	t.Parallel()
	const body = `{"first_name":"Jan","last_name":"Peeters","email":"jan.peeters@koffiehuis-demo.be"}`
	want := cloudspot.User{FirstName: "Jan", LastName: "Peeters", Email: "jan.peeters@koffiehuis-demo.be"}
	var got cloudspot.User
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("decoding a user of API version 0.4: %+v, want %+v", got, want)
	}
}

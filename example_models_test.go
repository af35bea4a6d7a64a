package cloudspot_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cloudspot-toolkit/cloudspot"
)

// A product as the ERP sends it: Dutch keys, prices as exact decimals,
// enumerations as typed strings.
func ExampleArtikel() {
	var a cloudspot.Artikel
	err := json.Unmarshal([]byte(`{"naam": "Koffie", "SKU": "KOF-1", "voorraad_bijhouden": "FYSIEK", "op_voorraad": 12,
		"verkoopprijs_incl": "2.50", "BTW": 6, "status": "ZICHTBAAR"}`), &a)
	if err != nil {
		fmt.Println(err)
		return
	}
	if a.VoorraadBijhouden == cloudspot.VoorraadBijhoudenFysiek {
		fmt.Println(a.Naam, "in stock:", a.OpVoorraad)
	}
	fmt.Println(a.SKU, a.VerkoopprijsIncl, a.BTW, a.Status)
	// Output:
	// Koffie in stock: 12
	// KOF-1 2.50 6 ZICHTBAAR
}

// Decoding is tolerant: keys it does not know are skipped, null is "not
// set", and a number may come as a string.
func ExampleArtikel_UnmarshalJSON() {
	var a cloudspot.Artikel
	err := json.Unmarshal([]byte(`{"naam": "Croissant", "beschrijving": null, "verkoopprijs_excl": "1.70", "nieuw_veld": {"x": 1}}`), &a)
	fmt.Printf("%q %q %s %v\n", a.Naam, a.Beschrijving, a.VerkoopprijsExcl, err)

	err = json.Unmarshal([]byte(`{"naam": "Croissant", "verkoopprijs_excl": "gratis"}`), &a)
	fmt.Println(err)
	// Output:
	// "Croissant" "" 1.70 <nil>
	// cloudspot: decoding artikel.verkoopprijs_excl: cloudspot: invalid decimal "gratis": no digits
}

// Encoding writes the keys of API version 0.4, with null for what is not
// set, so that a product read from the ERP can be written back or served as
// is.
func ExampleArtikel_MarshalJSON() {
	b, err := json.Marshal(cloudspot.Artikel{Naam: "Koffie", SKU: "KOF-1", VerkoopprijsIncl: cloudspot.MustParseDecimal("2.50")})
	if err != nil {
		fmt.Println(err)
		return
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	fmt.Println(m["naam"], m["SKU"], m["verkoopprijs_incl"], m["beschrijving"])
	// Output: Koffie KOF-1 2.5 <nil>
}

// A client is a person or a company; the company's fields are set only for
// a company.
func ExampleKlant() {
	var ks []cloudspot.Klant
	err := json.Unmarshal([]byte(`[{"voornaam": "Lotte", "achternaam": "Janssens", "is_bedrijf": false},
		{"bedrijfsnaam": "Bakkerij Peeters BV", "is_bedrijf": true, "BTW_nummer": "BE0123456749"}]`), &ks)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range ks {
		if k.IsBedrijf {
			fmt.Println(k.Bedrijfsnaam, k.BTWNummer)
		} else {
			fmt.Println(k.Voornaam, k.Achternaam)
		}
	}
	// Output:
	// Lotte Janssens
	// Bakkerij Peeters BV BE0123456749
}

// A client number may come as a string, a birth date as a date-time.
func ExampleKlant_UnmarshalJSON() {
	var k cloudspot.Klant
	err := json.Unmarshal([]byte(`{"klantennummer": "1001", "geboortedatum": "1990-04-12T00:00:00Z", "land": "BE"}`), &k)
	fmt.Println(k.Klantennummer, k.Geboortedatum, k.Land, err)
	// Output: 1001 1990-04-12 BE <nil>
}

func ExampleKlant_MarshalJSON() {
	b, err := json.Marshal(cloudspot.Klant{Klantennummer: 1001, Voornaam: "Lotte", Land: "BE"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	fmt.Println(len(m), m["klantennummer"], m["voornaam"], m["geboortedatum"], m["is_bedrijf"])
	// Output: 16 1001 Lotte <nil> false
}

// Typed strings keep a value the SDK does not know yet, so a newer ERP
// does not break a program; Known tells it apart.
func ExampleArtikelStatus() {
	for _, s := range []cloudspot.ArtikelStatus{cloudspot.ArtikelStatusZichtbaar, "UITVERKOCHT"} {
		fmt.Println(s, s.Known())
	}
	// Output:
	// ZICHTBAAR true
	// UITVERKOCHT false
}

// Only products that may be sold go to the shop.
func ExampleArtikelStatus_Known() {
	sellable := func(a cloudspot.Artikel) bool {
		return a.Status == cloudspot.ArtikelStatusZichtbaar || !a.Status.Known() // a new status: let a person decide
	}
	fmt.Println(sellable(cloudspot.Artikel{Status: cloudspot.ArtikelStatusGedeactiveerd}), sellable(cloudspot.Artikel{Status: "NIEUW"}))
	// Output: false true
}

func ExampleAanspreektitel() {
	k := cloudspot.Klant{Aanspreektitel: cloudspot.AanspreektitelMevrouw, Achternaam: "Janssens"}
	fmt.Println(k.Aanspreektitel, k.Achternaam)
	// Output: Mevr. Janssens
}

func ExampleAanspreektitel_Known() {
	fmt.Println(cloudspot.AanspreektitelMijnheer.Known(), cloudspot.Aanspreektitel("Dr.").Known())
	// Output: true false
}

func ExampleBestellingtype() {
	a := cloudspot.Artikel{Bestellingtype: cloudspot.BestellingtypeBestelling, UnitsPerBestelling: cloudspot.MustParseDecimal("6")}
	if a.Bestellingtype == cloudspot.BestellingtypeBestelling {
		fmt.Println("order from the vendor in multiples of", a.UnitsPerBestelling)
	}
	// Output: order from the vendor in multiples of 6
}

func ExampleBestellingtype_Known() {
	fmt.Println(cloudspot.BestellingtypeIdeaal.Known(), cloudspot.Bestellingtype("DROPSHIP").Known())
	// Output: true false
}

// Stock is meaningful only for physical products.
func ExampleVoorraadBijhouden() {
	for _, a := range []cloudspot.Artikel{
		{Naam: "Koffie", VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek, OpVoorraad: cloudspot.MustParseDecimal("12")},
		{Naam: "E-book", VoorraadBijhouden: cloudspot.VoorraadBijhoudenDigitaal},
	} {
		if a.VoorraadBijhouden == cloudspot.VoorraadBijhoudenFysiek {
			fmt.Println(a.Naam, a.OpVoorraad)
		} else {
			fmt.Println(a.Naam, "no stock kept")
		}
	}
	// Output:
	// Koffie 12
	// E-book no stock kept
}

func ExampleVoorraadBijhouden_Known() {
	fmt.Println(cloudspot.VoorraadBijhoudenNiet.Known(), cloudspot.VoorraadBijhouden("").Known())
	// Output: true false
}

// A server may name a product's categories by id alone: the name then
// comes from the category tree.
func ExampleCategorieRef() {
	names := map[int64]string{3: "Bier", 4: "Koffie"} // from CompanyAPI's category tree
	a := cloudspot.Artikel{Categorieen: []cloudspot.CategorieRef{{ID: 3, Naam: "Bier"}, {ID: 4}}}
	for _, c := range a.Categorieen {
		if c.Naam == "" {
			c.Naam = names[c.ID]
		}
		fmt.Println(c.ID, c.Naam)
	}
	// Output:
	// 3 Bier
	// 4 Koffie
}

// The main photo, or the first when none is marked.
func ExampleFoto() {
	a := cloudspot.Artikel{Fotos: []cloudspot.Foto{
		{URL: "https://cdn.example.be/koffie-zijkant.jpg"},
		{URL: "https://cdn.example.be/koffie.jpg", IsHoofdfoto: true},
	}}
	main := ""
	for i, f := range a.Fotos {
		if f.IsHoofdfoto || i == 0 {
			main = f.URL
		}
	}
	fmt.Println(main)
	// Output: https://cdn.example.be/koffie.jpg
}

// The price for a customer of one price category, else the product's own.
func ExamplePrijscategorie() {
	a := cloudspot.Artikel{
		VerkoopprijsIncl: cloudspot.MustParseDecimal("2.50"),
		Prijscategorieen: []cloudspot.Prijscategorie{
			{Label: "Horeca", LabelID: 2, Type: "VAST", VerkoopprijsIncl: cloudspot.MustParseDecimal("2.10")},
		},
	}
	price := func(label string) cloudspot.Decimal {
		for _, p := range a.Prijscategorieen {
			if p.Label == label && p.VerkoopprijsIncl.Known() {
				return p.VerkoopprijsIncl
			}
		}
		return a.VerkoopprijsIncl
	}
	fmt.Println(price("Horeca"), price("Particulier"))
	// Output: 2.10 2.50
}

// A text in the reader's language, falling back to Dutch.
func ExampleTranslation() {
	a := cloudspot.Artikel{Samenstellingen: []cloudspot.Translation{
		{Text: "100 % arabica", Taal: "nl", TaalDisplay: "Nederlands"},
		{Text: "100 % arabica (FR)", Taal: "fr", TaalDisplay: "Français"},
	}}
	in := func(taal string) string {
		fallback := ""
		for _, t := range a.Samenstellingen {
			switch t.Taal {
			case taal:
				return t.Text
			case "nl":
				fallback = t.Text
			}
		}
		return fallback
	}
	fmt.Println(in("fr"))
	fmt.Println(in("de"))
	// Output:
	// 100 % arabica (FR)
	// 100 % arabica
}

// A value that cannot be read even tolerantly names its key.
func ExampleFieldError() {
	var k cloudspot.Klant
	err := json.Unmarshal([]byte(`{"voornaam": "Lotte", "geboortedatum": "12 april"}`), &k)
	var fe *cloudspot.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.Object, fe.Key)
	}
	// Output: klant geboortedatum
}

func ExampleFieldError_Error() {
	err := json.Unmarshal([]byte(`{"is_bedrijf": "misschien"}`), new(cloudspot.Klant))
	fmt.Println(err)
	// Output: cloudspot: decoding klant.is_bedrijf: want a boolean, got "misschien"
}

// Unwrap gives what went wrong with the value itself.
func ExampleFieldError_Unwrap() {
	err := json.Unmarshal([]byte(`{"op_voorraad": "veel"}`), new(cloudspot.Artikel))
	var fe *cloudspot.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.Unwrap())
	}
	// Output: cloudspot: invalid decimal "veel": no digits
}

// The person behind a token, and from servers of API version 0.5 on their
// company and pin.
func ExampleUser() {
	var u cloudspot.User
	err := json.Unmarshal([]byte(`{"first_name": "Jan", "last_name": "Peeters", "email": "jan@example.be", "company": "0f4a2c6e", "pin": "2468"}`), &u)
	fmt.Println(u.Email, u.Company, u.Pin != "", err)
	// Output: jan@example.be 0f4a2c6e true <nil>
}

func ExampleUser_Name() {
	fmt.Println(cloudspot.User{FirstName: "Jan", LastName: "Peeters"}.Name())
	// Output: Jan Peeters
}

// The keys of API version 0.4 alone for a user without a company or pin,
// so a user can be stored and served again as it came.
func ExampleUser_MarshalJSON() {
	b, _ := json.Marshal(cloudspot.User{FirstName: "Jan", LastName: "Peeters", Email: "jan@example.be"})
	fmt.Println(string(b))
	// Output: {"email":"jan@example.be","first_name":"Jan","last_name":"Peeters"}
}

func ExampleUser_UnmarshalJSON() {
	var u cloudspot.User
	err := json.Unmarshal([]byte(`{"first_name": "Jan", "last_name": null, "is_staff": true}`), &u)
	fmt.Printf("%q %q %v\n", u.FirstName, u.LastName, err)
	// Output: "Jan" "" <nil>
}

// What a user may do decides what an app shows.
func ExamplePermissions() {
	perms := cloudspot.Permissions{"timeapp_use", "timeapp_timetracking_use"}
	if !perms.Has("timeapp_use") {
		fmt.Println("no access")
		return
	}
	fmt.Println("may create:", perms.Has("timeapp_timetracking_create"))
	// Output: may create: false
}

func ExamplePermissions_Has() {
	perms := cloudspot.Permissions{"timeapp_use", "timeapp_timetracking_create"}
	fmt.Println(perms.Has("timeapp_timetracking_create"), perms.Has("TIMEAPP_USE"))
	// Output: true false
}

// The wire form, for a session store that keeps permissions as the ERP
// sent them.
func ExamplePermissions_MarshalJSON() {
	b, _ := json.Marshal(cloudspot.Permissions{"timeapp_use"})
	fmt.Println(string(b))
	// Output: [{"permission":"timeapp_use"}]
}

func ExamplePermissions_UnmarshalJSON() {
	var a, b cloudspot.Permissions
	json.Unmarshal([]byte(`[{"permission": "timeapp_use"}, {"permission": "timeapp_timetracking_use"}]`), &a)
	json.Unmarshal([]byte(`["timeapp_use"]`), &b)
	fmt.Println(a, b)
	// Output: [timeapp_use timeapp_timetracking_use] [timeapp_use]
}

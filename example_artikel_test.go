package cloudspot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/cloudspot-toolkit/cloudspot"
)

// A server of API version 0.6 sends a product's brand, categories, photos,
// prices per price category, EAN numbers and texts per language. From one
// that sends version 0.4's bodies, these fields stay empty and the lists
// nil.
func ExampleArtikel_extensions() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	artikels, err := company.Artikels.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range artikels {
		fmt.Printf("%s (%s): EAN %v, %d categories", a.Naam, a.Merk, a.EAN, len(a.Categorieen))
		for _, f := range a.Fotos {
			if f.IsHoofdfoto {
				fmt.Print(", photo ", f.URL)
			}
		}
		for _, p := range a.Prijscategorieen {
			fmt.Printf(", %s %s (-%s%%)", p.Label, p.VerkoopprijsIncl, p.Korting)
		}
		fmt.Println()
	}
	// Output:
	// Koffie (Huisbranderij): EAN [5410000000017], 2 categories, photo https://cdn.example/koffie.jpg, Horeca 2.25 (-10%)
	// Croissant (): EAN [], 0 categories
}

func ExampleCategorieRef_MarshalJSON() {
	b, _ := json.Marshal([]cloudspot.CategorieRef{{ID: 3, Naam: "Bier"}, {ID: 4}})
	fmt.Println(string(b))
	// Output: [{"id":3,"naam":"Bier"},{"id":4,"naam":null}]
}

// A product's category may come as an object or as its id alone.
func ExampleCategorieRef_UnmarshalJSON() {
	var refs []cloudspot.CategorieRef
	err := json.Unmarshal([]byte(`[{"id": 3, "naam": "Bier"}, 4, "5"]`), &refs)
	fmt.Println(refs, err)
	// Output: [{3 Bier} {4 } {5 }] <nil>
}

func ExampleFoto_MarshalJSON() {
	b, _ := json.Marshal(cloudspot.Foto{URL: "https://cdn.example.be/koffie.jpg", IsHoofdfoto: true})
	fmt.Println(string(b))
	// Output: {"url":"https://cdn.example.be/koffie.jpg","is_hoofdfoto":true}
}

func ExampleFoto_UnmarshalJSON() {
	var f cloudspot.Foto
	err := json.Unmarshal([]byte(`{"url": "https://cdn.example.be/koffie.jpg", "is_hoofdfoto": "True", "breedte": 800}`), &f)
	fmt.Println(f.URL, f.IsHoofdfoto, err)
	// Output: https://cdn.example.be/koffie.jpg true <nil>
}

// An unknown label id and an unknown price are written as null.
func ExamplePrijscategorie_MarshalJSON() {
	b, _ := json.Marshal(cloudspot.Prijscategorie{Label: "Horeca", Type: "VAST", VerkoopprijsIncl: cloudspot.MustParseDecimal("2.10")})
	fmt.Println(string(b))
	// Output: {"label":"Horeca","label_id":null,"type":"VAST","korting":null,"verkoopprijs_excl":null,"verkoopprijs_incl":2.10}
}

// Prices keep their scale, and may come as strings.
func ExamplePrijscategorie_UnmarshalJSON() {
	var p cloudspot.Prijscategorie
	err := json.Unmarshal([]byte(`{"label": "Horeca", "label_id": "2", "korting": "10.00", "verkoopprijs_incl": 2.10}`), &p)
	fmt.Println(p.Label, p.LabelID, p.Korting, p.VerkoopprijsIncl, p.VerkoopprijsExcl.Known(), err)
	// Output: Horeca 2 10.00 2.10 false <nil>
}

func ExampleTranslation_MarshalJSON() {
	b, _ := json.Marshal(cloudspot.Translation{Text: "Koel bewaren.", Taal: "nl", TaalDisplay: "Nederlands"})
	fmt.Println(string(b))
	// Output: {"text":"Koel bewaren.","taal":"nl","taal_display":"Nederlands"}
}

func ExampleTranslation_UnmarshalJSON() {
	var ts []cloudspot.Translation
	err := json.Unmarshal([]byte(`[{"text": "Koel bewaren.", "taal": "nl"}, {"text": "Conserver au frais.", "taal": "fr", "taal_display": "Français"}]`), &ts)
	for _, t := range ts {
		fmt.Printf("%s: %s\n", t.Taal, t.Text)
	}
	fmt.Println(err)
	// Output:
	// nl: Koel bewaren.
	// fr: Conserver au frais.
	// <nil>
}

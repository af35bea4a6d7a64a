package cloudspot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
)

// A server of a later API version sends richer products: brand,
// categories, photos, prices per price category, EAN numbers, texts per
// language. From one that does not, these fields stay empty and the lists
// nil.
func ExampleArtikel_richer() {
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

// The keys a later API version adds to a product, for a program that
// writes products out by their wire keys (as the cloudspot CLI's --fields
// does).
func ExampleArtikelExtensionKeys() {
	fmt.Println(strings.Join(cloudspot.ArtikelKeys(), " "))
	fmt.Println(strings.Join(cloudspot.ArtikelExtensionKeys(), " "))
	// Output:
	// naam beschrijving SKU voorraad_bijhouden op_voorraad product_url verkoopprijs_excl verkoopprijs_incl inkoopprijs_excl inkoopprijs_incl BTW bestellingtype units_per_bestelling status
	// id interne_notitie merk merk_id categorie categorie_id categorieen fotos prijscategorieen EAN samenstellingen ruwe_grondstoffen gebruiksaanwijzingen meer_info
}

// The category tree, printed with an indent per level.
func ExampleCategorieService_List() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	tree, err := company.Categorieen.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var show func(cs []cloudspot.Categorie, depth int)
	show = func(cs []cloudspot.Categorie, depth int) {
		for _, c := range cs {
			fmt.Printf("%s%s (%d)\n", strings.Repeat("  ", depth), c.Naam, c.ID)
			show(c.Children, depth+1)
		}
	}
	show(tree, 0)
	// Output:
	// Dranken (1)
	//   Warme dranken (2)
	//   Frisdranken (3)
	// Bakkerij (4)
	//   Koffiekoeken (5)
}

// One category with its subtree; an id the company does not have is
// ErrNotFound.
func ExampleCategorieService_Get() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	c, err := company.Categorieen.Get(ctx, 4)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Naam, len(c.Children), c.Children[0].Naam)

	_, err = company.Categorieen.Get(ctx, 99)
	fmt.Println(errors.Is(err, cloudspot.ErrNotFound))
	// Output:
	// Bakkerij 1 Koffiekoeken
	// true
}

// The category service of a company token: the tree, or one category with
// its subtree.
func ExampleCategorieService() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	tree, err := company.Categorieen.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(tree), "top-level categories, the first:", tree[0].Naam)
	// Output: 2 top-level categories, the first: Dranken
}

// A category tree encodes as the ERP sends it: children always a list.
func ExampleCategorie_MarshalJSON() {
	b, err := json.Marshal(cloudspot.Categorie{ID: 1, Naam: "Dranken", Children: []cloudspot.Categorie{{ID: 3, Naam: "Bier"}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output: {"id":1,"naam":"Dranken","children":[{"id":3,"naam":"Bier","children":[]}]}
}

// Children may be null or absent, and ids may come as strings.
func ExampleCategorie_UnmarshalJSON() {
	var c cloudspot.Categorie
	err := json.Unmarshal([]byte(`{"id": "1", "naam": "Dranken", "children": [{"id": 3, "naam": "Bier", "children": null}]}`), &c)
	fmt.Println(c.ID, c.Naam, c.Children[0].Naam, c.Children[0].Children == nil, err)
	// Output: 1 Dranken Bier true <nil>
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

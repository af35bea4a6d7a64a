package cloudspot_test

import (
	"context"
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
func ExampleArtikel() {
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

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

// Walking the category tree, each level indented.
func ExampleCategorie() {
	tree := []cloudspot.Categorie{
		{ID: 1, Naam: "Dranken", Children: []cloudspot.Categorie{{ID: 3, Naam: "Bier"}, {ID: 4, Naam: "Koffie"}}},
		{ID: 2, Naam: "Gebak"},
	}
	var walk func(cs []cloudspot.Categorie, depth int)
	walk = func(cs []cloudspot.Categorie, depth int) {
		for _, c := range cs {
			fmt.Printf("%s%s (%d)\n", strings.Repeat("  ", depth), c.Naam, c.ID)
			walk(c.Children, depth+1)
		}
	}
	walk(tree, 0)
	// Output:
	// Dranken (1)
	//   Bier (3)
	//   Koffie (4)
	// Gebak (2)
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

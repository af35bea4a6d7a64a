package cloudspottest

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// TestCategorieRecordsStops: a reader that stops early (as an import that
// met a problem does) is not called again, at any depth of the tree.
func TestCategorieRecordsStops(t *testing.T) {
	t.Parallel()
	tree := []cloudspot.Categorie{
		{Naam: "Dranken", Children: []cloudspot.Categorie{{Naam: "Bier", Children: []cloudspot.Categorie{{Naam: "Trappist"}}}, {Naam: "Wijn"}}},
		{Naam: "Eten"},
	}
	want := []string{"Dranken", "Bier", "Trappist", "Wijn", "Eten"}
	for stop := 1; stop <= len(want); stop++ {
		var got []string
		for rec := range func(yield func(erp.Record[erp.NewCategorie], error) bool) { categorieRecords(tree, nil, yield) } {
			got = append(got, rec.Value.Naam)
			if len(got) == stop {
				break
			}
		}
		if len(got) != stop || got[stop-1] != want[stop-1] {
			t.Errorf("stopping after %d: read %q", stop, got)
		}
	}
}

//go:build !race

// The race detector changes how often the runtime allocates (sync.Pool
// drops items at random under it), so allocation counts are asserted only
// without it; the tests run both ways in CI.

package cloudspot_test

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// TestPrijscategorieDecimalsDoNotAllocate: a price category's three
// decimals cost no allocation, as the product's own prices do not.
func TestPrijscategorieDecimalsDoNotAllocate(t *testing.T) {
	withNull := []byte(`{"prijscategorieen": [{"label": "Horeca", "label_id": 2, "korting": null, "verkoopprijs_excl": null, "verkoopprijs_incl": null},` +
		`{"label": "Groot", "label_id": 3, "korting": null, "verkoopprijs_excl": null, "verkoopprijs_incl": null}]}`)
	withValues := []byte(`{"prijscategorieen": [{"label": "Horeca", "label_id": 2, "korting": 10, "verkoopprijs_excl": "9.50", "verkoopprijs_incl": 11.495},` +
		`{"label": "Groot", "label_id": 3, "korting": "12,5", "verkoopprijs_excl": 123456789.123456789, "verkoopprijs_incl": -0.01}]}`)
	allocs := func(body []byte) float64 {
		var a cloudspot.Artikel
		return testing.AllocsPerRun(200, func() {
			if err := a.UnmarshalJSON(body); err != nil {
				t.Fatal(err)
			}
		})
	}
	base, got := allocs(withNull), allocs(withValues)
	if got != base {
		t.Errorf("six decimals cost %v allocations beyond the same body with null ones (%v); want none", got-base, base)
	}
	var a cloudspot.Artikel
	if err := a.UnmarshalJSON(withValues); err != nil || a.Prijscategorieen[1].VerkoopprijsExcl.String() != "123456789.123456789" {
		t.Errorf("decoded %+v, %v", a.Prijscategorieen, err)
	}
}

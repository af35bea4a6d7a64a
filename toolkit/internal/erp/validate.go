package erp

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

var (
	hundred  = cloudspot.NewDecimal(100, 0)
	countyRE = regexp.MustCompile(`^[A-Z]{2}$`)
)

// ValidateArtikel checks a product against the ERP's rules; the error names
// the wire key that is wrong.
func ValidateArtikel(a cloudspot.Artikel) error {
	switch {
	case strings.TrimSpace(a.Naam) == "":
		return fmt.Errorf("naam: is required")
	case strings.TrimSpace(a.SKU) == "":
		return fmt.Errorf("SKU: is required")
	case len(a.SKU) > 64:
		return fmt.Errorf("SKU: longer than 64 characters")
	case !a.VoorraadBijhouden.Known():
		return fmt.Errorf("voorraad_bijhouden: %q is not one of NIET, FYSIEK, DIGITAAL", a.VoorraadBijhouden)
	case !a.Bestellingtype.Known():
		return fmt.Errorf("bestellingtype: %q is not one of IDEAAL, BESTELLING", a.Bestellingtype)
	case !a.Status.Known():
		return fmt.Errorf("status: %q is not one of ZICHTBAAR, NIET_VERKOOPBAAR, GEDEACTIVEERD", a.Status)
	case a.BTW.Sign() < 0 || a.BTW.Cmp(hundred) > 0:
		return fmt.Errorf("BTW: %s is not a percentage between 0 and 100", a.BTW)
	}
	for _, d := range []struct {
		key string
		v   cloudspot.Decimal
	}{
		{"op_voorraad", a.OpVoorraad},
		{"verkoopprijs_excl", a.VerkoopprijsExcl},
		{"verkoopprijs_incl", a.VerkoopprijsIncl},
		{"inkoopprijs_excl", a.InkoopprijsExcl},
		{"inkoopprijs_incl", a.InkoopprijsIncl},
		{"units_per_bestelling", a.UnitsPerBestelling},
	} {
		if d.v.Sign() < 0 {
			return fmt.Errorf("%s: %s is negative", d.key, d.v)
		}
		if d.v.Scale() > 6 {
			return fmt.Errorf("%s: %s has more than 6 decimals", d.key, d.v)
		}
	}
	if a.ProductURL != "" {
		u, err := url.Parse(a.ProductURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("product_url: %q is not an http or https URL", a.ProductURL)
		}
	}
	return nil
}

// ValidateKlant checks a client against the ERP's rules; now bounds the
// birth date.
func ValidateKlant(k cloudspot.Klant, now time.Time) error {
	switch {
	case k.Klantennummer <= 0:
		return fmt.Errorf("klantennummer: must be a positive number")
	case k.Aanspreektitel != "" && !k.Aanspreektitel.Known():
		return fmt.Errorf("aanspreektitel: %q is not %q or %q", k.Aanspreektitel, cloudspot.AanspreektitelMijnheer, cloudspot.AanspreektitelMevrouw)
	case k.Land != "" && !countyRE.MatchString(k.Land):
		return fmt.Errorf("land: %q is not a two-letter country code such as BE", k.Land)
	case !k.Geboortedatum.IsZero() && k.Geboortedatum.After(cloudspot.DateOf(now)):
		return fmt.Errorf("geboortedatum: %s is in the future", k.Geboortedatum)
	case k.IsBedrijf && strings.TrimSpace(k.Bedrijfsnaam) == "":
		return fmt.Errorf("bedrijfsnaam: is required for a company (is_bedrijf)")
	case !k.IsBedrijf && k.Bedrijfsnaam != "":
		return fmt.Errorf("bedrijfsnaam: only for a company; set is_bedrijf")
	case !k.IsBedrijf && k.BTWNummer != "":
		return fmt.Errorf("BTW_nummer: only for a company; set is_bedrijf")
	case !k.IsBedrijf && k.Ondernemingsnummer != "":
		return fmt.Errorf("ondernemingsnummer: only for a company; set is_bedrijf")
	case !k.IsBedrijf && strings.TrimSpace(k.Voornaam+k.Achternaam) == "":
		return fmt.Errorf("achternaam: a person needs a name")
	}
	return nil
}

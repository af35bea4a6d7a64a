package erp

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot"
)

// countryRE is a two-letter country code such as BE.
var countryRE = regexp.MustCompile(`^[A-Z]{2}$`)

// CheckArtikel returns every way a product breaks the ERP's rules, each
// naming its wire key; none for a good product.
func CheckArtikel(a cloudspot.Artikel) []Problem {
	var c checker
	c.text(kv{"naam", a.Naam}, kv{"beschrijving", a.Beschrijving}, kv{"SKU", a.SKU}, kv{"product_url", a.ProductURL})
	if strings.TrimSpace(a.Naam) == "" {
		c.add("naam", "is required")
	}
	switch {
	case strings.TrimSpace(a.SKU) == "":
		c.add("SKU", "is required")
	case len(a.SKU) > 64:
		c.add("SKU", "longer than 64 characters")
	}
	if !a.VoorraadBijhouden.Known() {
		c.add("voorraad_bijhouden", "%q is not one of NIET, FYSIEK, DIGITAAL", a.VoorraadBijhouden)
	}
	if !a.Bestellingtype.Known() {
		c.add("bestellingtype", "%q is not one of IDEAAL, BESTELLING", a.Bestellingtype)
	}
	if !a.Status.Known() {
		c.add("status", "%q is not one of ZICHTBAAR, NIET_VERKOOPBAAR, GEDEACTIVEERD", a.Status)
	}
	if a.BTW.Sign() < 0 || a.BTW.Cmp(cloudspot.NewDecimal(100, 0)) > 0 {
		c.add("BTW", "%s is not a percentage between 0 and 100", a.BTW)
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
		switch {
		case d.v.Sign() < 0:
			c.add(d.key, "%s is negative", d.v)
		case d.v.Scale() > 6:
			c.add(d.key, "%s has more than 6 decimals", d.v)
		}
	}
	if a.ProductURL != "" {
		u, err := url.Parse(a.ProductURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			c.add("product_url", "%q is not an http or https URL", a.ProductURL)
		}
	}
	c.checkDetails(&a)
	return c.problems
}

// Limits of a product's details. They bound what one product costs to store
// and to send, whatever a file holds.
const (
	MaxFotos            = 50
	MaxPrijscategorieen = 50
	MaxEANs             = 50
	MaxTranslations     = 20  // entries per text list
	MaxCategorieen      = 100 // categories per product
	MaxFotoURL          = 2048
	MaxText             = 64 << 10 // bytes of one text
)

// checkDetails adds the problems of a product's details. Its categories
// are checked against the company's by categoryIndex.resolve.
func (c *checker) checkDetails(a *cloudspot.Artikel) {
	c.text(kv{"interne_notitie", a.InterneNotitie}, kv{"merk", a.Merk})
	c.long("interne_notitie", a.InterneNotitie)
	c.long("merk", a.Merk)
	if a.MerkID < 0 {
		c.add("merk_id", "must not be negative")
	}
	c.most("fotos", len(a.Fotos), MaxFotos)
	for i, f := range a.Fotos {
		u, err := url.Parse(f.URL)
		switch {
		case len(f.URL) > MaxFotoURL:
			c.add("fotos", "photo %d: the URL is longer than %d bytes", i+1, MaxFotoURL)
		case !utf8.ValidString(f.URL) || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			c.add("fotos", "photo %d: %q is not an absolute http or https URL", i+1, clip(f.URL, 60))
		}
	}
	c.most("prijscategorieen", len(a.Prijscategorieen), MaxPrijscategorieen)
	for i, p := range a.Prijscategorieen {
		c.text(kv{"prijscategorieen", p.Label}, kv{"prijscategorieen", p.Type})
		c.long("prijscategorieen", p.Label)
		c.long("prijscategorieen", p.Type)
		if p.LabelID < 0 {
			c.add("prijscategorieen", "price category %d: label_id must not be negative", i+1)
		}
		for _, d := range []cloudspot.Decimal{p.Korting, p.VerkoopprijsExcl, p.VerkoopprijsIncl} {
			switch {
			case d.Sign() < 0:
				c.add("prijscategorieen", "price category %d: %s is negative", i+1, d)
			case d.Scale() > 6:
				c.add("prijscategorieen", "price category %d: %s has more than 6 decimals", i+1, d)
			}
		}
	}
	c.most("EAN", len(a.EAN), MaxEANs)
	for _, e := range a.EAN {
		if !isEAN(e) {
			c.add("EAN", "%q is not 8 to 14 digits", clip(e, 20))
		}
	}
	for _, l := range []struct {
		key string
		ts  []cloudspot.Translation
	}{
		{"samenstellingen", a.Samenstellingen},
		{"ruwe_grondstoffen", a.RuweGrondstoffen},
		{"gebruiksaanwijzingen", a.Gebruiksaanwijzingen},
		{"meer_info", a.MeerInfo},
	} {
		c.most(l.key, len(l.ts), MaxTranslations)
		for i, t := range l.ts {
			c.text(kv{l.key, t.Text}, kv{l.key, t.TaalDisplay})
			c.long(l.key, t.Text)
			c.long(l.key, t.TaalDisplay)
			if !isTaal(t.Taal) {
				c.add(l.key, "entry %d: taal %q is not 2 to 8 letters", i+1, clip(t.Taal, 20))
			}
			if strings.TrimSpace(t.Text) == "" {
				c.add(l.key, "entry %d: text is required", i+1)
			}
		}
	}
	c.most("categorieen", len(a.Categorieen), MaxCategorieen)
}

// long refuses a text longer than MaxText.
func (c *checker) long(key, s string) {
	if len(s) > MaxText {
		c.add(key, "longer than %d KiB", MaxText>>10)
	}
}

// most refuses a list longer than max.
func (c *checker) most(key string, n, max int) {
	if n > max {
		c.add(key, "%d entries; at most %d", n, max)
	}
}

func isEAN(s string) bool {
	if len(s) < 8 || len(s) > 14 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isTaal(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// CheckKlant returns every way a client breaks the ERP's rules, each
// naming its wire key; none for a good client. A birth date after today is
// refused.
func CheckKlant(k cloudspot.Klant, today cloudspot.Date) []Problem {
	var c checker
	c.text(kv{"voornaam", k.Voornaam}, kv{"achternaam", k.Achternaam}, kv{"straat", k.Straat}, kv{"huisnummer", k.Huisnummer},
		kv{"busnummer", k.Busnummer}, kv{"postcode", k.Postcode}, kv{"plaats", k.Plaats}, kv{"land", k.Land},
		kv{"geboorteplaats", k.Geboorteplaats}, kv{"bedrijfsnaam", k.Bedrijfsnaam}, kv{"BTW_nummer", k.BTWNummer},
		kv{"ondernemingsnummer", k.Ondernemingsnummer})
	if k.Klantennummer <= 0 {
		c.add("klantennummer", "must be a positive number")
	}
	if k.Aanspreektitel != "" && !k.Aanspreektitel.Known() {
		c.add("aanspreektitel", "%q is not %q or %q", k.Aanspreektitel, cloudspot.AanspreektitelMijnheer, cloudspot.AanspreektitelMevrouw)
	}
	if k.Land != "" && !countryRE.MatchString(k.Land) {
		c.add("land", "%q is not a two-letter country code such as BE", k.Land)
	}
	if !k.Geboortedatum.IsZero() && k.Geboortedatum.After(today) {
		c.add("geboortedatum", "%s is in the future", k.Geboortedatum)
	}
	if k.IsBedrijf {
		if strings.TrimSpace(k.Bedrijfsnaam) == "" {
			c.add("bedrijfsnaam", "is required for a company (is_bedrijf)")
		}
	} else {
		for _, f := range []kv{{"bedrijfsnaam", k.Bedrijfsnaam}, {"BTW_nummer", k.BTWNummer}, {"ondernemingsnummer", k.Ondernemingsnummer}} {
			if f.value != "" {
				c.add(f.key, "only for a company; set is_bedrijf")
			}
		}
		if strings.TrimSpace(k.Voornaam+k.Achternaam) == "" {
			c.add("achternaam", "a person needs a name")
		}
	}
	return c.problems
}

// checker collects the problems of one record.
type checker struct{ problems []Problem }

func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// kv is a wire key and its text.
type kv struct{ key, value string }

// text refuses what not every storage engine keeps as given: invalid UTF-8
// and NUL characters.
func (c *checker) text(fields ...kv) {
	for _, f := range fields {
		if !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0) {
			c.add(f.key, "text must be UTF-8 without NUL characters")
		}
	}
}

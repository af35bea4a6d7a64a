package wirekeys_test

import (
	"slices"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
)

// TestKeysPinned holds the lists to the keys transcribed by hand from the
// API's documentation, not to anything computed from the tables.
func TestKeysPinned(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"Artikel", wirekeys.Artikel(), []string{"naam", "beschrijving", "SKU", "voorraad_bijhouden", "op_voorraad", "product_url",
			"verkoopprijs_excl", "verkoopprijs_incl", "inkoopprijs_excl", "inkoopprijs_incl", "BTW", "bestellingtype",
			"units_per_bestelling", "status"}},
		{"ArtikelExtensions", wirekeys.ArtikelExtensions(), []string{"id", "interne_notitie", "merk", "merk_id", "categorie",
			"categorie_id", "categorieen", "fotos", "prijscategorieen", "EAN", "samenstellingen", "ruwe_grondstoffen",
			"gebruiksaanwijzingen", "meer_info"}},
		{"Klant", wirekeys.Klant(), []string{"klantennummer", "aanspreektitel", "voornaam", "achternaam", "straat", "huisnummer",
			"busnummer", "postcode", "plaats", "land", "geboortedatum", "geboorteplaats", "is_bedrijf", "bedrijfsnaam",
			"BTW_nummer", "ondernemingsnummer"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s() = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	// The whole table: id, then version 0.4's keys, then version 0.6's.
	all := wirekeys.Names(wirekeys.ArtikelTable())
	want := append(append([]string{"id"}, wirekeys.Artikel()...), wirekeys.ArtikelExtensions()[1:]...)
	if !slices.Equal(all, want) {
		t.Errorf("ArtikelTable() names %v, want %v", all, want)
	}
	if got := wirekeys.Names(wirekeys.KlantTable()); !slices.Equal(got, wirekeys.Klant()) {
		t.Errorf("KlantTable() names %v, want %v", got, wirekeys.Klant())
	}
}

// TestTablesAreCopies: a caller that changes what it got changes nothing
// for the next caller.
func TestTablesAreCopies(t *testing.T) {
	t.Parallel()
	wirekeys.ArtikelTable()[0].Name = "changed"
	wirekeys.KlantTable()[0].Name = "changed"
	wirekeys.Artikel()[0] = "changed"
	if wirekeys.ArtikelTable()[0].Name != "id" || wirekeys.KlantTable()[0].Name != "klantennummer" || wirekeys.Artikel()[0] != "naam" {
		t.Error("a table changed by a caller stayed changed")
	}
}

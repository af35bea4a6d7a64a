// Package wirekeys lists the keys of the ERP's products and clients in the
// order the ERP sends them. It is their one source: the SDK's models read
// and write exactly these keys, and cloudspot-server's list encoder, its
// import reader and the cloudspot CLI's columns are built from the same
// lists.
package wirekeys

// A Key is one key of a record on the wire.
type Key struct {
	Name string
	// Extension marks a key that the bodies of API version 0.4 (those
	// the ERP sends and the reference client reads) do not have:
	// cloudspot-server sends it from version 0.6 on (id also for a
	// product asked for by id), and the reference client rejects a
	// record that carries it.
	Extension bool
}

// artikel is a product's keys: id, the 14 of API version 0.4, then those
// of version 0.6.
var artikel = [...]Key{
	{"id", true},
	{"naam", false},
	{"beschrijving", false},
	{"SKU", false},
	{"voorraad_bijhouden", false},
	{"op_voorraad", false},
	{"product_url", false},
	{"verkoopprijs_excl", false},
	{"verkoopprijs_incl", false},
	{"inkoopprijs_excl", false},
	{"inkoopprijs_incl", false},
	{"BTW", false},
	{"bestellingtype", false},
	{"units_per_bestelling", false},
	{"status", false},
	{"interne_notitie", true},
	{"merk", true},
	{"merk_id", true},
	{"categorie", true},
	{"categorie_id", true},
	{"categorieen", true},
	{"fotos", true},
	{"prijscategorieen", true},
	{"EAN", true},
	{"samenstellingen", true},
	{"ruwe_grondstoffen", true},
	{"gebruiksaanwijzingen", true},
	{"meer_info", true},
}

// klant is a client's keys, the same in every API version.
var klant = [...]Key{
	{"klantennummer", false},
	{"aanspreektitel", false},
	{"voornaam", false},
	{"achternaam", false},
	{"straat", false},
	{"huisnummer", false},
	{"busnummer", false},
	{"postcode", false},
	{"plaats", false},
	{"land", false},
	{"geboortedatum", false},
	{"geboorteplaats", false},
	{"is_bedrijf", false},
	{"bedrijfsnaam", false},
	{"BTW_nummer", false},
	{"ondernemingsnummer", false},
}

// ArtikelTable returns every key of a product, in wire order.
func ArtikelTable() []Key { return append([]Key(nil), artikel[:]...) }

// KlantTable returns every key of a client, in wire order.
func KlantTable() []Key { return append([]Key(nil), klant[:]...) }

// Artikel returns the keys of a product in API version 0.4, which the ERP
// sends and the reference client reads, in wire order: naam through
// status.
func Artikel() []string { return names(artikel[:], false) }

// ArtikelExtensions returns the keys that cloudspot-server adds to a
// product, in wire order: id, then those of version 0.6, which follow the
// keys of version 0.4 on the wire.
func ArtikelExtensions() []string { return names(artikel[:], true) }

// Klant returns the keys of a client, in wire order.
func Klant() []string { return names(klant[:], false) }

// Names returns the names of keys, in their order: of ArtikelTable, a
// product's keys in API version 0.6.
func Names(keys []Key) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
	}
	return out
}

func names(keys []Key, extension bool) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if k.Extension == extension {
			out = append(out, k.Name)
		}
	}
	return out
}

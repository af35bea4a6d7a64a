package wirerow

import (
	"testing"
)

// The row encoder against its ceiling, in the same run: copying the same
// row already encoded. Run with
//
//	go test -run '^$' -bench Encode -benchmem ./toolkit/internal/wirerow/
//
// and compare ns/op (and MB/s) of the two. The encoder runs when a row is
// written; a list copies what it wrote, at the ceiling's cost.

func benchRow() [][]byte {
	return [][]byte{
		[]byte("Arabica bonen Huisblend 1 kg"),
		[]byte("Onze vaste huisblend van Braziliaanse en Colombiaanse arabica, medium gebrand in Gent. Zacht, nootachtig en met een tikje chocolade. Zorgvuldig gebrande bonen uit Gent, medium body, tonen van noten en cacao."),
		[]byte("KOF-ARA-1000"), []byte("FYSIEK"), []byte("84"), []byte("https://www.koffiehuis-demo.be/shop/arabica-huisblend-1kg"),
		[]byte("21.70"), []byte("23.00"), []byte("11.40"), []byte("12.08"), []byte("6"), []byte("IDEAAL"), []byte("1"), []byte("ZICHTBAAR"),
	}
}

func BenchmarkEncodeArtikel(b *testing.B) { benchEncode(b, Artikel, benchRow()) }

// BenchmarkEncodeArtikelCeiling copies the encoded row: what the encoder
// would cost if it had nothing to check or escape.
func BenchmarkEncodeArtikelCeiling(b *testing.B) { benchEncodeCeiling(b, Artikel, benchRow()) }

// benchEncode measures the encoding of one row in shape sh.
func benchEncode(b *testing.B, sh *Shape, row [][]byte) {
	buf, err := sh.Append(nil, row)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = sh.Append(buf[:0], row)
	}
}

// benchEncodeCeiling measures copying the row as sh encodes it.
func benchEncodeCeiling(b *testing.B, sh *Shape, row [][]byte) {
	enc, err := sh.Append(nil, row)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, len(enc))
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		buf = append(buf[:0], enc...)
	}
}

// benchDetails are the same product's details in version 0.6: a brand,
// two categories, two photos, a price category, two EANs and texts in
// three languages, as the store keeps them.
func benchDetails() [][]byte {
	return append([][]byte(nil),
		[]byte("Nieuwe oogst vanaf maart; leverancier belt op maandag."), []byte("Koffiehuis"), []byte("12"),
		[]byte("Koffiebonen"), []byte("31"), []byte("31:Koffiebonen\x1f30:Koffie & thee"),
		[]byte(`[{"url":"https://img.koffiehuis-demo.be/arabica-1kg.jpg","is_hoofdfoto":true},{"url":"https://img.koffiehuis-demo.be/arabica-1kg-zak.jpg","is_hoofdfoto":false}]`),
		[]byte(`[{"label":"Horeca","label_id":2,"type":"VAST","korting":10,"verkoopprijs_excl":19.53,"verkoopprijs_incl":20.70}]`),
		[]byte(`["5412345000013","05412345000020"]`),
		[]byte(`[{"text":"100 % arabica","taal":"nl","taal_display":"Nederlands"},{"text":"100 % arabica","taal":"fr","taal_display":"Français"},{"text":"100 % arabica","taal":"en","taal_display":"English"}]`),
		nil, []byte(`[{"text":"Koel en droog bewaren, na opening luchtdicht.","taal":"nl","taal_display":"Nederlands"}]`), []byte{})
}

func BenchmarkEncodeArtikelDetails(b *testing.B) { benchEncode(b, ArtikelDetails, benchDetails()) }

// BenchmarkEncodeArtikelDetailsCeiling copies the encoded details.
func BenchmarkEncodeArtikelDetailsCeiling(b *testing.B) {
	benchEncodeCeiling(b, ArtikelDetails, benchDetails())
}

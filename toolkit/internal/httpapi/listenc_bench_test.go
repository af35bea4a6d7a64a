package httpapi

import (
	"testing"
)

// The list encoder against its ceiling, in the same run: copying the same
// row already encoded. Run with
//
//	go test -run '^$' -bench Encode -benchmem ./internal/httpapi/
//
// and compare ns/op (and MB/s) of the two.

func benchRow() [][]byte {
	return [][]byte{
		[]byte("Arabica bonen Huisblend 1 kg"),
		[]byte("Onze vaste huisblend van Braziliaanse en Colombiaanse arabica, medium gebrand in Gent. Zacht, nootachtig en met een tikje chocolade. Zorgvuldig gebrande bonen uit Gent, medium body, tonen van noten en cacao."),
		[]byte("KOF-ARA-1000"), []byte("FYSIEK"), []byte("84"), []byte("https://www.koffiehuis-demo.be/shop/arabica-huisblend-1kg"),
		[]byte("21.70"), []byte("23.00"), []byte("11.40"), []byte("12.08"), []byte("6"), []byte("IDEAAL"), []byte("1"), []byte("ZICHTBAAR"),
	}
}

func BenchmarkEncodeArtikel(b *testing.B) { benchEncode(b, artikelShape(), benchRow()) }

// BenchmarkEncodeArtikelCeiling copies the encoded row: what the encoder
// would cost if it had nothing to check or escape.
func BenchmarkEncodeArtikelCeiling(b *testing.B) { benchEncodeCeiling(b, artikelShape(), benchRow()) }

// benchEncode measures the encoding of one row in shape sh.
func benchEncode(b *testing.B, sh *rowShape, row [][]byte) {
	buf, err := sh.appendRow(nil, row)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = sh.appendRow(buf[:0], row)
	}
}

// benchEncodeCeiling measures copying the row as sh encodes it.
func benchEncodeCeiling(b *testing.B, sh *rowShape, row [][]byte) {
	enc, err := sh.appendRow(nil, row)
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

// benchRow06 is the same product in version 0.6, with a brand, two
// categories, two photos, a price category, two EANs and texts in three
// languages, as the store streams it.
func benchRow06() [][]byte {
	row := append([][]byte{[]byte("1042")}, benchRow()...)
	return append(row,
		[]byte("Nieuwe oogst vanaf maart; leverancier belt op maandag."), []byte("Koffiehuis"), []byte("12"),
		[]byte("Koffiebonen"), []byte("31"), []byte("31:Koffiebonen\x1f30:Koffie & thee"),
		[]byte(`[{"url":"https://img.koffiehuis-demo.be/arabica-1kg.jpg","is_hoofdfoto":true},{"url":"https://img.koffiehuis-demo.be/arabica-1kg-zak.jpg","is_hoofdfoto":false}]`),
		[]byte(`[{"label":"Horeca","label_id":2,"type":"VAST","korting":10,"verkoopprijs_excl":19.53,"verkoopprijs_incl":20.70}]`),
		[]byte(`["5412345000013","05412345000020"]`),
		[]byte(`[{"text":"100 % arabica","taal":"nl","taal_display":"Nederlands"},{"text":"100 % arabica","taal":"fr","taal_display":"Français"},{"text":"100 % arabica","taal":"en","taal_display":"English"}]`),
		nil, []byte(`[{"text":"Koel en droog bewaren, na opening luchtdicht.","taal":"nl","taal_display":"Nederlands"}]`), []byte{})
}

func BenchmarkEncodeArtikel06(b *testing.B) { benchEncode(b, richArtikelShape(), benchRow06()) }

// BenchmarkEncodeArtikel06Ceiling copies the encoded 0.6 row.
func BenchmarkEncodeArtikel06Ceiling(b *testing.B) {
	benchEncodeCeiling(b, richArtikelShape(), benchRow06())
}

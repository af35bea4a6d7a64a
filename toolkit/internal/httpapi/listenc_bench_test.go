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

func BenchmarkEncodeArtikel(b *testing.B) {
	sh, row := artikelShape(), benchRow()
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

// BenchmarkEncodeArtikelCeiling copies the encoded row: what the encoder
// would cost if it had nothing to check or escape.
func BenchmarkEncodeArtikelCeiling(b *testing.B) {
	sh, row := artikelShape(), benchRow()
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

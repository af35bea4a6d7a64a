package cloudspot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// The list benchmarks decode the same body four ways, through the same
// loopback HTTP server, so that the figures compare within one run:
//
//	go test -run '^$' -bench DecodeArtikels -benchtime 3x .
//
// List and All are the SDK; EncodingJSONStructs is the ceiling the SDK
// must beat (encoding/json into plain structs with float prices, which
// loses exactness); EncodingJSONTokens streams with Decoder.Token and
// Decode per element, the other candidate for a streaming decoder. MB/s is
// of the body. Memory is BenchmarkDecodeMemory's, measured in a process of
// its own.

// artikelJSON is one product of about 600 bytes, as a real ERP sends it.
func artikelJSON(i int) string {
	return fmt.Sprintf(`{"naam": "Koffiebonen Arabica %d", "beschrijving": "Gebrande bonen uit Colombia en Ethiopië, `+
		`een volle smaak met tonen van chocolade en rood fruit. Ideaal voor espresso en filterkoffie; `+
		`bewaar ze koel en droog, buiten het licht, en maal ze pas vlak voor gebruik.", "SKU": "KOF-ARA-%06d", `+
		`"voorraad_bijhouden": "FYSIEK", "op_voorraad": "%d.000", "product_url": "https://winkel.example.be/p/koffiebonen-%d", `+
		`"verkoopprijs_excl": "21.70", "verkoopprijs_incl": "23.00", "inkoopprijs_excl": "12.35", "inkoopprijs_incl": null, `+
		`"BTW": "6.00", "bestellingtype": "BESTELLING", "units_per_bestelling": "6", "status": "ZICHTBAAR"}`, i, i, i%1000, i)
}

// productsBody writes a list body of n products.
func writeProducts(w io.Writer, n int) {
	bw := &bytes.Buffer{}
	bw.WriteString(`{"data": [`)
	for i := range n {
		if i > 0 {
			bw.WriteString(", ")
		}
		bw.WriteString(artikelJSON(i))
		if bw.Len() > 64<<10 {
			w.Write(bw.Bytes())
			bw.Reset()
		}
	}
	bw.WriteString(`]}`)
	w.Write(bw.Bytes())
}

// plainArtikel is what a program without the SDK would decode into.
type plainArtikel struct {
	Naam               string   `json:"naam"`
	Beschrijving       string   `json:"beschrijving"`
	SKU                string   `json:"SKU"`
	VoorraadBijhouden  string   `json:"voorraad_bijhouden"`
	OpVoorraad         *float64 `json:"op_voorraad,string"`
	ProductURL         string   `json:"product_url"`
	VerkoopprijsExcl   *float64 `json:"verkoopprijs_excl,string"`
	VerkoopprijsIncl   *float64 `json:"verkoopprijs_incl,string"`
	InkoopprijsExcl    *float64 `json:"inkoopprijs_excl,string"`
	InkoopprijsIncl    *float64 `json:"inkoopprijs_incl,string"`
	BTW                *float64 `json:"BTW,string"`
	Bestellingtype     string   `json:"bestellingtype"`
	UnitsPerBestelling *float64 `json:"units_per_bestelling,string"`
	Status             string   `json:"status"`
}

func BenchmarkDecodeArtikels(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		var body bytes.Buffer
		writeProducts(&body, n)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", fmt.Sprint(body.Len())) // as a file server sends it
			w.Write(body.Bytes())
		}))
		api, err := cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(srv.URL+"/api/v1"))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		run := func(name string, decode func() (int, error)) {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				b.SetBytes(int64(body.Len()))
				b.ReportAllocs()
				for range b.N {
					got, err := decode()
					if err != nil || got != n {
						b.Fatalf("%d products, %v", got, err)
					}
				}
			})
		}
		run("List", func() (int, error) {
			as, err := api.Artikels.List(ctx)
			return len(as), err
		})
		run("All", func() (int, error) {
			got := 0
			for _, err := range api.Artikels.All(ctx) {
				if err != nil {
					return got, err
				}
				got++
			}
			return got, nil
		})
		run("EncodingJSONStructs", func() (int, error) {
			resp, err := http.Get(srv.URL)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			var out struct {
				Data []plainArtikel `json:"data"`
			}
			err = json.NewDecoder(resp.Body).Decode(&out)
			return len(out.Data), err
		})
		run("EncodingJSONTokens", func() (int, error) {
			resp, err := http.Get(srv.URL)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			dec := json.NewDecoder(resp.Body)
			for _, want := range []any{json.Delim('{'), "data", json.Delim('[')} {
				if tok, err := dec.Token(); err != nil || tok != want {
					return 0, fmt.Errorf("token %v, %v; want %v", tok, err, want)
				}
			}
			got := 0
			for dec.More() {
				var a cloudspot.Artikel
				if err := dec.Decode(&a); err != nil {
					return got, err
				}
				got++
			}
			return got, nil
		})
		srv.Close()
	}
}

func BenchmarkDecimal(b *testing.B) {
	b.Run("Parse", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := cloudspot.ParseDecimal("12345.67"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AppendText", func(b *testing.B) {
		b.ReportAllocs()
		d := cloudspot.MustParseDecimal("-12345.67")
		buf := make([]byte, 0, 32)
		for range b.N {
			buf, _ = d.AppendText(buf[:0])
		}
		if string(buf) != "-12345.67" {
			b.Fatal(string(buf))
		}
	})
	b.Run("UnmarshalJSON", func(b *testing.B) {
		b.ReportAllocs()
		in := []byte(`12345.67`)
		var d cloudspot.Decimal
		for range b.N {
			if err := d.UnmarshalJSON(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Cmp", func(b *testing.B) {
		b.ReportAllocs()
		x, y := cloudspot.MustParseDecimal("12.50"), cloudspot.MustParseDecimal("12.5")
		for range b.N {
			if x.Cmp(y) != 0 {
				b.Fatal("12.50 != 12.5")
			}
		}
	})
}

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
	"time"

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

// richArtikelJSON is a product of API version 0.6, about 1.6 KB: the
// protocol's keys plus two categories, two photos, two price categories,
// an EAN and a composition in two languages.
func richArtikelJSON(i int) string {
	a := artikelJSON(i)
	return a[:len(a)-1] + fmt.Sprintf(`, "id": %d, "interne_notitie": null, "merk": "Koffiebranderij Noord", "merk_id": 12, `+
		`"categorie": "Koffie", "categorie_id": 4, "categorieen": [{"id": 4, "naam": "Koffie"}, {"id": 17, "naam": "Bonen"}], `+
		`"fotos": [{"url": "https://cdn.winkel.example.be/p/%d/hoofd.jpg", "is_hoofdfoto": true}, {"url": "https://cdn.winkel.example.be/p/%d/zak.jpg", "is_hoofdfoto": false}], `+
		`"prijscategorieen": [{"label": "Horeca", "label_id": 2, "type": "VAST", "korting": "10.00", "verkoopprijs_excl": "19.53", "verkoopprijs_incl": "20.70"}, `+
		`{"label": "Groothandel", "label_id": 3, "type": "PERCENTAGE", "korting": "15.00", "verkoopprijs_excl": "18.45", "verkoopprijs_incl": "19.55"}], `+
		`"EAN": ["54%011d"], "samenstellingen": [{"text": "100%% arabica, gebrand in België.", "taal": "nl", "taal_display": "Nederlands"}, `+
		`{"text": "100%% arabica, torréfié en Belgique.", "taal": "fr", "taal_display": "Français"}], `+
		`"ruwe_grondstoffen": [], "gebruiksaanwijzingen": [{"text": "Koel en droog bewaren.", "taal": "nl", "taal_display": "Nederlands"}], "meer_info": []}`,
		i, i, i, i)
}

// plainRichArtikel is what a program without the SDK would decode a rich
// product into: plainArtikel with the richer keys, float prices.
type plainRichArtikel struct {
	plainArtikel
	ID             int64   `json:"id"`
	InterneNotitie *string `json:"interne_notitie"`
	Merk           string  `json:"merk"`
	MerkID         int64   `json:"merk_id"`
	Categorie      string  `json:"categorie"`
	CategorieID    int64   `json:"categorie_id"`
	Categorieen    []struct {
		ID   int64  `json:"id"`
		Naam string `json:"naam"`
	} `json:"categorieen"`
	Fotos []struct {
		URL         string `json:"url"`
		IsHoofdfoto bool   `json:"is_hoofdfoto"`
	} `json:"fotos"`
	Prijscategorieen []struct {
		Label            string   `json:"label"`
		LabelID          int64    `json:"label_id"`
		Type             string   `json:"type"`
		Korting          *float64 `json:"korting,string"`
		VerkoopprijsExcl *float64 `json:"verkoopprijs_excl,string"`
		VerkoopprijsIncl *float64 `json:"verkoopprijs_incl,string"`
	} `json:"prijscategorieen"`
	EAN                  []string           `json:"EAN"`
	Samenstellingen      []plainTranslation `json:"samenstellingen"`
	RuweGrondstoffen     []plainTranslation `json:"ruwe_grondstoffen"`
	Gebruiksaanwijzingen []plainTranslation `json:"gebruiksaanwijzingen"`
	MeerInfo             []plainTranslation `json:"meer_info"`
}

type plainTranslation struct {
	Text        string `json:"text"`
	Taal        string `json:"taal"`
	TaalDisplay string `json:"taal_display"`
}

// BenchmarkDecodeRichArtikels decodes a list of version 0.6 products with
// the SDK and, on the same bytes from the same server, with encoding/json
// into plain structs (the ceiling to beat); Ratio times both alternately in
// each iteration and reports the SDK's speed as a multiple of encoding/json's:
//
//	go test -run '^$' -bench DecodeRichArtikels -benchtime 3x -count 3 .
func BenchmarkDecodeRichArtikels(b *testing.B) {
	const n = 20_000
	var body bytes.Buffer
	body.WriteString(`{"data": [`)
	for i := range n {
		if i > 0 {
			body.WriteString(", ")
		}
		body.WriteString(richArtikelJSON(i))
	}
	body.WriteString(`]}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(body.Len()))
		w.Write(body.Bytes())
	}))
	defer srv.Close()
	api, err := cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(srv.URL+"/api/v1"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	sdk := func() error {
		as, err := api.Artikels.List(ctx)
		if err == nil && (len(as) != n || len(as[n-1].Prijscategorieen) != 2 || !as[n-1].Prijscategorieen[1].Korting.Known()) {
			err = fmt.Errorf("%d products, the last %+v", len(as), as[n-1])
		}
		return err
	}
	structs := func() error {
		resp, err := http.Get(srv.URL)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var out struct {
			Data []plainRichArtikel `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return err
		}
		if len(out.Data) != n || len(out.Data[n-1].Prijscategorieen) != 2 {
			return fmt.Errorf("%d products", len(out.Data))
		}
		return nil
	}
	for _, c := range []struct {
		name   string
		decode func() error
	}{{"List", sdk}, {"EncodingJSONStructs", structs}} {
		b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
			b.SetBytes(int64(body.Len()))
			b.ReportAllocs()
			for range b.N {
				if err := c.decode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run(fmt.Sprintf("Ratio/%d", n), func(b *testing.B) {
		var ours, theirs time.Duration
		for range b.N {
			for _, step := range []struct {
				decode func() error
				total  *time.Duration
			}{{sdk, &ours}, {structs, &theirs}} {
				start := time.Now()
				if err := step.decode(); err != nil {
					b.Fatal(err)
				}
				*step.total += time.Since(start)
			}
		}
		b.ReportMetric(float64(theirs)/float64(ours), "x-encoding/json")
	})
}

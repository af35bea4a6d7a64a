package cloudspot

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// chunked hands out its input in pieces of the sizes given, so that the
// scanner's window is refilled at every possible place: inside a key, a
// string, an escape, a number, a literal.
type chunked struct {
	data  []byte
	sizes []byte
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.sizes) > 0 {
		n = int(c.sizes[0]) + 1
		c.sizes = c.sizes[1:]
	}
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func streamArtikels(body, sizes []byte) ([]Artikel, error) {
	var out []Artikel
	_, err := decodeList[Artikel](newStreamScanner(&chunked{data: body, sizes: sizes}), "artikel", func(a Artikel) bool {
		out = append(out, a)
		return true
	})
	return out, err
}

// referenceArtikels decodes a list the way the SDK did before it streamed:
// encoding/json splits the body, each object decodes on its own.
func referenceArtikels(body []byte) ([]Artikel, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(top["data"], &raw); top["data"] != nil && err != nil {
		return nil, err
	}
	out := make([]Artikel, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FuzzListStream holds the streaming decoder to encoding/json's verdict on
// any body, read in pieces of any size, and checks that a body cut short
// anywhere is an error, never a shorter list.
func FuzzListStream(f *testing.F) {
	f.Add([]byte(`{"data": [{"naam": "Koffie", "BTW": "21.00", "op_voorraad": null, "fotos": [{"url": "x"}]}, {"SKU": 12}], "next": null}`), []byte{3, 0, 7}, uint16(40))
	f.Add([]byte(` {"count": 2, "data": [{"naam": "K\u00f6ffie \"x\"", "verkoopprijs_excl": 1.5e1, "units_per_bestelling": "6,5"}]} `), []byte{0}, uint16(9))
	f.Add([]byte(`{"data": null}`), []byte{}, uint16(3))
	f.Add([]byte(`{"data": [], "next": "https://erp.example/api/v1/artikels/?page=2"}`), []byte{1}, uint16(0))
	f.Add([]byte(`{"data": [{"naam": "a"}], "data": []}`), []byte{1}, uint16(0))
	f.Add([]byte(`{"data": [{"naam": "\ud800", "status": true, "x": [[[{}]]]}]}`), []byte{255}, uint16(20))
	f.Add([]byte(`{"data": [{"id": 1, "naam": "Blond", "categorieen": [3, {"id": "4", "naam": "Bier"}], "fotos": [{"url": "u", "is_hoofdfoto": true}], `+
		`"prijscategorieen": [{"label": "Horeca", "korting": "10", "verkoopprijs_excl": 9.5}], "EAN": ["5411234567890"], `+
		`"samenstellingen": [{"text": "W\u00e4ter", "taal": "nl"}], "meer_info": null}, {"fotos": [], "EAN": 54}]}`), []byte{2, 5, 0}, uint16(77))
	f.Fuzz(func(t *testing.T, body, sizes []byte, cut uint16) {
		got, err := streamArtikels(body, sizes)
		want, refErr := referenceArtikels(body)
		switch {
		case err == nil && refErr != nil:
			t.Fatalf("streaming accepted %q, which encoding/json refuses: %v", body, refErr)
		case err != nil && refErr == nil:
			// Stricter on purpose: a second data list, a next page.
			if !strings.Contains(err.Error(), "appears twice") && !errors.Is(err, errors.ErrUnsupported) {
				t.Fatalf("streaming refused %q, which encoding/json accepts: %v", body, err)
			}
		case err == nil && !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0):
			t.Fatalf("%q:\nstreamed  %+v\nreference %+v", body, got, want)
		}
		if err != nil {
			return
		}
		// Cut the body anywhere before its last significant byte.
		end := len(strings.TrimRight(string(body), " \t\r\n"))
		k := int(cut) % end
		if _, err := streamArtikels(body[:k], sizes); err == nil {
			t.Fatalf("a body cut after %d of %d bytes decoded without error: %q", k, end, body[:k])
		}
	})
}

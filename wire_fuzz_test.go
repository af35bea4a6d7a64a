package cloudspot

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// The decoders read whatever a server sends, so they are fuzzed: they must
// never panic, and what they accept must survive a round trip through the
// strict encoder unchanged.

func FuzzDecodeArtikel(f *testing.F) {
	f.Add(`{"naam": "Koffie", "SKU": 12, "BTW": "21.00", "op_voorraad": null, "status": "ZICHTBAAR"}`)
	f.Add(`{"verkoopprijs_excl": "1,5", "fotos": [{"url": "x"}], "units_per_bestelling": 1e2}`)
	f.Add(`{"naam": {"nl": "x"}}`)
	f.Add(`[]`)
	// The richer product of later versions, and its tolerated shapes.
	f.Add(`{"id": 42, "merk": "Abdij", "merk_id": "7", "categorie": {"id": 3, "naam": "Bier"}, "categorie_id": null, ` +
		`"categorieen": [3, "4", {"id": "5", "naam": "Wijn"}, null, "Bier"], "fotos": [{"url": "u", "is_hoofdfoto": "True", "meta": {"w": [1]}}], ` +
		`"prijscategorieen": [{"label": "Horeca", "label_id": "2", "type": "VAST", "korting": "12,5", "verkoopprijs_excl": 9.5, "verkoopprijs_incl": null}], ` +
		`"EAN": [5411234567890, "05411234567891", null], "samenstellingen": [{"text": "Water", "taal": "nl", "taal_display": "Nederlands"}], ` +
		`"ruwe_grondstoffen": null, "gebruiksaanwijzingen": [], "meer_info": [null]}`)
	f.Add(`{"EAN": "5411234567890", "fotos": [{"url": ["x"]}], "categorieen": [true]}`)
	f.Add(`{"categorieen": [{"id": 1.0e1}, 2.5], "merk": {"naam": null, "id": "x"}}`)
	f.Fuzz(func(t *testing.T, in string) {
		var a Artikel
		if json.Unmarshal([]byte(in), &a) != nil {
			return
		}
		roundTrip(t, a)
	})
}

func FuzzDecodeCategorie(f *testing.F) {
	f.Add(`{"id": 1, "naam": "Dranken", "children": [{"id": 3, "naam": "Bier", "children": []}]}`)
	f.Add(`{"id": "1", "naam": 7, "children": null, "extra": {"children": [1]}}`)
	f.Add(`{"children": [null, {"children": [{"id": "x"}]}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		var c Categorie
		if json.Unmarshal([]byte(in), &c) != nil {
			return
		}
		roundTrip(t, c)
	})
}

func FuzzDecodeKlant(f *testing.F) {
	f.Add(`{"klantennummer": "1001", "postcode": 9000, "geboortedatum": "1985-03-14", "is_bedrijf": "True"}`)
	f.Add(`{"klantennummer": 1.5e3, "geboortedatum": "2023-02-29", "is_bedrijf": 2}`)
	f.Add(`{"voornaam": null, "BTW_nummer": true}`)
	f.Fuzz(func(t *testing.T, in string) {
		var k Klant
		if json.Unmarshal([]byte(in), &k) != nil {
			return
		}
		roundTrip(t, k)
	})
}

func roundTrip[T any](t *testing.T, v T) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		// Text that is not valid UTF-8 cannot be represented exactly;
		// anything else must encode.
		t.Fatalf("decoded %+v but cannot encode it: %v", v, err)
	}
	var back T
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("cannot decode our own encoding %s: %v", b, err)
	}
	again, err := json.Marshal(back)
	if err != nil {
		t.Fatalf("cannot encode %+v after a round trip: %v", back, err)
	}
	if !bytes.Equal(b, again) {
		// encoding/json turns invalid UTF-8 into U+FFFD, which is not a
		// change the SDK can undo.
		if !utf8.Valid(b) || strings.Contains(string(b), "\ufffd") {
			return
		}
		t.Fatalf("round trip changed the value:\nbefore %s\nafter  %s", b, again)
	}
}

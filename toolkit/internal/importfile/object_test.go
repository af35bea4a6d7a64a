package importfile

import (
	"bytes"
	"encoding/json"
	"testing"
)

// stdlibObject reads an object with encoding/json's tokens: the reading
// that parseObject is held to, and the floor of BenchmarkParseObject.
func stdlibObject(raw []byte) ([]field, bool, bool) {
	d := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return nil, false, false
	}
	var fields []field
	seen := map[string]bool{}
	twice := false
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, false, false
		}
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return nil, false, false
		}
		key := tok.(string)
		twice = twice || seen[key]
		seen[key] = true
		fields = append(fields, field{key, v})
	}
	return fields, twice, true
}

// FuzzParseObject: for every valid JSON object, parseObject finds the keys
// and values encoding/json finds, and a key given twice; for other valid
// JSON it says what it got. It never panics.
func FuzzParseObject(f *testing.F) {
	for _, seed := range []string{
		`{"naam": "A", "SKU": "x"}`, `{}`, ` { "a" : [1, {"b": "}"}], "c\"d": null, "e": -1.5e3 } `,
		`{"a": 1, "a": 2}`, `{"\u0061": 1, "a": 2}`, `[1]`, `"x"`, `{"k": "\\"}`, `{"a":{"b":[{"c":"]"}]},"z":true}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) || len(raw) > MaxRecordBytes {
			parseObject(raw) // must not panic
			return
		}
		want, twice, isObject := stdlibObject(raw)
		got, err := parseObject(raw)
		switch {
		case !isObject:
			if err == nil {
				t.Fatalf("%q: no error for a value that is not an object", raw)
			}
		case twice:
			if err == nil {
				t.Fatalf("%q: a key given twice passed", raw)
			}
		case err != nil:
			t.Fatalf("%q: %v", raw, err)
		case len(got.fields) != len(want):
			t.Fatalf("%q: %d fields, want %d", raw, len(got.fields), len(want))
		default:
			for i := range want {
				if got.fields[i].key != want[i].key || !bytes.Equal(got.fields[i].value, want[i].value) {
					t.Fatalf("%q: field %d = %q: %q, want %q: %q", raw, i, got.fields[i].key, got.fields[i].value, want[i].key, want[i].value)
				}
			}
		}
	})
}

// BenchmarkParseObject splits the template's product, which has every key,
// and the items of its lists (an operation is the product and its 10
// items, as the import splits them), beside encoding/json's tokens
// splitting the same objects (the floor: the standard library's way).
//
//	go test -run '^$' -bench ParseObject -benchmem ./toolkit/internal/importfile/
func BenchmarkParseObject(b *testing.B) {
	details := exampleArtikelDetails()
	objects := [][]byte{encode(append(fieldsOf(exampleArtikel()), details...))}
	for _, f := range details {
		var items []json.RawMessage
		if f.value[0] == '[' {
			if err := json.Unmarshal(f.value, &items); err != nil {
				b.Fatal(err)
			}
		}
		for _, it := range items {
			if it[0] == '{' {
				objects = append(objects, it)
			}
		}
	}
	if len(objects) != 11 {
		b.Fatalf("%d objects, want the product and its 10 items", len(objects))
	}
	size := 0
	for _, o := range objects {
		size += len(o)
	}
	b.Run("jsontext", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, raw := range objects {
				if _, err := parseObject(raw); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("floor-encoding-json-token", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, raw := range objects {
				if _, _, ok := stdlibObject(raw); !ok {
					b.Fatal("not an object")
				}
			}
		}
	})
}

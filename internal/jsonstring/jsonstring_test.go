package jsonstring_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonstring"
)

// TestAppend holds each escape to encoding/json's output for the same text,
// and to the literal JSON that output is (so that a change in encoding/json
// shows up here too, not only as a difference).
func TestAppend(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"Empty", "", `""`},
		{"Plain", "Hamer 500 g", `"Hamer 500 g"`},
		{"QuoteAndBackslash", `Elektrisch "snoer" C:\`, `"Elektrisch \"snoer\" C:\\"`},
		{"ShortControls", "a\bb\fc\nd\re\tf", `"a\bb\fc\nd\re\tf"`},
		{"OtherControls", "\x00\x01\x1f\x7f", `"\u0000\u0001\u001f` + "\x7f" + `"`},
		{"HTML", "<b>R&D</b>", `"\u003cb\u003eR\u0026D\u003c/b\u003e"`},
		{"LineSeparators", "a\u2028b\u2029c", `"a\u2028b\u2029c"`},
		{"NonASCII", "Français 8 °C € 🍺", `"Français 8 °C € 🍺"`},
		{"InvalidUTF8", "a\xffb\xc3", `"a\ufffdb\ufffd"`},
		{"TruncatedRune", "\xe2\x82", `"\ufffd\ufffd"`},
		{"Surrogate", "\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`},
		{"OverlongSlash", "\xc0\xaf", `"\ufffd\ufffd"`},
		{"RuneErrorItself", "\uFFFD", "\"\uFFFD\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := string(jsonstring.Append(nil, tc.in)); got != tc.want {
				t.Errorf("Append(%q) = %s, want %s", tc.in, got, tc.want)
			}
			if got := string(jsonstring.Append(nil, []byte(tc.in))); got != tc.want {
				t.Errorf("Append([]byte(%q)) = %s, want %s", tc.in, got, tc.want)
			}
			std, err := json.Marshal(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(std) != tc.want {
				t.Errorf("encoding/json writes %q as %s; the table says %s", tc.in, std, tc.want)
			}
		})
	}
}

// TestAppendKeepsPrefix: the string is appended, what b held stays.
func TestAppendKeepsPrefix(t *testing.T) {
	t.Parallel()
	b := make([]byte, 0, 4)
	b = append(b, `{"k":`...)
	if got := string(append(jsonstring.Append(b, "v<"), '}')); got != `{"k":"v\u003c"}` {
		t.Errorf("got %s", got)
	}
}

// FuzzAppend: for any bytes, Append writes what encoding/json writes.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\/\b\f\n\r\t\x00\x1f\x7f", "<>&", "\u2028\u2029", "\xff\xfe", "é\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonstring.Append(nil, s); string(got) != string(want) {
			t.Errorf("Append(%q) = %s, encoding/json %s", s, got, want)
		}
		if got := jsonstring.Append(nil, []byte(s)); string(got) != string(want) {
			t.Errorf("Append([]byte(%q)) = %s, encoding/json %s", s, got, want)
		}
	})
}

// benchText is a product description as lists carry them: mostly plain,
// with a few characters that need escaping.
var benchText = strings.Repeat(`Klauwhamer met glasvezelsteel en een gesmede kop van 500 gram, geschikt voor timmerwerk binnen en buiten. `, 3) + `Let op: "niet" voor metselwerk & <beton>.`

// BenchmarkAppend is the escaper writing into a reused buffer, as a list
// encoder does; BenchmarkEncodingJSON is json.Marshal of the same text, the
// ceiling the escaper is held to: it must be clearly faster and allocate
// nothing, or encoding/json should do the work.
func BenchmarkAppend(b *testing.B) {
	buf := make([]byte, 0, 1024)
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for range b.N {
		buf = jsonstring.Append(buf[:0], benchText)
	}
}

func BenchmarkEncodingJSON(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for range b.N {
		if _, err := json.Marshal(benchText); err != nil {
			b.Fatal(err)
		}
	}
}

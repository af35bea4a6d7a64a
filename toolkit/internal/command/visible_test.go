package command

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestVisible(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, keep, want string }{
		{"Françoise Søren 日本", "", "Françoise Søren 日本"},
		{"rood \x1b[31m!", "", `rood \x1b[31m!`},
		{"titel \x1b]0;x\x07", "", `titel \x1b]0;x\x07`},
		{"a\tb\nc\rd", "", `a\x09b\x0ac\x0dd`},
		{"a\tb\nc\rd", "\t\n", `a` + "\t" + `b` + "\n" + `c\x0dd`},
		{"del \x7f", "", `del \x7f`},
		{"c1 \u0085 \u009b", "", `c1 \u0085 \u009b`},
		{"bidi \u202e \u2066 \u200f \u061c", "\u202e", `bidi \u202e \u2066 \u200f \u061c`}, // bidi controls are never kept
		{"bad \xff\xfe", "", `bad \xff\xfe`},
		{"replacement \ufffd", "", "replacement \ufffd"},
		{"zero width \u200b joiner \u200d", "", "zero width \u200b joiner \u200d"}, // not controls: shown as they are
	} {
		if got := Visible(tc.in, tc.keep); got != tc.want {
			t.Errorf("Visible(%q, %q) = %q, want %q", tc.in, tc.keep, got, tc.want)
		}
	}
}

// TestInertJSON: the text shows no character a terminal acts on, and reads
// back as the same JSON value.
func TestInertJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"naam": "Koffie"}`,
		"[ {\"naam\": \"Bier\u202e reeB\u0085\x7f\", \"id\": 3}, \"\u2028\U0001D11E \u2066x\u2069\"\n]",
		"{\n  \"a\": \"\u061c\u200f\",\n  \"b\": [1, 2]\n}",
		"[\"bad \xff byte\"]",
	} {
		got := InertJSON(in)
		if Visible(got, "\t\n\r") != got {
			t.Errorf("InertJSON(%q) = %q: it holds characters a terminal acts on", in, got)
		}
		var gotValue, wantValue any
		if err := json.Unmarshal([]byte(got), &gotValue); err != nil {
			t.Fatalf("InertJSON(%q) = %q is not JSON: %v", in, got, err)
		}
		if err := json.Unmarshal([]byte(in), &wantValue); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotValue, wantValue) {
			t.Errorf("InertJSON(%q) reads as %q, want %q", in, gotValue, wantValue)
		}
	}
	if in := "{\n  \"a\": 1\n}"; InertJSON(in) != in {
		t.Errorf("InertJSON changed JSON that was inert already: %q", InertJSON(in))
	}
}

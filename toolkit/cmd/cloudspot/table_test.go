package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func rec(kv ...string) record {
	var r record
	for i := 0; i < len(kv); i += 2 {
		r = append(r, field{kv[i], json.RawMessage(kv[i+1])})
	}
	return r
}

func TestWriteTable(t *testing.T) {
	t.Parallel()
	keys := []string{"naam", "prijs", "land"}
	rows := []record{
		rec("naam", `"Ça Va Traiteur SRL"`, "prijs", "1150.00", "land", `"BE"`),
		rec("naam", `"Müller"`, "prijs", "4.19", "land", "null"),
	}
	tests := []struct {
		name   string
		width  int
		want   string
		hidden []string
	}{
		{"NoLimit", 0, "" +
			"NAAM                  PRIJS  LAND\n" +
			"Ça Va Traiteur SRL  1150.00  BE\n" +
			"Müller                 4.19\n", nil},
		{"Cut", 27, "" +
			"NAAM            PRIJS  LAND\n" +
			"Ça Va Trait…  1150.00  BE\n" +
			"Müller           4.19\n", nil},
		{"Hidden", 16, "" +
			"NAAM      PRIJS\n" +
			"Ça Va…  1150.00\n" +
			"Müller     4.19\n", []string{"land"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			hidden, err := writeTable(&b, keys, append([]record{}, rows...), tc.width)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.hidden, hidden); diff != "" {
				t.Errorf("hidden (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"Müller", 6, "Müller"},
		{"Müller", 5, "Müll…"},
		{"Ça Va Traiteur", 6, "Ça Va…"},
		{"Ça Va Traiteur", 4, "Ça…"},
		{"abc", 1, "…"},
	} {
		if got := cut(tc.in, tc.w); got != tc.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}

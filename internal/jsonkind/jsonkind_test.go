package jsonkind_test

import (
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
)

func TestOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`{"naam": "x"}`, "an object"},
		{`{}`, "an object"},
		{`[1, 2]`, "a list"},
		{`[]`, "a list"},
		{`"text"`, "a string"},
		{`""`, "a string"},
		{`true`, "a boolean"},
		{`false`, "a boolean"},
		{`null`, "null"},
		{`12`, "a number"},
		{`-0.5`, "a number"},
		{`1e3`, "a number"},
		{" \t\r\n [1]", "a list"},
		{"\n null", "null"},
		{``, "nothing"},
		{" \t\r\n", "nothing"},
	} {
		if got := jsonkind.Of([]byte(tc.in)); got != tc.want {
			t.Errorf("Of(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if tc.want != "nothing" {
			if got := jsonkind.Name(strings.TrimLeft(tc.in, " \t\r\n")[0]); got != tc.want {
				t.Errorf("Name of the first byte of %q = %q, want %q", tc.in, got, tc.want)
			}
		}
	}
}

package cloudspot_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// TestHostileListBodies: bodies built to exhaust a decoder end in a clear
// error, or decode tolerantly, for List and All alike, several at once.
func TestHostileListBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body, want string // want: a part of the error, or "" for success
	}{
		{"HugeString", `{"data": [{"naam": "` + strings.Repeat("a", 20<<20) + `"}]}`, "longer than"},
		{"DeepNesting", `{"data": [{"onbekend": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}]}`, "nested too deeply"},
		{"DeepNestingInAKnownList", `{"data": [{"fotos": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}]}`, "fotos[0]: want an object, got a list"},
		{"HugeNumber", `{"data": [{"BTW": 1` + strings.Repeat("0", 1<<20) + `}]}`, "out of range"},
		{"HugeExponent", `{"data": [{"BTW": 1e999999999}]}`, "out of range"},
		{"ManyKeys", `{"data": [{` + strings.Repeat(`"x": 1, `, 200000) + `"naam": "laatste"}]}`, ""},
		{"InvalidUTF8", "{\"data\": [{\"naam\": \"caf\xe9\"}]}", ""},
		{"ControlCharacter", "{\"data\": [{\"naam\": \"a\x01b\"}]}", "control character"},
		{"BadEscapeInSkippedValue", `{"data": [{"onbekend": "a\0b"}]}`, "invalid escape"},
		{"BadUnicodeEscapeInSkippedValue", `{"data": [{"onbekend": "\u12g4"}]}`, "invalid escape"},
		{"TrailingGarbage", `{"data": []} {"data": []}`, "after the value"},
		{"DataNotAList", `{"data": {"naam": "x"}}`, "want data to be a list"},
		{"ElementNotAnObject", `{"data": [["naam", "x"]]}`, "want an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tc.body))
			})
			api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
			check := func(call string, n int, err error) {
				t.Helper()
				switch {
				case tc.want == "" && (err != nil || n != 1):
					t.Errorf("%s: %d products, %v; want one", call, n, err)
				case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
					t.Errorf("%s: %d products, error %v; want one containing %q", call, n, err, tc.want)
				case err != nil && len(err.Error()) > 300:
					t.Errorf("%s: an error of %d bytes echoes the body", call, len(err.Error()))
				}
			}
			as, err := api.Artikels.List(context.Background())
			check("List", len(as), err)
			n := 0
			err = nil
			for a, e := range api.Artikels.All(context.Background()) {
				if e != nil {
					err = e
					break
				}
				n++
				if tc.name == "InvalidUTF8" && a.Naam != "caf\uFFFD" {
					t.Errorf("naam %q, want invalid UTF-8 replaced as encoding/json does", a.Naam)
				}
			}
			check("All", n, err)
		})
	}
}

package httpapi

import (
	"encoding/json"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// TestTokenBodiesMatchModels: the token calls' bodies are byte for byte what
// encoding/json makes of the SDK's models, for hostile text too.
func TestTokenBodiesMatchModels(t *testing.T) {
	texts := []string{"", "Jan", `"quoted" \back\slash`, "tab\tnew\nline\x01", "<b>&amp;</b>", "line\u2028sep", "Ayşe Yılmaz 𝄞", "\xff\xfe"}
	for _, slugs := range [][]string{nil, {}, {"timeapp_use"}, {"timeapp_use", "timeapp_timetracking_use", "<x>&\"y\""}} {
		want, err := json.Marshal(struct {
			Permissions cloudspot.Permissions `json:"permissions"`
		}{cloudspot.Permissions(append([]string{}, slugs...))})
		if err != nil {
			t.Fatal(err)
		}
		if got := appendPermissions(nil, slugs); string(got) != string(want) {
			t.Errorf("permissions %q:\n got %s\nwant %s", slugs, got, want)
		}
	}
	for _, a := range texts {
		for _, b := range texts {
			u := erp.User{FirstName: a, LastName: b, Email: b + a}
			want, err := json.Marshal(cloudspot.User{FirstName: u.FirstName, LastName: u.LastName, Email: u.Email})
			if err != nil {
				t.Fatal(err)
			}
			if got := appendUser(nil, &u); string(got) != string(want) {
				t.Errorf("user %q %q:\n got %s\nwant %s", a, b, got, want)
			}
		}
	}
}

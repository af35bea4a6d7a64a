package erp_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

func TestMain(m *testing.M) { erptest.Main(m) }

// The domain's rules are tested here on the Service over a real store of
// each engine, with an injected clock, apart from HTTP: what the rules
// decide, not how the API words it.

const password = "correct horse battery"

// cheap keeps the password hashes of these tests fast; the cost of the
// real parameters is not what they test.
var cheap = erp.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// world is a service on a fresh store with two companies, two apps and
// two users, and a clock the test moves.
type world struct {
	svc   *erp.Service
	store erp.Store
	clock atomic.Int64 // Unix microseconds

	// Company tokens of acme (all rights, products only, clients only)
	// and of globex (all rights).
	acmeAll, acmeProducts, acmeClients, globexAll string
}

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

func (w *world) now() time.Time          { return time.UnixMicro(w.clock.Load()) }
func (w *world) advance(d time.Duration) { w.clock.Add(d.Microseconds()) }

// forEachEngine runs test once per storage engine, each on a world of its
// own made with cfg (Store, Now and Argon2 are filled in).
func forEachEngine(t *testing.T, cfg erp.Config, test func(t *testing.T, w *world)) {
	t.Helper()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			test(t, newWorld(t, e.Open(t), cfg))
		})
	}
}

func newWorld(t *testing.T, st erp.Store, cfg erp.Config) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{store: st}
	w.clock.Store(t0.UnixMicro())
	cfg.Store, cfg.Now, cfg.Argon2 = st, w.now, cheap
	w.svc = erptest.Must(erp.NewService(cfg))(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range [][2]string{{"acme", "Acme BV"}, {"globex", "Globex NV"}} {
		_, err := w.svc.CreateCompany(ctx, c[0], c[1])
		must(err)
	}
	for _, a := range []string{"timeapp", "otherapp"} {
		_, err := w.svc.CreateApp(ctx, a, "")
		must(err)
	}
	for _, p := range [][2]string{{"timeapp_use", ""}, {"timeapp_timetracking_use", "timeapp_use"}, {"otherapp_use", ""}} {
		app := "timeapp"
		if p[0] == "otherapp_use" {
			app = "otherapp"
		}
		_, err := w.svc.AddPermission(ctx, app, p[0], "", p[1])
		must(err)
	}
	for _, u := range []erp.NewUser{
		{Username: "an", Password: password, FirstName: "An", LastName: "Claes", Company: "acme"},
		{Username: "bert", Password: password, FirstName: "Bert", LastName: "Peeters", Company: "globex"},
	} {
		_, err := w.svc.CreateUser(ctx, u)
		must(err)
	}
	for _, g := range [][2]string{{"an", "timeapp_use"}, {"an", "timeapp_timetracking_use"}, {"an", "otherapp_use"}, {"bert", "timeapp_use"}} {
		must(w.svc.Grant(ctx, g[0], g[1]))
	}
	w.importArtikels(t, "acme", `[
		{"naam": "Hamer", "SKU": "ACME-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "BTW": 21},
		{"naam": "Zaag", "SKU": "ACME-2", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "BTW": 21}]`)
	w.importArtikels(t, "globex", `[
		{"naam": "Boor", "SKU": "GLOBEX-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "BTW": 21}]`)
	w.importKlanten(t, "acme", `[{"klantennummer": 1, "voornaam": "Els", "achternaam": "Acme", "land": "BE"}]`)
	w.importKlanten(t, "globex", `[{"klantennummer": 1, "voornaam": "Jef", "achternaam": "Globex", "land": "BE"},
		{"klantennummer": 2, "voornaam": "Mia", "achternaam": "Globex", "land": "NL"}]`)
	issue := func(company string, r erp.Rights) string {
		t.Helper()
		secret, _, err := w.svc.IssueCompanyToken(ctx, company, company+" "+r.String(), r)
		must(err)
		return secret
	}
	w.acmeAll = issue("acme", erp.Rights{Artikels: true, Klanten: true})
	w.acmeProducts = issue("acme", erp.Rights{Artikels: true})
	w.acmeClients = issue("acme", erp.Rights{Klanten: true})
	w.globexAll = issue("globex", erp.Rights{Artikels: true, Klanten: true})
	return w
}

func (w *world) importArtikels(t *testing.T, company, js string) {
	t.Helper()
	var as []cloudspot.Artikel
	if err := json.Unmarshal([]byte(js), &as); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.ImportArtikels(context.Background(), company, erp.Records(as)); err != nil {
		t.Fatal(err)
	}
}

func (w *world) importKlanten(t *testing.T, company, js string) {
	t.Helper()
	var ks []cloudspot.Klant
	if err := json.Unmarshal([]byte(js), &ks); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.ImportKlanten(context.Background(), company, erp.Records(ks)); err != nil {
		t.Fatal(err)
	}
}

// signIn signs a user in with the right password, failing the test if
// that fails.
func (w *world) signIn(t *testing.T, app, username string) *erp.SignIn {
	t.Helper()
	return erptest.Must(w.svc.SignIn(context.Background(), app, username, password))(t)
}

// wantCode fails the test unless err carries the domain error code want
// ("" for no error), and, when msg is not empty, that message.
func wantCode(t *testing.T, what string, err error, want, msg string) {
	t.Helper()
	if got := erp.ErrorCode(err); got != want {
		t.Errorf("%s: error %q (%v), want %q", what, got, err, want)
		return
	}
	if msg != "" && erp.ErrorMessage(err) != msg {
		t.Errorf("%s: message %q, want %q", what, erp.ErrorMessage(err), msg)
	}
}

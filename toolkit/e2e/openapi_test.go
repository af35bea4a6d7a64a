package e2e_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi/datamodel"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// The OpenAPI description is kept true here: every request the suite's SDK
// clients send and every answer they get is validated against it, so a body
// the description does not allow fails the test that caused it.

// newValidator reads the description the server embeds and serves.
func newValidator(t testing.TB) validator.Validator {
	t.Helper()
	// A category's children are categories: the recursion ends with an
	// empty list, so it is not the infinite kind the checker looks for.
	doc, err := libopenapi.NewDocumentWithConfiguration(httpapi.OpenAPI(), &datamodel.DocumentConfiguration{IgnoreArrayCircularReferences: true})
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("openapi.json: %v", errs)
	}
	return v
}

// validatingTransport checks each exchange against the description and
// reports what it does not allow. The exchange itself goes on unchanged, so
// a test sees what it would have seen without it.
type validatingTransport struct {
	v      validator.Validator
	mu     sync.Mutex // the validator's caches are not documented as safe for concurrent use
	report func(format string, args ...any)
	next   http.RoundTripper
}

// validatingClient is an HTTP client for SDK clients whose exchanges must
// match the description; a mismatch fails t.
func validatingClient(t testing.TB) *http.Client {
	return &http.Client{Transport: &validatingTransport{v: newValidator(t), report: t.Errorf, next: http.DefaultTransport}}
}

func (vt *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	checked := req.Clone(req.Context())
	checked.Body = io.NopCloser(bytes.NewReader(reqBody))
	vt.mu.Lock()
	ok, errs := vt.v.ValidateHttpRequestSync(checked)
	vt.mu.Unlock()
	if !ok {
		vt.report("OpenAPI: request %s %s %s does not match the description: %s", req.Method, req.URL.Path, reqBody, describe(errs))
	}

	res, err := vt.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return res, nil // the caller meets the same failure reading
	}
	answer := *res
	answer.Body = io.NopCloser(bytes.NewReader(body))
	checked.Body = io.NopCloser(bytes.NewReader(reqBody))
	vt.mu.Lock()
	ok, errs = vt.v.ValidateHttpResponse(checked, &answer)
	vt.mu.Unlock()
	if !ok {
		vt.report("OpenAPI: answer %s to %s %s does not match the description: %s\nbody: %.500s", res.Status, req.Method, req.URL.RequestURI(), describe(errs), body)
	}
	return res, nil
}

func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %s: %s", e.Message, e.Reason)
		for _, s := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n    %s: %s", s.FieldPath, s.Reason)
		}
	}
	return b.String()
}

// TestOpenAPIServed checks that the server serves the description it embeds
// and that the description is a valid OpenAPI 3.1 document.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	srv := erptest.Start(t, erptest.Options{})
	res, err := http.Get(srv.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" || !bytes.Equal(body, httpapi.OpenAPI()) {
		t.Errorf("GET /openapi.json: %s %s, %d bytes; want 200, JSON, the embedded description", res.Status, res.Header.Get("Content-Type"), len(body))
	}
	if !bytes.HasPrefix(body, []byte("{\n  \"openapi\": \"3.1.")) {
		t.Errorf("the description does not start with its OpenAPI version 3.1: %.40q", body)
	}
	if ok, errs := newValidator(t).ValidateDocument(); !ok {
		t.Errorf("openapi.json is not a valid OpenAPI document: %s", describe(errs))
	}
}

// TestOpenAPIRefusesWhatTheReferenceClientWould feeds the validating
// transport bodies written out by hand: those the 0.4.0 reference client
// accepts must pass, those it would crash on (a key it does not know) or
// that break the protocol's types must be reported.
func TestOpenAPIRefusesWhatTheReferenceClientWould(t *testing.T) {
	t.Parallel()
	const artikel = `"naam":"Koffie","beschrijving":null,"SKU":"KOF-1","voorraad_bijhouden":"FYSIEK","op_voorraad":3,` +
		`"product_url":null,"verkoopprijs_excl":11.79,"verkoopprijs_incl":12.50,"inkoopprijs_excl":6,"inkoopprijs_incl":6.36,` +
		`"BTW":6,"bestellingtype":"IDEAAL","units_per_bestelling":1,"status":"ZICHTBAAR"`
	const klant = `"klantennummer":1001,"aanspreektitel":"Mijnh.","voornaam":"Jan","achternaam":"Peeters","straat":"Veldstraat",` +
		`"huisnummer":"12","busnummer":null,"postcode":"9000","plaats":"Gent","land":"BE","geboortedatum":"1980-04-02",` +
		`"geboorteplaats":null,"is_bedrijf":false,"bedrijfsnaam":null,"BTW_nummer":null,"ondernemingsnummer":null`
	const details = `"interne_notitie":null,"merk":"Huisblend","merk_id":4,"categorie":"Bonen","categorie_id":3,` +
		`"categorieen":[{"id":3,"naam":"Bonen"}],"fotos":[{"url":"https://cdn.example.be/1.jpg","is_hoofdfoto":true}],` +
		`"prijscategorieen":[{"label":"Horeca","label_id":2,"type":"VAST","korting":10,"verkoopprijs_excl":null,"verkoopprijs_incl":null}],` +
		`"EAN":["5411234567890"],"samenstellingen":[],"ruwe_grondstoffen":[],"gebruiksaanwijzingen":[],` +
		`"meer_info":[{"text":"Gebrand in Gent","taal":"nl","taal_display":"Nederlands"}]`
	const tree = `{"data":[{"id":1,"naam":"Dranken","children":[{"id":3,"naam":"Bonen","children":[]}]}]}`
	for _, tc := range []struct {
		name, method, path, status, body string
		ok                               bool
	}{
		{"SignIn", "POST", "/auth/signin-external-app/", "200", `{"token":"abc","permissions":[{"permission":"timeapp_use"}]}`, true},
		// Version 0.5's bodies are described beside 0.4's (which one a
		// client gets is the server's choice, pinned by the wire test); a
		// mix of the two is refused.
		{"SignIn05", "POST", "/auth/signin-external-app/", "200", `{"token":"abc","permissions":[],"company":"x"}`, true},
		{"SignIn05ExtraKey", "POST", "/auth/signin-external-app/", "200", `{"token":"abc","permissions":[],"company":"x","pin":"1"}`, false},
		{"SignInWithoutPermissions", "POST", "/auth/signin-external-app/", "200", `{"token":"abc"}`, false},
		{"Permissions", "GET", "/auth/get-permissions/", "200", `{"permissions":[]}`, true},
		{"PermissionWithLabel", "GET", "/auth/get-permissions/", "200", `{"permissions":[{"permission":"a","label":"A"}]}`, false},
		{"User", "GET", "/auth/get-user/", "200", `{"first_name":"Jan","last_name":"Peeters","email":null}`, true},
		{"UserWithPin", "GET", "/auth/get-user/", "200", `{"first_name":"Jan","last_name":"Peeters","email":null,"pin":"1234"}`, false},
		{"User05", "GET", "/auth/get-user/", "200", `{"first_name":"Jan","last_name":"Peeters","email":null,"company":"x","pin":null}`, true},
		{"Artikels", "GET", "/artikels/", "200", `{"data":[{` + artikel + `}]}`, true},
		{"ArtikelsEmpty", "GET", "/artikels/", "200", `{"data":[]}`, true},
		// OpenAPI cannot make an answer depend on the query: a list of one
		// product with its id is the ?id= answer to it. Two are refused;
		// the wire test pins that the plain list never carries ids.
		{"ArtikelsWithIDs", "GET", "/artikels/", "200", `{"data":[{"id":7,` + artikel + `},{"id":8,` + artikel + `}]}`, false},
		{"ArtikelsWithOneDetail", "GET", "/artikels/", "200", `{"data":[{` + artikel + `,"merk":"X"}]}`, false},
		{"ArtikelsPriceAsString", "GET", "/artikels/", "200", `{"data":[{` + strings.Replace(artikel, "12.50", `"12.50"`, 1) + `}]}`, false},
		{"ArtikelsUnknownStatus", "GET", "/artikels/", "200", `{"data":[{` + strings.Replace(artikel, "ZICHTBAAR", "WEG", 1) + `}]}`, false},
		{"ArtikelsMissingKey", "GET", "/artikels/", "200", `{"data":[{` + strings.Replace(artikel, `"BTW":6,`, "", 1) + `}]}`, false},
		{"ArtikelByID", "GET", "/artikels/?id=7", "200", `{"data":[{"id":7,` + artikel + `}]}`, true},
		// Version 0.6: every key always there, lists never null.
		{"Artikels06", "GET", "/artikels/", "200", `{"data":[{"id":7,` + artikel + `,` + details + `}]}`, true},
		{"Artikels06WithoutID", "GET", "/artikels/", "200", `{"data":[{` + artikel + `,` + details + `}]}`, false},
		{"Artikels06MissingKey", "GET", "/artikels/", "200", `{"data":[{"id":7,` + artikel + `,` + strings.Replace(details, `"ruwe_grondstoffen":[],`, "", 1) + `}]}`, false},
		{"Artikels06NullList", "GET", "/artikels/", "200", `{"data":[{"id":7,` + artikel + `,` + strings.Replace(details, `"samenstellingen":[]`, `"samenstellingen":null`, 1) + `}]}`, false},
		{"Artikels06ShortEAN", "GET", "/artikels/", "200", `{"data":[{"id":7,` + artikel + `,` + strings.Replace(details, "5411234567890", "541123", 1) + `}]}`, false},
		{"Artikels06PhotoExtraKey", "GET", "/artikels/", "200", `{"data":[{"id":7,` + artikel + `,` + strings.Replace(details, `"is_hoofdfoto":true`, `"is_hoofdfoto":true,"alt":"x"`, 1) + `}]}`, false},
		{"Categorieen", "GET", "/categories/", "200", tree, true},
		{"CategorieenWithoutChildren", "GET", "/categories/", "200", strings.Replace(tree, `,"children":[]`, "", 1), false},
		{"CategorieenNullChildren", "GET", "/categories/", "200", strings.Replace(tree, `"children":[]`, `"children":null`, 1), false},
		{"CategorieenExtraKey", "GET", "/categories/?id=1", "200", strings.Replace(tree, `"naam":"Bonen"`, `"naam":"Bonen","pad":"Dranken/Bonen"`, 1), false},
		{"Klanten", "GET", "/klanten/", "200", `{"data":[{` + klant + `}]}`, true},
		{"KlantenCountryName", "GET", "/klanten/", "200", `{"data":[{` + strings.Replace(klant, `"BE"`, `"Belgium"`, 1) + `}]}`, false},
		{"Error", "GET", "/klanten/", "401", `{"message":"No valid token found."}`, true},
		{"ErrorWithCode", "GET", "/klanten/", "401", `{"message":"No valid token found.","code":"x"}`, false},
		{"ErrorNotJSON", "GET", "/klanten/", "502", `<html>Bad Gateway</html>`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			canned := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(tc.body, "{") {
					w.Header().Set("Content-Type", "application/json")
				} else {
					w.Header().Set("Content-Type", "text/html")
				}
				status, _ := strconv.Atoi(tc.status)
				w.WriteHeader(status)
				io.WriteString(w, tc.body)
			}))
			defer canned.Close()
			var reports []string
			var mu sync.Mutex
			vt := &validatingTransport{v: newValidator(t), next: http.DefaultTransport, report: func(f string, a ...any) {
				mu.Lock()
				defer mu.Unlock()
				reports = append(reports, fmt.Sprintf(f, a...))
			}}
			var body io.Reader
			if tc.method == "POST" {
				body = strings.NewReader(`{"username":"jan","password":"secret123"}`)
			}
			req, err := http.NewRequest(tc.method, canned.URL+"/api/v1"+tc.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-ERP-REQUESTOR", "timeapp")
			req.Header.Set("X-ERP-TOKEN", "token")
			res, err := (&http.Client{Transport: vt}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(got) != tc.body {
				t.Errorf("the transport changed the body to %q", got)
			}
			if tc.ok && len(reports) > 0 {
				t.Errorf("a body the reference client accepts was refused:\n%s", strings.Join(reports, "\n"))
			}
			if !tc.ok && len(reports) == 0 {
				t.Errorf("%s %s → %s %s was allowed", tc.method, tc.path, tc.status, tc.body)
			}
		})
	}
}

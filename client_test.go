package cloudspot_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// These tests put the SDK in front of servers that behave as real ones do
// on a bad day: decimals as strings, nulls, extra keys, proxies answering
// with HTML. The stand-ins live under a non-empty base path so that a
// request built from an absolute path fails loudly.

type stub struct {
	mu  sync.Mutex
	req []*http.Request
	fn  http.HandlerFunc
}

func newStub(t *testing.T, fn http.HandlerFunc) (*stub, string) {
	t.Helper()
	s := &stub{fn: fn}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.req = append(s.req, r.Clone(context.Background()))
		s.mu.Unlock()
		s.fn(w, r)
	}))
	t.Cleanup(srv.Close)
	return s, srv.URL + "/erp/api/v1/"
}

func (s *stub) last() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.req[len(s.req)-1]
}

func reply(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func TestRequestsFollowTheProtocol(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, base := newStub(t, reply(200, "application/json", `{"token": "t0k", "permissions": [], "data": [], "first_name": "A"}`))
	users, err := cloudspot.NewUserAPI("  TimeApp ", cloudspot.WithBaseURL(base), cloudspot.WithUserAgent("tests/1"))
	if err != nil {
		t.Fatal(err)
	}
	if users.App() != "timeapp" {
		t.Errorf("App() = %q, want timeapp", users.App())
	}
	company := must(cloudspot.NewCompanyAPI("ctok", cloudspot.WithBaseURL(base)))(t)

	for _, tc := range []struct {
		name, method, path, requestor, token string
		call                                 func() error
	}{
		{"SignIn", "POST", "/erp/api/v1/auth/signin-external-app/", "timeapp", "", func() error { _, err := users.Authenticate(ctx, "u", "p"); return err }},
		{"Permissions", "GET", "/erp/api/v1/auth/get-permissions/", "timeapp", "utok", func() error { _, err := users.Permissions(ctx, "utok"); return err }},
		{"User", "GET", "/erp/api/v1/auth/get-user/", "timeapp", "utok", func() error { _, err := users.User(ctx, "utok"); return err }},
		{"Artikels", "GET", "/erp/api/v1/artikels/", "", "ctok", func() error { _, err := company.Artikels.List(ctx); return err }},
		{"Klanten", "GET", "/erp/api/v1/klanten/", "", "ctok", func() error { _, err := company.Klanten.List(ctx); return err }},
	} {
		if err := tc.call(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		r := st.last()
		got := []string{r.Method, r.URL.Path, r.Header.Get("X-ERP-REQUESTOR"), r.Header.Get("X-ERP-TOKEN"), r.Header.Get("Content-Type")}
		want := []string{tc.method, tc.path, tc.requestor, tc.token, "application/json"}
		if diff := diff(want, got); diff != "" {
			t.Errorf("%s request (-want +got):\n%s", tc.name, diff)
		}
	}
	if ua := st.req[0].Header.Get("User-Agent"); ua != "tests/1" {
		t.Errorf("User-Agent = %q, want tests/1", ua)
	}
}

func TestTolerantDecoding(t *testing.T) {
	t.Parallel()
	// Decimals as strings (as Django REST framework sends them), with a
	// comma, nulls everywhere, numbers where text is expected, keys from
	// later API versions, and a float client number.
	_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/artikels/"):
			io.WriteString(w, `{"data": [{"id": 7, "naam": "Koffie", "beschrijving": null, "SKU": 123,
				"voorraad_bijhouden": "FYSIEK", "op_voorraad": "12.500", "product_url": null,
				"verkoopprijs_excl": "12.50", "verkoopprijs_incl": 15.13, "inkoopprijs_excl": "7,25",
				"inkoopprijs_incl": null, "BTW": "21.00", "bestellingtype": "NIEUW_TYPE",
				"units_per_bestelling": 6, "status": "ZICHTBAAR", "fotos": [{"url": "x", "is_hoofdfoto": true}],
				"EAN": ["5400000000001"], "categorie": {"id": 1}}], "next": null}`)
		default:
			io.WriteString(w, `{"data": [{"klantennummer": 1001.0, "aanspreektitel": "Mevr.", "voornaam": "Françoise",
				"achternaam": "Müller", "huisnummer": 12, "busnummer": null, "postcode": 9000, "land": "BE",
				"geboortedatum": "1985-03-14T00:00:00Z", "is_bedrijf": "False", "bedrijfsnaam": null, "extra": {"a": [1, 2]}}]}`)
		}
	})
	ctx := context.Background()
	api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(base)))(t)
	as, err := api.Artikels.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := cloudspot.Artikel{
		ID:   7, // a later API version's key, decoded when it comes
		Naam: "Koffie", SKU: "123", VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek,
		OpVoorraad:         cloudspot.MustParseDecimal("12.500"),
		VerkoopprijsExcl:   cloudspot.MustParseDecimal("12.50"),
		VerkoopprijsIncl:   cloudspot.MustParseDecimal("15.13"),
		InkoopprijsExcl:    cloudspot.MustParseDecimal("7.25"),
		BTW:                cloudspot.NewDecimal(2100, 2),
		Bestellingtype:     "NIEUW_TYPE",
		UnitsPerBestelling: cloudspot.NewDecimal(6, 0),
		Status:             cloudspot.ArtikelStatusZichtbaar,
		// The richer product's keys, the main category as an object.
		Fotos:       []cloudspot.Foto{{URL: "x", IsHoofdfoto: true}},
		EAN:         []string{"5400000000001"},
		CategorieID: 1,
	}
	if diff := diff([]cloudspot.Artikel{want}, as); diff != "" {
		t.Errorf("artikels (-want +got):\n%s", diff)
	}
	if as[0].Bestellingtype.Known() {
		t.Error("an order type the SDK does not know must be kept and reported as unknown")
	}
	if as[0].VerkoopprijsExcl.String() != "12.50" {
		t.Errorf("price lost its cents: %s", as[0].VerkoopprijsExcl)
	}
	ks, err := api.Klanten.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantK := cloudspot.Klant{Klantennummer: 1001, Aanspreektitel: cloudspot.AanspreektitelMevrouw, Voornaam: "Françoise", Achternaam: "Müller",
		Huisnummer: "12", Postcode: "9000", Land: "BE", Geboortedatum: cloudspot.Date{Year: 1985, Month: time.March, Day: 14}}
	if diff := diff([]cloudspot.Klant{wantK}, ks); diff != "" {
		t.Errorf("klanten (-want +got):\n%s", diff)
	}
}

func TestPermissionsAsPlainSlugs(t *testing.T) {
	t.Parallel()
	_, base := newStub(t, reply(200, "application/json", `{"permissions": ["a_use", {"permission": "a_b"}, {"permission": null}], "extra": 1}`))
	ps, err := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base)))(t).Permissions(context.Background(), "tok")
	if err != nil {
		t.Fatal(err)
	}
	if diff := diff(cloudspot.Permissions{"a_use", "a_b"}, ps); diff != "" {
		t.Errorf("permissions (-want +got):\n%s", diff)
	}
}

func TestErrorResponses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		handler     http.HandlerFunc
		status      int
		kind        error
		wantMessage string
	}{
		{"ERPMessage", reply(401, "application/json", `{"message": "No valid token found."}`), 401, cloudspot.ErrNoValidToken, "No valid token found."},
		{"ProxyHTMLPage", reply(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"), 502, nil, `expected JSON, got an HTML page titled "502 Bad Gateway"`},
		{"EmptyBody", reply(500, "", ""), 500, nil, "empty response, expected JSON"},
		{"PlainText", reply(503, "text/plain", "upstream connect error\nreset"), 503, nil, `expected JSON, got text/plain: "upstream connect error reset"`},
		{"JSONWithoutMessage", reply(500, "application/json", `{"detail": "boom"}`), 500, nil, `expected JSON, got application/json: "{\"detail\": \"boom\"}"`},
		{"NotFound", reply(404, "text/html", "<!DOCTYPE html><html><title>Page not found</title></html>"), 404, cloudspot.ErrNotFound, `expected JSON, got an HTML page titled "Page not found"`},
		{"OKButHTML", reply(200, "text/html", "<html><title>Sign in to the Wi-Fi</title></html>"), 200, nil, `expected JSON, got an HTML page titled "Sign in to the Wi-Fi"`},
		{"Forbidden", reply(403, "application/json", `{"message": "no right"}`), 403, cloudspot.ErrNoValidToken, "no right"},
		{"RateLimited", reply(429, "application/json", `{"message": "Too many requests."}`), 429, cloudspot.ErrRateLimited, "Too many requests."},
		{"EmptyMessage", reply(400, "application/json", `{"message": ""}`), 400, nil, `expected JSON, got application/json: "{\"message\": \"\"}"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, base := newStub(t, tc.handler)
			_, err := must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base)))(t).User(context.Background(), "secret-token-value")
			var e *cloudspot.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *cloudspot.Error", err, err)
			}
			if e.StatusCode != tc.status || e.Message != tc.wantMessage {
				t.Errorf("got %d %q, want %d %q", e.StatusCode, e.Message, tc.status, tc.wantMessage)
			}
			for _, k := range []error{cloudspot.ErrBadCredentials, cloudspot.ErrNoValidToken, cloudspot.ErrForbidden, cloudspot.ErrNotFound,
				cloudspot.ErrRateLimited, cloudspot.ErrInsecure, cloudspot.ErrResponseTooLarge} {
				if errors.Is(err, k) != (k == tc.kind) {
					t.Errorf("errors.Is(err, %v) = %v", k, !(k == tc.kind))
				}
			}
			if strings.Contains(err.Error(), "secret-token-value") {
				t.Errorf("error text shows the token: %v", err)
			}
		})
	}
}

func TestSignInErrorsAreClassified(t *testing.T) {
	t.Parallel()
	for status, bad := range map[int]bool{400: true, 401: true, 403: true, 404: false, 429: false, 500: false, 502: false} {
		_, base := newStub(t, reply(status, "application/json", `{"message": "nope"}`))
		_, err := must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base)))(t).Authenticate(context.Background(), "u", "p")
		if errors.Is(err, cloudspot.ErrBadCredentials) != bad {
			t.Errorf("status %d: errors.Is(err, ErrBadCredentials) = %v, want %v (err %v)", status, !bad, bad, err)
		}
	}
}

func TestSignInWithoutToken(t *testing.T) {
	t.Parallel()
	_, base := newStub(t, reply(200, "application/json", `{"permissions": []}`))
	_, err := must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base)))(t).Authenticate(context.Background(), "u", "p")
	if !errors.Is(err, cloudspot.ErrBadCredentials) {
		t.Errorf("err = %v, want ErrBadCredentials for a 200 without a token", err)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opt  cloudspot.Option
		ok   bool
	}{
		{"TestMode", cloudspot.WithTestMode(), true},
		{"HTTPS", cloudspot.WithBaseURL("https://erp.example.be/api/v1/"), true},
		{"ErrRelative", cloudspot.WithBaseURL("/api/v1"), false},
		{"ErrScheme", cloudspot.WithBaseURL("ftp://erp.example.be"), false},
		{"ErrCredentialsInURL", cloudspot.WithBaseURL("https://user:pw@erp.example.be"), false},
		{"ErrNilClient", cloudspot.WithHTTPClient(nil), false},
		{"ErrUserAgentNewline", cloudspot.WithUserAgent("a\r\nX-Evil: 1"), false},
	} {
		_, err := cloudspot.NewUserAPI("timeapp", tc.opt)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if _, err := cloudspot.NewUserAPI(" "); err == nil {
		t.Error("an empty app slug must be refused")
	}
}

func TestHTTPClientIsCopied(t *testing.T) {
	t.Parallel()
	_, base := newStub(t, reply(200, "application/json", `{"permissions": []}`))
	hc := &http.Client{Timeout: 7 * time.Second}
	api := must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base), cloudspot.WithHTTPClient(hc)))(t)
	hc.Timeout = time.Nanosecond // changing it afterwards must not affect the API
	if _, err := api.Permissions(context.Background(), "tok"); err != nil {
		t.Fatalf("the caller's later change leaked into the API: %v", err)
	}
}

func TestContextCancels(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base)))(t).User(ctx, "tok")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// The server is down twice (a 503 that asks to come back at once, then
	// a 502), then answers.
	flaky := func() http.HandlerFunc {
		var n atomic.Int64
		return func(w http.ResponseWriter, r *http.Request) {
			switch n.Add(1) {
			case 1:
				w.Header().Set("Retry-After", "0")
				reply(503, "application/json", `{"message": "The database is unavailable; try again shortly."}`)(w, r)
			case 2:
				w.Header().Set("Retry-After", "0")
				reply(502, "text/html", "<html><title>502</title></html>")(w, r)
			default:
				reply(200, "application/json", `{"permissions": [{"permission": "a_use"}], "token": "t"}`)(w, r)
			}
		}
	}
	t.Run("ReadsRecover", func(t *testing.T) {
		t.Parallel()
		st, base := newStub(t, flaky())
		api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithRetries(2)))(t)
		ps, err := api.Permissions(ctx, "tok")
		if err != nil || !ps.Has("a_use") || len(st.req) != 3 {
			t.Errorf("Permissions = %v, %v after %d requests; want success on the third", ps, err, len(st.req))
		}
	})
	t.Run("GivesUpAfterN", func(t *testing.T) {
		t.Parallel()
		st, base := newStub(t, flaky())
		api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithRetries(1)))(t)
		_, err := api.Permissions(ctx, "tok")
		var e *cloudspot.Error
		if !errors.As(err, &e) || e.StatusCode != 502 || len(st.req) != 2 {
			t.Errorf("err = %v after %d requests; want the 502 of the second", err, len(st.req))
		}
	})
	t.Run("NeverSignIn", func(t *testing.T) {
		t.Parallel()
		st, base := newStub(t, flaky())
		api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithRetries(5)))(t)
		if _, err := api.Authenticate(ctx, "u", "p"); err == nil || len(st.req) != 1 {
			t.Errorf("sign-in: err = %v after %d requests; want one request and its 503", err, len(st.req))
		}
	})
	t.Run("NotByDefault", func(t *testing.T) {
		t.Parallel()
		st, base := newStub(t, flaky())
		if _, err := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base)))(t).Permissions(ctx, "tok"); err == nil || len(st.req) != 1 {
			t.Errorf("err = %v after %d requests; want no retry without WithRetries", err, len(st.req))
		}
	})
	t.Run("ContextEndsTheWait", func(t *testing.T) {
		t.Parallel()
		_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "20")
			reply(503, "application/json", `{"message": "later"}`)(w, r)
		})
		ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithRetries(3)))(t)
		if _, err := api.User(ctx, "tok"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the context's deadline while waiting to retry", err)
		}
	})
	if _, err := cloudspot.NewUserAPI("a", cloudspot.WithRetries(11)); err == nil {
		t.Error("WithRetries(11) must be refused")
	}
}

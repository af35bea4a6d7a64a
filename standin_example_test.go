package cloudspot_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
)

// startStandIn starts a small stand-in for the ERP, so that the examples
// run as written and their output is checked. It knows one user (jan, with
// the password s3cret-password) of the app timeapp and two company tokens:
// tok-koffiehuis sees the products, tok-boekhouding the clients. It answers
// as the ERP's API does. Close it when done.
func startStandIn() *httptest.Server {
	const userToken, companyToken, clientsToken = "tok-jan", "tok-koffiehuis", "tok-boekhouding"
	answer := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/auth/signin-external-app/", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Username, Password string }
		json.NewDecoder(r.Body).Decode(&in)
		if in.Username != "jan" || in.Password != "s3cret-password" {
			answer(w, 401, `{"message": "Username or password not correct."}`)
			return
		}
		answer(w, 200, `{"token": "`+userToken+`", "permissions": [{"permission": "timeapp_use"}, {"permission": "timeapp_timetracking_create"}]}`)
	})
	user := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-ERP-TOKEN") != userToken {
				answer(w, 401, `{"message": "No valid token found."}`)
				return
			}
			answer(w, 200, body)
		}
	}
	mux.HandleFunc("GET /api/v1/auth/get-permissions/", user(`{"permissions": [{"permission": "timeapp_use"}, {"permission": "timeapp_timetracking_create"}]}`))
	mux.HandleFunc("GET /api/v1/auth/get-user/", user(`{"first_name": "Jan", "last_name": "Peeters", "email": "jan@example.be"}`))
	// cloudspot-server's sign-out; the stand-in keeps the token valid for
	// the other examples.
	mux.HandleFunc("POST /api/v1/auth/signout/", user(`{"message": "Signed out."}`))
	mux.HandleFunc("GET /api/v1/artikels/", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-ERP-TOKEN") != companyToken {
			answer(w, 401, `{"message": "No valid token found."}`)
			return
		}
		switch r.URL.Query().Get("id") {
		case "":
			answer(w, 200, `{"data": [{"naam": "Koffie", "verkoopprijs_incl": "2.50", "merk": "Huisbranderij", "categorie": "Warme dranken", `+
				`"categorieen": [{"id": 2, "naam": "Warme dranken"}, 5], "EAN": ["5410000000017"], `+
				`"fotos": [{"url": "https://cdn.example/koffie-zijkant.jpg", "is_hoofdfoto": false}, {"url": "https://cdn.example/koffie.jpg", "is_hoofdfoto": true}], `+
				`"prijscategorieen": [{"label": "Horeca", "korting": 10, "verkoopprijs_incl": "2.25"}]}, `+
				`{"naam": "Croissant", "verkoopprijs_incl": "1.80"}]}`)
		case "7":
			answer(w, 200, `{"data": [{"id": 7, "naam": "Koffie", "verkoopprijs_incl": "2.50"}]}`)
		default:
			answer(w, 404, `{"message": "Not found."}`)
		}
	})
	// The category tree (API version 0.6): GET /categories/, and one
	// category with its subtree by ?id=.
	categories := map[string]string{
		"":  `[{"id": 1, "naam": "Dranken", "children": [{"id": 2, "naam": "Warme dranken", "children": []}, {"id": 3, "naam": "Frisdranken", "children": []}]}, {"id": 4, "naam": "Bakkerij", "children": [{"id": 5, "naam": "Koffiekoeken", "children": []}]}]`,
		"1": `[{"id": 1, "naam": "Dranken", "children": [{"id": 2, "naam": "Warme dranken", "children": []}, {"id": 3, "naam": "Frisdranken", "children": []}]}]`,
		"4": `[{"id": 4, "naam": "Bakkerij", "children": [{"id": 5, "naam": "Koffiekoeken", "children": []}]}]`,
	}
	mux.HandleFunc("GET /api/v1/categories/", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-ERP-TOKEN") != companyToken {
			answer(w, 401, `{"message": "No valid token found."}`)
			return
		}
		tree, ok := categories[r.URL.Query().Get("id")]
		if !ok {
			answer(w, 404, `{"message": "Category not found."}`)
			return
		}
		answer(w, 200, `{"data": `+tree+`}`)
	})
	mux.HandleFunc("GET /api/v1/klanten/", func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("X-ERP-TOKEN") {
		case clientsToken:
			answer(w, 200, `{"data": [
				{"klantennummer": 1001, "voornaam": "Lotte", "achternaam": "Janssens", "land": "BE", "geboortedatum": "1990-04-12", "is_bedrijf": false},
				{"klantennummer": 1002, "bedrijfsnaam": "Bakkerij Peeters BV", "land": "BE", "is_bedrijf": true, "BTW_nummer": "BE0123456749"}]}`)
		case companyToken:
			answer(w, 403, `{"message": "This token has no right to see clients."}`)
		default:
			answer(w, 401, `{"message": "No valid token found."}`)
		}
	})
	return httptest.NewServer(mux)
}

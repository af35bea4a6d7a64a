package erp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestCompanyTokenRights: each read needs its right; a revoked, unknown or
// user token reads nothing.
func TestCompanyTokenRights(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		acme := erptest.Must(w.store.CompanyBySlug(ctx, "acme"))(t)
		productID := erptest.Must(w.store.Artikels(ctx, acme.ID))(t)[0].ID
		revoked, tok, err := w.svc.IssueCompanyToken(ctx, "acme", "to revoke", erp.Rights{Artikels: true, Klanten: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RevokeCompanyToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		user := w.signIn(t, "timeapp", "an").Token

		reads := []struct {
			name string
			read func(token string) error
		}{
			{"products", func(tk string) error { _, err := w.svc.ArtikelsForToken(ctx, tk); return err }},
			{"product by id", func(tk string) error { _, err := w.svc.ArtikelForToken(ctx, tk, productID); return err }},
			{"product stream", func(tk string) error { return streamAll(w.svc.ArtikelsListForToken(ctx, tk, "")) }},
			{"product stream by id", func(tk string) error {
				return w.svc.StreamArtikelForToken(ctx, tk, "", productID, func([]byte) error { return nil })
			}},
			{"categories", func(tk string) error { _, err := w.svc.CategorieenForToken(ctx, tk); return err }},
			{"clients", func(tk string) error { _, err := w.svc.KlantenForToken(ctx, tk); return err }},
			{"client stream", func(tk string) error { return streamAll(w.svc.KlantenListForToken(ctx, tk)) }},
		}
		const ok, forbidden, refused = "", erp.EForbidden, erp.EUnauthorized
		for _, tc := range []struct {
			name, token string
			want        []string // per read, in the order of reads
		}{
			{"both rights", w.acmeAll, []string{ok, ok, ok, ok, ok, ok, ok}},
			{"products only", w.acmeProducts, []string{ok, ok, ok, ok, ok, forbidden, forbidden}},
			{"clients only", w.acmeClients, []string{forbidden, forbidden, forbidden, forbidden, forbidden, ok, ok}},
			{"revoked", revoked, slices.Repeat([]string{refused}, 7)},
			{"unknown", "NotATokenNotATokenNotATokenNotATokenNotAToken00", slices.Repeat([]string{refused}, 7)},
			{"empty", "", slices.Repeat([]string{refused}, 7)},
			{"a user token", user, slices.Repeat([]string{refused}, 7)},
		} {
			for i, r := range reads {
				wantCode(t, tc.name+" token, "+r.name, r.read(tc.token), tc.want[i], "")
			}
		}
		// Revoking one token leaves the company's others working.
		if _, err := w.svc.ArtikelsForToken(ctx, w.acmeProducts); err != nil {
			t.Errorf("another token of the company after a revocation: %v", err)
		}
		_, err = w.svc.RegisterCompanyToken(ctx, "acme", "no rights", erp.NewToken(), erp.Rights{})
		wantCode(t, "a token without rights", err, erp.EInvalid, "")
		_, err = w.svc.RegisterCompanyToken(ctx, "acme", "short", "too-short-a-secret", erp.Rights{Artikels: true})
		wantCode(t, "a token with a short secret", err, erp.EInvalid, "")
	})
}

// TestCompanyIsolation: a company token reads its own company's products
// and clients and nothing of another's, by list, by stream or by id.
func TestCompanyIsolation(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		for _, tc := range []struct {
			company, token string
			skus           []string
			names          []string // achternaam of each client
		}{
			{"acme", w.acmeAll, []string{"ACME-1", "ACME-2"}, []string{"Acme"}},
			{"globex", w.globexAll, []string{"GLOBEX-1"}, []string{"Globex", "Globex"}},
		} {
			as := erptest.Must(w.svc.ArtikelsForToken(ctx, tc.token))(t)
			var skus []string
			for _, a := range as {
				skus = append(skus, a.SKU)
			}
			if !slices.Equal(skus, tc.skus) {
				t.Errorf("%s: products %v, want %v", tc.company, skus, tc.skus)
			}
			for _, v := range []erp.APIVersion{"", erp.APIVersion05, erp.APIVersion06} {
				l, err := w.svc.ArtikelsListForToken(ctx, tc.token, v)
				if got := streamed(t, l, err, "SKU"); !slices.Equal(got, tc.skus) {
					t.Errorf("%s: streamed products in %q %v, want %v", tc.company, v, got, tc.skus)
				}
			}
			ks := erptest.Must(w.svc.KlantenForToken(ctx, tc.token))(t)
			var names []string
			for _, k := range ks {
				names = append(names, k.Achternaam)
			}
			if !slices.Equal(names, tc.names) {
				t.Errorf("%s: clients %v, want %v", tc.company, names, tc.names)
			}
			l, err := w.svc.KlantenListForToken(ctx, tc.token)
			if got := streamed(t, l, err, "achternaam"); !slices.Equal(got, tc.names) {
				t.Errorf("%s: streamed clients %v, want %v", tc.company, got, tc.names)
			}
		}
		// By id: the other company's product does not exist for this token.
		globex := erptest.Must(w.store.CompanyBySlug(ctx, "globex"))(t)
		theirs := erptest.Must(w.store.Artikels(ctx, globex.ID))(t)[0].ID
		_, err := w.svc.ArtikelForToken(ctx, w.acmeAll, theirs)
		wantCode(t, "acme's token, globex's product by id", err, erp.ENotFound, "Product not found.")
		a, err := w.svc.ArtikelForToken(ctx, w.globexAll, theirs)
		if err != nil || a.SKU != "GLOBEX-1" || a.ID != theirs {
			t.Errorf("globex's token, its own product by id: %+v, %v", a, err)
		}
	})
}

// streamed collects one key's text of each row of a list that a token
// check settled.
func streamed(t *testing.T, l *erp.List, err error, key string) []string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	err = l.Stream(context.Background(), func(int64) error { return nil }, func(row []byte) error {
		var rec map[string]any
		if err := json.Unmarshal(row, &rec); err != nil {
			return err
		}
		out = append(out, fmt.Sprint(rec[key]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCompanyTokenAPIVersion: the version a company token's calls get when
// they ask for none is the administrator's setting, a request's own wins,
// and a new setting reaches a token already checked (and kept in memory).
func TestCompanyTokenAPIVersion(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		// The body a token's list is sent in, and the keys of its rows.
		version := func(token string, asked erp.APIVersion) (erp.ListBody, int) {
			t.Helper()
			l, err := w.svc.ArtikelsListForToken(ctx, token, asked)
			if err != nil {
				t.Fatal(err)
			}
			keys := 0
			err = l.Stream(ctx, func(int64) error { return nil }, func(row []byte) error {
				var rec map[string]json.RawMessage
				err := json.Unmarshal(row, &rec)
				keys = len(rec)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return l.Body, keys
		}
		protocol, detailed := len(wirekeys.Artikel()), len(wirekeys.ArtikelTable())
		if b, n := version(w.acmeProducts, ""); b != erp.ArtikelsBody || n != protocol {
			t.Errorf("a new token answers in body %d with %d keys, want the protocol's and %d", b, n, protocol)
		}
		tokens := erptest.Must(w.svc.CompanyTokens(ctx, "acme"))(t)
		id := tokens[1].ID // acmeProducts
		if err := w.svc.SetCompanyTokenAPIVersion(ctx, id, erp.APIVersion06); err != nil {
			t.Fatal(err)
		}
		if b, n := version(w.acmeProducts, ""); b != erp.DetailedArtikelsBody || n != detailed {
			t.Errorf("after setting 0.6: body %d with %d keys, want 0.6's and %d", b, n, detailed)
		}
		if b, n := version(w.acmeProducts, erp.APIVersion05); b != erp.ArtikelsBody || n != protocol {
			t.Errorf("asking for 0.5: body %d with %d keys, want the protocol's and %d", b, n, protocol)
		}
		if b, _ := version(w.acmeAll, ""); b != erp.ArtikelsBody {
			t.Errorf("the company's other token answers in body %d, want the protocol's", b)
		}
		wantCode(t, "no version", w.svc.SetCompanyTokenAPIVersion(ctx, id, ""), erp.EInvalid, "")
		wantCode(t, "an unknown version", w.svc.SetCompanyTokenAPIVersion(ctx, id, "0.9"), erp.EInvalid, "")
		wantCode(t, "a missing token", w.svc.SetCompanyTokenAPIVersion(ctx, id+100, erp.APIVersion05), erp.ENotFound,
			fmt.Sprintf("company token %d does not exist", id+100))
		audit := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditCompanyTokenAPIVersion}))(t)
		if want := fmt.Sprintf("token %d %q: API version 0.6", id, tokens[1].Name); len(audit) != 1 || audit[0].Detail != want {
			t.Errorf("audit %+v, want one entry %q", audit, want)
		}
	})
}

// streamAll reads a list that a token check settled, or returns the
// check's error.
func streamAll(l *erp.List, err error) error {
	if err != nil {
		return err
	}
	return l.Stream(context.Background(), func(int64) error { return nil }, func([]byte) error { return nil })
}

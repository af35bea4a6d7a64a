package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/sqlite"
)

var rightsAll = erp.Rights{Artikels: true, Klanten: true}

// openForTest opens a second handle on a SQLite file the binary wrote.
func openForTest(t *testing.T, path string) erp.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// writeFile writes an input file for a command, failing the test if it
// cannot: a command run on a missing file would fail for the wrong reason.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// companyGet is a GET of url with a company token and, when version is
// given, the version header.
func companyGet(t *testing.T, url, token, version string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-ERP-TOKEN", token)
	if version != "" {
		req.Header.Set("X-Cloudspot-API-Version", version)
	}
	return req
}

// getBody GETs url with a company token and, when version is given, the
// version header, and returns the 200 answer's body.
func getBody(t *testing.T, url, token, version string) []byte {
	t.Helper()
	resp, err := http.DefaultClient.Do(companyGet(t, url, token, version))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s %v", url, resp.StatusCode, b, err)
	}
	return b
}

// getJSON GETs url with a company token and, when version is given, the
// version header; the answer must be 200 with a JSON object.
func getJSON(t *testing.T, url, token, version string) map[string]any {
	t.Helper()
	return answerOf(t, companyGet(t, url, token, version))
}

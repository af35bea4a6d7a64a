package erpauth

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext: whatever safeNext accepts stays on the app's host however a
// browser reads it: with backslashes as slashes, tabs and line breaks
// dropped, and with its percent-encoding undone once more by a server in
// front.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/tt?week=12", "//evil.example", "/\\evil.example", "/%2F%2Fevil.example", "/%5Cevil.example",
		"/\t/evil.example", "https://evil.example", "/a/../..//evil.example", "/.//evil.example", "/%252F%252Fevil", "/%E2%80%8B/x"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://app.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		got, ok := safeNext(next)
		if !ok {
			return
		}
		if got != next {
			t.Fatalf("safeNext(%q) = %q, want it unchanged", next, got)
		}
		for _, read := range []string{
			next,
			strings.NewReplacer("\\", "/", "\t", "", "\n", "", "\r", "").Replace(next),
			unescaped(next),
		} {
			u, err := url.Parse(read)
			if err != nil {
				continue
			}
			if r := base.ResolveReference(u); r.Host != "app.example" || r.Scheme != "https" {
				t.Fatalf("safeNext accepted %q, which a browser may read as %q", next, r)
			}
		}
	})
}

func unescaped(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

package erp

import (
	"regexp"
	"strings"
	"testing"
)

// TestTokenFormat: a new token is its kind's prefix, 48 random letters and
// digits and a checksum; only letters, digits and "_", so that it is safe in
// a header, a URL and a shell; and no two are alike.
func TestTokenFormat(t *testing.T) {
	t.Parallel()
	shape := regexp.MustCompile(`^cs[uc]_[A-Za-z0-9]{54}$`)
	seen := map[string]bool{}
	for range 1000 {
		for _, tc := range []struct{ tok, prefix string }{{NewUserToken(), UserTokenPrefix}, {NewCompanyToken(), CompanyTokenPrefix}} {
			if !shape.MatchString(tc.tok) || !strings.HasPrefix(tc.tok, tc.prefix) {
				t.Fatalf("token %q: want %s, 48 letters and digits, a 6-character checksum", tc.tok, tc.prefix)
			}
			if !plausibleToken(tc.tok, tc.prefix) {
				t.Fatalf("a fresh token %q fails its own check", tc.tok)
			}
			if seen[tc.tok] {
				t.Fatalf("token %q issued twice", tc.tok)
			}
			seen[tc.tok] = true
		}
	}
}

// TestTokenChecksum: every single-character typo, a truncation, an extra
// character and the other kind's prefix are caught before any lookup;
// tokens without a prefix (older ones, the demo's) pass on to the lookup.
func TestTokenChecksum(t *testing.T) {
	t.Parallel()
	tok := NewUserToken()
	for i := len(UserTokenPrefix); i < len(tok); i++ {
		for _, c := range []byte(tokenAlphabet) {
			if c == tok[i] {
				continue
			}
			typo := tok[:i] + string(c) + tok[i+1:]
			if plausibleToken(typo, UserTokenPrefix) {
				t.Fatalf("the typo %q (position %d) passes the checksum", typo, i)
			}
		}
	}
	for name, bad := range map[string]string{
		"truncated":       tok[:len(tok)-1],
		"extended":        tok + "A",
		"the other kind":  CompanyTokenPrefix + strings.TrimPrefix(tok, UserTokenPrefix),
		"prefix only":     UserTokenPrefix,
		"company as user": NewCompanyToken(),
	} {
		if plausibleToken(bad, UserTokenPrefix) {
			t.Errorf("%s: %q passes", name, bad)
		}
	}
	for _, legacy := range []string{NewToken(), "DemoCompanyTokenForLocalUseOnly0000000000000000"} {
		if !plausibleToken(legacy, UserTokenPrefix) || !plausibleToken(legacy, CompanyTokenPrefix) {
			t.Errorf("a token without a prefix %q is refused before its lookup", legacy)
		}
	}
}

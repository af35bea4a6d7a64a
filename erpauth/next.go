package erpauth

import (
	"net/url"
	"strings"
)

// maxNext bounds the page a sign-in returns to.
const maxNext = 2048

// safeNext returns next if it is a path of this app to land on after a
// sign-in, and false for anything a browser could take to another site:
// an absolute URL, "//host" and "/\host" (both mean another host to a
// browser), those forms percent-encoded, control characters and white
// space (which browsers drop, so "/\t/host" is "//host"), a backslash
// anywhere (some browsers read it as a slash).
func safeNext(next string) (string, bool) {
	if next == "" || len(next) > maxNext || next[0] != '/' {
		return "", false
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c <= ' ' || c == 0x7f || c == '\\' {
			return "", false
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	// The path once decoded, as a server or framework in front of the app
	// might decode it before redirecting: "/%2F%2Fhost" and "/%5Chost"
	// are refused like "//host" and "/\host".
	for p := next; ; {
		if strings.HasPrefix(p, "//") || strings.ContainsFunc(p, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\\' }) {
			return "", false
		}
		d, err := url.PathUnescape(p)
		if err != nil {
			return "", false
		}
		if d == p {
			break
		}
		p = d
	}
	return next, true
}

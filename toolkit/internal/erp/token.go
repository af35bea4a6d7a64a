package erp

import (
	"crypto/rand"
	"crypto/sha256"
	"hash/crc32"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/internal/tokenkind"
)

const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// tokenLen letters and digits carry 48·log2(62) ≈ 285 bits, above the 256
// we require, and look like the ERP's own tokens (about 50 characters).
const tokenLen = 48

// Token prefixes name a token's kind (see package tokenkind), so that
// secret scanners (and people) recognise a leaked one, and a token sent to
// the wrong kind of call is refused without a lookup.
const (
	UserTokenPrefix    = tokenkind.UserPrefix
	CompanyTokenPrefix = tokenkind.CompanyPrefix
)

// checksumLen is the length of a token's checksum: a CRC-32 of the prefix
// and random part in base 62, which catches a mistyped or truncated token
// before any database lookup.
const checksumLen = 6

// NewToken returns a fresh random string of tokenLen letters and digits.
func NewToken() string {
	b := make([]byte, 0, tokenLen)
	var buf [64]byte
	for len(b) < tokenLen {
		if _, err := rand.Read(buf[:]); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		for _, c := range buf {
			// 248 = 4·62: rejecting larger bytes keeps the choice uniform.
			if c < 248 && len(b) < tokenLen {
				b = append(b, tokenAlphabet[c%62])
			}
		}
	}
	return string(b)
}

// NewUserToken returns a fresh user token: "csu_", 48 random letters and
// digits, and a 6-character checksum.
func NewUserToken() string { return newPrefixed(UserTokenPrefix) }

// NewCompanyToken returns a fresh company token: "csc_", 48 random letters
// and digits, and a 6-character checksum.
func NewCompanyToken() string { return newPrefixed(CompanyTokenPrefix) }

func newPrefixed(prefix string) string {
	body := prefix + NewToken()
	return body + checksum(body)
}

// checksum is the base-62 CRC-32 of body, left-padded to checksumLen.
func checksum(body string) string {
	n := crc32.ChecksumIEEE([]byte(body))
	var out [checksumLen]byte
	for i := checksumLen - 1; i >= 0; i-- {
		out[i] = tokenAlphabet[n%62]
		n /= 62
	}
	return string(out[:])
}

// plausibleToken reports whether token may be a token of the kind prefix
// names, before it is looked up. A token with the other kind's prefix, or
// with a prefix and a wrong checksum or length, is not; a token without a
// prefix may be, since operators register tokens of their own choosing
// (such as the demo's) and a database may hold tokens issued without one.
func plausibleToken(token, prefix string) bool {
	for _, p := range []string{UserTokenPrefix, CompanyTokenPrefix} {
		body, ok := strings.CutPrefix(token, p)
		if !ok {
			continue
		}
		if p != prefix || len(body) != tokenLen+checksumLen {
			return false
		}
		n := len(token) - checksumLen
		return checksum(token[:n]) == token[n:]
	}
	return true
}

// HashToken is how tokens are stored and looked up. Tokens are random and
// long, so a fast hash is safe: there is nothing to guess by brute force.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

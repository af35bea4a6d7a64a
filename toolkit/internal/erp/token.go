package erp

import (
	"crypto/rand"
	"crypto/sha256"
)

const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// tokenLen letters and digits carry 48·log2(62) ≈ 285 bits, above the 256
// we require, and look like the ERP's own tokens (about 50 characters).
const tokenLen = 48

// NewToken returns a fresh random token of letters and digits.
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

// HashToken is how tokens are stored and looked up. Tokens are random and
// long, so a fast hash is safe: there is nothing to guess by brute force.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

package erpauth

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
)

// MinKeySize is the shortest key Config.Keys and NewCookieStore accept:
// 32 bytes, read from a good random source (openssl rand -base64 32).
const MinKeySize = 32

// checkKeys refuses an empty list and any key shorter than MinKeySize.
func checkKeys(keys [][]byte) error {
	if len(keys) == 0 {
		return errors.New("erpauth: no key")
	}
	for i, k := range keys {
		if len(k) < MinKeySize {
			return fmt.Errorf("erpauth: key %d has %d bytes; want at least %d random bytes", i+1, len(k), MinKeySize)
		}
	}
	return nil
}

// deriveKeys turns each key into one of 32 bytes for purpose, so that the
// same secret signs forms and seals sessions without one use weakening
// the other.
func deriveKeys(keys [][]byte, purpose string) [][]byte {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		d, err := hkdf.Key(sha256.New, k, nil, "erpauth "+purpose, 32)
		if err != nil {
			panic(err) // only for a length HKDF cannot give; 32 it always can
		}
		out[i] = d
	}
	return out
}

// signer signs with the first of its keys and accepts a signature by any.
type signer [][]byte

func (s signer) sign(msg string) []byte {
	return mac(s[0], msg)
}

func (s signer) verify(msg string, sig []byte) bool {
	ok := false
	for _, k := range s {
		// Every key is tried, so the time taken does not tell which one
		// matched.
		if hmac.Equal(mac(k, msg), sig) {
			ok = true
		}
	}
	return ok
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

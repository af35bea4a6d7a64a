package erp

import (
	"strings"
	"testing"
)

var cheap = Argon2Params{Memory: 64, Time: 1, Threads: 1}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse", DefaultArgon2())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "correct horse") {
		t.Errorf("hash %q: want a PHC argon2id string without the password", h)
	}
	if !VerifyPassword(h, "correct horse") {
		t.Error("the right password does not verify")
	}
	for _, wrong := range []string{"", "correct horsE", "correct horse ", "correct"} {
		if VerifyPassword(h, wrong) {
			t.Errorf("%q verifies", wrong)
		}
	}
	h2, _ := HashPassword("correct horse", DefaultArgon2())
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestPasswordHashKeepsItsParameters(t *testing.T) {
	t.Parallel()
	// A hash made with other costs keeps verifying after the defaults change.
	h, _ := HashPassword("pw-12345", cheap)
	if !VerifyPassword(h, "pw-12345") {
		t.Error("hash with its own parameters does not verify")
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	good, _ := HashPassword("pw-12345", cheap)
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"Empty":      "",
		"Bcrypt":     "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		"Argon2i":    strings.Replace(good, "argon2id", "argon2i", 1),
		"Version":    strings.Replace(good, "v=19", "v=16", 1),
		"HugeMemory": strings.Join([]string{"", parts[1], parts[2], "m=99999999,t=1,p=1", parts[4], parts[5]}, "$"),
		"ZeroTime":   strings.Join([]string{"", parts[1], parts[2], "m=64,t=0,p=1", parts[4], parts[5]}, "$"),
		"BadSalt":    strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"NoKey":      strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], ""}, "$"),
	} {
		if VerifyPassword(h, "pw-12345") {
			t.Errorf("%s: malformed hash verifies", name)
		}
	}
}

func TestNewToken(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 2000 {
		tok := NewToken()
		if len(tok) != tokenLen || strings.Trim(tok, tokenAlphabet) != "" {
			t.Fatalf("token %q: want %d letters and digits", tok, tokenLen)
		}
		if seen[tok] {
			t.Fatal("token repeated")
		}
		seen[tok] = true
		for _, c := range tok {
			counts[c]++
		}
	}
	// Every symbol of the alphabet turns up: nothing is stuck.
	if len(counts) != len(tokenAlphabet) {
		t.Errorf("%d distinct symbols in 96000, want %d", len(counts), len(tokenAlphabet))
	}
	if string(HashToken("a")) == string(HashToken("b")) || len(HashToken("a")) != 32 {
		t.Error("HashToken: want distinct 32-byte hashes")
	}
}

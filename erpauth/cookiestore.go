package erpauth

import (
	"container/heap"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"time"
)

// DefaultMaxEnded is how many ended sessions a CookieStore remembers
// unless told otherwise: about 16 MB when full.
const DefaultMaxEnded = 100_000

// maxCookie is the longest cookie value a CookieStore writes: browsers
// keep cookies of up to 4096 bytes, name and attributes included.
const maxCookie = 3800

// CookieStore keeps each session in its own cookie, sealed with AES-256-GCM:
// the browser holds it but can neither read it (the ERP token included)
// nor change it. Nothing is kept on the server but the ids of the sessions
// that ended (logout, a token the ERP refused) before their Expires, so
// that a copy of an ended session's cookie is refused; at most its maximum
// of them (see NewCookieStore).
//
// What a copied cookie can do: until its session ends it is the session,
// like any session cookie. What it cannot: be read or changed, outlive its
// session's MaxAge, or come back after a logout on this process. The list
// of ended sessions lives in this process: after a restart, or on another
// process of the same app, a copy of a logged-out session's cookie works
// again until the ERP refuses its token at the next Recheck or its MaxAge
// passes. Where that matters, use a shared server-side Store.
//
// It judges expiry by the Auth's clock (Config.Now). It is safe for
// concurrent use.
type CookieStore struct {
	seal []cipher.AEAD // the first seals, any opens

	mu  sync.Mutex
	now func() time.Time
	// ended holds the ids of deleted sessions until their Expires, in a
	// heap by Created; notBefore refuses every session created at or
	// before it, which is how an ended id pushed out of a full list stays
	// ended.
	ended     endedHeap
	byID      map[string]bool
	max       int
	notBefore time.Time
}

// NewCookieStore returns a CookieStore that seals sessions with the first
// key and opens them with any (so keys rotate as Config.Keys do: give it
// the same list). Each key needs MinKeySize bytes. It remembers at most
// maxEnded ended sessions (0 or less means DefaultMaxEnded); when more end
// before they expire, the oldest is forgotten and every session created
// before it ends too: a full list logs users out, it never lets a copied
// cookie back in.
func NewCookieStore(maxEnded int, keys ...[]byte) (*CookieStore, error) {
	if err := checkKeys(keys); err != nil {
		return nil, err
	}
	if maxEnded <= 0 {
		maxEnded = DefaultMaxEnded
	}
	st := &CookieStore{now: time.Now, byID: map[string]bool{}, max: maxEnded}
	for _, k := range deriveKeys(keys, "session seal") {
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		st.seal = append(st.seal, aead)
	}
	return st, nil
}

func (c *CookieStore) setClock(now func() time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
}

// sealedVersion is the first byte of a sealed session, so that another
// format can follow.
const sealedVersion = 1

// additionalData binds a sealed value to its use.
var additionalData = []byte("erpauth session")

// Create seals s into the cookie's value.
func (c *CookieStore) Create(_ context.Context, s *Session) (string, error) {
	return c.sealSession(s)
}

// Update seals s again, unless the session ended or expired.
func (c *CookieStore) Update(_ context.Context, s *Session) (string, error) {
	if !c.alive(s) {
		return "", ErrNoSession
	}
	return c.sealSession(s)
}

// Load opens a cookie's value; anything that was not sealed by one of the
// keys, or whose session ended or expired, is ErrNoSession.
func (c *CookieStore) Load(_ context.Context, cookie string) (*Session, error) {
	if len(cookie) > maxCookie {
		return nil, ErrNoSession
	}
	// Strict: one session has one cookie, not several that differ in the
	// unused bits of the last character.
	b, err := base64.RawURLEncoding.Strict().DecodeString(cookie)
	if err != nil || len(b) < 1 || b[0] != sealedVersion {
		return nil, ErrNoSession
	}
	for _, aead := range c.seal {
		n := aead.NonceSize()
		if len(b) < 1+n {
			return nil, ErrNoSession
		}
		plain, err := aead.Open(nil, b[1:1+n], b[1+n:], additionalData)
		if err != nil {
			continue
		}
		s := new(Session)
		if s.UnmarshalBinary(plain) != nil || !c.alive(s) {
			return nil, ErrNoSession
		}
		return s, nil
	}
	return nil, ErrNoSession
}

// Delete puts the session's id on the list of ended sessions until its
// Expires.
func (c *CookieStore) Delete(_ context.Context, s *Session) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.prune(now)
	if c.byID[s.ID] || !now.Before(s.Expires) || !s.Created.After(c.notBefore) {
		return nil // already refused
	}
	for len(c.ended) >= c.max {
		oldest := heap.Pop(&c.ended).(ended)
		delete(c.byID, oldest.id)
		if oldest.created.After(c.notBefore) {
			c.notBefore = oldest.created
		}
	}
	heap.Push(&c.ended, ended{id: s.ID, created: s.Created, expires: s.Expires})
	c.byID[s.ID] = true
	return nil
}

// alive reports whether s has neither ended nor expired.
func (c *CookieStore) alive(s *Session) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now().Before(s.Expires) && !c.byID[s.ID] && s.Created.After(c.notBefore)
}

// prune forgets ended sessions whose Expires has passed: no cookie of
// theirs opens any more. The heap is by Created, and Expires is Created
// plus the same MaxAge, so the expired ones come first. The caller holds
// c.mu.
func (c *CookieStore) prune(now time.Time) {
	for len(c.ended) > 0 && !now.Before(c.ended[0].expires) {
		e := heap.Pop(&c.ended).(ended)
		delete(c.byID, e.id)
	}
}

func (c *CookieStore) sealSession(s *Session) (string, error) {
	plain, err := s.MarshalBinary()
	if err != nil {
		return "", err
	}
	aead := c.seal[0]
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = sealedVersion
	rand.Read(out[1:]) // a random nonce: 2^32 seals per key stay far from a collision
	out = aead.Seal(out, out[1:], plain, additionalData)
	v := base64.RawURLEncoding.EncodeToString(out)
	if len(v) > maxCookie {
		return "", fmt.Errorf("erpauth: the session of %s needs a cookie of %d bytes, more than browsers keep: use a server-side Store", s.User.Username, len(v))
	}
	return v, nil
}

// ended is an ended session that a copy of its cookie could still name.
type ended struct {
	id               string
	created, expires time.Time
}

// endedHeap orders ended sessions by Created, the oldest first.
type endedHeap []ended

func (h endedHeap) Len() int           { return len(h) }
func (h endedHeap) Less(i, j int) bool { return h[i].created.Before(h[j].created) }
func (h endedHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *endedHeap) Push(x any)        { *h = append(*h, x.(ended)) }
func (h *endedHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

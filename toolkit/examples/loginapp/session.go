package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"
)

// A session is one signed-in browser. The ERP token stays here on the
// server: the browser only holds the session id, which means nothing to the
// ERP and can be thrown away by logging out.
type session struct {
	Username string
	Name     string // the user's full name, from the ERP at sign-in
	Token    string // the ERP user token; never sent to the browser in a cookie
	CSRF     string // the token every form of this session must carry
	Created  time.Time
	LastSeen time.Time
}

// sessionStore keeps sessions in memory, keyed by a hash of their id so that
// the ids themselves are not kept. Sessions end after idle time without a
// request or at maxAge, whichever comes first. Restarting the app ends all
// sessions; an app with several instances would keep them in a shared store
// instead. sessionStore is safe for concurrent use.
type sessionStore struct {
	mu     sync.Mutex
	byID   map[[sha256.Size]byte]*session
	idle   time.Duration
	maxAge time.Duration
	now    func() time.Time
}

func newSessionStore(idle, maxAge time.Duration, now func() time.Time) *sessionStore {
	return &sessionStore{byID: map[[sha256.Size]byte]*session{}, idle: idle, maxAge: maxAge, now: now}
}

// create stores a new session for a signed-in user and returns its id, a
// fresh random value (so an id planted before sign-in is never promoted).
func (st *sessionStore) create(username, name, token string) (id string) {
	id = randomToken()
	now := st.now()
	s := &session{Username: username, Name: name, Token: token, CSRF: randomToken(), Created: now, LastSeen: now}
	st.mu.Lock()
	defer st.mu.Unlock()
	for k, old := range st.byID {
		if st.expired(old, now) {
			delete(st.byID, k)
		}
	}
	st.byID[sha256.Sum256([]byte(id))] = s
	return id
}

// get returns a copy of the live session with this id and marks it as
// used; ok is false for an unknown or expired id.
func (st *sessionStore) get(id string) (s session, ok bool) {
	if id == "" {
		return session{}, false
	}
	key := sha256.Sum256([]byte(id))
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	p, ok := st.byID[key]
	if !ok {
		return session{}, false
	}
	if st.expired(p, now) {
		delete(st.byID, key)
		return session{}, false
	}
	p.LastSeen = now
	return *p, true
}

// delete ends the session with this id, if there is one.
func (st *sessionStore) delete(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.byID, sha256.Sum256([]byte(id)))
}

// len is the number of sessions held, live or not yet swept.
func (st *sessionStore) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.byID)
}

func (st *sessionStore) expired(s *session, now time.Time) bool {
	return now.Sub(s.LastSeen) > st.idle || now.Sub(s.Created) > st.maxAge
}

// randomToken returns 256 random bits, URL-safe base64 encoded.
func randomToken() string {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

package erpauth

import (
	"container/list"
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// DefaultMaxSessions is how many sessions a MemoryStore holds unless told
// otherwise. A session takes about 700 bytes with a few permissions and
// 5.5 KB with a hundred, so a full store holds 70 to 550 MB. Only a
// sign-in the ERP accepted adds one.
const DefaultMaxSessions = 100_000

// MemoryStore keeps sessions in this process's memory, the default Store:
// the cookie holds only the session's random id, and the ERP token never
// leaves the server. It holds at most its maximum of sessions; a new one
// beyond it pushes out the one used longest ago. Sessions end when the
// process does; an app served by several processes needs a shared Store.
// It judges expiry by the Auth's clock (Config.Now). It is safe for
// concurrent use.
type MemoryStore struct {
	mu  sync.Mutex
	max int
	now func() time.Time
	// byKey finds a session by the SHA-256 of its id: the ids themselves,
	// which are what a cookie holds, are not kept. lru orders the sessions
	// by use, the latest first.
	byKey map[[sha256.Size]byte]*list.Element
	lru   *list.List // of *memoryEntry
}

// memoryEntry is a stored session, its ID left empty.
type memoryEntry struct {
	key [sha256.Size]byte
	s   *Session
}

// keep returns what the store keeps of s: a copy without its id.
func keep(s *Session) *Session {
	c := s.clone()
	c.ID = ""
	return c
}

// NewMemoryStore returns an empty MemoryStore that holds at most max
// sessions; 0 or less means DefaultMaxSessions.
func NewMemoryStore(max int) *MemoryStore {
	if max <= 0 {
		max = DefaultMaxSessions
	}
	return &MemoryStore{max: max, now: time.Now, byKey: map[[sha256.Size]byte]*list.Element{}, lru: list.New()}
}

func (m *MemoryStore) setClock(now func() time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = now
}

// Create stores s; its cookie is s.ID.
func (m *MemoryStore) Create(_ context.Context, s *Session) (string, error) {
	key := sha256.Sum256([]byte(s.ID))
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.byKey[key]; ok {
		m.lru.Remove(e)
	}
	for m.lru.Len() >= m.max {
		oldest := m.lru.Back()
		delete(m.byKey, oldest.Value.(*memoryEntry).key)
		m.lru.Remove(oldest)
	}
	m.byKey[key] = m.lru.PushFront(&memoryEntry{key: key, s: keep(s)})
	return s.ID, nil
}

// Update replaces the stored session with s's id, if it is still there.
func (m *MemoryStore) Update(_ context.Context, s *Session) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(sha256.Sum256([]byte(s.ID)))
	if !ok {
		return "", ErrNoSession
	}
	e.Value.(*memoryEntry).s = keep(s)
	m.lru.MoveToFront(e)
	return s.ID, nil
}

// Load returns a copy of the live session whose id is cookie.
func (m *MemoryStore) Load(_ context.Context, cookie string) (*Session, error) {
	if len(cookie) != 43 { // what randomID makes; anything else is no id of ours
		return nil, ErrNoSession
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(sha256.Sum256([]byte(cookie)))
	if !ok {
		return nil, ErrNoSession
	}
	m.lru.MoveToFront(e)
	s := e.Value.(*memoryEntry).s.clone()
	s.ID = cookie
	return s, nil
}

// Delete forgets the session.
func (m *MemoryStore) Delete(_ context.Context, s *Session) error {
	key := sha256.Sum256([]byte(s.ID))
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.byKey[key]; ok {
		m.lru.Remove(e)
		delete(m.byKey, key)
	}
	return nil
}

// Len is the number of sessions held.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lru.Len()
}

// live finds a session that has not expired, forgetting it if it has.
// The caller holds m.mu.
func (m *MemoryStore) live(key [sha256.Size]byte) (*list.Element, bool) {
	e, ok := m.byKey[key]
	if !ok {
		return nil, false
	}
	if !m.now().Before(e.Value.(*memoryEntry).s.Expires) {
		m.lru.Remove(e)
		delete(m.byKey, key)
		return nil, false
	}
	return e, true
}

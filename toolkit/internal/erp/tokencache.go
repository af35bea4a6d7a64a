package erp

import (
	"context"
	"crypto/sha256"
	"sync"
	"sync/atomic"
	"time"
)

// Token checks are the server's most frequent calls, and what they read
// changes rarely: a tokenCache keeps, per token hash, what a check needs, so
// that a check costs one shared read of Store.TokenChanges instead of four
// queries. Whatever moves that number (a revocation, a deactivated user, a
// changed grant, in this process or another) empties the cache before the
// next check, so a change takes effect at once everywhere.

// maxCachedTokens bounds each of the cache's maps: about 300 bytes an entry.
const maxCachedTokens = 50_000

type tokenCache struct {
	changes *changeWatch

	mu        sync.Mutex
	gen       int64 // the TokenChanges number the entries were read at
	users     map[[sha256.Size]byte]*userEntry
	companies map[[sha256.Size]byte]*companyEntry

	hits, misses atomic.Uint64 // lookups, for the server's metrics
}

// userEntry is what a user token check reads: the token, its user and the
// user's permissions in the token's app. Only lastUsed changes.
type userEntry struct {
	token    UserToken
	user     User
	perms    []string
	lastUsed atomic.Int64 // Unix nanoseconds of the last recorded use; 0 for none
	// apiVersion is the setting of the token's app (APIVersion04 for an
	// unknown app), companyUID the uid of the user's company.
	apiVersion APIVersion
	companyUID string
}

type companyEntry struct {
	token    CompanyToken
	lastUsed atomic.Int64
}

func newTokenCache(read func(context.Context) (int64, error)) *tokenCache {
	return &tokenCache{
		changes:   newChangeWatch(read),
		users:     map[[sha256.Size]byte]*userEntry{},
		companies: map[[sha256.Size]byte]*companyEntry{},
	}
}

// sync empties the cache when the database moved past what it holds.
// Callers hold c.mu.
func (c *tokenCache) sync(gen int64) {
	if gen != c.gen {
		clear(c.users)
		clear(c.companies)
		c.gen = gen
	}
}

func (c *tokenCache) user(key [sha256.Size]byte, gen int64) *userEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sync(gen)
	e := c.users[key]
	c.count(e != nil)
	return e
}

func (c *tokenCache) company(key [sha256.Size]byte, gen int64) *companyEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sync(gen)
	e := c.companies[key]
	c.count(e != nil)
	return e
}

func (c *tokenCache) count(hit bool) {
	if hit {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
}

// putUser keeps e, read at gen, unless the cache has moved on since.
func (c *tokenCache) putUser(key [sha256.Size]byte, gen int64, e *userEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen {
		return
	}
	c.sync(gen)
	evictOne(c.users)
	c.users[key] = e
}

func (c *tokenCache) putCompany(key [sha256.Size]byte, gen int64, e *companyEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen {
		return
	}
	c.sync(gen)
	evictOne(c.companies)
	c.companies[key] = e
}

// evictOne makes room in a full map by dropping an arbitrary entry.
func evictOne[V any](m map[[sha256.Size]byte]V) {
	if len(m) < maxCachedTokens {
		return
	}
	for k := range m {
		delete(m, k)
		return
	}
}

// dueForTouch reports whether a use at now should be written, and claims
// the write so that concurrent checks of one token write it once.
func dueForTouch(last *atomic.Int64, now time.Time) bool {
	prev := last.Load()
	if now.Sub(time.Unix(0, prev)) < touchEvery {
		return false
	}
	return last.CompareAndSwap(prev, now.UnixNano())
}

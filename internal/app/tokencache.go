package app

import (
	"sync"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// tokenCache remembers for a short while who holds a token, so that a till scanning cards
// does not pay a database read for its token on every request. Entries live tokenCacheTTL;
// the use cases that revoke a token, disable a user or change a role empty the cache, so
// that the change holds at once in this process. (Other processes sharing the database
// notice within tokenCacheTTL.) It is safe for concurrent use.
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]tokenEntry // by token hash
	// gen counts clears. A lookup that read the database before a clear must not put its
	// (possibly revoked) answer back afterwards.
	gen uint64
}

type tokenEntry struct {
	p       domain.Principal
	expires time.Time
}

const (
	tokenCacheTTL  = 30 * time.Second
	tokenCacheSize = 1024
)

// get returns the cached principal of a token hash, and the generation to pass to put when
// there is none.
func (c *tokenCache) get(hash string, now time.Time) (domain.Principal, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || now.After(e.expires) {
		return domain.Principal{}, c.gen, false
	}
	return e.p, c.gen, true
}

// put caches p unless the cache was cleared since gen was read.
func (c *tokenCache) put(hash string, p domain.Principal, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= tokenCacheSize {
		c.entries = make(map[string]tokenEntry) // a full cache starts over: simple and bounded
	}
	c.entries[hash] = tokenEntry{p: p, expires: now.Add(tokenCacheTTL)}
}

// clear forgets every token.
func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
	c.gen++
}

package app

import (
	"sync"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// tokenCache remembers for a short while who holds a token, so that a till scanning cards
// does not pay a database read for its token on every request. Entries live tokenCacheTTL:
// that is how long a token would stay usable after being revoked or its user's role changed,
// so the use cases that will do that must also empty the cache.
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]tokenEntry // by token hash
}

type tokenEntry struct {
	p       domain.Principal
	expires time.Time
}

const (
	tokenCacheTTL  = 30 * time.Second
	tokenCacheSize = 1024
)

func (c *tokenCache) get(hash string, now time.Time) (domain.Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || now.After(e.expires) {
		return domain.Principal{}, false
	}
	return e.p, true
}

func (c *tokenCache) put(hash string, p domain.Principal, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= tokenCacheSize {
		c.entries = make(map[string]tokenEntry) // a full cache starts over: simple and bounded
	}
	c.entries[hash] = tokenEntry{p: p, expires: now.Add(tokenCacheTTL)}
}

package app

import "sync"

// feedCache is a bounded map that holds entries only while the change feed is live
// (WatchChanges), and is emptied whenever the feed reports a change it may have made stale.
// Emptying needs no knowledge of which entries a change touched, and changes are rare next
// to reads. Without a live feed it keeps nothing: another process could change the database
// unseen. It is safe for concurrent use.
//
// A reader calls get; on a miss it calls begin, reads the database, and calls put with
// begin's generation. Every clear and every change of liveness moves the generation on, so
// a read that overlapped a change is never kept: it may hold what the change replaced.
type feedCache[V any] struct {
	mu      sync.Mutex
	limit   int // past limit entries the cache starts again empty: simple and bounded
	live    bool
	gen     uint64
	entries map[string]V
}

func newFeedCache[V any](limit int) feedCache[V] { return feedCache[V]{limit: limit} }

func (c *feedCache[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key] // empty unless live
	return v, ok
}

// begin is called before reading the database; put keeps the result only if nothing
// changed since.
func (c *feedCache[V]) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *feedCache[V]) put(key string, v V, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= c.limit {
		c.entries = make(map[string]V)
	}
	c.entries[key] = v
}

// clear forgets everything: something changed.
func (c *feedCache[V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// setLive turns caching on or off, forgetting everything.
func (c *feedCache[V]) setLive(live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = live
	c.gen++
	c.entries = nil
}

func (c *feedCache[V]) isLive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

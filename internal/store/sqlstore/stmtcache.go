package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps one prepared statement per query text for a pool. The store's queries are
// a small fixed set (search terms and ids are parameters), so the cache stays small; it
// stops growing at maxCachedStatements all the same.
type stmtCache struct {
	pool *sql.DB
	mu   sync.Mutex
	m    map[string]*sql.Stmt
	// later: prepare only between transactions (prepareWanted). A pool of one connection,
	// SQLite's write pool, has no connection free while a transaction runs: preparing on it
	// then would wait for itself.
	later  bool
	wanted map[string]bool
}

const maxCachedStatements = 256

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: make(map[string]*sql.Stmt)}
}

// newDeferredStmtCache is a cache for a pool whose only connection a transaction holds: a
// statement not yet prepared runs unprepared, and is prepared by prepareWanted once the
// transaction has ended.
func newDeferredStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: make(map[string]*sql.Stmt), later: true, wanted: make(map[string]bool)}
}

// prepareWanted prepares the statements asked for since the last call (a failure leaves the
// statement unprepared: it then runs as it is, and reports its own error).
func (c *stmtCache) prepareWanted(ctx context.Context) {
	if c == nil || !c.later {
		return
	}
	c.mu.Lock()
	var queries []string
	for q := range c.wanted {
		queries = append(queries, q)
		delete(c.wanted, q)
	}
	c.mu.Unlock()
	// Not under c.mu: preparing waits for the pool's connection, which a transaction may
	// hold while it asks the cache for another statement.
	for _, q := range queries {
		st, err := c.pool.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok || len(c.m) >= maxCachedStatements {
			_ = st.Close() // another commit prepared it first, or the cache is full
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

// get returns the prepared statement for q, preparing it on first use; nil when c is nil,
// full, or q does not prepare (the caller then runs q directly and sees the error).
func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	if len(c.m) >= maxCachedStatements {
		return nil
	}
	if c.later {
		if len(c.wanted) < maxCachedStatements {
			c.wanted[q] = true
		}
		return nil
	}
	st, err := c.pool.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.m[q] = st
	return st
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		_ = st.Close() // closing a statement of a pool being closed cannot fail usefully
		delete(c.m, q)
	}
}

package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps one prepared statement per query text for a pool. The store's queries are
// a small fixed set (search terms and ids are parameters), so the cache stays small; it
// stops growing at maxCachedStatements all the same.
//
// A statement is never prepared inside a transaction: preparing takes a connection of the
// pool, and when transactions hold every connection (SQLite's write pool has one; Read
// transactions can hold all of the read pool's) each would wait for the others for ever. A
// statement not yet prepared runs unprepared and is noted; prepareWanted, called when a
// transaction has ended and holds nothing, prepares the noted ones for the next time.
type stmtCache struct {
	pool   *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

const maxCachedStatements = 256

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: make(map[string]*sql.Stmt), wanted: make(map[string]bool)}
}

// get returns the prepared statement for q, or nil (run q as it is) when it is not prepared
// yet, the cache is full, or c is nil.
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	if len(c.m)+len(c.wanted) < maxCachedStatements {
		c.wanted[q] = true
	}
	return nil
}

// prepareWanted prepares the statements asked for since the last call. Call it holding no
// connection of the pool. A statement that does not prepare stays unprepared: it then runs as
// it is, and reports its own error.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.wanted) == 0 {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.wanted))
	for q := range c.wanted {
		queries = append(queries, q)
		delete(c.wanted, q)
	}
	c.mu.Unlock()
	for _, q := range queries {
		st, err := c.pool.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok || len(c.m) >= maxCachedStatements {
			_ = st.Close() // another caller prepared it first, or the cache is full
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
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

package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// CustomerChangeFeed tells a process about every committed change to customers, whoever made
// it. Stores shared by several server processes (PostgreSQL) offer one; WatchCustomerChanges
// calls ready once it listens, then changed after each change, and returns when ctx ends or
// the feed breaks.
type CustomerChangeFeed interface {
	WatchCustomerChanges(ctx context.Context, ready, changed func()) error
}

// lookupCache keeps the customers found by barcode, the till's hottest path, while a change
// feed is live. Any change to any customer empties it: changes are rare next to scans, and
// emptying needs no knowledge of which cards a change touched (a new reference, a deleted
// customer, a group move). Entries are tagged with the generation they were read in, and a
// read that overlapped a change is not kept, so a lookup never caches what a change replaced.
// Without a live feed nothing is cached: another process could change a customer unseen.
type lookupCache struct {
	mu      sync.Mutex
	live    bool
	gen     uint64
	entries map[string]lookupEntry
}

type lookupEntry struct {
	c   domain.Customer
	gen uint64
}

// maxCachedLookups bounds the cache; past it the cache starts again empty.
const maxCachedLookups = 100_000

func (lc *lookupCache) get(key string) (domain.Customer, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	e, ok := lc.entries[key]
	if !lc.live || !ok || e.gen != lc.gen {
		return domain.Customer{}, false
	}
	return e.c, true
}

// begin is called before reading the database; put keeps the result only if nothing changed
// since.
func (lc *lookupCache) begin() uint64 {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.gen
}

func (lc *lookupCache) put(key string, c domain.Customer, gen uint64) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if !lc.live || gen != lc.gen {
		return
	}
	if lc.entries == nil || len(lc.entries) >= maxCachedLookups {
		lc.entries = make(map[string]lookupEntry)
	}
	lc.entries[key] = lookupEntry{c: c, gen: gen}
}

// invalidate forgets everything: a customer changed somewhere.
func (lc *lookupCache) invalidate() {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.gen++
	lc.entries = nil
}

// setLive turns caching on when the feed listens and off when it breaks; either way what is
// cached may have missed changes, so it is forgotten.
func (lc *lookupCache) setLive(live bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.live = live
	lc.gen++
	lc.entries = nil
}

// LookupCacheLive reports whether barcode lookups are being cached (the change feed listens).
func (a *App) LookupCacheLive() bool {
	a.lookups.mu.Lock()
	defer a.lookups.mu.Unlock()
	return a.lookups.live
}

// writeCustomers runs a transaction that changes customers and then forgets cached lookups
// at once, so that this process reads its own writes without waiting for the feed's echo.
func (a *App) writeCustomers(ctx context.Context, fn func(Tx) error) error {
	defer a.lookups.invalidate()
	return a.store.Write(ctx, fn)
}

// WatchCustomerChanges keeps the barcode lookup cache in step with the database until ctx
// ends, reconnecting with back-off when the feed breaks (lookups then go to the database).
// Without a change feed (SQLite) it returns at once and nothing is cached.
func (a *App) WatchCustomerChanges(ctx context.Context) {
	if a.changes == nil {
		return
	}
	const maxBackoff = 10 * time.Second
	backoff := 100 * time.Millisecond
	for {
		listening := false
		err := a.changes.WatchCustomerChanges(ctx, func() {
			listening = true
			a.lookups.setLive(true)
		}, a.lookups.invalidate)
		a.lookups.setLive(false)
		if ctx.Err() != nil {
			return
		}
		if listening {
			backoff = 100 * time.Millisecond
		}
		a.log.WarnContext(ctx, "customer change feed lost; barcode lookups go to the database until it is back",
			slog.Any("error", err), slog.Duration("retry_in", backoff))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

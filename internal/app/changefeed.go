package app

import (
	"context"
	"log/slog"
	"time"
)

// Topic names what a change touched, as the change feed reports it.
type Topic string

// Topics of the change feed.
const (
	// TopicCustomers: a customer was added, changed or deleted.
	TopicCustomers Topic = "customers"
	// TopicAccess: a user or an API token was added, changed or deleted (a revocation, a
	// disabled user, a new role, language or password).
	TopicAccess Topic = "access"
)

// ChangeFeed tells a process about every committed change, whoever made it: this process,
// another server sharing the database, or the command line. Watch calls ready once it hears
// every change, then changed(topic) after each change (on Watch's goroutine, one call at a
// time), and returns when ctx ends or the feed breaks. A topic it does not know stands for
// any change.
type ChangeFeed interface {
	Watch(ctx context.Context, ready func(), changed func(Topic)) error
}

// Back-off between attempts to restart a broken change feed.
const (
	feedRetryFirst = 100 * time.Millisecond
	feedRetryMax   = 10 * time.Second
)

// WatchChanges keeps the caches of API tokens and barcode lookups in step with the database
// until ctx ends, reconnecting with back-off when the feed breaks. The caches hold entries
// only while the feed is live: a token revoked, a user disabled or a role changed by any
// process, or a customer changed anywhere, is seen here within the feed's latency
// (milliseconds), never later. While the feed is down (or without one), every request reads
// the database.
func (a *App) WatchChanges(ctx context.Context) {
	if a.changes == nil {
		return
	}
	backoff := feedRetryFirst
	for {
		listening := false
		err := a.changes.Watch(ctx, func() {
			listening = true
			a.setCachesLive(true)
			a.log.InfoContext(ctx, "change feed listening: API tokens and barcode lookups are cached")
		}, a.changed)
		a.setCachesLive(false)
		if ctx.Err() != nil {
			return
		}
		if listening {
			backoff = feedRetryFirst
		}
		a.log.WarnContext(ctx, "change feed lost; API tokens and barcode lookups are read from the database until it is back",
			slog.Any("error", err), slog.Duration("retry_in", backoff))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, feedRetryMax)
	}
}

// changed empties the cache a topic's changes may have made stale.
func (a *App) changed(t Topic) {
	switch t {
	case TopicCustomers:
		a.lookups.clear()
		a.dupScans.clear()
	case TopicAccess:
		a.tokens.clear()
	default:
		a.lookups.clear()
		a.tokens.clear()
		a.dupScans.clear()
	}
}

// setCachesLive turns caching on when the feed listens and off when it breaks; either way
// what is cached may have missed changes, so it is forgotten.
func (a *App) setCachesLive(live bool) {
	a.lookups.setLive(live)
	a.tokens.setLive(live)
	a.dupScans.setLive(live)
}

// LookupCacheLive reports whether barcode lookups (and API tokens) are being cached: the
// change feed listens.
func (a *App) LookupCacheLive() bool { return a.lookups.isLive() }

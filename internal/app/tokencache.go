package app

import (
	"sync"
	"time"
)

// tokenCacheSize bounds the cache of API tokens' principals (by token hash), so that a till
// scanning cards does not pay a database read for its token on every request. Like barcode
// lookups, tokens are cached only while the change feed is live (feedCache, WatchChanges):
// a revoked token, a disabled user or a new role holds on every process sharing the
// database within the feed's latency (milliseconds). The use cases that make those changes
// also empty this process's cache at once.
const tokenCacheSize = 1024

// tokenTouchEvery bounds how often a token's last use is written.
const tokenTouchEvery = time.Minute

// tokenUses remembers when this process last wrote each token's last use, so that the write
// happens about once per tokenTouchEvery per token, whether the token is cached or not. It
// is not emptied with the token cache: it only decides when to write. It is safe for
// concurrent use.
type tokenUses struct {
	mu sync.Mutex
	at map[string]time.Time // by token id
}

// maxTokenUses bounds tokenUses; past it, it starts again empty (a few extra writes).
const maxTokenUses = 4096

// due reports whether a token's use should be written now, and if so notes that it is.
func (u *tokenUses) due(tokenID string, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if last, ok := u.at[tokenID]; ok && now.Sub(last) < tokenTouchEvery && !now.Before(last) {
		return false
	}
	if u.at == nil || len(u.at) >= maxTokenUses {
		u.at = make(map[string]time.Time)
	}
	u.at[tokenID] = now
	return true
}

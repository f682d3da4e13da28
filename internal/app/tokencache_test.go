package app

import (
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

func TestTokenCache(t *testing.T) {
	var c tokenCache
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := domain.Principal{UserID: "u", TokenID: "k"}
	_, gen, ok := c.get("h", now)
	if ok {
		t.Fatal("empty cache hit")
	}
	c.put("h", p, now, gen)
	if got, _, ok := c.get("h", now.Add(tokenCacheTTL)); !ok || got != p {
		t.Errorf("cached entry: %+v %v", got, ok)
	}
	if _, _, ok := c.get("h", now.Add(tokenCacheTTL+time.Nanosecond)); ok {
		t.Error("entry outlived its TTL")
	}
	// A lookup that started before a clear does not put its answer back after it.
	_, gen, _ = c.get("other", now)
	c.clear()
	c.put("other", p, now, gen)
	if _, _, ok := c.get("other", now); ok {
		t.Error("stale answer cached after a clear")
	}
	if _, _, ok := c.get("h", now); ok {
		t.Error("clear kept an entry")
	}
}

func TestTokenCacheConcurrent(t *testing.T) {
	var c tokenCache
	now := time.Now()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 500 {
				h := string(rune('a' + (i+j)%26))
				if _, gen, ok := c.get(h, now); !ok {
					c.put(h, domain.Principal{UserID: h}, now, gen)
				}
				if j%100 == 0 {
					c.clear()
				}
			}
		})
	}
	wg.Wait()
}

package app

import (
	"strconv"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

func TestFeedCache(t *testing.T) {
	c := newFeedCache[domain.Customer](10)
	ana := domain.Customer{ID: "1", FirstName: "Ana"}

	// Not live: nothing is kept, since another process could change the customer unseen.
	c.put("card", ana, c.begin())
	if _, ok := c.get("card"); ok {
		t.Fatal("cached without a live change feed")
	}

	c.setLive(true)
	c.put("card", ana, c.begin())
	if got, ok := c.get("card"); !ok || got.FirstName != "Ana" {
		t.Fatalf("get = %v, %v", got, ok)
	}

	// A change anywhere forgets everything.
	c.clear()
	if _, ok := c.get("card"); ok {
		t.Fatal("kept after a change")
	}

	// A read that overlapped a change is not kept: it may hold what the change replaced.
	gen := c.begin()
	c.clear()
	c.put("card", ana, gen)
	if _, ok := c.get("card"); ok {
		t.Fatal("kept a read that overlapped a change")
	}

	// The feed breaking forgets everything and stops caching.
	c.put("card", ana, c.begin())
	c.setLive(false)
	if _, ok := c.get("card"); ok {
		t.Fatal("kept after the feed broke")
	}
	// A read begun before the feed came back is not kept either.
	gen = c.begin()
	c.setLive(true)
	c.put("card", ana, gen)
	if _, ok := c.get("card"); ok {
		t.Fatal("kept a read from before the feed listened")
	}
}

// TestLookupCacheIsBounded fills the barcode cache with distinct keys up to its bound and
// past it: it holds maxCachedLookups at most, then starts again.
func TestLookupCacheIsBounded(t *testing.T) {
	a := New(Config{})
	a.lookups.setLive(true)
	peak := 0
	for i := range maxCachedLookups + 10 {
		a.lookups.put(strconv.Itoa(i), domain.Customer{}, a.lookups.begin())
		peak = max(peak, len(a.lookups.entries))
	}
	if peak != maxCachedLookups {
		t.Errorf("at most %d entries, want %d", peak, maxCachedLookups)
	}
	if n := len(a.lookups.entries); n != 10 {
		t.Errorf("%d entries after going past the bound, want the 10 put since", n)
	}
}

// TestFeedCacheConcurrent is for the race detector (go test -race): readers, changes and the
// feed coming and going at once.
func TestFeedCacheConcurrent(t *testing.T) {
	c := newFeedCache[domain.Principal](16)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 500 {
				h := string(rune('a' + (i+j)%26))
				if _, ok := c.get(h); !ok {
					c.put(h, domain.Principal{UserID: h}, c.begin())
				}
				switch {
				case j%100 == 0:
					c.clear()
				case j%150 == 0:
					c.setLive(j%300 == 0)
				}
			}
		})
	}
	wg.Wait()
}

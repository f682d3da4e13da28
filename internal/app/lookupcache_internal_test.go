package app

import (
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

func TestLookupCache(t *testing.T) {
	var lc lookupCache
	ana := domain.Customer{ID: "1", FirstName: "Ana"}

	// Not live: nothing is kept, since another process could change the customer unseen.
	lc.put("card", ana, lc.begin())
	if _, ok := lc.get("card"); ok {
		t.Fatal("cached without a live change feed")
	}

	lc.setLive(true)
	lc.put("card", ana, lc.begin())
	if got, ok := lc.get("card"); !ok || got.FirstName != "Ana" {
		t.Fatalf("get = %v, %v", got, ok)
	}

	// A change anywhere forgets everything.
	lc.invalidate()
	if _, ok := lc.get("card"); ok {
		t.Fatal("kept after a change")
	}

	// A read that overlapped a change is not kept: it may hold what the change replaced.
	gen := lc.begin()
	lc.invalidate()
	lc.put("card", ana, gen)
	if _, ok := lc.get("card"); ok {
		t.Fatal("kept a read that overlapped a change")
	}

	// The feed breaking forgets everything and stops caching.
	lc.put("card", ana, lc.begin())
	lc.setLive(false)
	if _, ok := lc.get("card"); ok {
		t.Fatal("kept after the feed broke")
	}
	// A read begun before the feed came back is not kept either.
	gen = lc.begin()
	lc.setLive(true)
	lc.put("card", ana, gen)
	if _, ok := lc.get("card"); ok {
		t.Fatal("kept a read from before the feed listened")
	}
}

func TestLookupCacheIsBounded(t *testing.T) {
	var lc lookupCache
	lc.setLive(true)
	for i := range maxCachedLookups + 10 {
		lc.put(string(rune(i)), domain.Customer{}, lc.begin())
	}
	if n := len(lc.entries); n > maxCachedLookups {
		t.Fatalf("%d entries", n)
	}
}

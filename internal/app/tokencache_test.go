package app

import (
	"testing"
	"time"
)

func TestTokenUsesAreWrittenOnceAMinute(t *testing.T) {
	var u tokenUses
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if !u.due("k", now) {
		t.Fatal("first use not written")
	}
	if u.due("k", now.Add(tokenTouchEvery-time.Nanosecond)) {
		t.Error("written twice within a minute")
	}
	if !u.due("other", now) {
		t.Error("another token's first use not written")
	}
	if !u.due("k", now.Add(tokenTouchEvery)) {
		t.Error("not written again after a minute")
	}
	// A clock set back does not silence the token for the time it went back.
	if !u.due("k", now) {
		t.Error("not written after the clock went back")
	}
	for i := range 2 * maxTokenUses {
		u.due(string(rune(0x4e00+i)), now)
	}
	if n := len(u.at); n > maxTokenUses {
		t.Errorf("%d remembered, bound %d", n, maxTokenUses)
	}
}

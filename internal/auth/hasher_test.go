package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHasherBoundsSlots(t *testing.T) {
	h := NewHasher(fast, 2, time.Millisecond)
	a, err := h.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Both slots taken: hashes and checks wait, then give up.
	if _, err := h.Hash(context.Background(), "a password"); !errors.Is(err, ErrBusy) {
		t.Errorf("hash with every slot taken: %v, want ErrBusy", err)
	}
	if _, err := h.Check(context.Background(), "a password", "$argon2id$..."); !errors.Is(err, ErrBusy) {
		t.Errorf("check with every slot taken: %v, want ErrBusy", err)
	}
	// A waiting caller whose request ends stops waiting with the context's error.
	slow := NewHasher(fast, 1, time.Hour)
	held, err := slow.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := slow.Acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("acquire with an ended context: %v, want context.Canceled", err)
	}
	held.Release()
	// A released slot is free again; releasing twice gives back only one.
	a.Release()
	a.Release()
	hash, err := h.Hash(context.Background(), "a password")
	if err != nil {
		t.Fatalf("hash after a release: %v", err)
	}
	if ok, err := h.Check(context.Background(), "a password", hash); err != nil || !ok {
		t.Errorf("check: %v %v", ok, err)
	}
	if len(h.slots) != 1 {
		t.Errorf("%d slots taken, want 1 (b's)", len(h.slots))
	}
	b.Release()
	if _, err := NewHasher(fast, 1, -1).Acquire(context.Background()); err != nil {
		t.Errorf("a free slot with no wait: %v", err)
	}
}

func TestDummyHash(t *testing.T) {
	d, err := DummyHash(fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("dummy hash %q does not have the parameters given", d)
	}
	ok, err := checkPassword("", d)
	if err != nil || ok {
		t.Errorf("check against the dummy hash: %v %v, want false and no error", ok, err)
	}
	if d2, _ := DummyHash(fast); d2 == d {
		t.Error("two dummy hashes are equal")
	}
}

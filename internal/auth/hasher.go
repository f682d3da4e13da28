package auth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// ErrBusy means every password slot stayed taken for the whole wait.
var ErrBusy = errors.New("auth: too many password checks at once")

// DefaultWait is how long a password hash or check waits for a slot before ErrBusy: long
// enough to ride out a burst of sign-ins, short enough that a flood gets a quick answer.
const DefaultWait = 2 * time.Second

// Hasher runs argon2id, at most a fixed number at once. Each run takes Params.MemoryKiB
// (64 MiB by default), so without a bound a burst of logins — failed ones included — takes as
// many times that as there are requests; with it, the memory stays at slots × MemoryKiB and
// the rest wait their turn, up to the wait, then get ErrBusy.
type Hasher struct {
	params Params
	slots  chan struct{}
	wait   time.Duration
}

// NewHasher returns a Hasher running at most slots argon2id at once (0: one per CPU the Go
// runtime uses, since each run keeps a core busy), waiting at most wait for a slot (0:
// DefaultWait; negative: not at all).
func NewHasher(p Params, slots int, wait time.Duration) *Hasher {
	if slots <= 0 {
		slots = runtime.GOMAXPROCS(0)
	}
	if wait == 0 {
		wait = DefaultWait
	}
	return &Hasher{params: p, slots: make(chan struct{}, slots), wait: max(wait, 0)}
}

// Memory is the most the argon2id runs take at once, in bytes: a run's memory per slot.
func (h *Hasher) Memory() int64 { return int64(cap(h.slots)) * int64(h.params.MemoryKiB) << 10 }

// Params are the cost parameters new hashes get.
func (h *Hasher) Params() Params { return h.params }

// Slot is one turn at argon2id: hash and check through it, then Release it.
type Slot struct {
	h    *Hasher
	done bool
}

// Acquire takes a slot, waiting for one at most the Hasher's wait: ErrBusy then, or the
// context's error if it ends first.
func (h *Hasher) Acquire(ctx context.Context) (*Slot, error) {
	select {
	case h.slots <- struct{}{}:
		return &Slot{h: h}, nil
	default:
	}
	if h.wait <= 0 {
		return nil, ErrBusy
	}
	timer := time.NewTimer(h.wait)
	defer timer.Stop()
	select {
	case h.slots <- struct{}{}:
		return &Slot{h: h}, nil
	case <-timer.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a password slot: %w", ctx.Err())
	}
}

// Release gives the slot back; a second call does nothing.
func (s *Slot) Release() {
	if s.done {
		return
	}
	s.done = true
	<-s.h.slots
}

// Hash returns a PHC-format argon2id hash of password with the Hasher's parameters.
func (s *Slot) Hash(password string) (string, error) { return hashPassword(password, s.h.params) }

// Check reports whether password matches the stored hash, in constant time.
func (s *Slot) Check(password, encoded string) (bool, error) {
	return checkPassword(password, encoded)
}

// Hash hashes password in a slot of its own.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	s, err := h.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer s.Release()
	return s.Hash(password)
}

// Check checks password against encoded in a slot of its own.
func (h *Hasher) Check(ctx context.Context, password, encoded string) (bool, error) {
	s, err := h.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer s.Release()
	return s.Check(password, encoded)
}

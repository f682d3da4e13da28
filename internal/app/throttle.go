package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// Login throttling. The counts live in the database, so that every server process sharing
// it sees and adds to the same counts.
const (
	loginWindow         = 15 * time.Minute
	loginPairLimit      = 5  // failures per user name and address in a window
	loginAddressLimit   = 30 // failures per address in a window
	passwordChangeLimit = 5  // wrong current passwords per user in a window
)

// throttleLimit is a key and the failures it may have in a window.
type throttleLimit struct {
	key string
	max int64
}

// throttleKey names a throttle count. It is a hash, so that the table holds no user names or
// addresses (personal data) in the clear.
func throttleKey(kind string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return kind + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}

// loginKeys returns the throttle keys of a login: the (user name, address) pair and the
// address.
func loginKeys(username, remoteAddr string) (pair, addr string) {
	a := clientAddress(remoteAddr)
	return throttleKey("ua", strings.ToLower(strings.TrimSpace(username)), a), throttleKey("a", a)
}

// clientAddress is the address a client is counted under: the host without the port, and
// for IPv6 the /64 network, since one client usually holds all of it.
func clientAddress(remoteAddr string) string {
	s := strings.TrimSpace(remoteAddr)
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return s
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		if p, err := ip.Prefix(64); err == nil {
			return p.String()
		}
	}
	return ip.String()
}

// reserveAttempt counts an attempt as a failure against each key before the password is
// checked, so that parallel guesses cannot all get in before any failure is counted. When a
// key is over its limit it refuses with CodeRateLimited and counts nothing (the transaction
// rolls back). A successful attempt takes its counts back (see settle).
func (a *App) reserveAttempt(ctx context.Context, now time.Time, limits ...throttleLimit) ([]LoginFailures, error) {
	counts := make([]LoginFailures, len(limits))
	err := a.store.Write(ctx, func(tx Tx) error {
		var wait time.Duration
		for i, l := range limits {
			f, err := tx.AddLoginFailure(ctx, l.key, now, now.Add(-loginWindow))
			if err != nil {
				return err
			}
			counts[i] = f
			if f.Count > l.max {
				wait = max(wait, f.WindowStart.Add(loginWindow).Sub(now))
			}
		}
		if wait > 0 {
			return rateLimited(wait)
		}
		return nil
	})
	return counts, err
}

func rateLimited(wait time.Duration) error {
	secs := int64((wait + time.Second - 1) / time.Second)
	return &domain.Error{Code: domain.CodeRateLimited, Details: map[string]any{"retry_after_seconds": max(secs, 1)}}
}

// purgeEvery is how often a process deletes expired sessions and finished throttle windows.
const purgeEvery = time.Minute

// purgeExpired deletes expired sessions and finished throttle windows, at most once a
// minute per process. A failure is only logged: the next login tries again.
func (a *App) purgeExpired(ctx context.Context, now time.Time) {
	last := a.lastPurge.Load()
	if now.UnixMicro()-last < purgeEvery.Microseconds() || !a.lastPurge.CompareAndSwap(last, now.UnixMicro()) {
		return
	}
	err := a.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.PurgeSessions(ctx, now); err != nil {
			return err
		}
		_, err := tx.PurgeLoginFailures(ctx, now.Add(-loginWindow))
		return err
	})
	if err != nil {
		a.log.WarnContext(ctx, "purge expired sessions and login counts", slog.Any("error", err))
	}
}

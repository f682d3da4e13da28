package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
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
	loginWindow       = 15 * time.Minute
	loginPairLimit    = 5  // failures per user name and address in a window
	loginAddressLimit = 30 // failures per address in a window
	// loginUserLimit is the failures per user name in a window, from all addresses together.
	// It is what stops a guesser who has many addresses (a botnet, an IPv6 range wider than
	// a /64): at most 20 guesses per account every 15 minutes, under 2,000 a day, against
	// passwords of 10 characters or more. It is also what a guesser can use to lock a user
	// out, so it is kept well above what the user does by mistake (the pair limit, 5, stops
	// them first), it takes at least 4 addresses to reach (one address stops at 5), and the
	// lock-out ends with the window that the first failure opened, at most 15 minutes later:
	// refused attempts are not counted, so hammering does not make it longer. An admin who
	// resets the user's password lifts it at once.
	loginUserLimit      = 20
	passwordChangeLimit = 5 // wrong current passwords per user in a window
)

// throttleLimit is a key and the failures it may have in a window.
type throttleLimit struct {
	key string
	max int64
}

// settingThrottleSecret holds the throttle's hash key (hex), made by the first process that
// needs it and read by every other, so that all of them name the same counts the same way.
const settingThrottleSecret = "login_throttle_secret"

// throttleHash names throttle counts with an HMAC keyed by the database's secret: the table
// holds no user names or addresses (personal data), and without the secret they cannot be
// found again by hashing guesses, as they could from a plain hash.
type throttleHash []byte

// throttleSecret returns the database's throttle key, adding one on first use.
func (a *App) throttleSecret(ctx context.Context) (throttleHash, error) {
	a.throttleMu.Lock()
	defer a.throttleMu.Unlock()
	if a.throttleKey != nil {
		return a.throttleKey, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("login throttle secret: %w", err)
	}
	var stored string
	err := a.store.Write(ctx, func(tx Tx) (err error) {
		stored, err = tx.PutSettingIfAbsent(ctx, settingThrottleSecret, hex.EncodeToString(fresh))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("login throttle secret: %w", err)
	}
	key, err := hex.DecodeString(stored)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("login throttle secret: setting %s is not a hex key of 16 bytes or more", settingThrottleSecret)
	}
	a.throttleKey = key
	return key, nil
}

// key names the count of kind for parts. Each part is length-prefixed, so no two lists of
// parts hash alike.
func (h throttleHash) key(kind string, parts ...string) string {
	m := hmac.New(sha256.New, h)
	for _, p := range append([]string{kind}, parts...) {
		m.Write(binary.BigEndian.AppendUint64(nil, uint64(len(p))))
		m.Write([]byte(p))
	}
	return kind + ":" + hex.EncodeToString(m.Sum(nil)[:16])
}

// loginName is a user name as the throttle counts it: user names do not tell case apart.
func loginName(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// loginLimits are the limits a login from client (a clientAddress) is held to: the (user
// name, address) pair, the user name from anywhere, and the address.
func (h throttleHash) loginLimits(username, client string) []throttleLimit {
	name := loginName(username)
	return []throttleLimit{
		{key: h.key("ua", name, client), max: loginPairLimit},
		{key: h.key("u", name), max: loginUserLimit},
		{key: h.key("a", client), max: loginAddressLimit},
	}
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

// undoAttempt takes back the failures reserveAttempt counted, for an attempt that checked no
// password (the checks were busy). A failure to do so is only logged: the counts then err
// on the strict side until the window ends.
func (a *App) undoAttempt(ctx context.Context, limits []throttleLimit, counts []LoginFailures) {
	err := a.store.Write(ctx, func(tx Tx) error {
		for i, l := range limits {
			if err := tx.UndoLoginFailure(ctx, l.key, counts[i].WindowStart); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		a.log.WarnContext(ctx, "take back a throttle count", slog.Any("error", err))
	}
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

package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
)

// sessionTouchEvery bounds how often a session's idle expiry is written: once a minute is
// precise enough for a 12-hour timeout and spares a write on every page.
const sessionTouchEvery = time.Minute

// sessionSecretBytes is the randomness of a session secret.
const sessionSecretBytes = 32

// newSessionSecret returns a fresh session secret (for the cookie) and its stored hash.
func newSessionSecret() (secret, hash string, err error) {
	b := make([]byte, sessionSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("session secret: %w", err)
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret), nil
}

// sessionHash returns the stored id of a session secret; false when it cannot be one.
func sessionHash(secret string) (string, bool) {
	if len(secret) != base64.RawURLEncoding.EncodedLen(sessionSecretBytes) {
		return "", false
	}
	if _, err := base64.RawURLEncoding.DecodeString(secret); err != nil {
		return "", false
	}
	return hashSecret(secret), true
}

// hashSecret: the secret carries 256 random bits, so a fast hash cannot be brute-forced.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func invalidCredentials() error {
	return &domain.Error{Code: domain.CodeUnauthenticated, Details: map[string]any{"reason": domain.ReasonInvalidCredentials}}
}

// Login checks credentials and opens a session; secret goes in the cookie, only its hash is
// stored. An unknown user, a disabled user and a wrong password get the same answer, in about
// the same time, through the same queue for a password check. Failures are counted per user
// name and address, per user name and per address; over a limit even the right password is
// refused with CodeRateLimited until the window ends. When the password checks stay busy it
// refuses with CodeBusy, and the attempt is not counted.
//
// Refusals are logged with the user name given and the client's address as the throttle
// counts it, so that an operator can see who is guessing: the one place personal data goes to
// the log, on purpose.
func (a *App) Login(ctx context.Context, username, password, remoteAddr string) (secret string, p domain.Principal, err error) {
	client := clientAddress(remoteAddr)
	keys, err := a.throttleSecret(ctx)
	if err != nil {
		return "", p, err
	}
	limits := keys.loginLimits(username, client)
	now := a.now()
	defer a.purgeExpired(ctx, now)
	counts, err := a.reserveAttempt(ctx, now, limits...)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeRateLimited {
			a.log.WarnContext(ctx, "login refused: too many failures", loginAttrs(username, client)...)
		}
		return "", p, err
	}
	u, ok, err := a.checkCredentials(ctx, username, password)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeBusy {
			a.undoAttempt(ctx, limits, counts)
			a.log.WarnContext(ctx, "login refused: password checks busy")
		}
		return "", p, err
	}
	if !ok {
		a.log.InfoContext(ctx, "login refused: invalid credentials", loginAttrs(username, client)...)
		return "", p, invalidCredentials()
	}
	secret, hash, err := newSessionSecret()
	if err != nil {
		return "", p, err
	}
	now = a.now()
	s := domain.Session{ID: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: domain.SessionExpiry(now, now, a.sessionIdle, a.sessionMaxAge)}
	err = a.store.Write(ctx, func(tx Tx) error {
		// The pair starts afresh; the user name and the address keep their other failures
		// but not this attempt.
		if err := tx.ClearLoginFailures(ctx, limits[0].key); err != nil {
			return err
		}
		for i := 1; i < len(limits); i++ {
			if err := tx.UndoLoginFailure(ctx, limits[i].key, counts[i].WindowStart); err != nil {
				return err
			}
		}
		return tx.CreateSession(ctx, &s)
	})
	if err != nil {
		return "", domain.Principal{}, fmt.Errorf("open session: %w", err)
	}
	a.log.InfoContext(ctx, "signed in", slog.String("user_id", u.ID))
	return secret, domain.Principal{UserID: u.ID, Username: u.Username, Role: u.Role, Language: u.Language, SessionID: hash}, nil
}

// loginAttrs are the log fields of a refused login: the user name as typed (cut to the
// longest a user name can be) and the client's address as the throttle counts it.
func loginAttrs(username, client string) []any {
	name := strings.TrimSpace(username)
	if len(name) > domain.MaxUsernameLen {
		name = strings.ToValidUTF8(name[:domain.MaxUsernameLen], "") + "…"
	}
	return []any{slog.String("username", name), slog.String("client", client)}
}

// checkCredentials reports whether password is the enabled user's. It checks a password hash
// whether or not the user exists, so that the time taken does not tell.
func (a *App) checkCredentials(ctx context.Context, username, password string) (domain.User, bool, error) {
	var u domain.User
	if len(password) > MaxPasswordLen {
		return u, false, nil // bounds the hashing work; no stored password is this long
	}
	username = strings.TrimSpace(username)
	found := false
	// A name no user can have is not looked up (PostgreSQL refuses invalid UTF-8).
	if len(username) <= domain.MaxUsernameLen && utf8.ValidString(username) {
		err := a.store.Read(ctx, func(tx Tx) (err error) {
			u, err = tx.UserByUsername(ctx, username)
			return err
		})
		switch {
		case err == nil:
			found = true
		case domain.ErrorCode(err) != domain.CodeNotFound:
			return u, false, err
		}
	}
	hash := u.PasswordHash
	if !found {
		// A hash no password matches, with the current cost: checked like a real one, in
		// the same queue.
		var err error
		if hash, err = auth.DummyHash(a.passwordHasher.Params()); err != nil {
			return u, false, err
		}
	}
	ok, err := a.passwordHasher.Check(ctx, password, hash)
	if err != nil {
		return u, false, passwordError(err, "check password of user "+u.ID)
	}
	return u, ok && found && u.Enabled(), nil
}

// PasswordMemory is the most memory the password checks take at once, in bytes.
func (a *App) PasswordMemory() int64 { return a.passwordHasher.Memory() }

// busyRetrySeconds is the Retry-After of a refusal because the password checks are busy: a
// burst that filled the queue has usually passed by then.
const busyRetrySeconds = 5

// passwordError turns the Hasher's ErrBusy into CodeBusy and wraps other errors with what.
func passwordError(err error, what string) error {
	if errors.Is(err, auth.ErrBusy) {
		return &domain.Error{Code: domain.CodeBusy, Details: map[string]any{"retry_after_seconds": int64(busyRetrySeconds)}, Cause: err}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// AuthenticateSession returns who holds a session secret; CodeUnauthenticated when unknown,
// expired or the user is disabled. Slides the idle expiry, writing at most once a minute per
// session.
func (a *App) AuthenticateSession(ctx context.Context, secret string) (domain.Principal, error) {
	hash, ok := sessionHash(secret)
	if !ok {
		return domain.Principal{}, domain.Errorf(domain.CodeUnauthenticated)
	}
	now := a.now()
	var s domain.Session
	var p domain.Principal
	err := a.store.ReadOne(ctx, func(tx Tx) (err error) {
		s, p, err = tx.SessionByHash(ctx, hash, now)
		return err
	})
	if err != nil {
		return domain.Principal{}, err
	}
	// The lifetimes configured now hold, even for a session opened under longer ones.
	if !now.Before(domain.SessionExpiry(s.CreatedAt, s.LastSeenAt, a.sessionIdle, a.sessionMaxAge)) {
		return domain.Principal{}, domain.Errorf(domain.CodeUnauthenticated)
	}
	if now.Sub(s.LastSeenAt) >= sessionTouchEvery {
		expires := domain.SessionExpiry(s.CreatedAt, now, a.sessionIdle, a.sessionMaxAge)
		err := a.store.Write(ctx, func(tx Tx) error {
			return tx.TouchSession(ctx, hash, now, expires, now.Add(-sessionTouchEvery))
		})
		if err != nil {
			// The session is valid; it only misses this slide of its idle expiry.
			a.log.WarnContext(ctx, "touch session", slog.String("user_id", p.UserID), slog.Any("error", err))
		}
	}
	return p, nil
}

// Logout ends the session (no error if already gone).
func (a *App) Logout(ctx context.Context, secret string) error {
	hash, ok := sessionHash(secret)
	if !ok {
		return nil
	}
	var userID string
	err := a.store.Write(ctx, func(tx Tx) (err error) {
		userID, err = tx.DeleteSession(ctx, hash)
		return err
	})
	if err != nil {
		return fmt.Errorf("log out: %w", err)
	}
	if userID != "" {
		a.log.InfoContext(ctx, "signed out", slog.String("user_id", userID))
	}
	return nil
}

// ChangePassword checks the current password, sets the new one (same rules as AddUser) and
// ends every session of the user. When p is signed in with a session, that session is
// replaced by a new one whose secret it returns, for the cookie: as at any login, a session
// id learnt before the change is worthless after it ("" for a caller without a session).
// Wrong current passwords are throttled like logins, so that a borrowed session cannot be
// used to guess the password.
func (a *App) ChangePassword(ctx context.Context, p domain.Principal, current, next string) (secret string, err error) {
	if p.Role == "" {
		return "", domain.Errorf(domain.CodeUnauthenticated)
	}
	if !ValidID(p.UserID) {
		return "", domain.Errorf(domain.CodeNotFound) // the system principal has no password
	}
	var problems domain.Problems
	if current == "" {
		problems.Add("current_password", domain.FieldRequired, nil)
	}
	passwordProblems(&problems, "new_password", next)
	if err := problems.Err(); err != nil {
		return "", err
	}
	keys, err := a.throttleSecret(ctx)
	if err != nil {
		return "", err
	}
	limit := throttleLimit{key: keys.key("pw", p.UserID), max: passwordChangeLimit}
	counts, err := a.reserveAttempt(ctx, a.now(), limit)
	if err != nil {
		return "", err
	}
	var u domain.User
	if err := a.store.Read(ctx, func(tx Tx) (err error) {
		u, err = tx.UserByID(ctx, p.UserID)
		return err
	}); err != nil {
		return "", err
	}
	hash, err := a.checkAndHash(ctx, u, current, next)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeBusy {
			a.undoAttempt(ctx, []throttleLimit{limit}, counts)
		}
		return "", err
	}
	var s domain.Session
	if p.SessionID != "" {
		var id string
		if secret, id, err = newSessionSecret(); err != nil {
			return "", err
		}
		now := a.now()
		s = domain.Session{ID: id, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
			ExpiresAt: domain.SessionExpiry(now, now, a.sessionIdle, a.sessionMaxAge)}
	}
	err = a.store.Write(ctx, func(tx Tx) error {
		if err := tx.ClearLoginFailures(ctx, limit.key); err != nil {
			return err
		}
		if err := tx.SetUserPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		n, err := tx.DeleteUserSessions(ctx, u.ID, "")
		if err != nil {
			return err
		}
		if secret != "" {
			if err := tx.CreateSession(ctx, &s); err != nil {
				return err
			}
		}
		return a.audit(ctx, tx, p, domain.ActionUserChangePassword, "user", u.ID, []string{"password"}, map[string]any{"sessions_ended": n})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// checkAndHash checks u's current password and hashes the next one, in one turn at the
// password checks, so that a right password is not then refused as busy.
func (a *App) checkAndHash(ctx context.Context, u domain.User, current, next string) (string, error) {
	slot, err := a.passwordHasher.Acquire(ctx)
	if err != nil {
		return "", passwordError(err, "change password of user "+u.ID)
	}
	defer slot.Release()
	ok := false
	if len(current) <= MaxPasswordLen {
		if ok, err = slot.Check(current, u.PasswordHash); err != nil {
			return "", fmt.Errorf("check password of user %s: %w", u.ID, err)
		}
	}
	if !ok {
		return "", &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "current_password", Code: domain.FieldWrongPassword}}}
	}
	hash, err := slot.Hash(next)
	if err != nil {
		return "", fmt.Errorf("hash password of user %s: %w", u.ID, err)
	}
	return hash, nil
}

// SetLanguage stores the signed-in user's language: "es", "en" or "" (follow the browser).
func (a *App) SetLanguage(ctx context.Context, p domain.Principal, lang string) error {
	if p.Role == "" {
		return domain.Errorf(domain.CodeUnauthenticated)
	}
	l, ok := domain.ParseLanguage(lang)
	if !ok {
		return (domain.Problems{{Field: "language", Code: domain.FieldInvalid, Params: map[string]any{"allowed": "es, en"}}}).Err()
	}
	if !ValidID(p.UserID) {
		return domain.Errorf(domain.CodeNotFound)
	}
	if err := a.store.Write(ctx, func(tx Tx) error { return tx.SetUserLanguage(ctx, p.UserID, l) }); err != nil {
		return err
	}
	a.tokens.clear() // tokens' principals carry the language
	return nil
}

// ResetPassword sets another user's password (an admin, or the command line for a forgotten
// one), ends all of that user's sessions and lifts the throttle on their user name.
func (a *App) ResetPassword(ctx context.Context, p domain.Principal, username, password string) error {
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return err
	}
	var problems domain.Problems
	passwordProblems(&problems, "password", password)
	if err := problems.Err(); err != nil {
		return err
	}
	keys, err := a.throttleSecret(ctx)
	if err != nil {
		return err
	}
	hash, err := a.passwordHasher.Hash(ctx, password)
	if err != nil {
		return passwordError(err, "hash password")
	}
	return a.store.Write(ctx, func(tx Tx) error {
		u, err := tx.UserByUsername(ctx, strings.TrimSpace(username))
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "username", Code: "unknown_user"}}}
		}
		if err != nil {
			return err
		}
		// A reset also lifts a lock-out of the user name by guessers (see loginUserLimit).
		for _, key := range []string{keys.key("pw", u.ID), keys.key("u", loginName(u.Username))} {
			if err := tx.ClearLoginFailures(ctx, key); err != nil {
				return err
			}
		}
		if err := tx.SetUserPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		n, err := tx.DeleteUserSessions(ctx, u.ID, "")
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionUserResetPassword, "user", u.ID, []string{"password"}, map[string]any{"sessions_ended": n})
	})
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

func (t *tx) CreateSession(ctx context.Context, s *domain.Session) error {
	_, err := t.exec(ctx, "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		s.ID, s.UserID, t.d.ts(s.CreatedAt), t.d.ts(s.LastSeenAt), t.d.ts(s.ExpiresAt))
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

func (t *tx) SessionByHash(ctx context.Context, idHash string, now time.Time) (domain.Session, domain.Principal, error) {
	var s domain.Session
	var p domain.Principal
	var role string
	err := t.queryRow(ctx, `SELECT s.created_at, s.last_seen_at, s.expires_at, u.id, u.username, u.role, u.language
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`, idHash, t.d.ts(now)).
		Scan(timeCol{&s.CreatedAt}, timeCol{&s.LastSeenAt}, timeCol{&s.ExpiresAt}, &p.UserID, &p.Username, &role, &p.Language)
	if errors.Is(err, sql.ErrNoRows) {
		return s, p, domain.Errorf(domain.CodeUnauthenticated)
	}
	if err != nil {
		return s, p, fmt.Errorf("read session: %w", err)
	}
	s.ID, s.UserID = idHash, p.UserID
	p.Role, p.SessionID = domain.Role(role), idHash
	return s, p, nil
}

func (t *tx) TouchSession(ctx context.Context, idHash string, lastSeen, expires, staleBefore time.Time) error {
	_, err := t.exec(ctx, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ? AND last_seen_at <= ?",
		t.d.ts(lastSeen), t.d.ts(expires), idHash, t.d.ts(staleBefore))
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

func (t *tx) DeleteSession(ctx context.Context, idHash string) (string, error) {
	var userID string
	err := t.queryRow(ctx, "DELETE FROM sessions WHERE id_hash = ? RETURNING user_id", idHash).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("delete session: %w", err)
	}
	return userID, nil
}

func (t *tx) DeleteUserSessions(ctx context.Context, userID, exceptHash string) (int64, error) {
	return t.deleteCount(ctx, "delete user's sessions", "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", userID, exceptHash)
}

func (t *tx) PurgeSessions(ctx context.Context, now time.Time) (int64, error) {
	return t.purge(ctx, "sessions", "id_hash", "expires_at <= ?", t.d.ts(now))
}

// purge deletes the rows of table that match cond, without waiting for rows that other
// transactions hold (the backend's purgeSQL).
func (t *tx) purge(ctx context.Context, table, key, cond string, arg any) (int64, error) {
	return t.deleteCount(ctx, "purge "+table, t.d.purgeSQL(table, key, cond), arg)
}

func (t *tx) deleteCount(ctx context.Context, what, q string, args ...any) (int64, error) {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// AddLoginFailure is one statement, so that processes sharing the database count every
// failure; on PostgreSQL it also locks the row until the transaction ends.
func (t *tx) AddLoginFailure(ctx context.Context, key string, now, staleBefore time.Time) (app.LoginFailures, error) {
	var f app.LoginFailures
	stale := t.d.ts(staleBefore)
	err := t.queryRow(ctx, `INSERT INTO login_throttle AS l (key, failures, window_start) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN l.window_start <= ? THEN 1 ELSE l.failures + 1 END,
			window_start = CASE WHEN l.window_start <= ? THEN excluded.window_start ELSE l.window_start END
		RETURNING failures, window_start`, key, t.d.ts(now), stale, stale).Scan(&f.Count, timeCol{&f.WindowStart})
	if err != nil {
		return f, fmt.Errorf("count login failure: %w", err)
	}
	return f, nil
}

func (t *tx) UndoLoginFailure(ctx context.Context, key string, windowStart time.Time) error {
	_, err := t.exec(ctx, "UPDATE login_throttle SET failures = failures - 1 WHERE key = ? AND window_start = ? AND failures > 0",
		key, t.d.ts(windowStart))
	if err != nil {
		return fmt.Errorf("undo login failure: %w", err)
	}
	return nil
}

func (t *tx) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := t.exec(ctx, "DELETE FROM login_throttle WHERE key = ?", key); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

func (t *tx) PurgeLoginFailures(ctx context.Context, staleBefore time.Time) (int64, error) {
	return t.purge(ctx, "login_throttle", "key", "window_start <= ?", t.d.ts(staleBefore))
}

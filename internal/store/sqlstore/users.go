package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

func (t *tx) CreateUser(ctx context.Context, u *domain.User) error {
	_, err := t.exec(ctx, `INSERT INTO users (id, username, username_key, role, password_hash, language, created_at, disabled_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Username, strings.ToLower(u.Username), string(u.Role), u.PasswordHash,
		u.Language, t.d.ts(u.CreatedAt), t.d.nullTS(u.DisabledAt))
	if v, ok := constraintViolation(err); ok && v.unique {
		return &domain.Error{Code: domain.CodeDuplicate, Fields: []domain.FieldError{{Field: "username", Code: domain.FieldTaken}}, Cause: err}
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

const userColumns = "id, username, role, password_hash, language, created_at, disabled_at"

// userListColumns leaves the password hash out of listings.
const userListColumns = "id, username, role, '', language, created_at, disabled_at"

func scanUser(row interface{ Scan(...any) error }, u *domain.User) error {
	var role string
	if err := row.Scan(&u.ID, &u.Username, &role, &u.PasswordHash, &u.Language, timeCol{&u.CreatedAt}, nullTimeCol{&u.DisabledAt}); err != nil {
		return err
	}
	u.Role = domain.Role(role)
	return nil
}

func (t *tx) UserByUsername(ctx context.Context, username string) (domain.User, error) {
	var u domain.User
	err := scanUser(t.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE username_key = ?", strings.ToLower(username)), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

func (t *tx) UserByID(ctx context.Context, id string) (domain.User, error) {
	var u domain.User
	err := scanUser(t.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("read user %s: %w", id, err)
	}
	return u, nil
}

func (t *tx) Users(ctx context.Context) ([]domain.User, error) {
	rows, err := t.query(ctx, "SELECT "+userListColumns+" FROM users ORDER BY username_key")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []domain.User
	for rows.Next() {
		var u domain.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

func (t *tx) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := t.queryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

func (t *tx) CountEnabledAdmins(ctx context.Context) (int64, error) {
	var n int64
	if err := t.queryRow(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

func (t *tx) LockUsers(ctx context.Context) error { return t.d.lockUsers(ctx, t) }

// updateUser runs an UPDATE of one user and reports CodeNotFound when there is none.
func (t *tx) updateUser(ctx context.Context, what, q string, args ...any) error {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("update user %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update user %s: %w", what, err)
	}
	if n == 0 {
		return domain.Errorf(domain.CodeNotFound)
	}
	return nil
}

func (t *tx) SetUserRole(ctx context.Context, id string, role domain.Role) error {
	return t.updateUser(ctx, "role", "UPDATE users SET role = ? WHERE id = ?", string(role), id)
}

func (t *tx) SetUserDisabledAt(ctx context.Context, id string, at *time.Time) error {
	return t.updateUser(ctx, "disabled", "UPDATE users SET disabled_at = ? WHERE id = ?", t.d.nullTS(at), id)
}

func (t *tx) SetUserPasswordHash(ctx context.Context, id, hash string) error {
	return t.updateUser(ctx, "password", "UPDATE users SET password_hash = ? WHERE id = ?", hash, id)
}

func (t *tx) SetUserLanguage(ctx context.Context, id, lang string) error {
	return t.updateUser(ctx, "language", "UPDATE users SET language = ? WHERE id = ?", lang, id)
}

func (t *tx) CreateAPIToken(ctx context.Context, k *domain.APIToken) error {
	_, err := t.exec(ctx, "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
		k.ID, k.UserID, k.Name, k.Hash, t.d.ts(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert api token: %w", err)
	}
	return nil
}

const tokenColumns = "k.id, k.user_id, u.username, k.name, k.created_at, k.last_used_at, k.revoked_at FROM api_tokens k JOIN users u ON u.id = k.user_id"

func scanToken(row interface{ Scan(...any) error }, k *domain.APIToken) error {
	return row.Scan(&k.ID, &k.UserID, &k.Username, &k.Name, timeCol{&k.CreatedAt}, nullTimeCol{&k.LastUsedAt}, nullTimeCol{&k.RevokedAt})
}

func (t *tx) APIToken(ctx context.Context, id string) (domain.APIToken, error) {
	var k domain.APIToken
	err := scanToken(t.queryRow(ctx, "SELECT "+tokenColumns+" WHERE k.id = ?", id), &k)
	if errors.Is(err, sql.ErrNoRows) {
		return k, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return k, fmt.Errorf("read api token %s: %w", id, err)
	}
	return k, nil
}

func (t *tx) APITokens(ctx context.Context) ([]domain.APIToken, error) {
	rows, err := t.query(ctx, "SELECT "+tokenColumns+" ORDER BY k.created_at DESC, k.seq DESC")
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	defer rows.Close()
	var out []domain.APIToken
	for rows.Next() {
		var k domain.APIToken
		if err := scanToken(rows, &k); err != nil {
			return nil, fmt.Errorf("list api tokens: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	return out, nil
}

func (t *tx) RevokeAPIToken(ctx context.Context, id string, at time.Time) error {
	res, err := t.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", t.d.ts(at), id)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	if n == 0 {
		return domain.Errorf(domain.CodeNotFound)
	}
	return nil
}

func (t *tx) TouchAPIToken(ctx context.Context, id string, at, staleBefore time.Time) error {
	_, err := t.exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)",
		t.d.ts(at), id, t.d.ts(staleBefore))
	if err != nil {
		return fmt.Errorf("record api token use: %w", err)
	}
	return nil
}

func (t *tx) PrincipalByTokenHash(ctx context.Context, hash string) (domain.Principal, error) {
	var p domain.Principal
	var role string
	err := t.queryRow(ctx, `SELECT u.id, u.username, u.role, u.language, k.id FROM api_tokens k JOIN users u ON u.id = k.user_id
		WHERE k.token_hash = ? AND k.revoked_at IS NULL AND u.disabled_at IS NULL`, hash).Scan(&p.UserID, &p.Username, &role, &p.Language, &p.TokenID)
	if errors.Is(err, sql.ErrNoRows) {
		return p, domain.Errorf(domain.CodeUnauthenticated)
	}
	if err != nil {
		return p, fmt.Errorf("read api token: %w", err)
	}
	p.Role = domain.Role(role)
	return p, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/clientela/clientela/internal/domain"
)

func (t *tx) CreateUser(ctx context.Context, u *domain.User) error {
	_, err := t.exec(ctx, `INSERT INTO users (id, username, username_key, role, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, u.ID, u.Username, strings.ToLower(u.Username), string(u.Role), u.PasswordHash, t.d.ts(u.CreatedAt))
	if v, ok := constraintViolation(err); ok && v.unique {
		return &domain.Error{Code: domain.CodeDuplicate, Fields: []domain.FieldError{{Field: "username", Code: domain.FieldTaken}}, Cause: err}
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

func (t *tx) UserByUsername(ctx context.Context, username string) (domain.User, error) {
	var u domain.User
	var role string
	err := t.queryRow(ctx, "SELECT id, username, role, password_hash, created_at FROM users WHERE username_key = ?",
		strings.ToLower(username)).Scan(&u.ID, &u.Username, &role, &u.PasswordHash, timeCol{&u.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("read user: %w", err)
	}
	u.Role = domain.Role(role)
	return u, nil
}

func (t *tx) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := t.queryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

func (t *tx) CreateAPIToken(ctx context.Context, k *domain.APIToken) error {
	_, err := t.exec(ctx, "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
		k.ID, k.UserID, k.Name, k.Hash, t.d.ts(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert api token: %w", err)
	}
	return nil
}

func (t *tx) PrincipalByTokenHash(ctx context.Context, hash string) (domain.Principal, error) {
	var p domain.Principal
	var role string
	err := t.queryRow(ctx, `SELECT u.id, u.username, u.role, k.id FROM api_tokens k JOIN users u ON u.id = k.user_id
		WHERE k.token_hash = ?`, hash).Scan(&p.UserID, &p.Username, &role, &p.TokenID)
	if errors.Is(err, sql.ErrNoRows) {
		return p, domain.Errorf(domain.CodeUnauthenticated)
	}
	if err != nil {
		return p, fmt.Errorf("read api token: %w", err)
	}
	p.Role = domain.Role(role)
	return p, nil
}

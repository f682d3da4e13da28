package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
)

// System is the principal of the command line run by whoever operates the server.
func System() domain.Principal {
	return domain.Principal{UserID: "system", Username: "system", Role: domain.RoleAdmin}
}

// Password bounds. argon2 takes any length; the upper bound keeps hashing cheap.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 1024
)

// AddUser creates a user with a role and a password.
func (a *App) AddUser(ctx context.Context, p domain.Principal, username string, role domain.Role, password string) (domain.User, error) {
	var u domain.User
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return u, err
	}
	var problems domain.Problems
	name, err := domain.PrepareUsername(username)
	if err != nil {
		problems = append(problems, err.(*domain.Error).Fields...)
	}
	if _, ok := domain.ParseRole(string(role)); !ok {
		problems.Add("role", domain.FieldInvalid, map[string]any{"allowed": "admin, manager, cashier"})
	}
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLen:
		problems.Add("password", "too_short", map[string]any{"min": MinPasswordLen})
	case len(password) > MaxPasswordLen:
		problems.Add("password", domain.FieldTooLong, map[string]any{"max": MaxPasswordLen})
	}
	if err := problems.Err(); err != nil {
		return u, err
	}
	hash, err := auth.HashPassword(password, a.passwordParams)
	if err != nil {
		return u, err
	}
	id, err := newID()
	if err != nil {
		return u, err
	}
	u = domain.User{ID: id, Username: name, Role: role, PasswordHash: hash, CreatedAt: a.now()}
	err = a.store.Write(ctx, func(tx Tx) error { return tx.CreateUser(ctx, &u) })
	return u, err
}

// EnsureFirstAdmin creates the user "admin" with a random password when there is no user at
// all, and returns that password (to be shown once). created is false when users exist.
func (a *App) EnsureFirstAdmin(ctx context.Context) (password string, created bool, err error) {
	var n int64
	if err := a.store.Read(ctx, func(tx Tx) (err error) {
		n, err = tx.CountUsers(ctx)
		return err
	}); err != nil {
		return "", false, err
	}
	if n > 0 {
		return "", false, nil
	}
	password, err = auth.RandomPassword()
	if err != nil {
		return "", false, err
	}
	if _, err := a.AddUser(ctx, System(), "admin", domain.RoleAdmin, password); err != nil {
		if domain.ErrorCode(err) == domain.CodeDuplicate { // another process won the race
			return "", false, nil
		}
		return "", false, err
	}
	return password, true, nil
}

// CreateAPIToken makes an API token for a user and returns its secret, which is not stored
// and cannot be shown again.
func (a *App) CreateAPIToken(ctx context.Context, p domain.Principal, username, name string) (string, error) {
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	var problems domain.Problems
	if name == "" {
		problems.Add("name", domain.FieldRequired, nil)
	} else if utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name) {
		problems.Add("name", domain.FieldTooLong, map[string]any{"max": 100})
	}
	if err := problems.Err(); err != nil {
		return "", err
	}
	secret, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	id, err := newID()
	if err != nil {
		return "", err
	}
	err = a.store.Write(ctx, func(tx Tx) error {
		u, err := tx.UserByUsername(ctx, strings.TrimSpace(username))
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "username", Code: "unknown_user"}}}
		}
		if err != nil {
			return err
		}
		return tx.CreateAPIToken(ctx, &domain.APIToken{ID: id, UserID: u.ID, Name: name, Hash: hash, CreatedAt: a.now()})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// AuthenticateToken returns who holds a bearer token.
func (a *App) AuthenticateToken(ctx context.Context, secret string) (domain.Principal, error) {
	var p domain.Principal
	if !strings.HasPrefix(secret, auth.TokenPrefix) || len(secret) > 200 {
		return p, domain.Errorf(domain.CodeUnauthenticated)
	}
	hash := auth.HashToken(secret)
	now := a.clock()
	if p, ok := a.tokens.get(hash, now); ok {
		return p, nil
	}
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		p, err = tx.PrincipalByTokenHash(ctx, hash)
		return err
	})
	if err == nil {
		a.tokens.put(hash, p, now)
	}
	return p, err
}

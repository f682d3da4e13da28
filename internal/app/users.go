package app

import (
	"context"
	"log/slog"
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

// passwordProblems checks a new password against the bounds.
func passwordProblems(problems *domain.Problems, field, password string) {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLen:
		problems.Add(field, "too_short", map[string]any{"min": MinPasswordLen})
	case len(password) > MaxPasswordLen:
		problems.Add(field, domain.FieldTooLong, map[string]any{"max": MaxPasswordLen})
	}
}

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
	role, ok := domain.ParseRole(string(role))
	if !ok {
		problems.Add("role", domain.FieldInvalid, map[string]any{"allowed": "admin, manager, cashier"})
	}
	passwordProblems(&problems, "password", password)
	if err := problems.Err(); err != nil {
		return u, err
	}
	hash, err := a.passwordHasher.Hash(ctx, password)
	if err != nil {
		return u, passwordError(err, "hash password")
	}
	id, err := newID()
	if err != nil {
		return u, err
	}
	u = domain.User{ID: id, Username: name, Role: role, PasswordHash: hash, CreatedAt: a.now()}
	err = a.store.Write(ctx, func(tx Tx) error {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionUserCreate, "user", u.ID, []string{"username", "role", "password"}, map[string]any{"role": string(role)})
	})
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

// User returns one user (admin: PermUsersManage).
func (a *App) User(ctx context.Context, p domain.Principal, id string) (domain.User, error) {
	var u domain.User
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return u, err
	}
	if !ValidID(id) {
		return u, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		u, err = tx.UserByID(ctx, id)
		return err
	})
	return u, err
}

// Users lists every user by username (admin: PermUsersManage). Password hashes are left out.
func (a *App) Users(ctx context.Context, p domain.Principal) ([]domain.User, error) {
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return nil, err
	}
	var users []domain.User
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		users, err = tx.Users(ctx)
		return err
	})
	return users, err
}

func conflict(reason string) error {
	return &domain.Error{Code: domain.CodeConflict, Details: map[string]any{"reason": reason}}
}

// keepsAnAdmin refuses a change that takes u out of the enabled admins when u is the last
// one. The caller holds tx.LockUsers.
func keepsAnAdmin(ctx context.Context, tx Tx, u domain.User) error {
	if !u.EnabledAdmin() {
		return nil
	}
	n, err := tx.CountEnabledAdmins(ctx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return conflict(domain.ReasonLastAdmin)
	}
	return nil
}

// SetUserRole changes a user's role; refuses (CodeConflict, reason last_admin) to leave no
// enabled admin. The user's sessions and tokens carry the new role at once.
func (a *App) SetUserRole(ctx context.Context, p domain.Principal, userID string, role domain.Role) error {
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return err
	}
	role, ok := domain.ParseRole(string(role))
	if !ok {
		return (domain.Problems{{Field: "role", Code: domain.FieldInvalid, Params: map[string]any{"allowed": "admin, manager, cashier"}}}).Err()
	}
	if !ValidID(userID) {
		return domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Write(ctx, func(tx Tx) error {
		if err := tx.LockUsers(ctx); err != nil {
			return err
		}
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if u.Role == role {
			return nil
		}
		if role != domain.RoleAdmin {
			if err := keepsAnAdmin(ctx, tx, u); err != nil {
				return err
			}
		}
		if err := tx.SetUserRole(ctx, userID, role); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionUserSetRole, "user", userID, []string{"role"},
			map[string]any{"from": string(u.Role), "to": string(role)})
	})
	if err != nil {
		return err
	}
	a.tokens.clear()
	return nil
}

// SetUserDisabled disables or re-enables a user; disabling ends their sessions and stops
// their API tokens at once; refuses to disable yourself (reason self) or the last enabled
// admin (reason last_admin).
func (a *App) SetUserDisabled(ctx context.Context, p domain.Principal, userID string, disabled bool) error {
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return err
	}
	if !ValidID(userID) {
		return domain.Errorf(domain.CodeNotFound)
	}
	if disabled && userID == p.UserID {
		return conflict(domain.ReasonSelf)
	}
	err := a.store.Write(ctx, func(tx Tx) error {
		if err := tx.LockUsers(ctx); err != nil {
			return err
		}
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if u.Enabled() != disabled {
			return nil // already so
		}
		if !disabled {
			if err := tx.SetUserDisabledAt(ctx, userID, nil); err != nil {
				return err
			}
			return a.audit(ctx, tx, p, domain.ActionUserEnable, "user", userID, []string{"disabled"}, nil)
		}
		if err := keepsAnAdmin(ctx, tx, u); err != nil {
			return err
		}
		now := a.now()
		if err := tx.SetUserDisabledAt(ctx, userID, &now); err != nil {
			return err
		}
		n, err := tx.DeleteUserSessions(ctx, userID, "")
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionUserDisable, "user", userID, []string{"disabled"}, map[string]any{"sessions_ended": n})
	})
	if err != nil {
		return err
	}
	a.tokens.clear()
	return nil
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
		// A user's live tokens have different names: the name is how an admin tells two
		// tills apart, and a form posted twice (a reload) then makes one token, not two.
		tokens, err := tx.APITokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			if t.UserID == u.ID && t.RevokedAt == nil && strings.EqualFold(t.Name, name) {
				return &domain.Error{Code: domain.CodeDuplicate, Fields: []domain.FieldError{{Field: "name", Code: domain.FieldTaken}}}
			}
		}
		if err := tx.CreateAPIToken(ctx, &domain.APIToken{ID: id, UserID: u.ID, Name: name, Hash: hash, CreatedAt: a.now()}); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionAPITokenCreate, "api_token", id, []string{"name"}, map[string]any{"user_id": u.ID})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// APITokens lists every API token with its user's name, newest first, revoked ones included
// (admin).
func (a *App) APITokens(ctx context.Context, p domain.Principal) ([]domain.APIToken, error) {
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return nil, err
	}
	var tokens []domain.APIToken
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		tokens, err = tx.APITokens(ctx)
		return err
	})
	return tokens, err
}

// RevokeAPIToken revokes a token at once (empties the token cache). Revoking a revoked token
// changes nothing.
func (a *App) RevokeAPIToken(ctx context.Context, p domain.Principal, tokenID string) error {
	if err := authorize(p, domain.PermUsersManage); err != nil {
		return err
	}
	if !ValidID(tokenID) {
		return domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Write(ctx, func(tx Tx) error {
		k, err := tx.APIToken(ctx, tokenID)
		if err != nil {
			return err
		}
		if k.RevokedAt != nil {
			return nil
		}
		if err := tx.RevokeAPIToken(ctx, tokenID, a.now()); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionAPITokenRevoke, "api_token", tokenID, []string{"revoked"}, map[string]any{"user_id": k.UserID})
	})
	if err != nil {
		return err
	}
	a.tokens.clear()
	return nil
}

// AuthenticateToken returns who holds a bearer token. Revoked tokens and tokens of disabled
// users are refused.
func (a *App) AuthenticateToken(ctx context.Context, secret string) (domain.Principal, error) {
	var p domain.Principal
	if !strings.HasPrefix(secret, auth.TokenPrefix) || len(secret) > 200 {
		return p, domain.Errorf(domain.CodeUnauthenticated)
	}
	hash := auth.HashToken(secret)
	p, ok := a.tokens.get(hash)
	if !ok {
		gen := a.tokens.begin()
		err := a.store.ReadOne(ctx, func(tx Tx) (err error) {
			p, err = tx.PrincipalByTokenHash(ctx, hash)
			return err
		})
		if err != nil {
			return domain.Principal{}, err
		}
		a.tokens.put(hash, p, gen)
	}
	// At most once a minute per token and process, cached or not. (The write does not touch
	// what the change feed's access topic watches, so it empties no cache.)
	if a.tokenUses.due(p.TokenID, a.clock()) {
		at := a.now()
		if err := a.store.Write(ctx, func(tx Tx) error {
			return tx.TouchAPIToken(ctx, p.TokenID, at, at.Add(-tokenTouchEvery))
		}); err != nil {
			a.log.WarnContext(ctx, "record api token use", slog.String("token_id", p.TokenID), slog.Any("error", err))
		}
	}
	return p, nil
}

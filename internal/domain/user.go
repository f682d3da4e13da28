package domain

import (
	"strings"
	"time"
)

// Role is what a user may do, as DESIGN.md "Security model" sets out.
type Role string

// Roles.
const (
	RoleAdmin   Role = "admin"
	RoleManager Role = "manager"
	RoleCashier Role = "cashier"
)

// ParseRole checks a role name.
func ParseRole(s string) (Role, bool) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleAdmin, RoleManager, RoleCashier:
		return r, true
	}
	return "", false
}

// Permission is one thing a role may or may not do.
type Permission string

// Permissions. Each route and each use case names the one it needs.
const (
	PermCustomersRead   Permission = "customers.read"
	PermCustomersCreate Permission = "customers.create"
	PermCustomersUpdate Permission = "customers.update"
	PermCustomersDelete Permission = "customers.delete"
	PermGroupsRead      Permission = "groups.read"
	PermGroupsWrite     Permission = "groups.write"
	PermAuditRead       Permission = "audit.read"
	PermUsersManage     Permission = "users.manage"
)

// Can reports whether role has permission p. Admins may do everything; managers run the
// register; cashiers read and create customers and read groups (they need the discounts).
func (r Role) Can(p Permission) bool {
	switch r {
	case RoleAdmin:
		return true
	case RoleManager:
		switch p {
		case PermCustomersRead, PermCustomersCreate, PermCustomersUpdate, PermCustomersDelete,
			PermGroupsRead, PermGroupsWrite:
			return true
		}
	case RoleCashier:
		switch p {
		case PermCustomersRead, PermCustomersCreate, PermGroupsRead:
			return true
		}
	}
	return false
}

// User is someone who signs in to the backoffice or owns API tokens.
type User struct {
	ID           string
	Username     string
	Role         Role
	PasswordHash string
	CreatedAt    time.Time
}

// MaxUsernameLen bounds user names.
const MaxUsernameLen = 64

// PrepareUsername trims and checks a user name: ASCII letters, digits, dot, dash, underscore
// and @ (so that an e-mail address can be a user name).
func PrepareUsername(s string) (string, error) {
	s = strings.TrimSpace(s)
	var p Problems
	switch {
	case s == "":
		p.Add("username", FieldRequired, nil)
	case len(s) > MaxUsernameLen:
		p.Add("username", FieldTooLong, map[string]any{"max": MaxUsernameLen})
	default:
		for _, r := range s {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' || r == '@') {
				p.Add("username", FieldInvalid, nil)
				break
			}
		}
	}
	return s, p.Err()
}

// Principal is who is acting: a signed-in user, or a user through one of their API tokens.
type Principal struct {
	UserID   string
	Username string
	Role     Role
	TokenID  string // empty for a session
}

// APIToken is a bearer token's record; only a hash of the secret is stored.
type APIToken struct {
	ID         string
	UserID     string
	Name       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

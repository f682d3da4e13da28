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
	PermSettingsManage  Permission = "settings.manage"
	// The till: open, ring up and close tickets; read and reprint invoices; rectify them.
	PermTillUse         Permission = "till.use"
	PermInvoicesRead    Permission = "invoices.read"
	PermInvoicesRectify Permission = "invoices.rectify"
	// Customer accounts: read balances and statements, take payments and deposits (the till);
	// adjust a balance by hand, let a sale pass the credit limit, read the debtors report
	// (managers); the account plan and the accounting export.
	PermAccountsRead     Permission = "accounts.read"
	PermAccountsPay      Permission = "accounts.pay"
	PermAccountsAdjust   Permission = "accounts.adjust"
	PermAccountsOverride Permission = "accounts.override_limit"
	PermReportsRead      Permission = "reports.read"
	PermExportsRun       Permission = "exports.run"
	// Messages to customers (issue 10): write to one customer, a group or a search of the
	// register, and read the campaigns sent (managers).
	PermMessagesSend Permission = "messages.send"
)

// Can reports whether role has permission p. Admins may do everything; managers run the
// register and rectify invoices; cashiers read and create customers and read groups (they
// need the discounts), and run the till: tickets, closing them, reprinting invoices.
func (r Role) Can(p Permission) bool {
	switch r {
	case RoleAdmin:
		return true
	case RoleManager:
		switch p {
		case PermCustomersRead, PermCustomersCreate, PermCustomersUpdate, PermCustomersDelete,
			PermGroupsRead, PermGroupsWrite,
			PermTillUse, PermInvoicesRead, PermInvoicesRectify,
			PermAccountsRead, PermAccountsPay, PermAccountsAdjust, PermAccountsOverride,
			PermReportsRead, PermExportsRun,
			PermMessagesSend:
			return true
		}
	case RoleCashier:
		switch p {
		case PermCustomersRead, PermCustomersCreate, PermGroupsRead,
			PermTillUse, PermInvoicesRead, PermAccountsRead, PermAccountsPay:
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
	PasswordHash string // empty in listings
	Language     string // LanguageSpanish, LanguageEnglish or LanguageBrowser
	CreatedAt    time.Time
	DisabledAt   *time.Time // nil while the user may sign in
}

// Enabled reports whether the user may sign in and use their API tokens.
func (u User) Enabled() bool { return u.DisabledAt == nil }

// EnabledAdmin reports whether u counts towards the administrators that must remain.
func (u User) EnabledAdmin() bool { return u.Role == RoleAdmin && u.Enabled() }

// A user's language for the backoffice.
const (
	LanguageSpanish = "es"
	LanguageEnglish = "en"
	LanguageBrowser = "" // follow the browser's Accept-Language
)

// ParseLanguage checks a user's language choice.
func ParseLanguage(s string) (string, bool) {
	switch l := strings.ToLower(strings.TrimSpace(s)); l {
	case LanguageSpanish, LanguageEnglish, LanguageBrowser:
		return l, true
	}
	return "", false
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
	Language string // the user's choice; empty: follow the browser
	TokenID  string // empty for a session
	// SessionID is the stored id of the session (a hash of the cookie's secret, never the
	// secret); empty for API tokens.
	SessionID string
}

// APIToken is a bearer token's record; only a hash of the secret is stored.
type APIToken struct {
	ID         string
	UserID     string
	Username   string // filled in listings
	Name       string
	Hash       string // empty in listings
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time // nil while the token works
}

// Audit actions on users and API tokens. Entries name the changed fields, never passwords or
// secrets.
const (
	ActionUserCreate         = "user.create"
	ActionUserSetRole        = "user.set_role"
	ActionUserDisable        = "user.disable"
	ActionUserEnable         = "user.enable"
	ActionUserChangePassword = "user.change_password"
	ActionUserResetPassword  = "user.reset_password"
	ActionAPITokenCreate     = "api_token.create"
	ActionAPITokenRevoke     = "api_token.revoke"
)

// Reasons given in Details["reason"] of refusals about users.
const (
	ReasonLastAdmin          = "last_admin"          // CodeConflict: no enabled administrator would be left
	ReasonSelf               = "self"                // CodeConflict: users may not disable themselves
	ReasonInvalidCredentials = "invalid_credentials" // CodeUnauthenticated: wrong user name or password
)

package app

import (
	"context"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// Store is the storage the use cases run on. Write runs fn in one read-write transaction and
// commits it when fn returns nil; Read runs fn in a read-only one. Implementations: package
// sqlstore, on SQLite and on PostgreSQL.
type Store interface {
	Write(ctx context.Context, fn func(Tx) error) error
	Read(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is what one transaction can do. Lookups of missing rows return a domain error with
// CodeNotFound; a stale version on update returns CodePreconditionFailed; a taken unique value
// returns CodeDuplicate naming the field.
type Tx interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	PutSetting(ctx context.Context, key, value string) error

	CreateGroup(ctx context.Context, g *domain.Group) error
	Group(ctx context.Context, id string) (domain.Group, error)
	Groups(ctx context.Context, afterNameKey string, limit int) ([]domain.Group, error)
	UpdateGroup(ctx context.Context, g *domain.Group, expectedVersion int64) error
	DeleteGroup(ctx context.Context, id string) error
	GroupMemberCount(ctx context.Context, id string) (int64, error)
	MoveGroupMembers(ctx context.Context, fromID, toID string, now time.Time) (int64, error)

	CreateCustomer(ctx context.Context, c *domain.Customer) error
	Customer(ctx context.Context, id string) (domain.Customer, error)
	CustomerByReference(ctx context.Context, reference string) (domain.Customer, error)
	UpdateCustomer(ctx context.Context, c *domain.Customer, expectedVersion int64) error
	DeleteCustomer(ctx context.Context, id string) error
	// ListCustomers pages through the register in name order.
	ListCustomers(ctx context.Context, f ListFilter) ([]domain.Customer, error)
	// MatchCustomers returns customers whose indexed words start with every term, in storage
	// order (seq), after AfterSeq. It never scores matches, so it stays fast on common terms.
	MatchCustomers(ctx context.Context, f MatchFilter) ([]domain.Customer, error)
	// ExactCustomers returns customers whose reference, tax id or e-mail equals the keys given.
	ExactCustomers(ctx context.Context, referenceKey, taxID, emailKey, groupID string, limit int) ([]domain.Customer, error)

	CreateUser(ctx context.Context, u *domain.User) error
	UserByUsername(ctx context.Context, username string) (domain.User, error)
	CountUsers(ctx context.Context) (int64, error)
	CreateAPIToken(ctx context.Context, t *domain.APIToken) error
	PrincipalByTokenHash(ctx context.Context, hash string) (domain.Principal, error)

	AppendAudit(ctx context.Context, e *domain.AuditEntry) error
	AuditEntries(ctx context.Context, f AuditFilter) ([]domain.AuditEntry, error)
}

// ListFilter pages through customers in name order.
type ListFilter struct {
	GroupID  string
	AfterKey string // sort key of the last row of the previous page
	AfterSeq int64  // and its seq; zero for the first page
	Limit    int
}

// MatchFilter is a search over the full-text index.
type MatchFilter struct {
	Terms    []string // folded, letters and digits only (search.QueryTerms)
	GroupID  string
	AfterSeq int64
	Limit    int
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	EntityType string
	EntityID   string
	BeforeID   int64 // zero: from the newest
	Limit      int
}

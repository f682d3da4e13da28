package app

import (
	"context"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// PrivacyStore is what privacy requests and the retention run read and write
// (sqlstore/privacy.go). The erasing writes change only what the invoices' and ledger's
// immutability triggers allow: a customer's snapshot columns blanked (the empty string) and
// a ledger entry's customer_name blanked.
type PrivacyStore interface {
	// CustomerMail lists the messages to a customer (customer_id) or about one of their
	// invoices, oldest first.
	CustomerMail(ctx context.Context, customerID string) ([]domain.OutboxMessage, error)
	// CustomerUnsubscribes lists a customer's one-click opt-outs, oldest first.
	CustomerUnsubscribes(ctx context.Context, customerID string) ([]Unsubscribe, error)

	// EraseInvoiceSnapshots blanks the customer snapshot of a customer's invoices: on full
	// invoices (F1, R1) everything but the name, tax id and address (which the law requires
	// them to keep); on simplified ones (F2, R5) everything. It returns how many full
	// invoices keep a name, and how many invoices it changed.
	EraseInvoiceSnapshots(ctx context.Context, customerID string) (fullKept, changed int64, err error)
	// EraseLedgerNames blanks the customer_name of a customer's ledger entries.
	EraseLedgerNames(ctx context.Context, customerID string) (int64, error)
	// EraseCustomerMail drops what is still queued to a customer or about their invoices and
	// blanks the recipient, subject, bytes and server answers of every such message, sent
	// ones included. It returns how many messages it blanked.
	EraseCustomerMail(ctx context.Context, customerID string, now time.Time) (int64, error)
	// DeleteUnsubscribes removes a customer's opt-out records.
	DeleteUnsubscribes(ctx context.Context, customerID string) (int64, error)
	// EraseCampaigns blanks the subject of the messages written to this customer alone, and
	// the search text of campaigns whose text holds one of needles (lower case).
	EraseCampaigns(ctx context.Context, customerID string, needles []string) (int64, error)
	// AuditEntriesAbout returns, oldest first, the audit entries about the customer f.ID
	// (entity "customer" and that id), those of f.IDs, and those after f.AfterID whose
	// details hold f.ID or one of f.Needles (lower case, compared with the details in lower
	// case; a scan of the log after f.AfterID).
	AuditEntriesAbout(ctx context.Context, f AuditSearch) ([]domain.AuditEntry, error)
	// LastAuditID is the newest audit entry's id (0 for none).
	LastAuditID(ctx context.Context) (int64, error)
	// SetAuditDetails replaces an audit entry's details.
	SetAuditDetails(ctx context.Context, id int64, details map[string]any) error
	// DeleteIdempotencyKeys removes the keys of scope whose request starts with prefix.
	DeleteIdempotencyKeys(ctx context.Context, scope, prefix string) (int64, error)

	// ExpiredCounts counts the invoices issued before, and the ledger entries created
	// before, that still hold personal data.
	ExpiredCounts(ctx context.Context, before time.Time) (invoices, ledgerEntries int64, err error)
	// AnonymiseExpired blanks the customer snapshot of every invoice issued before, and the
	// customer_name of every ledger entry created before, limit rows of each at most; it
	// returns how many it changed.
	AnonymiseExpired(ctx context.Context, before time.Time, limit int) (invoices, ledgerEntries int64, err error)
}

// AuditSearch selects the audit entries an erasure scrubs (PrivacyStore.AuditEntriesAbout).
type AuditSearch struct {
	ID      string
	Needles []string
	IDs     []int64
	AfterID int64
}

// Unsubscribe is one opt-out through a campaign's link.
type Unsubscribe struct {
	CampaignID string    `json:"campaign_id"`
	At         time.Time `json:"at"`
}

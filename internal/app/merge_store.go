package app

import (
	"context"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// MergeStore is what a transaction does to merge two customers (sqlstore/merge.go).
type MergeStore interface {
	// LockCustomer holds a customer's row until the transaction ends (a concurrent edit
	// waits) and returns its current version; CodeNotFound when there is none.
	LockCustomer(ctx context.Context, id string) (int64, error)
	// LockCustomerTickets holds the open tickets of a customer until the transaction ends (a
	// till closing one waits, then finds the customer the merge left on it).
	LockCustomerTickets(ctx context.Context, customerID string) error
	// MergeCounts counts what a merge would move away from the customer id.
	MergeCounts(ctx context.Context, id string) (MergeMoves, error)
	// MoveCustomerRecords moves to the customer to everything keyed by the customer fromID:
	// invoices (only customer_id: their snapshots stay as issued), ledger entries, the
	// account's balance and entry count (added to to's; fromID's row goes), open tickets
	// (which take to's group and discount, and a new version), e-mails of the outbox,
	// campaigns addressed to fromID alone, and unsubscribes. It returns what it moved.
	MoveCustomerRecords(ctx context.Context, fromID string, to domain.TicketCustomer, now time.Time) (MergeMoves, error)
	// LastConsentChange returns when the audit log last recorded a change of a customer's
	// marketing consent (nil: never).
	LastConsentChange(ctx context.Context, customerID string) (*time.Time, error)
}

// MergeMoves counts what a merge moves from the absorbed customer to the survivor.
type MergeMoves struct {
	Invoices          int64 `json:"invoices"`            // every invoice, rectifying ones too
	InvoiceTotalCents int64 `json:"invoice_total_cents"` // their totals, returns subtracted
	LedgerEntries     int64 `json:"ledger_entries"`
	BalanceCents      int64 `json:"balance_cents"` // the absorbed account's balance
	Tickets           int64 `json:"open_tickets"`  // open tickets at the till
	Messages          int64 `json:"messages"`      // e-mails of the outbox, sent or not
	Campaigns         int64 `json:"campaigns"`     // campaigns addressed to the customer alone
	Unsubscribes      int64 `json:"unsubscribes"`
}

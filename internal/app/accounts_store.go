package app

import (
	"context"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// AccountStore is what a transaction does to customer accounts (sqlstore/ledger.go).
type AccountStore interface {
	// PostLedgerEntry books e on its customer's account: it moves the balance by
	// e.AmountCents, holding the account until the transaction ends (so postings to one
	// account, from any till or process, take turns and none is lost), sets e.BalanceCents
	// to the balance after it and e.Seq, and stores the entry.
	PostLedgerEntry(ctx context.Context, e *domain.LedgerEntry) error
	// LockAccount holds a customer's account until the transaction ends (postings from
	// other transactions wait) and returns its balance: a check made on it stays true until
	// the posting that follows in the same transaction.
	LockAccount(ctx context.Context, customerID string, at time.Time) (int64, error)
	// LedgerEntry returns one entry by id.
	LedgerEntry(ctx context.Context, id string) (domain.LedgerEntry, error)
	// DeleteAccount removes a customer's balance row (a zero balance: the customer is
	// deleted); the entries stay.
	DeleteAccount(ctx context.Context, customerID string) error
	// AccountBalance returns a customer's balance: 0 without entries.
	AccountBalance(ctx context.Context, customerID string) (int64, error)
	// LedgerEntries returns entries of one customer (or of all when CustomerID is empty).
	LedgerEntries(ctx context.Context, f LedgerFilter) ([]domain.LedgerEntry, error)
	// LedgerBalanceBefore returns a customer's balance just before at: the balance after
	// their last entry created before it (0 without one).
	LedgerBalanceBefore(ctx context.Context, customerID string, at time.Time) (int64, error)
}

// LedgerFilter selects ledger entries: newest first, or oldest first with Ascending.
type LedgerFilter struct {
	CustomerID string
	From, To   time.Time // zero: unbounded; To is exclusive
	// Cursor: strictly after the entry with this Seq in the order asked (0: from the start).
	AfterSeq  int64
	Ascending bool
	Limit     int
}

// JournalReads is what the accounting export reads (sqlstore/journal.go): pages in
// chronological order, so that an export of a year streams through bounded memory.
type JournalReads interface {
	// JournalInvoices returns invoices issued in [f.From, f.To) after the position f.After,
	// ordered by (issued_at, seq), at most f.Limit, each with its VAT lines and payments but
	// no lines, and of its customer snapshot only the id, kind, names and account number.
	JournalInvoices(ctx context.Context, f JournalFilter) ([]domain.Invoice, error)
	// JournalLedgerEntries returns the ledger entries of the kinds that make entries of their
	// own (payment, deposit, adjustment) created in [f.From, f.To) after f.After, ordered by
	// (created_at, seq), at most f.Limit.
	JournalLedgerEntries(ctx context.Context, f JournalFilter) ([]domain.LedgerEntry, error)
	// JournalCounts counts what those two read over the whole period.
	JournalCounts(ctx context.Context, from, to time.Time) (invoices, ledgerEntries int64, err error)
}

// JournalFilter is a page of a period: [From, To), strictly after the row (AfterAt,
// AfterSeq) (AfterSeq 0: from the start).
type JournalFilter struct {
	From, To time.Time
	AfterAt  time.Time
	AfterSeq int64
	Limit    int
}

// ReportReads is what the debtors and creditors reports read (sqlstore/reports.go).
type ReportReads interface {
	// AccountHolders lists the customers of the register on one side of their accounts,
	// the largest amount first: debtors by balance (highest first), creditors by credit
	// (lowest balance first); ties by customer id in the same direction. It starts after
	// the row f.AfterBalance, f.AfterID (f.AfterID "" for the first page).
	AccountHolders(ctx context.Context, f HolderFilter) ([]AccountHolder, error)
	// HolderTotals counts the customers of the register on one side and sums their balances.
	HolderTotals(ctx context.Context, side BalanceSide) (count, sumCents int64, err error)
	// DebtEntries returns, for each customer given, the entries that raised their balance
	// (amount > 0), newest first, only as many as it takes to cover their balance: what
	// domain.AgeDebt needs, and none of the older history. A customer who owes nothing
	// has none.
	DebtEntries(ctx context.Context, customerIDs []string) (map[string][]domain.LedgerEntry, error)
	// AccountBalances returns the balances of the customers given that have an account.
	AccountBalances(ctx context.Context, customerIDs []string) (map[string]int64, error)
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// PostLedgerEntry moves the account's balance with one upsert whose RETURNING gives the
// balance after it: on PostgreSQL the statement takes the account's row lock (a second
// posting to the same account waits for the first to commit, then adds to its balance), and
// SQLite writes one transaction at a time. The entry is stored with that balance.
func (t *tx) PostLedgerEntry(ctx context.Context, e *domain.LedgerEntry) error {
	at := t.d.ts(e.CreatedAt)
	err := t.queryRow(ctx, `INSERT INTO customer_accounts (customer_id, balance_cents, entries, updated_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (customer_id) DO UPDATE SET balance_cents = customer_accounts.balance_cents + excluded.balance_cents,
			entries = customer_accounts.entries + 1, updated_at = excluded.updated_at
		RETURNING balance_cents`, e.CustomerID, e.AmountCents, at).Scan(&e.BalanceCents)
	if err != nil {
		return fmt.Errorf("move account balance: %w", err)
	}
	err = t.queryRow(ctx, `INSERT INTO ledger_entries (id, customer_id, customer_name, account_number, kind, amount_cents, balance_cents,
			method, invoice_id, invoice_number, reason, limit_override, user_id, username, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		e.ID, e.CustomerID, e.CustomerName, e.AccountNumber, string(e.Kind), e.AmountCents, e.BalanceCents,
		string(e.Method), nullString(e.InvoiceID), e.InvoiceNumber, e.Reason, e.LimitOverride, e.UserID, e.Username, at).Scan(&e.Seq)
	if err != nil {
		return fmt.Errorf("store ledger entry: %w", err)
	}
	return nil
}

// LockAccount: an upsert that changes nothing still takes the row's lock on PostgreSQL
// (INSERT … ON CONFLICT DO UPDATE locks the conflicting row), and SQLite writes one
// transaction at a time. SELECT … FOR UPDATE would do on PostgreSQL only.
func (t *tx) LockAccount(ctx context.Context, customerID string, at time.Time) (int64, error) {
	var b int64
	err := t.queryRow(ctx, `INSERT INTO customer_accounts (customer_id, balance_cents, entries, updated_at) VALUES (?, 0, 0, ?)
		ON CONFLICT (customer_id) DO UPDATE SET balance_cents = customer_accounts.balance_cents
		RETURNING balance_cents`, customerID, t.d.ts(at)).Scan(&b)
	if err != nil {
		return 0, fmt.Errorf("lock customer account: %w", err)
	}
	return b, nil
}

func (t *tx) LedgerEntry(ctx context.Context, id string) (domain.LedgerEntry, error) {
	e, err := scanLedgerEntry(t.queryRow(ctx, "SELECT "+ledgerColumns+" FROM ledger_entries WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, domain.Errorf(domain.CodeNotFound)
	}
	return e, err
}

func (t *tx) DeleteAccount(ctx context.Context, customerID string) error {
	if _, err := t.exec(ctx, "DELETE FROM customer_accounts WHERE customer_id = ?", customerID); err != nil {
		return fmt.Errorf("delete customer account: %w", err)
	}
	return nil
}

func (t *tx) AccountBalance(ctx context.Context, customerID string) (int64, error) {
	var b int64
	err := t.queryRow(ctx, "SELECT balance_cents FROM customer_accounts WHERE customer_id = ?", customerID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read account balance: %w", err)
	}
	return b, nil
}

// LedgerBalanceBefore is the balance now less what the customer's entries from at on added:
// the sum of every entry before at, even where a merge interleaved two customers' entries
// (whose stored balance_cents are each their own customer's; see LedgerEntries).
func (t *tx) LedgerBalanceBefore(ctx context.Context, customerID string, at time.Time) (int64, error) {
	var b int64
	err := t.queryRow(ctx, `SELECT COALESCE((SELECT balance_cents FROM customer_accounts WHERE customer_id = ?), 0) -
		(SELECT CAST(COALESCE(SUM(amount_cents), 0) AS bigint) FROM ledger_entries WHERE customer_id = ? AND created_at >= ?)`,
		customerID, customerID, t.d.ts(at)).Scan(&b)
	if err != nil {
		return 0, fmt.Errorf("read opening balance: %w", err)
	}
	return b, nil
}

// runningBalances sets each entry's BalanceCents, rows being one customer's entries in seq
// order (descending unless ascending), to the balance after it as the customer's account
// holds it now: the balance less every later entry. The stored balance_cents is the balance
// of the customer the entry was booked on, at the time; after a merge moves the absorbed
// customer's entries to the survivor, the two histories interleave and only a sum over the
// survivor's entries is right. It reads the entries after the page only (none for the
// first page of an account, newest first).
func (t *tx) runningBalances(ctx context.Context, customerID string, rows []domain.LedgerEntry, ascending bool) error {
	if len(rows) == 0 {
		return nil
	}
	newest := rows[0]
	if ascending {
		newest = rows[len(rows)-1]
	}
	var b int64
	err := t.queryRow(ctx, `SELECT COALESCE((SELECT balance_cents FROM customer_accounts WHERE customer_id = ?), 0) -
		(SELECT CAST(COALESCE(SUM(amount_cents), 0) AS bigint) FROM ledger_entries WHERE customer_id = ? AND seq > ?)`,
		customerID, customerID, newest.Seq).Scan(&b)
	if err != nil {
		return fmt.Errorf("read running balance: %w", err)
	}
	if ascending {
		for i := len(rows) - 1; i >= 0; i-- {
			rows[i].BalanceCents = b
			b -= rows[i].AmountCents
		}
		return nil
	}
	for i := range rows {
		rows[i].BalanceCents = b
		b -= rows[i].AmountCents
	}
	return nil
}

// ledgerColumns are read by scanLedgerEntry, in this order.
const ledgerColumns = `seq, id, customer_id, customer_name, account_number, kind, amount_cents, balance_cents,
	method, invoice_id, invoice_number, reason, limit_override, user_id, username, created_at`

func (t *tx) LedgerEntries(ctx context.Context, f app.LedgerFilter) ([]domain.LedgerEntry, error) {
	q := "SELECT " + ledgerColumns + " FROM ledger_entries WHERE 1 = 1"
	var args []any
	if f.CustomerID != "" {
		q += " AND customer_id = ?"
		args = append(args, f.CustomerID)
	}
	if !f.From.IsZero() {
		q += " AND created_at >= ?"
		args = append(args, t.d.ts(f.From))
	}
	if !f.To.IsZero() {
		q += " AND created_at < ?"
		args = append(args, t.d.ts(f.To))
	}
	// seq grows with created_at within one database (entries are stamped inside the
	// transaction that numbers them), so seq alone orders and pages them.
	order := "DESC"
	if f.Ascending {
		order = "ASC"
	}
	if f.AfterSeq > 0 {
		if f.Ascending {
			q += " AND seq > ?"
		} else {
			q += " AND seq < ?"
		}
		args = append(args, f.AfterSeq)
	}
	q += " ORDER BY seq " + order
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list ledger entries: %w", err)
	}
	defer rows.Close()
	var out []domain.LedgerEntry
	for rows.Next() {
		e, err := scanLedgerEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list ledger entries: %w", err)
	}
	if f.CustomerID != "" {
		if err := t.runningBalances(ctx, f.CustomerID, out, f.Ascending); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanLedgerEntry(rows interface{ Scan(...any) error }) (domain.LedgerEntry, error) {
	var e domain.LedgerEntry
	var kind, method string
	var invoiceID sql.NullString
	if err := rows.Scan(&e.Seq, &e.ID, &e.CustomerID, &e.CustomerName, &e.AccountNumber, &kind, &e.AmountCents, &e.BalanceCents,
		&method, &invoiceID, &e.InvoiceNumber, &e.Reason, &e.LimitOverride, &e.UserID, &e.Username, timeCol{&e.CreatedAt}); err != nil {
		return e, fmt.Errorf("read ledger entry: %w", err)
	}
	e.Kind, e.Method, e.InvoiceID = domain.LedgerKind(kind), domain.TenderMethod(method), invoiceID.String
	return e, nil
}

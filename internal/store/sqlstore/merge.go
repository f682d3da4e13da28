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

// LockCustomer: an update that changes nothing takes the row's lock on PostgreSQL and, in
// READ COMMITTED, returns the version last committed; SQLite writes one transaction at a time.
func (t *tx) LockCustomer(ctx context.Context, id string) (int64, error) {
	var v int64
	err := t.queryRow(ctx, "UPDATE customers SET version = version WHERE id = ? RETURNING version", id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("lock customer: %w", err)
	}
	return v, nil
}

// LockCustomerTickets: an update that changes nothing takes the rows' locks on PostgreSQL.
func (t *tx) LockCustomerTickets(ctx context.Context, customerID string) error {
	if _, err := t.exec(ctx, "UPDATE tickets SET version = version WHERE customer_id = ?", customerID); err != nil {
		return fmt.Errorf("lock customer tickets: %w", err)
	}
	return nil
}

func (t *tx) MergeCounts(ctx context.Context, id string) (app.MergeMoves, error) {
	var m app.MergeMoves
	err := t.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM invoices WHERE customer_id = ?),
		(SELECT CAST(COALESCE(SUM(total_cents), 0) AS bigint) FROM invoices WHERE customer_id = ?),
		(SELECT COUNT(*) FROM ledger_entries WHERE customer_id = ?),
		(SELECT CAST(COALESCE(SUM(balance_cents), 0) AS bigint) FROM customer_accounts WHERE customer_id = ?),
		(SELECT COUNT(*) FROM tickets WHERE customer_id = ?),
		(SELECT COUNT(*) FROM outbox WHERE customer_id = ?),
		(SELECT COUNT(*) FROM campaigns WHERE audience = 'customer' AND audience_id = ?),
		(SELECT COUNT(*) FROM unsubscribes WHERE customer_id = ?)`,
		id, id, id, id, id, id, id, id).Scan(&m.Invoices, &m.InvoiceTotalCents, &m.LedgerEntries, &m.BalanceCents,
		&m.Tickets, &m.Messages, &m.Campaigns, &m.Unsubscribes)
	if err != nil {
		return m, fmt.Errorf("count what a merge moves: %w", err)
	}
	return m, nil
}

func (t *tx) MoveCustomerRecords(ctx context.Context, fromID string, to domain.TicketCustomer, now time.Time) (app.MergeMoves, error) {
	m, err := t.MergeCounts(ctx, fromID)
	if err != nil {
		return m, err
	}
	var entries int64
	err = t.queryRow(ctx, "SELECT entries FROM customer_accounts WHERE customer_id = ?", fromID).Scan(&entries)
	hasAccount := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("read account to merge: %w", err)
	}
	steps := []mergeStep{
		// The lead's trigger (SQLite 0014, PostgreSQL 0018) lets exactly customer_id change.
		{"invoices", "UPDATE invoices SET customer_id = ? WHERE customer_id = ?", []any{to.ID, fromID}},
		{"ledger entries", "UPDATE ledger_entries SET customer_id = ? WHERE customer_id = ?", []any{to.ID, fromID}},
		{"tickets", `UPDATE tickets SET customer_id = ?, group_id = ?, group_name = ?, discount_basis_points = ?,
			version = version + 1, updated_at = ? WHERE customer_id = ?`,
			[]any{to.ID, to.GroupID, to.GroupName, to.DiscountBasisPoints, t.d.ts(now), fromID}},
		{"outbox", "UPDATE outbox SET customer_id = ? WHERE customer_id = ?", []any{to.ID, fromID}},
		{"campaigns", "UPDATE campaigns SET audience_id = ? WHERE audience = 'customer' AND audience_id = ?", []any{to.ID, fromID}},
		// One opt-out per campaign and customer: where both followed one campaign's link,
		// the survivor's row stays.
		{"unsubscribes", `UPDATE unsubscribes SET customer_id = ? WHERE customer_id = ?
			AND campaign_id NOT IN (SELECT campaign_id FROM unsubscribes WHERE customer_id = ?)`, []any{to.ID, fromID, to.ID}},
		{"unsubscribes", "DELETE FROM unsubscribes WHERE customer_id = ?", []any{fromID}},
	}
	if hasAccount {
		steps = append(steps,
			mergeStep{"account", `INSERT INTO customer_accounts (customer_id, balance_cents, entries, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (customer_id) DO UPDATE SET balance_cents = customer_accounts.balance_cents + excluded.balance_cents,
					entries = customer_accounts.entries + excluded.entries, updated_at = excluded.updated_at`,
				[]any{to.ID, m.BalanceCents, entries, t.d.ts(now)}},
			mergeStep{"account", "DELETE FROM customer_accounts WHERE customer_id = ?", []any{fromID}})
	}
	for _, s := range steps {
		if _, err := t.exec(ctx, s.q, s.args...); err != nil {
			return m, fmt.Errorf("merge: move %s: %w", s.what, err)
		}
	}
	return m, nil
}

// mergeStep is one statement of MoveCustomerRecords.
type mergeStep struct {
	what string
	q    string
	args []any
}

func (t *tx) LastConsentChange(ctx context.Context, customerID string) (*time.Time, error) {
	var last any
	err := t.queryRow(ctx, `SELECT MAX(at) FROM audit_log WHERE entity_type = 'customer' AND entity_id = ?
		AND fields LIKE '%"marketing_consent"%'`, customerID).Scan(&last)
	if err != nil {
		return nil, fmt.Errorf("read last consent change: %w", err)
	}
	var at *time.Time
	if err := (nullTimeCol{&at}).Scan(last); err != nil {
		return nil, fmt.Errorf("read last consent change: %w", err)
	}
	return at, nil
}

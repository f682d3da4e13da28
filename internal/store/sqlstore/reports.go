package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// sideSQL is the condition on customer_accounts a (and the order) of one side. The
// condition repeats the partial index's own (balance_cents <> 0) word for word: SQLite uses
// a partial index only for a query whose WHERE holds its condition as it is written.
func sideSQL(side app.BalanceSide) (where, order, after string, err error) {
	switch side {
	case app.BalanceDebtors:
		return "a.balance_cents <> 0 AND a.balance_cents > 0", "a.balance_cents DESC, a.customer_id DESC", "<", nil
	case app.BalanceCreditors:
		return "a.balance_cents <> 0 AND a.balance_cents < 0", "a.balance_cents, a.customer_id", ">", nil
	}
	return "", "", "", fmt.Errorf("no balance side %q", side)
}

// withExtra scans a row's first columns into a scanner's targets and its last ones into extra.
type withExtra struct {
	rows  scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.extra...)...) }

// AccountHolders walks customer_accounts_debtors (only the accounts whose balance is not
// zero) in the side's order, from the page's start, and joins each row to its customer.
func (t *tx) AccountHolders(ctx context.Context, f app.HolderFilter) ([]app.AccountHolder, error) {
	q, args, err := holdersSQL(f)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list account holders: %w", err)
	}
	defer rows.Close()
	var out []app.AccountHolder
	for rows.Next() {
		var h app.AccountHolder
		if h.Customer, err = scanCustomer(withExtra{rows, []any{&h.BalanceCents}}); err != nil {
			return nil, fmt.Errorf("read account holder: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list account holders: %w", err)
	}
	return out, nil
}

func holdersSQL(f app.HolderFilter) (string, []any, error) {
	where, order, after, err := sideSQL(f.Side)
	if err != nil {
		return "", nil, err
	}
	q := "SELECT " + customerColumns + ", a.balance_cents FROM customer_accounts a JOIN customers c ON c.id = a.customer_id WHERE " + where
	var args []any
	if f.AfterID != "" {
		q += " AND (a.balance_cents, a.customer_id) " + after + " (?, ?)"
		args = append(args, f.AfterBalance, f.AfterID)
	}
	q += " ORDER BY " + order + " LIMIT ?"
	return q, append(args, f.Limit), nil
}

// HoldersSQL returns AccountHolders' statement in the backend's placeholder style, so that
// tests can check its plan.
func (db *DB) HoldersSQL(f app.HolderFilter) (string, []any, error) {
	q, args, err := holdersSQL(f)
	return db.d.rebind(q), args, err
}

func (t *tx) HolderTotals(ctx context.Context, side app.BalanceSide) (count, sum int64, err error) {
	where, _, _, err := sideSQL(side)
	if err != nil {
		return 0, 0, err
	}
	err = t.queryRow(ctx, "SELECT COUNT(*), CAST(COALESCE(SUM(a.balance_cents), 0) AS BIGINT) FROM customer_accounts a JOIN customers c ON c.id = a.customer_id WHERE "+where).
		Scan(&count, &sum)
	if err != nil {
		return 0, 0, fmt.Errorf("total account holders: %w", err)
	}
	return count, sum, nil
}

// DebtEntries reads each customer's positive entries newest first along
// ledger_entries_customer, with the sum of the newer ones beside each (a window), and keeps
// those whose newer ones do not yet cover the balance (looked up by primary key): only those
// travel. It joins nothing, so that no plan can walk the ledger once per account.
func (t *tx) DebtEntries(ctx context.Context, customerIDs []string) (map[string][]domain.LedgerEntry, error) {
	out := map[string][]domain.LedgerEntry{}
	if len(customerIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(customerIDs))
	for i, id := range customerIDs {
		args[i] = id
	}
	rows, err := t.query(ctx, debtEntriesSQL(len(customerIDs)), args...)
	if err != nil {
		return nil, fmt.Errorf("read debt entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanLedgerEntry(rows)
		if err != nil {
			return nil, err
		}
		out[e.CustomerID] = append(out[e.CustomerID], e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read debt entries: %w", err)
	}
	return out, nil
}

// DebtEntriesSQL returns DebtEntries' statement for n customers in the backend's placeholder
// style, so that tests can check its plan.
func (db *DB) DebtEntriesSQL(n int) string { return db.d.rebind(debtEntriesSQL(n)) }

func debtEntriesSQL(n int) string {
	return `SELECT ` + ledgerColumns + ` FROM (
		SELECT e.*, SUM(e.amount_cents) OVER (PARTITION BY e.customer_id ORDER BY e.seq DESC
			ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS newer
		FROM ledger_entries e
		WHERE e.customer_id IN (?` + strings.Repeat(", ?", n-1) + `) AND e.amount_cents > 0
	) x WHERE COALESCE(newer, 0) < (SELECT a.balance_cents FROM customer_accounts a WHERE a.customer_id = x.customer_id)
	ORDER BY customer_id, seq DESC`
}

func (t *tx) AccountBalances(ctx context.Context, customerIDs []string) (map[string]int64, error) {
	out := make(map[string]int64, len(customerIDs))
	if len(customerIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(customerIDs))
	for i, id := range customerIDs {
		args[i] = id
	}
	rows, err := t.query(ctx, "SELECT customer_id, balance_cents FROM customer_accounts WHERE customer_id IN (?"+
		strings.Repeat(", ?", len(customerIDs)-1)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("read balances: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var b int64
		if err := rows.Scan(&id, &b); err != nil {
			return nil, fmt.Errorf("read balances: %w", err)
		}
		out[id] = b
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read balances: %w", err)
	}
	return out, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// journalLedgerKinds are the ledger kinds the journal reads; the others (sale, credit use,
// credit note) are carried by their invoices.
const journalLedgerKinds = "('payment', 'deposit', 'adjustment')"

// queryRepeated runs q, which this transaction runs once per page of a long read: prepared
// on the transaction's connection the first time and reused after (statements of the pool's
// cache are prepared only between transactions, so a statement new to it would be parsed
// for every page).
func (t *tx) queryRepeated(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if t.tx == nil {
		return t.query(ctx, q, args...)
	}
	q = t.d.rebind(q)
	if st := t.statement(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	st, ok := t.local[q]
	if !ok {
		var err error
		if st, err = t.tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		if t.local == nil {
			t.local = map[string]*sql.Stmt{}
		}
		t.local[q] = st
	}
	return st.QueryContext(ctx, args...)
}

// idBlock: the detail queries of a page name its invoices in blocks of this many ids.
const idBlock = 250

// journalLowerBound is where a page starts on the (time, seq) index: the period's start, or
// the previous page's last time once there is one. The index range must start there: with
// only "(time, seq) after the last row" as a filter, each page would scan the index from
// the period's start again, and an export of a year would take quadratic time.
func journalLowerBound(f app.JournalFilter) time.Time {
	if f.AfterSeq > 0 && f.AfterAt.After(f.From) {
		return f.AfterAt
	}
	return f.From
}

// JournalInvoices reads one page of invoices by (issued_at, seq) on the invoices_issued
// index, then the VAT lines and payments of the page in one query each.
func (t *tx) JournalInvoices(ctx context.Context, f app.JournalFilter) ([]domain.Invoice, error) {
	q := `SELECT seq, id, number, type, issued_at, customer_id, customer_kind, customer_first_name, customer_last_name,
		customer_company_name, customer_legal_form, customer_account_number, total_cents, vat_cents
		FROM invoices WHERE issued_at >= ? AND issued_at < ?`
	args := []any{t.d.ts(journalLowerBound(f)), t.d.ts(f.To)}
	if f.AfterSeq > 0 {
		q += " AND (issued_at > ? OR seq > ?)"
		args = append(args, t.d.ts(f.AfterAt), f.AfterSeq)
	}
	q += " ORDER BY issued_at, seq LIMIT ?"
	args = append(args, f.Limit)
	rows, err := t.queryRepeated(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query journal invoices: %w", err)
	}
	var out []domain.Invoice
	var snaps []domain.CustomerSnapshot
	for rows.Next() {
		var inv domain.Invoice
		var cs domain.CustomerSnapshot
		var typ, kind string
		var customerID sql.NullString
		if err := rows.Scan(&inv.Seq, &inv.ID, &inv.Number, &typ, timeCol{&inv.IssuedAt}, &customerID, &kind, &cs.FirstName,
			&cs.LastName, &cs.CompanyName, &cs.LegalForm, &cs.AccountNumber, &inv.TotalCents, &inv.VATCents); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan journal invoice: %w", err)
		}
		inv.Type = domain.InvoiceType(typ)
		if kind != "" {
			cs.ID, cs.Kind = customerID.String, domain.Kind(kind)
		}
		out = append(out, inv)
		snaps = append(snaps, cs)
	}
	if err := closeRows(rows, "journal invoices"); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	byID := make(map[string]int, len(out))
	// The ids of the page, padded with its last one to a whole number of idBlocks: the
	// statements' text is then one of a few, prepared for the next export once this one ends,
	// rather than a new one for every last page.
	ids := make([]any, (len(out)+idBlock-1)/idBlock*idBlock)
	for i := range ids {
		inv := &out[min(i, len(out)-1)]
		ids[i] = inv.ID
		if i < len(out) {
			if snaps[i].Kind != "" {
				inv.Customer = &snaps[i]
			}
			byID[inv.ID] = i
		}
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	// In the primary key's order (rates ascending: no sort), each invoice's lines turned
	// highest rate first as they are added.
	rows, err = t.queryRepeated(ctx, `SELECT invoice_id, rate_basis_points, base_cents, vat_cents, total_cents FROM invoice_vat
		WHERE invoice_id IN `+in+` ORDER BY invoice_id, rate_basis_points`, ids...)
	if err != nil {
		return nil, fmt.Errorf("query journal VAT: %w", err)
	}
	for rows.Next() {
		var id string
		var v domain.VATLine
		if err := rows.Scan(&id, &v.RateBasisPoints, &v.BaseCents, &v.VATCents, &v.TotalCents); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan journal VAT: %w", err)
		}
		inv := &out[byID[id]]
		inv.VAT = slices.Insert(inv.VAT, 0, v)
	}
	if err := closeRows(rows, "journal VAT"); err != nil {
		return nil, err
	}
	rows, err = t.queryRepeated(ctx, `SELECT invoice_id, method, amount_cents, tendered_cents FROM invoice_payments
		WHERE invoice_id IN `+in+` ORDER BY invoice_id, position`, ids...)
	if err != nil {
		return nil, fmt.Errorf("query journal payments: %w", err)
	}
	for rows.Next() {
		var id, m string
		var p domain.Payment
		if err := rows.Scan(&id, &m, &p.AmountCents, &p.TenderedCents); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan journal payment: %w", err)
		}
		p.Method = domain.TenderMethod(m)
		inv := &out[byID[id]]
		inv.Payments = append(inv.Payments, p)
	}
	return out, closeRows(rows, "journal payments")
}

func (t *tx) JournalLedgerEntries(ctx context.Context, f app.JournalFilter) ([]domain.LedgerEntry, error) {
	q := "SELECT " + ledgerColumns + " FROM ledger_entries WHERE created_at >= ? AND created_at < ? AND kind IN " + journalLedgerKinds
	args := []any{t.d.ts(journalLowerBound(f)), t.d.ts(f.To)}
	if f.AfterSeq > 0 {
		q += " AND (created_at > ? OR seq > ?)"
		args = append(args, t.d.ts(f.AfterAt), f.AfterSeq)
	}
	q += " ORDER BY created_at, seq LIMIT ?"
	args = append(args, f.Limit)
	rows, err := t.queryRepeated(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query journal ledger entries: %w", err)
	}
	var out []domain.LedgerEntry
	for rows.Next() {
		e, err := scanLedgerEntry(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	return out, closeRows(rows, "journal ledger entries")
}

func (t *tx) JournalCounts(ctx context.Context, from, to time.Time) (int64, int64, error) {
	var invoices, entries int64
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM invoices WHERE issued_at >= ? AND issued_at < ?",
		t.d.ts(from), t.d.ts(to)).Scan(&invoices); err != nil {
		return 0, 0, fmt.Errorf("count journal invoices: %w", err)
	}
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM ledger_entries WHERE created_at >= ? AND created_at < ? AND kind IN "+
		journalLedgerKinds, t.d.ts(from), t.d.ts(to)).Scan(&entries); err != nil {
		return 0, 0, fmt.Errorf("count journal ledger entries: %w", err)
	}
	return invoices, entries, nil
}

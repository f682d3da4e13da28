package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// The invoice snapshot's personal columns (migration 0014/0018 lets an UPDATE set them to
// ”). A full invoice keeps fullInvoiceKeeps; everything else goes.
var (
	snapshotPersonal = []string{"customer_title", "customer_first_name", "customer_last_name", "customer_company_name",
		"customer_legal_form", "customer_tax_id", "customer_line1", "customer_line2", "customer_postal_code",
		"customer_city", "customer_region", "customer_email", "customer_reference", "customer_name_key"}
	fullInvoiceKeeps = map[string]bool{"customer_first_name": true, "customer_last_name": true, "customer_company_name": true,
		"customer_legal_form": true, "customer_tax_id": true, "customer_line1": true, "customer_line2": true,
		"customer_postal_code": true, "customer_city": true, "customer_region": true}
)

// blankSQL is "col = ”" for each column, and heldSQL "(col <> ” OR …)".
func blankSQL(cols []string) (set, held string) {
	var s, h []string
	for _, c := range cols {
		s = append(s, c+" = ''")
		h = append(h, c+" <> ''")
	}
	return strings.Join(s, ", "), "(" + strings.Join(h, " OR ") + ")"
}

func (t *tx) CustomerMail(ctx context.Context, customerID string) ([]domain.OutboxMessage, error) {
	rows, err := t.query(ctx, "SELECT "+outboxColumns+` FROM outbox WHERE customer_id = ?
		OR invoice_id IN (SELECT id FROM invoices WHERE customer_id = ?) ORDER BY seq`, customerID, customerID)
	if err != nil {
		return nil, fmt.Errorf("read customer mail: %w", err)
	}
	defer rows.Close()
	var out []domain.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("scan customer mail: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read customer mail: %w", err)
	}
	return out, nil
}

func (t *tx) CustomerUnsubscribes(ctx context.Context, customerID string) ([]app.Unsubscribe, error) {
	rows, err := t.query(ctx, "SELECT campaign_id, at FROM unsubscribes WHERE customer_id = ? ORDER BY at, campaign_id", customerID)
	if err != nil {
		return nil, fmt.Errorf("read unsubscribes: %w", err)
	}
	defer rows.Close()
	var out []app.Unsubscribe
	for rows.Next() {
		var u app.Unsubscribe
		if err := rows.Scan(&u.CampaignID, timeCol{&u.At}); err != nil {
			return nil, fmt.Errorf("scan unsubscribe: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read unsubscribes: %w", err)
	}
	return out, nil
}

func (t *tx) EraseInvoiceSnapshots(ctx context.Context, customerID string) (fullKept, changed int64, err error) {
	t.scrubWAL = true
	var drop []string
	for _, c := range snapshotPersonal {
		if !fullInvoiceKeeps[c] {
			drop = append(drop, c)
		}
	}
	fullSet, fullHeld := blankSQL(drop)
	allSet, allHeld := blankSQL(snapshotPersonal)
	res, err := t.exec(ctx, "UPDATE invoices SET "+fullSet+" WHERE customer_id = ? AND type IN ('F1', 'R1') AND "+fullHeld, customerID)
	if err != nil {
		return 0, 0, fmt.Errorf("erase full invoices' snapshots: %w", err)
	}
	n1, err := res.RowsAffected()
	if err != nil {
		return 0, 0, fmt.Errorf("erase full invoices' snapshots: %w", err)
	}
	res, err = t.exec(ctx, "UPDATE invoices SET "+allSet+" WHERE customer_id = ? AND type NOT IN ('F1', 'R1') AND "+allHeld, customerID)
	if err != nil {
		return 0, 0, fmt.Errorf("erase simplified invoices' snapshots: %w", err)
	}
	n2, err := res.RowsAffected()
	if err != nil {
		return 0, 0, fmt.Errorf("erase simplified invoices' snapshots: %w", err)
	}
	_, keptHeld := blankSQL([]string{"customer_first_name", "customer_last_name", "customer_company_name"})
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM invoices WHERE customer_id = ? AND type IN ('F1', 'R1') AND "+keptHeld,
		customerID).Scan(&fullKept); err != nil {
		return 0, 0, fmt.Errorf("count full invoices: %w", err)
	}
	return fullKept, n1 + n2, nil
}

func (t *tx) EraseLedgerNames(ctx context.Context, customerID string) (int64, error) {
	t.scrubWAL = true
	res, err := t.exec(ctx, "UPDATE ledger_entries SET customer_name = '' WHERE customer_id = ? AND customer_name <> ''", customerID)
	if err != nil {
		return 0, fmt.Errorf("erase ledger names: %w", err)
	}
	return rowsAffected(res, "erase ledger names")
}

func rowsAffected(res interface{ RowsAffected() (int64, error) }, what string) (int64, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// customerMailWhere selects the messages to a customer or about their invoices (two
// arguments: the customer's id twice).
const customerMailWhere = "(customer_id = ? OR invoice_id IN (SELECT id FROM invoices WHERE customer_id = ?))"

func (t *tx) EraseCustomerMail(ctx context.Context, customerID string, now time.Time) (int64, error) {
	t.scrubWAL = true
	if _, err := t.exec(ctx, `UPDATE outbox SET status = 'dropped', claim = NULL, updated_at = ?
		WHERE status = 'queued' AND `+customerMailWhere, t.d.ts(now), customerID, customerID); err != nil {
		return 0, fmt.Errorf("erase customer mail: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE outbox_attempts SET response = ''
		WHERE response <> '' AND outbox_seq IN (SELECT seq FROM outbox WHERE `+customerMailWhere+")", customerID, customerID); err != nil {
		return 0, fmt.Errorf("erase customer mail: %w", err)
	}
	res, err := t.exec(ctx, `UPDATE outbox SET recipient = '', subject = '', raw = NULL, last_response = ''
		WHERE `+customerMailWhere+" AND (recipient <> '' OR subject <> '' OR raw IS NOT NULL OR last_response <> '')",
		customerID, customerID)
	if err != nil {
		return 0, fmt.Errorf("erase customer mail: %w", err)
	}
	return rowsAffected(res, "erase customer mail")
}

func (t *tx) DeleteUnsubscribes(ctx context.Context, customerID string) (int64, error) {
	res, err := t.exec(ctx, "DELETE FROM unsubscribes WHERE customer_id = ?", customerID)
	if err != nil {
		return 0, fmt.Errorf("delete unsubscribes: %w", err)
	}
	return rowsAffected(res, "delete unsubscribes")
}

// likeAny is "(lower(col) LIKE ? ESCAPE '\' OR …)" for needles, with their arguments.
func likeAny(col string, needles []string) (string, []any) {
	var parts []string
	var args []any
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for _, n := range needles {
		parts = append(parts, "lower("+col+`) LIKE ? ESCAPE '\'`)
		args = append(args, "%"+esc.Replace(strings.ToLower(n))+"%")
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

func (t *tx) EraseCampaigns(ctx context.Context, customerID string, needles []string) (int64, error) {
	t.scrubWAL = true
	res, err := t.exec(ctx, "UPDATE campaigns SET subject = '' WHERE audience = 'customer' AND audience_id = ? AND subject <> ''", customerID)
	if err != nil {
		return 0, fmt.Errorf("erase campaigns: %w", err)
	}
	n, err := rowsAffected(res, "erase campaigns")
	if err != nil || len(needles) == 0 {
		return n, err
	}
	cond, args := likeAny("query", needles)
	res, err = t.exec(ctx, "UPDATE campaigns SET query = '' WHERE query <> '' AND "+cond, args...)
	if err != nil {
		return 0, fmt.Errorf("erase campaigns: %w", err)
	}
	m, err := rowsAffected(res, "erase campaigns")
	return n + m, err
}

func (t *tx) AuditEntriesAbout(ctx context.Context, f app.AuditSearch) ([]domain.AuditEntry, error) {
	// Each part of the search on its own index (one OR of them would scan the whole log):
	// the entity's, the ids', and the log's end after AfterID.
	parts := []string{"SELECT id FROM audit_log WHERE entity_type = 'customer' AND entity_id = ?"}
	args := []any{f.ID}
	if len(f.IDs) > 0 {
		parts = append(parts, "SELECT id FROM audit_log WHERE id IN (?"+strings.Repeat(", ?", len(f.IDs)-1)+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	cond, likeArgs := likeAny("details", append([]string{f.ID}, f.Needles...))
	parts = append(parts, "SELECT id FROM audit_log WHERE id > ? AND "+cond)
	args = append(append(args, f.AfterID), likeArgs...)
	rows, err := t.query(ctx, "SELECT "+auditColumns+` FROM audit_log
		WHERE id IN (`+strings.Join(parts, " UNION ALL ")+") ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("query audit log: %w", err)
	}
	return scanAuditEntries(rows)
}

func (t *tx) LastAuditID(ctx context.Context) (int64, error) {
	var id int64
	if err := t.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM audit_log").Scan(&id); err != nil {
		return 0, fmt.Errorf("last audit entry: %w", err)
	}
	return id, nil
}

func (t *tx) SetAuditDetails(ctx context.Context, id int64, details map[string]any) error {
	t.scrubWAL = true
	if details == nil {
		details = map[string]any{}
	}
	det, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("encode audit details: %w", err)
	}
	if _, err := t.exec(ctx, "UPDATE audit_log SET details = ? WHERE id = ?", string(det), id); err != nil {
		return fmt.Errorf("set audit details: %w", err)
	}
	return nil
}

func (t *tx) DeleteIdempotencyKeys(ctx context.Context, scope, prefix string) (int64, error) {
	t.scrubWAL = true
	res, err := t.exec(ctx, "DELETE FROM idempotency_keys WHERE scope = ? AND substr(request, 1, ?) = ?", scope, len(prefix), prefix)
	if err != nil {
		return 0, fmt.Errorf("delete idempotency keys: %w", err)
	}
	return rowsAffected(res, "delete idempotency keys")
}

func (t *tx) ExpiredCounts(ctx context.Context, before time.Time) (invoices, ledgerEntries int64, err error) {
	_, held := blankSQL(snapshotPersonal)
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM invoices WHERE issued_at < ? AND "+held, t.d.ts(before)).Scan(&invoices); err != nil {
		return 0, 0, fmt.Errorf("count expired invoices: %w", err)
	}
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM ledger_entries WHERE created_at < ? AND customer_name <> ''",
		t.d.ts(before)).Scan(&ledgerEntries); err != nil {
		return 0, 0, fmt.Errorf("count expired ledger entries: %w", err)
	}
	return invoices, ledgerEntries, nil
}

func (t *tx) AnonymiseExpired(ctx context.Context, before time.Time, limit int) (invoices, ledgerEntries int64, err error) {
	t.scrubWAL = true
	set, held := blankSQL(snapshotPersonal)
	res, err := t.exec(ctx, "UPDATE invoices SET "+set+" WHERE seq IN (SELECT seq FROM invoices WHERE issued_at < ? AND "+held+
		" ORDER BY seq LIMIT ?)", t.d.ts(before), limit)
	if err != nil {
		return 0, 0, fmt.Errorf("anonymise expired invoices: %w", err)
	}
	if invoices, err = rowsAffected(res, "anonymise expired invoices"); err != nil {
		return 0, 0, err
	}
	res, err = t.exec(ctx, `UPDATE ledger_entries SET customer_name = '' WHERE seq IN (SELECT seq FROM ledger_entries
		WHERE created_at < ? AND customer_name <> '' ORDER BY seq LIMIT ?)`, t.d.ts(before), limit)
	if err != nil {
		return 0, 0, fmt.Errorf("anonymise expired ledger entries: %w", err)
	}
	ledgerEntries, err = rowsAffected(res, "anonymise expired ledger entries")
	return invoices, ledgerEntries, err
}

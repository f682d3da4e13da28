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

// The outbox (migrations 0012 on SQLite, 0016 on PostgreSQL). A claim is an UPDATE of the
// rows a sub-select picks; on PostgreSQL the sub-select locks them FOR UPDATE SKIP LOCKED, so
// two processes claiming at the same moment take different rows, and a row another process
// has just claimed and committed is no longer due when read again (READ COMMITTED re-checks
// the WHERE of a locked row). SQLite writes one transaction at a time.

func (t *tx) EnqueueMail(ctx context.Context, m *domain.OutboxMessage, raw []byte, claim string) error {
	err := t.queryRow(ctx, `INSERT INTO outbox (id, message_id, kind, status, customer_id, invoice_id, campaign_id, sender,
			recipient, subject, raw, attempts, next_attempt_at, claim, last_response, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?) RETURNING seq`,
		m.ID, m.MessageID, string(m.Kind), string(m.Status), nullString(m.CustomerID), nullString(m.InvoiceID),
		nullString(m.CampaignID), m.Sender, m.Recipient, m.Subject, raw, m.Attempts, t.d.ts(m.NextAttemptAt), nullString(claim),
		t.d.ts(m.CreatedAt), t.d.ts(m.UpdatedAt)).Scan(&m.Seq)
	if err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// mailDueSQL finds one due message through the partial index outbox_due.
const mailDueSQL = `SELECT 1 FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? LIMIT 1`

// claimSQL claims the due messages; the sub-select walks outbox_due.
func claimSQL(d *dialect) string {
	return `UPDATE outbox SET attempts = attempts + 1, claim = ?, next_attempt_at = ?, updated_at = ?
		WHERE seq IN (SELECT seq FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, seq LIMIT ?` + d.skipLocked() + `)
		RETURNING id, message_id, sender, recipient, attempts, raw, kind, invoice_id, subject, created_at`
}

func (t *tx) MailDue(ctx context.Context, now time.Time) (bool, error) {
	var one int
	err := t.queryRow(ctx, mailDueSQL, t.d.ts(now)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look for due mail: %w", err)
	}
	return true, nil
}

func (t *tx) ClaimMail(ctx context.Context, now, until time.Time, claim string, limit int) ([]app.ClaimedMail, error) {
	rows, err := t.query(ctx, claimSQL(t.d), claim, t.d.ts(until), t.d.ts(now), t.d.ts(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	defer rows.Close()
	var out []app.ClaimedMail
	for rows.Next() {
		var c app.ClaimedMail
		var kind string
		var invoiceID sql.NullString
		if err := rows.Scan(&c.ID, &c.MessageID, &c.Sender, &c.Recipient, &c.Attempts, &c.Raw, &kind, &invoiceID, &c.Subject, timeCol{&c.QueuedAt}); err != nil {
			return nil, fmt.Errorf("claim mail: %w", err)
		}
		c.Kind, c.InvoiceID = domain.MailKind(kind), invoiceID.String
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	return out, nil
}

func (t *tx) StoreMailBytes(ctx context.Context, id, claim string, raw []byte) (bool, error) {
	res, err := t.exec(ctx, "UPDATE outbox SET raw = ? WHERE id = ? AND claim = ? AND raw IS NULL", raw, id, claim)
	if err != nil {
		return false, fmt.Errorf("store rendered mail: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store rendered mail: %w", err)
	}
	return n == 1, nil
}

func (t *tx) FinishMail(ctx context.Context, o app.MailOutcome) (bool, error) {
	var sentAt any
	if o.Status == domain.OutboxSent {
		sentAt = t.d.ts(o.At)
	}
	next := o.NextAttemptAt
	if next.IsZero() {
		next = o.At
	}
	var seq int64
	err := t.queryRow(ctx, `UPDATE outbox SET status = ?, next_attempt_at = ?, claim = NULL, last_response = ?, updated_at = ?,
			sent_at = COALESCE(?, sent_at)
		WHERE id = ? AND claim = ? RETURNING seq`,
		string(o.Status), t.d.ts(next), o.Response, t.d.ts(o.At), sentAt, o.ID, o.Claim).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record mail attempt: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO outbox_attempts (outbox_seq, attempt, at, outcome, response) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (outbox_seq, attempt) DO NOTHING`, seq, o.Attempt, t.d.ts(o.At), string(o.Status), o.Response)
	if err != nil {
		return false, fmt.Errorf("record mail attempt: %w", err)
	}
	return true, nil
}

func (t *tx) ReleaseMail(ctx context.Context, ids []string, claim string, now time.Time) error {
	for _, id := range ids {
		_, err := t.exec(ctx, `UPDATE outbox SET claim = NULL, next_attempt_at = ?, attempts = attempts - 1, updated_at = ?
			WHERE id = ? AND claim = ? AND status = 'queued'`, t.d.ts(now), t.d.ts(now), id, claim)
		if err != nil {
			return fmt.Errorf("release mail: %w", err)
		}
	}
	return nil
}

func (t *tx) DropCustomerMail(ctx context.Context, customerID string, now time.Time) (int64, error) {
	res, err := t.exec(ctx, `UPDATE outbox SET status = 'dropped', claim = NULL, updated_at = ?
		WHERE customer_id = ? AND status = 'queued'`, t.d.ts(now), customerID)
	if err != nil {
		return 0, fmt.Errorf("drop customer mail: %w", err)
	}
	dropped, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("drop customer mail: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE outbox_attempts SET response = ''
		WHERE outbox_seq IN (SELECT seq FROM outbox WHERE customer_id = ?)`, customerID); err != nil {
		return 0, fmt.Errorf("drop customer mail: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE outbox SET recipient = '', subject = '', raw = NULL, last_response = ''
		WHERE customer_id = ?`, customerID); err != nil {
		return 0, fmt.Errorf("drop customer mail: %w", err)
	}
	return dropped, nil
}

// outboxColumns are read by scanOutbox, in this order.
const outboxColumns = `seq, id, message_id, kind, status, customer_id, invoice_id, campaign_id, sender, recipient, subject,
	attempts, next_attempt_at, last_response, created_at, sent_at, updated_at`

func scanOutbox(row interface{ Scan(...any) error }) (domain.OutboxMessage, error) {
	var m domain.OutboxMessage
	var kind, status string
	var customer, invoice, campaign sql.NullString
	err := row.Scan(&m.Seq, &m.ID, &m.MessageID, &kind, &status, &customer, &invoice, &campaign, &m.Sender, &m.Recipient,
		&m.Subject, &m.Attempts, timeCol{&m.NextAttemptAt}, &m.LastResponse, timeCol{&m.CreatedAt},
		nullTimeCol{&m.SentAt}, timeCol{&m.UpdatedAt})
	m.Kind, m.Status = domain.MailKind(kind), domain.OutboxStatus(status)
	m.CustomerID, m.InvoiceID, m.CampaignID = customer.String, invoice.String, campaign.String
	return m, err
}

func (t *tx) OutboxMessage(ctx context.Context, id string) (domain.OutboxMessage, error) {
	m, err := scanOutbox(t.queryRow(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("read outbox message: %w", err)
	}
	return m, nil
}

func (t *tx) OutboxMessageBytes(ctx context.Context, id string) ([]byte, error) {
	var raw []byte
	err := t.queryRow(ctx, "SELECT raw FROM outbox WHERE id = ?", id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read outbox message: %w", err)
	}
	return raw, nil
}

func (t *tx) OutboxMessages(ctx context.Context, f app.OutboxFilter) ([]domain.OutboxMessage, error) {
	q := "SELECT " + outboxColumns + " FROM outbox WHERE 1 = 1"
	var args []any
	for _, c := range []struct{ col, v string }{{"customer_id", f.CustomerID}, {"invoice_id", f.InvoiceID},
		{"campaign_id", f.CampaignID}, {"status", string(f.Status)}} {
		if c.v != "" {
			q += " AND " + c.col + " = ?"
			args = append(args, c.v)
		}
	}
	if f.BeforeSeq > 0 {
		q += " AND seq < ?"
		args = append(args, f.BeforeSeq)
	}
	q += " ORDER BY seq DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []domain.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return out, nil
}

func (t *tx) OutboxAttempts(ctx context.Context, id string) ([]domain.OutboxAttempt, error) {
	rows, err := t.query(ctx, `SELECT a.attempt, a.at, a.outcome, a.response FROM outbox_attempts a
		JOIN outbox o ON o.seq = a.outbox_seq WHERE o.id = ? ORDER BY a.attempt`, id)
	if err != nil {
		return nil, fmt.Errorf("list mail attempts: %w", err)
	}
	defer rows.Close()
	var out []domain.OutboxAttempt
	for rows.Next() {
		var a domain.OutboxAttempt
		var outcome string
		if err := rows.Scan(&a.Attempt, timeCol{&a.At}, &outcome, &a.Response); err != nil {
			return nil, fmt.Errorf("list mail attempts: %w", err)
		}
		a.Outcome = domain.OutboxStatus(outcome)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list mail attempts: %w", err)
	}
	return out, nil
}

func (t *tx) OutboxCounts(ctx context.Context, campaignID string) (map[domain.OutboxStatus]int64, error) {
	q := "SELECT status, COUNT(*) FROM outbox"
	var args []any
	if campaignID != "" {
		q += " WHERE campaign_id = ?"
		args = append(args, campaignID)
	}
	rows, err := t.query(ctx, q+" GROUP BY status", args...)
	if err != nil {
		return nil, fmt.Errorf("count outbox: %w", err)
	}
	defer rows.Close()
	out := map[domain.OutboxStatus]int64{}
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count outbox: %w", err)
		}
		out[domain.OutboxStatus(s)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count outbox: %w", err)
	}
	return out, nil
}

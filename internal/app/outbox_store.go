package app

import (
	"context"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// OutboxStore is what a transaction does to the outbox (sqlstore/outbox.go).
type OutboxStore interface {
	// EnqueueMail stores a queued message and its rendered bytes; it sets m.Seq. A claim
	// other than "" stores it already claimed (with m.Attempts and m.NextAttemptAt as the
	// claim's end).
	EnqueueMail(ctx context.Context, m *domain.OutboxMessage, raw []byte, claim string) error
	// MailDue reports whether a queued message is due at now (one indexed row read: the
	// worker asks before it claims, so an idle outbox costs no write).
	MailDue(ctx context.Context, now time.Time) (bool, error)
	// ClaimMail takes up to limit queued messages due at now, oldest due first: each gets
	// one more attempt, the claim token and next_attempt_at = until (when the claim expires
	// and the message is due again if nobody finished it). Rows another transaction is
	// claiming are skipped (PostgreSQL: FOR UPDATE SKIP LOCKED), never claimed twice.
	ClaimMail(ctx context.Context, now, until time.Time, claim string, limit int) ([]ClaimedMail, error)
	// StoreMailBytes stores the bytes of a message queued without them (OutgoingMail.Deferred),
	// once rendered by the worker holding its claim; false when the claim was lost or the
	// bytes are there already.
	StoreMailBytes(ctx context.Context, id, claim string, raw []byte) (bool, error)
	// FinishMail records the outcome of a claimed message's attempt and whether it still
	// held the claim (false: the claim expired and someone else took it; nothing changed).
	FinishMail(ctx context.Context, o MailOutcome) (bool, error)
	// ReleaseMail hands back claimed messages that were not tried: due at now, with the
	// attempt not counted.
	ReleaseMail(ctx context.Context, ids []string, claim string, now time.Time) error
	// DropCustomerMail marks a customer's queued messages dropped and blanks the recipient,
	// subject, bytes and answers of all their messages; it returns how many were queued.
	DropCustomerMail(ctx context.Context, customerID string, now time.Time) (int64, error)
	OutboxMessage(ctx context.Context, id string) (domain.OutboxMessage, error)
	// OutboxMessageBytes returns a message's rendered bytes (nil once dropped).
	OutboxMessageBytes(ctx context.Context, id string) ([]byte, error)
	// OutboxMessages lists messages, newest first.
	OutboxMessages(ctx context.Context, f OutboxFilter) ([]domain.OutboxMessage, error)
	OutboxAttempts(ctx context.Context, id string) ([]domain.OutboxAttempt, error)
	// OutboxCounts counts messages by status (of one campaign when campaignID is set).
	OutboxCounts(ctx context.Context, campaignID string) (map[domain.OutboxStatus]int64, error)
}

// ClaimedMail is a message a worker has claimed, with what it needs to send it.
type ClaimedMail struct {
	ID        string
	MessageID string
	Sender    string
	Recipient string
	Attempts  int    // this attempt's number, from 1
	Raw       []byte // nil: queued deferred, to be rendered before it is sent (renderDeferred)
	// What a deferred message is rendered from.
	Kind      domain.MailKind
	InvoiceID string
	Subject   string
	QueuedAt  time.Time
}

// MailOutcome is how one attempt ended. Status is sent, failed, or queued with
// NextAttemptAt (to be tried again).
type MailOutcome struct {
	ID            string
	Claim         string
	Attempt       int
	At            time.Time
	Status        domain.OutboxStatus
	NextAttemptAt time.Time
	Response      string
}

// OutboxFilter selects outbox messages, newest first.
type OutboxFilter struct {
	CustomerID string
	InvoiceID  string
	CampaignID string
	Status     domain.OutboxStatus
	BeforeSeq  int64 // 0: from the newest
	Limit      int
}

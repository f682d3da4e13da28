package domain

import "time"

// MailKind is why a message was written.
type MailKind string

// The kinds of message.
const (
	MailInvoice   MailKind = "invoice"
	MailStatement MailKind = "statement"
	MailMessage   MailKind = "message" // written to a customer, or to many (a campaign)
	MailTest      MailKind = "test"    // the settings page's test message
)

// ValidMailKind reports whether k is one of the kinds.
func ValidMailKind(k MailKind) bool {
	return k == MailInvoice || k == MailStatement || k == MailMessage || k == MailTest
}

// OutboxStatus is where a message is on its way out.
type OutboxStatus string

// The outbox states: queued (waiting, being sent, or waiting to be tried again), sent (a
// server accepted it), failed (refused for good, or the last try failed), dropped (its
// customer was deleted before it went: the address and body are gone).
const (
	OutboxQueued  OutboxStatus = "queued"
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed"
	OutboxDropped OutboxStatus = "dropped"
)

// OutboxMessage is a message in the outbox, without its bytes.
type OutboxMessage struct {
	Seq        int64
	ID         string
	MessageID  string // the Message-ID header, without angle brackets
	Kind       MailKind
	Status     OutboxStatus
	CustomerID string // links: whom or what it is about ("" for none)
	InvoiceID  string
	CampaignID string
	Sender     string // envelope sender
	Recipient  string // "" once dropped
	Subject    string // "" once dropped
	Attempts   int
	// NextAttemptAt: when a queued message is next due (or, while claimed, when the claim
	// expires).
	NextAttemptAt time.Time
	LastResponse  string // the server's last answer, or what went wrong
	CreatedAt     time.Time
	SentAt        *time.Time
	UpdatedAt     time.Time
}

// OutboxAttempt is one try at sending a message.
type OutboxAttempt struct {
	Attempt  int
	At       time.Time
	Outcome  OutboxStatus // sent, failed, or queued (to be tried again)
	Response string
}

// ActionMailTest is the audit action of a test message sent from the settings page.
const ActionMailTest = "mail.test"

package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
)

// OutgoingMail is a message another use case queues (QueueMail): to one recipient, with its
// links to what it is about. The sender, reply-to, date and Message-ID are QueueMail's.
type OutgoingMail struct {
	Kind       domain.MailKind
	CustomerID string // links, "" for none; a message with a customer is dropped when the customer is deleted
	InvoiceID  string
	CampaignID string

	To          mail.Address
	Subject     string
	Text        string // the plain-text part (required)
	HTML        string // optional HTML alternative
	Attachments []mail.Attachment
	// Headers are extra headers, such as mail.UnsubscribeHeaders(link, "").
	Headers []mail.Header
	// Deferred queues the message without its bytes: the worker renders them when it first
	// claims it (renderDeferred), from what the message links to — an invoice is immutable,
	// so the message is the same whenever it is rendered. For what is too slow to render
	// inside the caller's transaction (an invoice's PDF takes about 10 ms, and a close holds
	// the invoice counter while it runs). Text, HTML and Attachments are ignored; the
	// recipient and subject are checked now.
	Deferred bool
}

// QueueMail renders m and writes it to the outbox in tx, the caller's transaction: the
// message exists if and only if what caused it commits. It checks no permission (the caller's
// use case did). Bad input (an address, a CR or LF in a header) is a validation error naming
// the field ("to.email", "subject", "headers[0].value"). Call NudgeMail after the
// transaction commits to have this process's worker send it at once; other processes find
// it within their poll interval.
func (a *App) QueueMail(ctx context.Context, tx Tx, m OutgoingMail) (domain.OutboxMessage, error) {
	o, _, err := a.queueMail(ctx, tx, m, "")
	return o, err
}

func (a *App) queueMail(ctx context.Context, tx Tx, m OutgoingMail, claim string) (domain.OutboxMessage, ClaimedMail, error) {
	var p domain.Problems
	if !domain.ValidMailKind(m.Kind) {
		p.Add("kind", domain.FieldInvalid, nil)
	}
	for _, l := range []struct{ field, id string }{{"customer_id", m.CustomerID}, {"invoice_id", m.InvoiceID}, {"campaign_id", m.CampaignID}} {
		if l.id != "" && !ValidID(l.id) {
			p.Add(l.field, domain.FieldInvalid, nil)
		}
	}
	if err := p.Err(); err != nil {
		return domain.OutboxMessage{}, ClaimedMail{}, err
	}
	settings, err := readMailSettings(ctx, tx)
	if err != nil {
		return domain.OutboxMessage{}, ClaimedMail{}, err
	}
	from, _ := a.senderOf(settings)
	if from.Name == "" {
		if shop, err := tx.Shop(ctx); err == nil {
			from.Name = shop.Name
		}
	}
	id, err := newID()
	if err != nil {
		return domain.OutboxMessage{}, ClaimedMail{}, err
	}
	now := a.now()
	msg := mail.Message{MessageID: mail.NewMessageID(id, from.Email), Date: now, From: from, To: []mail.Address{m.To},
		Subject: m.Subject, Text: m.Text, HTML: m.HTML, Attachments: m.Attachments, Headers: m.Headers}
	if settings.ReplyTo != "" {
		msg.ReplyTo = &mail.Address{Email: settings.ReplyTo}
	}
	var raw []byte
	if m.Deferred {
		// Checked now, with a stand-in body: the real one is the worker's to render.
		msg.Text, msg.HTML, msg.Attachments = "-", "", nil
		err = msg.Validate()
	} else {
		raw, err = msg.Render()
	}
	if err != nil {
		return domain.OutboxMessage{}, ClaimedMail{}, renameToField(err)
	}
	o := domain.OutboxMessage{ID: id, MessageID: msg.MessageID, Kind: m.Kind, Status: domain.OutboxQueued,
		CustomerID: m.CustomerID, InvoiceID: m.InvoiceID, CampaignID: m.CampaignID, Sender: from.Email,
		Recipient: m.To.Email, Subject: m.Subject, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
	if claim != "" {
		o.Attempts, o.NextAttemptAt = 1, now.Add(a.mailCfg.ClaimTimeout)
	}
	if err := tx.EnqueueMail(ctx, &o, raw, claim); err != nil {
		return domain.OutboxMessage{}, ClaimedMail{}, err
	}
	a.NudgeMail()
	return o, ClaimedMail{ID: id, MessageID: msg.MessageID, Sender: from.Email, Recipient: m.To.Email, Attempts: o.Attempts, Raw: raw}, nil
}

// renameToField turns the message's field names into OutgoingMail's: to[0].email is to.email.
func renameToField(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	for i, f := range de.Fields {
		if len(f.Field) > 5 && f.Field[:5] == "to[0]" {
			de.Fields[i].Field = "to" + f.Field[5:]
		}
		if f.Field == "from.email" || f.Field == "from.name" || f.Field == "reply_to.email" || f.Field == "message_id" {
			// The sender comes from the settings, not from the caller: a settings problem.
			return fmt.Errorf("mail settings: %w", err)
		}
	}
	return de
}

// DropCustomerMail drops, in tx, the messages queued for a customer who is being deleted and
// blanks the address, subject and body of every message to them, sent ones included (call it
// from the customer's deletion). The count of messages that will no longer go is returned.
func (a *App) DropCustomerMail(ctx context.Context, tx Tx, customerID string) (int64, error) {
	return tx.DropCustomerMail(ctx, customerID, a.now())
}

// NudgeMail wakes this process's mail worker (it also polls; see MailConfig.PollInterval).
func (a *App) NudgeMail() {
	select {
	case a.mailWake <- struct{}{}:
	default:
	}
}

// OutboxSummary is what the settings page shows of the outbox: counts and the latest
// failures (without bodies).
type OutboxSummary struct {
	Counts   map[domain.OutboxStatus]int64
	Failures []domain.OutboxMessage
}

// MailOutbox returns the outbox's counts and last failures (admin).
func (a *App) MailOutbox(ctx context.Context, p domain.Principal, failures int) (OutboxSummary, error) {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return OutboxSummary{}, err
	}
	var s OutboxSummary
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		if s.Counts, err = tx.OutboxCounts(ctx, ""); err != nil {
			return err
		}
		if failures > 0 {
			s.Failures, err = tx.OutboxMessages(ctx, OutboxFilter{Status: domain.OutboxFailed, Limit: failures})
		}
		return err
	})
	return s, err
}

// MailHistory lists the messages of f (a customer's, an invoice's, a campaign's), newest
// first, with no bodies (whoever may read customers).
func (a *App) MailHistory(ctx context.Context, p domain.Principal, f OutboxFilter) ([]domain.OutboxMessage, error) {
	if err := authorize(p, domain.PermCustomersRead); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var out []domain.OutboxMessage
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.OutboxMessages(ctx, f)
		return err
	})
	return out, err
}

// MailAttempts lists the tries of one message with the server's answers.
func (a *App) MailAttempts(ctx context.Context, p domain.Principal, id string) ([]domain.OutboxAttempt, error) {
	if err := authorize(p, domain.PermCustomersRead); err != nil {
		return nil, err
	}
	if !ValidID(id) {
		return nil, domain.Errorf(domain.CodeNotFound)
	}
	var out []domain.OutboxAttempt
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		if _, err = tx.OutboxMessage(ctx, id); err != nil {
			return err
		}
		out, err = tx.OutboxAttempts(ctx, id)
		return err
	})
	return out, err
}

// MailCampaignCounts counts a campaign's messages by status.
func (a *App) MailCampaignCounts(ctx context.Context, p domain.Principal, campaignID string) (map[domain.OutboxStatus]int64, error) {
	if err := authorize(p, domain.PermCustomersRead); err != nil {
		return nil, err
	}
	var out map[domain.OutboxStatus]int64
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.OutboxCounts(ctx, campaignID)
		return err
	})
	return out, err
}

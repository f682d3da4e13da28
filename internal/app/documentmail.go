package app

import (
	"context"
	"fmt"
	"time"

	"github.com/clientela/clientela/internal/document"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
)

// Documents sent by e-mail: the invoice of a closed ticket (for customers who asked for it),
// an invoice sent again, and a customer's statement.

// Audit actions of documents sent by e-mail.
const (
	ActionInvoiceMail   = "invoice.mail"
	ActionStatementMail = "statement.mail"
)

// mailLang is the language of the documents the shop e-mails: the shop's, Spanish.
const mailLang = document.Spanish

// queueInvoiceMail queues, in the close's transaction, the e-mail that carries the invoice
// to the customer: deferred, so the PDF is drawn by the mail worker and not while the close
// holds the invoice counter. Nothing when the customer has no e-mail or did not ask for
// invoices by e-mail.
func (a *App) queueInvoiceMail(ctx context.Context, tx Tx, inv *domain.Invoice, c *domain.Customer) error {
	if c.Email == "" || !c.InvoiceByEmail {
		return nil
	}
	_, err := a.queueDeferredInvoice(ctx, tx, inv, c.ID, mail.Address{Name: c.DisplayName(), Email: c.Email})
	return err
}

func (a *App) queueDeferredInvoice(ctx context.Context, tx Tx, inv *domain.Invoice, customerID string, to mail.Address) (domain.OutboxMessage, error) {
	doc := InvoiceDocument(inv)
	return a.QueueMail(ctx, tx, OutgoingMail{Kind: domain.MailInvoice, CustomerID: customerID, InvoiceID: inv.ID,
		To: to, Subject: document.InvoiceMailSubject(&doc, mailLang), Deferred: true})
}

// renderDeferred renders a message queued without its bytes (an invoice's) and stores them
// under the worker's claim, so every later try sends the same bytes.
func (a *App) renderDeferred(ctx context.Context, m *ClaimedMail, claim string) ([]byte, error) {
	if m.Kind != domain.MailInvoice || m.InvoiceID == "" {
		return nil, fmt.Errorf("outbox %s: a %s message without its bytes cannot be rendered", m.ID, m.Kind)
	}
	var inv domain.Invoice
	var settings MailSettings
	var shopName string
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		if inv, err = tx.Invoice(ctx, m.InvoiceID); err != nil {
			return err
		}
		if settings, err = readMailSettings(ctx, tx); err != nil {
			return err
		}
		shop, err := tx.Shop(ctx)
		shopName = shop.Name
		return err
	})
	if err != nil {
		return nil, err
	}
	doc := InvoiceDocument(&inv)
	pdf, err := document.InvoicePDF(doc, mailLang)
	if err != nil {
		return nil, fmt.Errorf("invoice %s as PDF: %w", inv.Number, err)
	}
	from, _ := a.senderOf(settings)
	from.Email = m.Sender // as queued
	if from.Name == "" {
		from.Name = shopName
	}
	to := mail.Address{Email: m.Recipient}
	if inv.Customer != nil {
		to.Name = inv.Customer.Name()
	}
	msg := mail.Message{MessageID: m.MessageID, Date: m.QueuedAt, From: from, To: []mail.Address{to}, Subject: m.Subject,
		Text:        document.InvoiceMailText(&doc, mailLang),
		Attachments: []mail.Attachment{{Name: document.InvoiceFileName(&doc, mailLang), ContentType: "application/pdf", Data: pdf}}}
	if settings.ReplyTo != "" {
		msg.ReplyTo = &mail.Address{Email: settings.ReplyTo}
	}
	raw, err := msg.Render()
	if err != nil {
		return nil, err
	}
	var stored bool
	if err := a.store.Write(ctx, func(tx Tx) (err error) {
		stored, err = tx.StoreMailBytes(ctx, m.ID, claim, raw)
		return err
	}); err != nil {
		return nil, err
	}
	if !stored {
		return nil, fmt.Errorf("outbox %s: the claim was lost while rendering", m.ID)
	}
	return raw, nil
}

// errNoEmail refuses to e-mail a document to a customer without an address.
func errNoEmail() error {
	var problems domain.Problems
	problems.Add("email", domain.FieldRequired, nil)
	return problems.Err()
}

// InvoiceMails lists the e-mails of an invoice with their delivery state, newest first.
func (a *App) InvoiceMails(ctx context.Context, p domain.Principal, invoiceID string) ([]domain.OutboxMessage, error) {
	if err := authorize(p, domain.PermInvoicesRead); err != nil {
		return nil, err
	}
	if !ValidID(invoiceID) {
		return nil, domain.Errorf(domain.CodeNotFound)
	}
	var out []domain.OutboxMessage
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		if _, err := tx.Invoice(ctx, invoiceID); err != nil {
			return err // not found: an unknown invoice has no e-mails to list
		}
		out, err = tx.OutboxMessages(ctx, OutboxFilter{InvoiceID: invoiceID, Limit: 20})
		return err
	})
	return out, err
}

// SendInvoiceMail sends an invoice by e-mail again (or for the first time), to the
// customer's e-mail as the register holds it now; audited. An invoice without a customer, or
// whose customer has no e-mail or was deleted, is refused with a field error on "email".
func (a *App) SendInvoiceMail(ctx context.Context, p domain.Principal, invoiceID string) (domain.OutboxMessage, error) {
	var out domain.OutboxMessage
	if err := authorize(p, domain.PermInvoicesRead); err != nil {
		return out, err
	}
	if !ValidID(invoiceID) {
		return out, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Write(ctx, func(tx Tx) error {
		inv, err := tx.Invoice(ctx, invoiceID)
		if err != nil {
			return err
		}
		if inv.Customer == nil {
			return errNoEmail()
		}
		c, err := tx.Customer(ctx, inv.Customer.ID)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return errNoEmail()
		}
		if err != nil {
			return err
		}
		if c.Email == "" {
			return errNoEmail()
		}
		if out, err = a.queueDeferredInvoice(ctx, tx, &inv, c.ID, mail.Address{Name: c.DisplayName(), Email: c.Email}); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, ActionInvoiceMail, "invoice", inv.ID, nil, map[string]any{"outbox_id": out.ID})
	})
	if err != nil {
		return domain.OutboxMessage{}, err
	}
	a.NudgeMail()
	return out, nil
}

// SendStatement e-mails a customer's statement for a period (dates as Statement takes them),
// with the PDF attached; audited. A customer without an e-mail is refused with a field error
// on "email".
func (a *App) SendStatement(ctx context.Context, p domain.Principal, customerID, from, to string) (domain.OutboxMessage, error) {
	var out domain.OutboxMessage
	st, err := a.Statement(ctx, p, customerID, from, to)
	if err != nil {
		return out, err
	}
	if st.Customer.Email == "" {
		return out, errNoEmail()
	}
	doc := StatementDocument(&st, a.now())
	pdf, err := document.StatementPDF(doc, mailLang)
	if err != nil {
		return out, fmt.Errorf("statement as PDF: %w", err)
	}
	err = a.store.Write(ctx, func(tx Tx) error {
		var err error
		out, err = a.QueueMail(ctx, tx, OutgoingMail{Kind: domain.MailStatement, CustomerID: customerID,
			To:      mail.Address{Name: st.Customer.DisplayName(), Email: st.Customer.Email},
			Subject: document.StatementMailSubject(&doc, mailLang), Text: document.StatementMailText(&doc, mailLang),
			Attachments: []mail.Attachment{{Name: document.StatementFileName(&doc, mailLang), ContentType: "application/pdf", Data: pdf}}})
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, ActionStatementMail, "customer", customerID, nil, map[string]any{
			"outbox_id": out.ID, "period_from": st.From.Format(time.DateOnly), "period_to": st.To.Format(time.DateOnly)})
	})
	if err != nil {
		return domain.OutboxMessage{}, err
	}
	a.NudgeMail()
	return out, nil
}

package app_test

import (
	"bytes"
	"context"
	"mime"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail/mailtest"
)

// TestInvoiceByEmail: closing a ticket for a customer who asked for invoices by e-mail writes
// the message to the outbox in the close's transaction, without its PDF (drawn by the worker,
// not while the close holds the invoice counter); the worker renders and sends it — the PDF
// attached is the invoice — and a retry sends the same bytes. A customer who did not ask gets
// nothing; an invoice can be sent again; a statement is sent with its PDF; deleting the
// customer drops what is still queued.
func TestInvoiceByEmail(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		a := e.mailApp(smtpTo(srv), app.MailConfig{})
		e.setUpShop(t)
		till := e.as("till")
		c, err := a.CreateCustomer(ctx, e.as("boss"), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			Title: domain.Some(domain.TitleMrs), FirstName: domain.Some("María"), LastName: domain.Some("Muñoz"),
			Email: domain.Some("maria.munoz@example.com"), InvoiceByEmail: domain.Some(true), Reference: domain.Some("M1")})
		if err != nil {
			t.Fatal(err)
		}
		quiet, err := a.CreateCustomer(ctx, e.as("boss"), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some("Sin"), LastName: domain.Some("Factura"), Email: domain.Some("sin@example.com"),
			InvoiceByEmail: domain.Some(false)})
		if err != nil {
			t.Fatal(err)
		}
		tk := e.ticketWith(t, till, line("Aceite de oliva", 1000, 1250, 1000))
		if _, err := a.AttachCustomer(ctx, till, tk.ID, app.CustomerChoice{CustomerID: c.ID}); err != nil {
			t.Fatal(err)
		}
		inv, err := a.CloseTicket(ctx, till, tk.ID, cash(2000), "")
		if err != nil {
			t.Fatal(err)
		}
		mails, err := a.InvoiceMails(ctx, till, inv.ID)
		if err != nil || len(mails) != 1 || mails[0].Status != domain.OutboxQueued || mails[0].Recipient != "maria.munoz@example.com" {
			t.Fatalf("the invoice's mail after the close: %+v %v", mails, err)
		}
		var raw []byte
		if err := e.db.Read(ctx, func(tx app.Tx) (err error) { raw, err = tx.OutboxMessageBytes(ctx, mails[0].ID); return err }); err != nil || raw != nil {
			t.Fatalf("the close rendered the message (%d bytes, %v): it should be left to the worker", len(raw), err)
		}
		tk2 := e.ticketWith(t, till, line("Pan", 1000, 120, 400))
		if _, err := a.AttachCustomer(ctx, till, tk2.ID, app.CustomerChoice{CustomerID: quiet.ID}); err != nil {
			t.Fatal(err)
		}
		inv2, err := a.CloseTicket(ctx, till, tk2.ID, cash(120), "")
		if err != nil {
			t.Fatal(err)
		}
		if mails, _ := a.InvoiceMails(ctx, till, inv2.ID); len(mails) != 0 {
			t.Errorf("a customer who did not ask got %d invoice mails", len(mails))
		}

		// The server refuses for now: the worker renders, stores the bytes, retries later with
		// the same bytes.
		srv.Refuse(1, 451, "4.3.0 try again later")
		if n := deliver(t, a); n != 1 {
			t.Fatalf("claimed %d", n)
		}
		if err := e.db.Read(ctx, func(tx app.Tx) (err error) { raw, err = tx.OutboxMessageBytes(ctx, mails[0].ID); return err }); err != nil || len(raw) == 0 {
			t.Fatalf("the rendered bytes were not kept: %v", err)
		}
		e.clock.Advance(2 * app.DefaultMailFirstRetry)
		if n := deliver(t, a); n != 1 || srv.Count() != 1 {
			t.Fatalf("second try: claimed %d, server has %d", n, srv.Count())
		}
		got := srv.Received()[0]
		if !bytes.Equal(got.Data, raw) {
			t.Error("the retry sent other bytes than the first try rendered")
		}
		h, text, files := mimeParts(t, got.Data)
		subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if subject != "Su factura "+inv.Number+" de Ultramarinos Pepa" {
			t.Errorf("subject %q", subject)
		}
		if !strings.Contains(text, "Estimado/a Sra. María Muñoz:") || !strings.Contains(text, inv.Number) || !strings.Contains(text, "12,50") {
			t.Errorf("text:\n%s", text)
		}
		pdf := files["factura-"+inv.Number+".pdf"]
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("attachments: %v", keys(files))
		}
		want, _, err := a.InvoicePDF(ctx, till, inv.ID, "es")
		if err != nil || !bytes.Equal(pdf, want) {
			t.Errorf("the PDF attached is not the invoice's (%d bytes, invoice %d bytes, %v)", len(pdf), len(want), err)
		}
		if mails, _ := a.InvoiceMails(ctx, till, inv.ID); mails[0].Status != domain.OutboxSent {
			t.Errorf("state after delivery: %s", mails[0].Status)
		}

		// Sent again on request; refused for an invoice without an address.
		again, err := a.SendInvoiceMail(ctx, till, inv.ID)
		if err != nil || again.ID == mails[0].ID {
			t.Fatalf("resend: %+v %v", again, err)
		}
		if _, err := a.SendInvoiceMail(ctx, till, inv2.ID); err != nil {
			t.Errorf("resend to a customer with an e-mail who did not ask for it: %v", err)
		}
		anon := e.ticketWith(t, till, line("Pan", 1000, 120, 400))
		inv3, err := a.CloseTicket(ctx, till, anon.ID, cash(120), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.SendInvoiceMail(ctx, till, inv3.ID); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("resend without a customer: %v", err)
		}

		// A statement, with its PDF.
		if _, err := a.PostAccountMovement(ctx, till, c.ID, domain.AccountMovement{Kind: domain.LedgerDeposit, AmountCents: 5000, Method: domain.TenderCash}, ""); err != nil {
			t.Fatal(err)
		}
		st, err := a.SendStatement(ctx, till, c.ID, "", "")
		if err != nil || st.Kind != domain.MailStatement {
			t.Fatalf("statement: %+v %v", st, err)
		}
		for deliver(t, a) > 0 {
		}
		var statement []byte
		for _, r := range srv.Received() {
			if _, _, files := mimeParts(t, r.Data); len(files) == 1 {
				for name, data := range files {
					if strings.HasPrefix(name, "extracto-") {
						statement = data
					}
				}
			}
		}
		if !bytes.HasPrefix(statement, []byte("%PDF-")) {
			t.Errorf("no statement PDF among %d messages", srv.Count())
		}
		if _, err := a.SendStatement(ctx, till, quiet.ID, "", ""); err != nil {
			t.Errorf("statement of a customer with an e-mail: %v", err)
		}

		// Deleting a customer drops what is still queued for them and keeps no address.
		if _, err := a.SendInvoiceMail(ctx, till, inv.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.PostAccountMovement(ctx, e.as("manu"), c.ID, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: 5000, Reason: "Devuelto"}, ""); err != nil {
			t.Fatal(err)
		}
		if err := a.DeleteCustomer(ctx, e.as("manu"), c.ID); err != nil {
			t.Fatal(err)
		}
		history, err := a.MailHistory(ctx, e.as("boss"), app.OutboxFilter{CustomerID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range history {
			if m.Recipient != "" || m.Subject != "" {
				t.Errorf("a deleted customer's message keeps %q %q", m.Recipient, m.Subject)
			}
		}
		if history[0].Status != domain.OutboxDropped {
			t.Errorf("the queued message after the delete: %s", history[0].Status)
		}
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
